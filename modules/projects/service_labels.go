package projects

// Labels: coloured tags of a project that its tasks carry (at most MaxTaskLabels each). A
// label's name is unique in its project, whatever its case. Deleting a label takes it off
// every task (the schema cascades). A client sees only the labels carried by a task they
// see: a label's name may say more than the client's lists show.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// LabelInput is the body of POST /api/v1/{slug}/projects/{id}/labels.
type LabelInput struct {
	Name  string `json:"name"`
	Color string `json:"color,omitempty"` // one of Colors (default gray)
}

// LabelPatch is the body of PATCH /api/v1/{slug}/projects/{id}/labels/{label_id}.
type LabelPatch struct {
	Name  *string `json:"name,omitempty"`
	Color *string `json:"color,omitempty"`
}

// LabelList is the answer of GET .../labels: the project's labels by name (at most
// MaxLabels, no pages).
type LabelList struct {
	Items []Label `json:"items"`
}

// labels reads the labels of a project the scope sees, by name.
func (store) labels(ctx context.Context, idb bun.IDB, sc scope, projectID int64) ([]Label, error) {
	out := []Label{}
	q := idb.NewSelect().Model(&out).Where("lb.account_id = ? AND lb.project_id = ?", sc.AccountID, projectID).OrderExpr("lower(lb.name), lb.id")
	if sc.Client {
		sub := sc.joinTaskLists(idb.NewSelect().TableExpr("task_labels AS tl").ColumnExpr("1").
			Join("JOIN tasks AS t ON t.account_id = tl.account_id AND t.id = tl.task_id").
			Where("tl.account_id = lb.account_id AND tl.project_id = lb.project_id AND tl.label_id = lb.id"))
		q = q.Where("EXISTS (?)", sub)
	}
	return out, q.Scan(ctx)
}

func (store) label(ctx context.Context, idb bun.IDB, accountID, projectID, id int64) (*Label, error) {
	l := new(Label)
	if err := idb.NewSelect().Model(l).Where("lb.account_id = ? AND lb.project_id = ? AND lb.id = ?", accountID, projectID, id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// Labels returns the labels of a project the actor sees.
func (s *Service) Labels(ctx context.Context, a *actor.Actor, projectID int64) ([]Label, error) {
	sc := scopeOf(a)
	if _, err := s.store.project(ctx, s.DB, sc, projectID, false); err != nil {
		return nil, err
	}
	return s.store.labels(ctx, s.DB, sc, projectID)
}

// nameTaken reports whether another label of the project has this name (ignoring case).
func nameTaken(ctx context.Context, idb bun.IDB, l *Label) (bool, error) {
	return idb.NewSelect().Model((*Label)(nil)).Where("account_id = ? AND project_id = ? AND lower(name) = lower(?) AND id <> ?",
		l.AccountID, l.ProjectID, l.Name, l.ID).Exists(ctx)
}

var errLabelName = problem.Invalid(problem.FieldError{Field: "name", Message: "another label of this project has this name"})

// CreateLabel adds a label to a project (a project manager's decision).
func (s *Service) CreateLabel(ctx context.Context, a *actor.Actor, projectID int64, in LabelInput) (*Label, error) {
	p, err := s.writableProject(ctx, scopeOf(a), projectID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	l := &Label{AccountID: p.AccountID, ProjectID: p.ID, CreatedAt: s.now()}
	l.Name = checkName(&f, "name", in.Name, MaxLabelName)
	l.Color = checkColor(&f, "color", in.Color)
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lockProject(ctx, tx, p); err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*Label)(nil)).Where("account_id = ? AND project_id = ?", p.AccountID, p.ID).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxLabels {
			return problem.Invalid(problem.FieldError{Field: "name", Message: fmt.Sprintf("a project has at most %d labels", MaxLabels)})
		}
		if taken, err := nameTaken(ctx, tx, l); err != nil || taken {
			return cmpErr(err, errLabelName)
		}
		if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return errLabelName
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// cmpErr is err, or else fallback.
func cmpErr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

// UpdateLabel renames or recolours a label.
func (s *Service) UpdateLabel(ctx context.Context, a *actor.Actor, projectID, id int64, in LabelPatch) (*Label, error) {
	p, err := s.writableProject(ctx, scopeOf(a), projectID)
	if err != nil {
		return nil, err
	}
	l, err := s.store.label(ctx, s.DB, p.AccountID, p.ID, id)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	if in.Name != nil {
		l.Name = checkName(&f, "name", *in.Name, MaxLabelName)
	}
	if in.Color != nil {
		l.Color = checkColor(&f, "color", *in.Color)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if taken, err := nameTaken(ctx, tx, l); err != nil || taken {
			return cmpErr(err, errLabelName)
		}
		if _, err := tx.NewUpdate().Model(l).Column("name", "color").WherePK().Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return errLabelName
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// DeleteLabel removes a label from the project and from every task.
func (s *Service) DeleteLabel(ctx context.Context, a *actor.Actor, projectID, id int64) error {
	p, err := s.writableProject(ctx, scopeOf(a), projectID)
	if err != nil {
		return err
	}
	l, err := s.store.label(ctx, s.DB, p.AccountID, p.ID, id)
	if err != nil {
		return err
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The cascade would do it; saying it keeps SQLite without foreign keys right too.
		if _, err := tx.NewDelete().Model((*taskLabel)(nil)).Where("account_id = ? AND project_id = ? AND label_id = ?", l.AccountID, l.ProjectID, l.ID).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model(l).WherePK().Exec(ctx)
		return err
	})
}

// checkLabels validates the labels a task carries (ids of labels of the task's project) and
// returns them by name.
func (tc *taskContext) checkLabels(f *problem.Fields, field string, ids []int64) []LabelRef {
	out := []LabelRef{}
	if len(ids) > MaxTaskLabels {
		f.Add(field, fmt.Sprintf("must be at most %d labels", MaxTaskLabels))
		return out
	}
	for _, id := range dedupe(ids) {
		l, ok := tc.labels[id]
		if !ok {
			f.Add(field, fmt.Sprintf("no label %d in this project", id))
			return out
		}
		out = append(out, LabelRef{ID: l.ID, Name: l.Name, Color: l.Color})
	}
	sortLabels(out)
	return out
}

func sortLabels(ls []LabelRef) {
	slices.SortFunc(ls, func(a, b LabelRef) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
}

// saveLabels replaces the labels of tasks with their Labels.
func saveLabels(ctx context.Context, tx bun.IDB, ts []*Task, replace bool) error {
	var rows []taskLabel
	var ids []int64
	for _, t := range ts {
		ids = append(ids, t.ID)
		for _, l := range t.Labels {
			rows = append(rows, taskLabel{AccountID: t.AccountID, ProjectID: t.ProjectID, TaskID: t.ID, LabelID: l.ID})
		}
	}
	if replace && len(ts) > 0 {
		if _, err := tx.NewDelete().Model((*taskLabel)(nil)).Where("account_id = ? AND task_id IN (?)", ts[0].AccountID, bun.List(ids)).Exec(ctx); err != nil {
			return err
		}
	}
	for chunk := range slices.Chunk(rows, insertChunk) {
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// checkLabelFilter validates ?label=: a label of the project (projectID 0: of a project the
// scope sees).
func (s *Service) checkLabelFilter(ctx context.Context, sc scope, projectID int64, f TaskFilter) error {
	if f.LabelID == 0 {
		return nil
	}
	q := s.DB.NewSelect().Model((*Label)(nil)).Where("lb.account_id = ? AND lb.id = ?", sc.AccountID, f.LabelID)
	if projectID != 0 {
		q = q.Where("lb.project_id = ?", projectID)
	} else {
		q = q.Where("EXISTS (?)", sc.whereProject(s.DB.NewSelect().TableExpr("projects AS p").ColumnExpr("1").Where("p.id = lb.project_id")))
	}
	ok, err := q.Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return problem.Invalid(problem.FieldError{Field: "label", Message: "no such label"})
	}
	return nil
}
