package projects

import (
	"context"
	"slices"

	"groupcamp/core/db"
)

// The queries of a task's followers (service_followers.go), through the account's Tenant (see
// store.go).

// followers are the people who follow a task: its author and its assignees unless they
// unfollowed it, and those who chose to follow it, by id.
func (store) followers(ctx context.Context, tn db.Tenant, taskID int64) ([]int64, error) {
	var author []*int64
	if err := tn.Select((*Task)(nil)).Column("t.created_by").Where("t.id = ?", taskID).Scan(ctx, &author); err != nil {
		return nil, err
	}
	var ids []int64
	if err := tn.Select((*Assignee)(nil)).Column("ta.user_id").Where("ta.task_id = ?", taskID).Scan(ctx, &ids); err != nil {
		return nil, err
	}
	if len(author) == 1 && author[0] != nil {
		ids = append(ids, *author[0])
	}
	var choices []taskFollower
	if err := tn.Select(&choices).Column("tf.user_id", "tf.following").Where("tf.task_id = ?", taskID).Scan(ctx); err != nil {
		return nil, err
	}
	for _, c := range choices {
		if c.Following {
			ids = append(ids, c.UserID)
		} else {
			ids = slices.DeleteFunc(ids, func(id int64) bool { return id == c.UserID })
		}
	}
	return dedupe(ids), nil
}

// setFollowing records a person's choice to follow a task or not, replacing the previous one.
func (store) setFollowing(ctx context.Context, tn db.Tenant, f *taskFollower) error {
	_, err := tn.Insert(f).On("CONFLICT (account_id, task_id, user_id) DO UPDATE").Set("following = EXCLUDED.following").Exec(ctx)
	return err
}

// followOnce makes a person follow a task unless they chose before (a commenter follows the
// task, but not one who unfollowed it).
func (store) followOnce(ctx context.Context, tn db.Tenant, f *taskFollower) error {
	_, err := tn.Insert(f).On("CONFLICT DO NOTHING").Exec(ctx)
	return err
}
