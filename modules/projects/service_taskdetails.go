package projects

// How tasks carry their details: the custom status and the labels of TaskInput and TaskPatch
// are checked against the project's (loaded once per create, import or change), and the
// answers about tasks come with their labels and checklist counts, read for a whole page of
// tasks in one query each (the task list and the task are load-tested).

import (
	"context"
	"strings"
	"time"

	"groupcamp/core/problem"
)

// loadDetails reads what checking the details of tasks needs: the project's custom statuses
// (when one is named or a task has one) and the labels named: by id, or all of the project's
// when some are named by name (a project has at most MaxLabels).
func (s *Service) loadDetails(ctx context.Context, tc *taskContext, statuses bool, labelIDs []int64, byName bool) error {
	tc.statuses, tc.labels = map[string]TaskStatus{}, map[int64]Label{}
	if statuses {
		ss, err := s.store.statuses(ctx, tc.tn, tc.p.ID)
		if err != nil {
			return err
		}
		tc.statuses = statusByKey(ss)
	}
	if len(labelIDs) > 0 || byName {
		ls, err := s.store.labelsByID(ctx, tc.tn, tc.p.ID, labelIDs)
		if byName {
			ls, err = s.store.labels(ctx, tc.tn, scope{}, tc.p.ID)
		}
		if err != nil {
			return err
		}
		for _, l := range ls {
			tc.labels[l.ID] = l
		}
	}
	return nil
}

// loadInputDetails is loadDetails for new tasks.
func (s *Service) loadInputDetails(ctx context.Context, tc *taskContext, in []TaskInput) error {
	statuses, byName := false, false
	var labelIDs []int64
	for _, x := range in {
		statuses = statuses || x.CustomStatus != ""
		byName = byName || len(x.LabelNames) > 0
		if len(x.Labels) <= MaxTaskLabels {
			labelIDs = append(labelIDs, x.Labels...)
		}
	}
	return s.loadDetails(ctx, tc, statuses, dedupe(labelIDs), byName)
}

// loadPatchDetails is loadDetails for a change of task t.
func (s *Service) loadPatchDetails(ctx context.Context, tc *taskContext, t *Task, in TaskPatch) error {
	var labelIDs []int64
	if in.Labels != nil && len(*in.Labels) <= MaxTaskLabels {
		labelIDs = *in.Labels
	}
	byName := in.LabelNames != nil && len(*in.LabelNames) > 0
	return s.loadDetails(ctx, tc, in.CustomStatus != nil || t.CustomStatus != "", dedupe(labelIDs), byName)
}

// checkDetails validates the custom status and the labels of a new task: a custom status
// sets the task's status to its base. A new task is not done: completing is a change of its
// own (assignees' parts complete, task.completed is emitted), so a done column is refused.
func (tc *taskContext) checkDetails(f *problem.Fields, prefix string, in TaskInput, t *Task, _ time.Time) {
	t.Labels = tc.checkLabels(f, prefix, in.Labels, in.LabelNames)
	if key := strings.TrimSpace(in.CustomStatus); key != "" {
		st, ok := tc.statuses[key]
		switch {
		case !ok:
			f.Add(prefix+"custom_status", "no such status in this project")
		case st.Base == StatusDone:
			f.Add(prefix+"custom_status", "a new task cannot start done; create it, then complete it")
		default:
			t.CustomStatus, t.Status = key, st.Base
		}
	}
}

// patchDetails applies the custom status and the labels of a change to t, and returns the
// status to apply: the custom status's base when one is set, else the status asked for
// (which clears the custom status).
func (tc *taskContext) patchDetails(f *problem.Fields, t *Task, in TaskPatch) *string {
	status := in.Status
	if in.Status != nil {
		t.CustomStatus = ""
	}
	if in.CustomStatus != nil {
		key := strings.TrimSpace(*in.CustomStatus)
		st, ok := tc.statuses[key]
		switch {
		case key == "":
			t.CustomStatus = ""
		case !ok:
			f.Add("custom_status", "no such status in this project")
		case in.Status != nil && *in.Status != st.Base:
			f.Add("status", "must be "+st.Base+" (the base of custom_status "+key+"), or left out")
		default:
			t.CustomStatus = key
			base := st.Base
			status = &base
		}
	}
	if in.Labels != nil || in.LabelNames != nil {
		var ids []int64
		var names []string
		if in.Labels != nil {
			ids = *in.Labels
		}
		if in.LabelNames != nil {
			names = *in.LabelNames
		}
		t.Labels = tc.checkLabels(f, "", ids, names)
	}
	return status
}

// fitCustom clears a task's custom status when its status moved away from the custom
// status's base (the last part completed, progress reported on an open task).
func (tc *taskContext) fitCustom(t *Task) {
	if st, ok := tc.statuses[t.CustomStatus]; t.CustomStatus != "" && (!ok || st.Base != t.Status) {
		t.CustomStatus = ""
	}
}

// sameLabels reports whether two label sets (sorted the same way) hold the same labels.
func sameLabels(a, b []LabelRef) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}
