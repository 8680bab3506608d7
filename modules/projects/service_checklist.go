package projects

// Checklists: the small steps of a task, ticked one by one (at most MaxChecklist items of
// MaxChecklistText characters). Whoever sees a task sees its checklist; whoever may change
// tasks changes it. A change touches the task's updated_at, so that whoever syncs tasks sees
// it. Items are numbered 0, 1, 2… in their task; moving one renumbers the rest.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// ChecklistInput is the body of POST /api/v1/{slug}/tasks/{id}/checklist.
type ChecklistInput struct {
	Text string `json:"text" text:"multiline" openapi:"required" example:"Check the links"`
	Done bool   `json:"done,omitempty"`
	// Position is the item's place, from 0 (default: last).
	Position *int64 `json:"position,omitempty"`
}

// ChecklistPatch is the body of PATCH /api/v1/{slug}/tasks/{id}/checklist/{item_id}.
type ChecklistPatch struct {
	Text     *string `json:"text,omitempty" text:"multiline"`
	Done     *bool   `json:"done,omitempty" example:"true"`
	Position *int64  `json:"position,omitempty"`
}

func checklistOf(items []ChecklistItem) *Checklist {
	c := &Checklist{Items: items, Total: len(items)}
	for _, it := range items {
		if it.Done {
			c.Done++
		}
	}
	return c
}

// Checklist returns the checklist of a task the actor sees.
func (s *Service) Checklist(ctx context.Context, a *actor.Actor, taskID int64) (*Checklist, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	t, _, err := s.store.task(ctx, tn, sc, taskID)
	if err != nil {
		return nil, err
	}
	items, err := s.store.checklist(ctx, tn, t.ID)
	if err != nil {
		return nil, err
	}
	return checklistOf(items), nil
}

func checkItemText(f *problem.Fields, s string) string {
	s = strings.TrimSpace(s)
	if msg := validate.Text(s, MaxChecklistText, true); msg != "" {
		f.Add("text", msg)
	}
	return s
}

func checkItemPosition(f *problem.Fields, pos *int64) int64 {
	if pos == nil {
		return -1
	}
	f.Check(*pos >= 0 && *pos <= MaxChecklist, "position", fmt.Sprintf("must be from 0 to %d", MaxChecklist))
	return *pos
}

// writableTask returns, in a change's transaction tx, a task the actor sees in a project that
// is not archived (the project's row locked on PostgreSQL, which serializes the changes of
// its checklists), or the error.
func (s *Service) writableTask(ctx context.Context, tx db.Tenant, a *actor.Actor, taskID int64) (*Task, *Project, error) {
	t, p, err := s.store.task(ctx, tx, scopeOf(a), taskID)
	if err != nil {
		return nil, nil, err
	}
	if err := writable(p); err != nil {
		return nil, nil, err
	}
	return t, p, s.store.lockProject(ctx, tx, p.ID)
}

// AddChecklistItem adds an item to a task's checklist.
func (s *Service) AddChecklistItem(ctx context.Context, a *actor.Actor, taskID int64, in ChecklistInput) (*ChecklistItem, error) {
	var f problem.Fields
	now := s.now()
	it := &ChecklistItem{Text: checkItemText(&f, in.Text), Done: in.Done, CreatedAt: now, UpdatedAt: now}
	pos := checkItemPosition(&f, in.Position)
	err := s.tenant(scopeOf(a)).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		t, _, err := s.writableTask(ctx, tx, a, taskID)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		it.AccountID, it.ProjectID, it.TaskID = t.AccountID, t.ProjectID, t.ID
		items, err := s.store.checklist(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		if len(items) >= MaxChecklist {
			return problem.Invalid(problem.FieldError{Field: "text", Message: fmt.Sprintf("a checklist holds at most %d items", MaxChecklist)})
		}
		it.Position = int64(len(items))
		if err := s.store.insertItem(ctx, tx, it); err != nil {
			return err
		}
		if pos >= 0 && pos < int64(len(items)) {
			if err := s.placeItem(ctx, tx, items, it, pos); err != nil {
				return err
			}
		}
		return s.store.touchTask(ctx, tx, t.ID, s.now())
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// placeItem puts it at index pos of the checklist (items, without it) and renumbers the
// items whose place changed.
func (s *Service) placeItem(ctx context.Context, tx db.Tenant, items []ChecklistItem, it *ChecklistItem, pos int64) error {
	items = slices.DeleteFunc(items, func(x ChecklistItem) bool { return x.ID == it.ID })
	pos = min(max(pos, 0), int64(len(items)))
	items = slices.Insert(items, int(pos), *it)
	for i := range items {
		x := &items[i]
		if x.Position == int64(i) && x.ID != it.ID {
			continue
		}
		x.Position = int64(i)
		if x.ID == it.ID {
			it.Position = x.Position
		}
		if err := s.store.saveItemPosition(ctx, tx, x); err != nil {
			return err
		}
	}
	return nil
}

// UpdateChecklistItem changes the text of an item, ticks or unticks it, or moves it. The item
// is read in the change's transaction, its row locked (PostgreSQL), and only what changes is
// written: two changes of one item at once both land.
func (s *Service) UpdateChecklistItem(ctx context.Context, a *actor.Actor, taskID, itemID int64, in ChecklistPatch) (*ChecklistItem, error) {
	var it *ChecklistItem
	err := s.tenant(scopeOf(a)).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		t, _, err := s.writableTask(ctx, tx, a, taskID)
		if err != nil {
			return err
		}
		old, err := s.store.lockItem(ctx, tx, t.ID, itemID)
		if err != nil {
			return err
		}
		it = new(ChecklistItem)
		*it = *old
		var f problem.Fields
		if in.Text != nil {
			it.Text = checkItemText(&f, *in.Text)
		}
		if in.Done != nil {
			it.Done = *in.Done
		}
		pos := checkItemPosition(&f, in.Position)
		if err := f.Err(); err != nil {
			return err
		}
		it.UpdatedAt = s.now()
		if err := s.store.saveItem(ctx, tx, old, it); err != nil {
			return err
		}
		if pos >= 0 {
			items, err := s.store.checklist(ctx, tx, t.ID)
			if err != nil {
				return err
			}
			if err := s.placeItem(ctx, tx, items, it, pos); err != nil {
				return err
			}
		}
		return s.store.touchTask(ctx, tx, t.ID, s.now())
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// DeleteChecklistItem removes an item from a task's checklist.
func (s *Service) DeleteChecklistItem(ctx context.Context, a *actor.Actor, taskID, itemID int64) error {
	return s.tenant(scopeOf(a)).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		t, _, err := s.writableTask(ctx, tx, a, taskID)
		if err != nil {
			return err
		}
		it, err := s.store.item(ctx, tx, t.ID, itemID)
		if err != nil {
			return err
		}
		if err := s.store.deleteItem(ctx, tx, it); err != nil {
			return err
		}
		return s.store.touchTask(ctx, tx, t.ID, s.now())
	})
}
