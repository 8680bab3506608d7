package projects

// Labels: coloured tags of a project that its tasks carry (at most MaxTaskLabels each). A
// label's name is unique in its project, whatever its case. Deleting a label takes it off
// every task (the schema cascades). A client sees only the labels carried by a task they
// see: a label's name may say more than the client's lists show.

import (
	"context"
	"groupcamp/core/validate"
	"slices"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// LabelInput is the body of POST /api/v1/{slug}/projects/{id}/labels.
type LabelInput struct {
	Name  string `json:"name" openapi:"required" example:"Bug"`
	Color string `json:"color,omitempty" enum:"gray,red,orange,yellow,green,teal,blue,purple,pink" example:"red"` // one of Colors (default gray)
}

// LabelPatch is the body of PATCH /api/v1/{slug}/projects/{id}/labels/{label_id}.
type LabelPatch struct {
	Name  *string `json:"name,omitempty" example:"Defect"`
	Color *string `json:"color,omitempty" enum:"gray,red,orange,yellow,green,teal,blue,purple,pink"`
}

// LabelList is the answer of GET .../labels: the project's labels by name (at most
// MaxLabels, no pages).
type LabelList struct {
	Items []Label `json:"items"`
}

// Labels returns the labels of a project the actor sees.
func (s *Service) Labels(ctx context.Context, a *actor.Actor, projectID int64) ([]Label, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	return s.store.labels(ctx, tn, sc, projectID)
}

var errLabelName = problem.Invalid(problem.FieldError{Field: "name", Message: "another label of this project has this name"})

// CreateLabel adds a label to a project (a project manager's decision).
func (s *Service) CreateLabel(ctx context.Context, a *actor.Actor, projectID int64, in LabelInput) (*Label, error) {
	sc := scopeOf(a)
	p, err := s.writableProject(ctx, s.tenant(sc), sc, projectID)
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
	err = s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if err := s.store.lockProject(ctx, tx, p.ID); err != nil {
			return err
		}
		n, err := s.store.labelCount(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if n >= MaxLabels {
			return problem.Invalid(problem.Sayf("name", "a project has at most {max} labels", "max", MaxLabels))
		}
		if taken, err := s.store.labelNameTaken(ctx, tx, l); err != nil || taken {
			return cmpErr(err, errLabelName)
		}
		if err := s.store.insertLabel(ctx, tx, l); err != nil {
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

// UpdateLabel renames or recolours a label. The project and the label are read in the
// change's transaction, the label's row locked (PostgreSQL), and only what changes is
// written: a rename and a recolour at once both land.
func (s *Service) UpdateLabel(ctx context.Context, a *actor.Actor, projectID, id int64, in LabelPatch) (*Label, error) {
	sc := scopeOf(a)
	var l *Label
	err := s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		old, err := s.store.lockLabel(ctx, tx, p.ID, id)
		if err != nil {
			return err
		}
		l = new(Label)
		*l = *old
		var f problem.Fields
		if in.Name != nil {
			l.Name = checkName(&f, "name", *in.Name, MaxLabelName)
		}
		if in.Color != nil {
			l.Color = checkColor(&f, "color", *in.Color)
		}
		if err := f.Err(); err != nil {
			return err
		}
		if taken, err := s.store.labelNameTaken(ctx, tx, l); err != nil || taken {
			return cmpErr(err, errLabelName)
		}
		if err := s.store.saveLabel(ctx, tx, old, l); err != nil {
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
	sc := scopeOf(a)
	return s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		l, err := s.store.label(ctx, tx, p.ID, id)
		if err != nil {
			return err
		}
		return s.store.deleteLabel(ctx, tx, l)
	})
}

// checkLabels validates the labels a task carries — ids of labels of the task's project, and
// names of them (any case) — and returns them by name. prefix names the fields of an import
// row ("tasks[3].").
func (tc *taskContext) checkLabels(f *problem.Fields, prefix string, ids []int64, names []string) []LabelRef {
	out := []LabelRef{}
	if len(ids) > MaxTaskLabels {
		f.Addf(prefix+"labels", "must be at most {max} labels", "max", MaxTaskLabels)
		return out
	}
	if len(names) > MaxTaskLabels {
		f.Addf(prefix+"label_names", "must be at most {max} labels", "max", MaxTaskLabels)
		return out
	}
	if len(names) > 0 {
		byName := make(map[string]int64, len(tc.labels))
		for _, l := range tc.labels {
			byName[strings.ToLower(l.Name)] = l.ID
		}
		for _, n := range names {
			id, ok := byName[strings.ToLower(strings.TrimSpace(n))]
			if !ok {
				f.Addf(prefix+"label_names", "no label named {name} in this project", "name", validate.Clean(validate.Clip(n, MaxTag)))
				return out
			}
			ids = append(ids, id)
		}
	}
	for _, id := range dedupe(ids) {
		l, ok := tc.labels[id]
		if !ok {
			f.Addf(prefix+"labels", "no label {id} in this project", "id", id)
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

// checkLabelFilter validates ?label=: a label of the project (projectID 0: of a project the
// scope sees). A label named by its name is looked up in the project (the same name may be a
// label of several projects: across projects, an id is needed).
func (s *Service) checkLabelFilter(ctx context.Context, sc scope, projectID int64, f *TaskFilter) error {
	if f.LabelName != "" {
		if projectID == 0 {
			return problem.Invalid(problem.FieldError{Field: "label", Message: "must be a label's id here (a name is only known within a project)"})
		}
		ls, err := s.store.labels(ctx, s.tenant(sc), sc, projectID)
		if err != nil {
			return err
		}
		for _, l := range ls {
			if strings.EqualFold(l.Name, f.LabelName) {
				f.LabelID = l.ID
				return nil
			}
		}
		return problem.Invalid(problem.Sayf("label", "no label named {name} in this project", "name", validate.Clean(f.LabelName)))
	}
	if f.LabelID == 0 {
		return nil
	}
	ok, err := s.store.labelVisible(ctx, s.tenant(sc), sc, projectID, f.LabelID)
	if err != nil {
		return err
	}
	if !ok {
		return problem.Invalid(problem.FieldError{Field: "label", Message: "no such label"})
	}
	return nil
}
