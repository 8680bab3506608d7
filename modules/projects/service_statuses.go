package projects

// Custom statuses: a project's own Kanban columns, each counting as a base status. The rules:
//
//   - a task's custom status always has the task's status as its base: setting a custom
//     status sets the base status (and completes the task when the base is done); setting a
//     base status, or anything that changes it (the last part completed), clears the custom
//     one when it no longer fits;
//   - deleting a status moves the tasks in it to its base status (they are there already:
//     only the custom status goes);
//   - a status's base changes only while no task is in it, so that no task becomes done (or
//     stops being done) without its completion.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// StatusInput is the body of POST /api/v1/{slug}/projects/{id}/statuses.
type StatusInput struct {
	Name  string `json:"name" openapi:"required" example:"In review"`
	Base  string `json:"base" openapi:"required" enum:"open,in_progress,done" example:"in_progress"`                 // open, in_progress or done
	Key   string `json:"key,omitempty" example:"in-review"`                                                          // a-z, 0-9, - and _ (default: made from the name); never changes
	Color string `json:"color,omitempty" enum:"gray,red,orange,yellow,green,teal,blue,purple,pink" example:"purple"` // one of Colors (default gray)
	// Position is the place among the statuses of the same base, from 0 (default: last).
	Position *int64 `json:"position,omitempty"`
}

// StatusPatch is the body of PATCH /api/v1/{slug}/projects/{id}/statuses/{status_id}.
type StatusPatch struct {
	Name     *string `json:"name,omitempty" example:"Reviewing"`
	Color    *string `json:"color,omitempty" enum:"gray,red,orange,yellow,green,teal,blue,purple,pink"`
	Base     *string `json:"base,omitempty" enum:"open,in_progress,done"` // only while no task is in the status
	Position *int64  `json:"position,omitempty"`                          // among the statuses of the same base, from 0
}

// StatusList is the answer of GET .../statuses: every custom status of the project, in board
// order (by base status, then position).
type StatusList struct {
	Items []TaskStatus `json:"items"`
}

func baseRank(base string) int { return slices.Index(baseStatuses, base) }

// sortStatuses puts statuses in board order.
func sortStatuses(ss []TaskStatus) {
	slices.SortStableFunc(ss, func(a, b TaskStatus) int {
		if d := baseRank(a.Base) - baseRank(b.Base); d != 0 {
			return d
		}
		if a.Position != b.Position {
			return int(a.Position - b.Position)
		}
		return int(a.ID - b.ID)
	})
}

// Statuses returns the custom statuses of a project the actor sees: the board's columns, which
// every reader of the project sees (a client too, with only their tasks in them).
func (s *Service) Statuses(ctx context.Context, a *actor.Actor, projectID int64) ([]TaskStatus, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	return s.store.statuses(ctx, tn, projectID)
}

// checkColor validates a colour of the palette ("" is gray).
func checkColor(f *problem.Fields, field, c string) string {
	if c == "" {
		return Colors[0]
	}
	oneOf(f, field, c, Colors...)
	return c
}

// keyFrom makes a status key from a name: its ASCII letters and digits, lower case, words
// joined by "-" ("" when none is left).
func keyFrom(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 30 {
			break
		}
	}
	k := b.String()
	if k != "" && (k[0] < 'a' || k[0] > 'z') {
		k = "s-" + k
	}
	return k
}

// CreateStatus adds a custom status to a project (a project manager's decision).
func (s *Service) CreateStatus(ctx context.Context, a *actor.Actor, projectID int64, in StatusInput) (*TaskStatus, error) {
	sc := scopeOf(a)
	p, err := s.writableProject(ctx, s.tenant(sc), sc, projectID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	st := &TaskStatus{AccountID: p.AccountID, ProjectID: p.ID, Base: in.Base, CreatedAt: s.now()}
	st.Name = checkName(&f, "name", in.Name, MaxStatusName)
	st.Color = checkColor(&f, "color", in.Color)
	if st.Base == "" {
		f.Add("base", "is required: open, in_progress or done")
	} else {
		oneOf(&f, "base", st.Base, baseStatuses...)
	}
	if in.Position != nil {
		f.Check(*in.Position >= 0 && *in.Position <= MaxStatuses, "position", fmt.Sprintf("must be from 0 to %d", MaxStatuses))
	}
	key := strings.TrimSpace(in.Key)
	if key != "" {
		f.Check(statusKey.MatchString(key) && !slices.Contains(baseStatuses, key), "key",
			"must be 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter, and not open, in_progress or done")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if err := s.store.lockProject(ctx, tx, p.ID); err != nil {
			return err
		}
		all, err := s.store.statuses(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if len(all) >= MaxStatuses {
			return problem.Invalid(problem.FieldError{Field: "name", Message: fmt.Sprintf("a project has at most %d custom statuses", MaxStatuses)})
		}
		taken := func(k string) bool {
			return slices.Contains(baseStatuses, k) || slices.ContainsFunc(all, func(x TaskStatus) bool { return x.Key == k })
		}
		switch {
		case key != "" && taken(key):
			return problem.Invalid(problem.FieldError{Field: "key", Message: "another status of this project has this key"})
		case key == "":
			stem := keyFrom(st.Name)
			if stem == "" {
				stem = "status"
			}
			key = stem
			for n := 2; taken(key); n++ {
				key = fmt.Sprintf("%s-%d", stem, n)
			}
		}
		st.Key = key
		st.Position = int64(len(all)) + 1 // placed below
		if err := s.store.insertStatus(ctx, tx, st); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Invalid(problem.FieldError{Field: "key", Message: "another status of this project has this key"})
			}
			return err
		}
		pos := int64(-1)
		if in.Position != nil {
			pos = *in.Position
		}
		return s.placeStatus(ctx, tx, append(all, *st), st, pos)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// placeStatus puts st at index pos among the statuses of its base (-1: last) and numbers that
// group 0, 1, 2…, writing the positions that changed. all holds every status of the project,
// st among them (with its new base).
func (s *Service) placeStatus(ctx context.Context, tx db.Tenant, all []TaskStatus, st *TaskStatus, pos int64) error {
	var group []TaskStatus
	for _, x := range all {
		if x.Base == st.Base && x.ID != st.ID {
			group = append(group, x)
		}
	}
	sortStatuses(group)
	if pos < 0 || pos > int64(len(group)) {
		pos = int64(len(group))
	}
	group = slices.Insert(group, int(pos), *st)
	for i := range group {
		x := &group[i]
		was := x.Position
		if x.ID == st.ID {
			was = -1 // always written: its row may hold a placeholder
		}
		x.Position = int64(i)
		if x.ID == st.ID {
			st.Position = x.Position
		}
		if was != x.Position {
			if err := s.store.saveStatusPosition(ctx, tx, x); err != nil {
				return err
			}
		}
	}
	return nil
}

// UpdateStatus renames, recolours, moves or rebases a custom status. The project and the
// status are read in the change's transaction (the project's row locked on PostgreSQL, as
// every change of its statuses takes it), and only what changes is written.
func (s *Service) UpdateStatus(ctx context.Context, a *actor.Actor, projectID, id int64, in StatusPatch) (*TaskStatus, error) {
	sc := scopeOf(a)
	var st *TaskStatus
	err := s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		if err := s.store.lockProject(ctx, tx, p.ID); err != nil {
			return err
		}
		old, err := s.store.lockStatus(ctx, tx, p.ID, id)
		if err != nil {
			return err
		}
		st = new(TaskStatus)
		*st = *old
		var f problem.Fields
		if in.Name != nil {
			st.Name = checkName(&f, "name", *in.Name, MaxStatusName)
		}
		if in.Color != nil {
			st.Color = checkColor(&f, "color", *in.Color)
		}
		rebase := in.Base != nil && *in.Base != st.Base
		if in.Base != nil {
			oneOf(&f, "base", *in.Base, baseStatuses...)
			st.Base = *in.Base
		}
		if in.Position != nil {
			f.Check(*in.Position >= 0 && *in.Position <= MaxStatuses, "position", fmt.Sprintf("must be from 0 to %d", MaxStatuses))
		}
		if err := f.Err(); err != nil {
			return err
		}
		if rebase {
			n, err := s.store.tasksInStatus(ctx, tx, p.ID, st.Key)
			if err != nil {
				return err
			}
			if n > 0 {
				return problem.Invalid(problem.FieldError{Field: "base", Message: fmt.Sprintf("%d tasks are in this status; move them out first, or add a new status", n)})
			}
		}
		if err := s.store.saveStatus(ctx, tx, old, st); err != nil {
			return err
		}
		if in.Position == nil && !rebase {
			return nil
		}
		all, err := s.store.statuses(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		pos := int64(-1)
		if in.Position != nil {
			pos = *in.Position
		}
		return s.placeStatus(ctx, tx, all, st, pos)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// DeleteStatus removes a custom status; its tasks keep their base status.
func (s *Service) DeleteStatus(ctx context.Context, a *actor.Actor, projectID, id int64) error {
	sc := scopeOf(a)
	return s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		if err := s.store.lockProject(ctx, tx, p.ID); err != nil {
			return err
		}
		st, err := s.store.status(ctx, tx, p.ID, id)
		if err != nil {
			return err
		}
		return s.store.deleteStatus(ctx, tx, st, s.now())
	})
}

// statusByKey indexes statuses by key.
func statusByKey(ss []TaskStatus) map[string]TaskStatus {
	m := make(map[string]TaskStatus, len(ss))
	for _, x := range ss {
		m[x.Key] = x
	}
	return m
}

// statusUses counts the tasks in each custom status of a project (for the Workflow page, which
// says how many tasks a deletion moves).
func (s *Service) statusUses(ctx context.Context, a *actor.Actor, projectID int64) (map[string]int, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	return s.store.statusUses(ctx, tn, sc, projectID)
}
