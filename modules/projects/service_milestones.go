package projects

// Changing milestones once planned: rename, move, complete or reopen, delete. A deleted
// milestone's lists stay, belonging to no milestone.

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// MilestonePatch is the body of PATCH .../milestones/{milestone_id}: what is given changes.
type MilestonePatch struct {
	Name      *string `json:"name,omitempty"`
	DueOn     *string `json:"due_on,omitempty"`
	Completed *bool   `json:"completed,omitempty"` // true: done now; false: open again
}

// UpdateMilestone changes a milestone of a project the actor may change.
func (s *Service) UpdateMilestone(ctx context.Context, a *actor.Actor, projectID, id int64, in MilestonePatch) (*Milestone, error) {
	var m *Milestone
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sc := scopeOf(a)
		tn := db.For(tx, sc.AccountID)
		// Read in the transaction, the milestone's row locked (PostgreSQL): the change
		// writes only its own columns onto the milestone as it is now.
		p, err := s.store.project(ctx, tx, sc, projectID, false)
		if err != nil {
			return err
		}
		if err := writable(p); err != nil {
			return err
		}
		old := new(Milestone)
		if err := tn.ForUpdate(tn.Select(old).Where("m.project_id = ? AND m.id = ?", p.ID, id)).Scan(ctx); err != nil {
			return notFound(err)
		}
		m = new(Milestone)
		*m = *old
		var f problem.Fields
		if in.Name != nil {
			m.Name = checkName(&f, "name", *in.Name, MaxListName)
		}
		if in.DueOn != nil {
			if m.DueOn = day(&f, "due_on", *in.DueOn); *in.DueOn == "" {
				f.Add("due_on", "is required")
			}
		}
		verb := "milestone.changed"
		if in.Completed != nil {
			switch {
			case *in.Completed && m.CompletedAt == nil:
				now := s.now()
				m.CompletedAt, verb = &now, "milestone.completed"
			case !*in.Completed && m.CompletedAt != nil:
				m.CompletedAt, verb = nil, "milestone.reopened"
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		cols := changed(tn, old, m, "name", "due_on", "completed_at")
		if len(cols) == 0 {
			return nil
		}
		if _, err := tn.Update(m).Column(cols...).WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.feed(ctx, tx, a, p.ID, 0, verb, "milestone", m.ID, m.Name)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// DeleteMilestone removes a milestone; its lists stay, in no milestone.
func (s *Service) DeleteMilestone(ctx context.Context, a *actor.Actor, projectID, id int64) error {
	p, err := s.writableProject(ctx, scopeOf(a), projectID)
	if err != nil {
		return err
	}
	m, err := s.store.milestone(ctx, s.DB, p.AccountID, p.ID, id)
	if err != nil {
		return err
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*TaskList)(nil)).Set("milestone_id = NULL").
			Where("account_id = ? AND project_id = ? AND milestone_id = ?", p.AccountID, p.ID, m.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model(m).WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.feed(ctx, tx, a, p.ID, 0, "milestone.deleted", "milestone", m.ID, m.Name)
	})
}
