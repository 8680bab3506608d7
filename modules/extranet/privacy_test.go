package extranet_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// TestPersonalData: the submitter's rounds and the client's decisions are described, exported,
// and on erasure the deliverables stay with the account — detached from the people, without the
// text they wrote — and no trace of them is left in the module.
func TestPersonalData(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		id := o.submit(t, "Annual report")
		e.As(o.cli).Post(fmt.Sprintf("%s/deliverables/%d/reject", o.base, id), map[string]any{"comment": "Too long by half"})
		var provider hooks.PersonalData
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "extranet" {
				provider = p.Hook
			}
		}
		ctx := context.Background()
		mem := hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email, Name: o.mem.Name}
		cli := hooks.Subject{AccountID: o.acc.ID, UserID: o.cli.ID, Email: o.cli.Email, Name: o.cli.Name}
		if cats, err := provider.Describe(ctx, mem); err != nil || len(cats) != 2 || cats[0].Count != 1 || cats[1].Count != 0 {
			t.Fatalf("describe the submitter: %+v %v", cats, err)
		}
		if cats, err := provider.Describe(ctx, cli); err != nil || cats[0].Count != 0 || cats[1].Count != 1 {
			t.Fatalf("describe the client: %+v %v", cats, err)
		}
		var x walk.Export
		if err := provider.Export(ctx, cli, &x); err != nil {
			t.Fatal(err)
		}
		if d := string(x.Files["extranet_decisions.json"]); !strings.Contains(d, "Too long by half") || strings.Contains(d, "first draft") {
			t.Errorf("the client's export: %s", d)
		}
		for _, s := range []hooks.Subject{mem, cli} {
			if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
				t.Fatal(err)
			}
		}
		v := o.get(t, e.As(o.owner), id)
		if v.Title != "Annual report" || v.SubmittedBy != nil || v.Rounds[0].DecidedBy != nil || v.Rounds[0].Comment != "" || v.Rounds[0].Description != "" {
			t.Errorf("after the erasures: %+v", v)
		}
		for _, s := range []hooks.Subject{mem, cli} {
			traces, err := walk.Traces(ctx, e.App.DB, o.acc.ID, s.Email, s.Name)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range traces {
				if strings.HasPrefix(tr, "extranet_") {
					t.Errorf("trace left: %s", tr)
				}
			}
		}
	})
}
