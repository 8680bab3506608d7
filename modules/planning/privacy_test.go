package planning_test

import (
	"context"
	"strings"
	"testing"

	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// TestPersonalData: a member's allocations and leave are described (counted), exported, and
// erased (their resource with them); the leave their manager decided stays the other person's,
// without the manager's id.
func TestPersonalData(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr, mem := e.As(o.mgr), e.As(o.mem)
		res := o.resourceOf(t, o.mem)
		o.created(t, mgr, "/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-01-04", "ends_on": "2027-01-08", "minutes_per_day": 240, "note": "Kick-off"})
		leave := o.created(t, mem, "/absences", map[string]any{"type": o.holiday(t), "starts_on": "2027-02-01", "ends_on": "2027-02-02", "note": "Family"})
		mgr.Post(o.base+"/absences/"+itoa(leave)+"/approve", map[string]any{})
		var provider hooks.PersonalData
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "planning" {
				provider = p.Hook
			}
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email, Name: o.mem.Name}
		cats, err := provider.Describe(ctx, s)
		if err != nil || len(cats) != 2 || cats[0].Count != 1 || cats[1].Count != 1 {
			t.Fatalf("describe: %+v %v", cats, err)
		}
		var x walk.Export
		if err := provider.Export(ctx, s, &x); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(x.Files["planning_allocations.json"]), `"Kick-off"`) || !strings.Contains(string(x.Files["planning_absences.json"]), `"Family"`) {
			t.Errorf("export: %s / %s", x.Files["planning_allocations.json"], x.Files["planning_absences.json"])
		}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		if cats, _ := provider.Describe(ctx, s); cats[0].Count != 0 || cats[1].Count != 0 {
			t.Errorf("after the erasure: %+v", cats)
		}
		traces, err := walk.Traces(ctx, e.App.DB, o.acc.ID, o.mem.Email, o.mem.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range traces {
			if strings.HasPrefix(tr, "planning_") {
				t.Errorf("trace left: %s", tr)
			}
		}
	})
}
