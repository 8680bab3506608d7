package contract

import (
	"context"
	"time"

	"groupcamp/core/actor"
)

// GroupsPort is the name of the Groups port, which projects provides for the GroupCamp-compatible
// API (modules/gcapi): projects, their members, task lists, milestones and tasks, read and
// written with the actor's scope and the projects module's own rules and audit.
const GroupsPort = "projects.gcapi_groups"

// Group is a project as the compatible API shows it.
type Group struct {
	ID                int64
	Name, Code        string
	Category          string // the name of the project category CategoryID ("" and 0: none)
	CategoryID        int64
	Tags              []string
	ClientCompanyID   int64
	LeaderID          int64
	AssistantLeaderID int64
	Access            string // open or invite
	GuestsAllowed     bool
	State             string // active, archived or trash
	StartsOn, EndsOn  string // "YYYY-MM-DD" or ""
	Starred           bool
	// Members are the project's people (user id -> role: manager, member or client).
	Members map[int64]string
}

// GroupFilter narrows Groups.List; zero values do not filter.
type GroupFilter struct {
	States          []string // active, archived, trash (default: active)
	Name            string   // exactly this name
	Search          string   // the name contains it (ignoring case)
	UserID          int64    // the person is a member
	Category        string   // exactly this category
	ClientCompanyID int64
	ClientOnly      bool // only projects with a client company
	InternalOnly    bool // only projects without one
}

// GroupInput creates or changes a project; nil fields stay as they are (on creation: defaults).
type GroupInput struct {
	Name              *string
	Code              *string
	Category          *string // a project category's name, exactly as spelled; "" clears
	Tags              *[]string
	ClientCompanyID   *int64 // 0 clears
	LeaderID          *int64
	AssistantLeaderID *int64
	Access            *string
	GuestsAllowed     *bool
	// TemplateID creates the project from a template project (creation only).
	TemplateID int64
}

// GroupTask is a task with what the compatible API shows of it.
type GroupTask struct {
	ID, ProjectID, ListID int64
	Title, Description    string
	StartsOn, DueOn       string
	Done                  bool
	CompletedAt           *time.Time
	CreatedBy             int64
	CreatedAt, UpdatedAt  time.Time
	Assignees             []GroupAssignee
}

// GroupAssignee is one person assigned to a task.
type GroupAssignee struct {
	UserID          int64
	EstimateMinutes int64
	Progress        int64
}

// GroupList is a task list.
type GroupList struct {
	ID, ProjectID, MilestoneID int64
	Name                       string
	Internal                   bool // not shared with clients
}

// GroupMilestone is a milestone.
type GroupMilestone struct {
	ID, ProjectID int64
	Name, DueOn   string
	Done          bool
}

// TaskQuery selects tasks for Groups.Tasks; zero values do not filter.
type TaskQuery struct {
	ProjectIDs []int64
	ListID     int64
	Assignees  []int64
	// State: "" (any), open or completed.
	State                    string
	DueFrom, DueTo           string // days, inclusive
	DoneFrom, DoneTo         string
	CreatedFrom, CreatedTo   string
	ModifiedFrom, ModifiedTo string
	After                    int64 // task id (the next page starts after it)
	Limit                    int
}

// Groups is what the compatible API asks of projects.
type Groups interface {
	List(ctx context.Context, a *actor.Actor, f GroupFilter) ([]Group, error)
	Get(ctx context.Context, a *actor.Actor, id int64) (*Group, error)
	Create(ctx context.Context, a *actor.Actor, in GroupInput) (*Group, error)
	Update(ctx context.Context, a *actor.Actor, id int64, in GroupInput) (*Group, error)
	// AddMember adds a person (as member, or client for a client of the account); an existing
	// member keeps their role.
	AddMember(ctx context.Context, a *actor.Actor, projectID, userID int64) error
	RemoveMember(ctx context.Context, a *actor.Actor, projectID, userID int64) error
	// Tasks are the tasks the actor sees that match q, by id, at most q.Limit.
	Tasks(ctx context.Context, a *actor.Actor, q TaskQuery) ([]GroupTask, error)
	Task(ctx context.Context, a *actor.Actor, id int64) (*GroupTask, error)
	// Lists and Milestones are by id (those the actor sees; others left out).
	Lists(ctx context.Context, a *actor.Actor, ids []int64) (map[int64]GroupList, error)
	Milestones(ctx context.Context, a *actor.Actor, ids []int64) (map[int64]GroupMilestone, error)
	// Names are the names of the account's projects of ids (for time logs), by id.
	Names(ctx context.Context, accountID int64, ids []int64) (map[int64]string, error)
}
