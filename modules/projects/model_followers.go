package projects

import (
	"time"

	"github.com/uptrace/bun"
)

// taskFollower is a person's choice about a task beyond the default: a task's author and its
// assignees follow it unless they chose not to (Following false); anyone else who sees it
// follows it once they choose to or comment (Following true).
type taskFollower struct {
	bun.BaseModel `bun:"table:task_followers,alias:tf"`

	AccountID int64     `bun:"account_id,pk"`
	TaskID    int64     `bun:"task_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	Following bool      `bun:"following"`
	CreatedAt time.Time `bun:"created_at"`
}

// Follower is a person who follows a task.
type Follower struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// FollowerList is the answer of GET /api/v1/{slug}/tasks/{id}/followers: who follows the task
// (as far as the reader may know them) and whether the reader does.
type FollowerList struct {
	Items     []Follower `json:"items"`
	Following bool       `json:"following"`
}
