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

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// ChecklistInput is the body of POST /api/v1/{slug}/tasks/{id}/checklist.
type ChecklistInput struct {
	Text string `json:"text" text:"multiline"`
	Done bool   `json:"done,omitempty"`
	// Position is the item's place, from 0 (default: last).
	Position *int64 `json:"position,omitempty"`
}

// ChecklistPatch is the body of PATCH /api/v1/{slug}/tasks/{id}/checklist/{item_id}.
type ChecklistPatch struct {
	Text     *string `json:"text,omitempty" text:"multiline"`
	Done     *bool   `json:"done,omitempty"`
	Position *int64  `json:"position,omitempty"`
}

func (store) checklist(ctx context.Context, idb bun.IDB, t *Task) ([]ChecklistItem, error) {
	out := []ChecklistItem{}
	err := idb.NewSelect().Model(&out).Where("ci.account_id = ? AND ci.task_id = ?", t.AccountID, t.ID).OrderExpr("ci.position, ci.id").Scan(ctx)
	return out, err
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
	t, _, err := s.store.task(ctx, s.DB, scopeOf(a), taskID)
	if err != nil {
		return nil, err
	}
	items, err := s.store.checklist(ctx, s.DB, t)
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

// writableTask returns a task the actor sees in a project that is not archived, or the error.
func (s *Service) writableTask(ctx context.Context, a *actor.Actor, taskID int64) (*Task, *Project, error) {
	t, p, err := s.store.task(ctx, s.DB, scopeOf(a), taskID)
	if err != nil {
		return nil, nil, err
	}
	return t, p, writable(p)
}

// touch marks a task changed.
func (s *Service) touch(ctx context.Context, tx bun.Tx, t *Task) error {
	_, err := tx.NewUpdate().Model((*Task)(nil)).Set("updated_at = ?", s.now()).Where("account_id = ? AND id = ?", t.AccountID, t.ID).Exec(ctx)
	return err
}

// AddChecklistItem adds an item to a task's checklist.
func (s *Service) AddChecklistItem(ctx context.Context, a *actor.Actor, taskID int64, in ChecklistInput) (*ChecklistItem, error) {
	t, p, err := s.writableTask(ctx, a, taskID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	now := s.now()
	it := &ChecklistItem{AccountID: t.AccountID, ProjectID: t.ProjectID, TaskID: t.ID, Text: checkItemText(&f, in.Text), Done: in.Done,
		CreatedAt: now, UpdatedAt: now}
	pos := checkItemPosition(&f, in.Position)
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lockProject(ctx, tx, p); err != nil {
			return err
		}
		items, err := s.store.checklist(ctx, tx, t)
		if err != nil {
			return err
		}
		if len(items) >= MaxChecklist {
			return problem.Invalid(problem.FieldError{Field: "text", Message: fmt.Sprintf("a checklist holds at most %d items", MaxChecklist)})
		}
		it.Position = int64(len(items))
		if _, err := tx.NewInsert().Model(it).Exec(ctx); err != nil {
			return err
		}
		if pos >= 0 && pos < int64(len(items)) {
			if err := placeItem(ctx, tx, items, it, pos); err != nil {
				return err
			}
		}
		return s.touch(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// placeItem puts it at index pos of the checklist (items, without it) and renumbers the
// items whose place changed.
func placeItem(ctx context.Context, tx bun.Tx, items []ChecklistItem, it *ChecklistItem, pos int64) error {
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
		if _, err := tx.NewUpdate().Model(x).Column("position").WherePK().Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// item returns an item of a task's checklist, or 404.
func (store) item(ctx context.Context, idb bun.IDB, t *Task, id int64) (*ChecklistItem, error) {
	it := new(ChecklistItem)
	if err := idb.NewSelect().Model(it).Where("ci.account_id = ? AND ci.task_id = ? AND ci.id = ?", t.AccountID, t.ID, id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return it, nil
}

// UpdateChecklistItem changes the text of an item, ticks or unticks it, or moves it.
func (s *Service) UpdateChecklistItem(ctx context.Context, a *actor.Actor, taskID, itemID int64, in ChecklistPatch) (*ChecklistItem, error) {
	t, p, err := s.writableTask(ctx, a, taskID)
	if err != nil {
		return nil, err
	}
	it, err := s.store.item(ctx, s.DB, t, itemID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	if in.Text != nil {
		it.Text = checkItemText(&f, *in.Text)
	}
	if in.Done != nil {
		it.Done = *in.Done
	}
	pos := checkItemPosition(&f, in.Position)
	if err := f.Err(); err != nil {
		return nil, err
	}
	it.UpdatedAt = s.now()
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lockProject(ctx, tx, p); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(it).Column("text", "done", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if pos >= 0 {
			items, err := s.store.checklist(ctx, tx, t)
			if err != nil {
				return err
			}
			if err := placeItem(ctx, tx, items, it, pos); err != nil {
				return err
			}
		}
		return s.touch(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// DeleteChecklistItem removes an item from a task's checklist.
func (s *Service) DeleteChecklistItem(ctx context.Context, a *actor.Actor, taskID, itemID int64) error {
	t, _, err := s.writableTask(ctx, a, taskID)
	if err != nil {
		return err
	}
	it, err := s.store.item(ctx, s.DB, t, itemID)
	if err != nil {
		return err
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model(it).WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.touch(ctx, tx, t)
	})
}
