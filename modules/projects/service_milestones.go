package projects

// Changing milestones once planned: rename, move, complete or reopen, delete. A deleted
// milestone's lists stay, belonging to no milestone.

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// MilestonePatch is the body of PATCH .../milestones/{milestone_id}: what is given changes.
type MilestonePatch struct {
	Name      *string `json:"name,omitempty"`
	DueOn     *string `json:"due_on,omitempty" format:"date" example:"2026-05-15"`
	Completed *bool   `json:"completed,omitempty" example:"true"` // true: done now; false: open again
}

// UpdateMilestone changes a milestone of a project the actor may change.
func (s *Service) UpdateMilestone(ctx context.Context, a *actor.Actor, projectID, id int64, in MilestonePatch) (*Milestone, error) {
	var m *Milestone
	sc := scopeOf(a)
	err := s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		// Read in the transaction, the milestone's row locked (PostgreSQL): the change
		// writes only its own columns onto the milestone as it is now.
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		old, err := s.store.lockMilestone(ctx, tx, p.ID, id)
		if err != nil {
			return err
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
		if wrote, err := s.store.saveMilestone(ctx, tx, old, m); err != nil || !wrote {
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
	sc := scopeOf(a)
	return s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		m, err := s.store.lockMilestone(ctx, tx, p.ID, id)
		if err != nil {
			return err
		}
		if err := s.store.deleteMilestone(ctx, tx, m); err != nil {
			return err
		}

		return s.feed(ctx, tx, a, p.ID, 0, "milestone.deleted", "milestone", m.ID, m.Name)
	})
}
