package workflow_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/testkit"
	"groupcamp/core/workflow"
)

func approval() *workflow.Definition {
	return &workflow.Definition{
		Name: "leave", Initial: "requested", States: []string{"requested", "approved", "rejected", "cancelled", "expired"},
		Transitions: []workflow.Transition{
			{Name: "approve", From: []string{"requested"}, To: "approved", Object: "leave", Action: "approve"},
			{Name: "reject", From: []string{"requested"}, To: "rejected", Object: "leave", Action: "approve",
				Guards: []workflow.Guard{func(ctx context.Context, tx bun.IDB, in *workflow.Instance, a *actor.Actor) error {
					return nil
				}}},
			{Name: "cancel", From: []string{"requested", "approved"}, To: "cancelled"},
			{Name: "expire", From: []string{"requested"}, To: "expired", System: true},
		},
	}
}

func person(role string) *actor.Actor {
	return &actor.Actor{UserID: 1, Name: "Ada " + role, Role: role, Can: func(o, a string) bool { return role == "manager" }}
}

func account(t *testing.T, d *bun.DB) int64 {
	now := db.Now()
	acc := &identity.Account{Slug: "wf-" + strings.ToLower(t.Name()[len(t.Name())-6:]), Name: "WF", Country: "FR", Currency: "EUR", TimeUnit: "hours", Locale: "en", State: "trial", CreatedAt: now, UpdatedAt: now}
	if _, err := d.NewInsert().Model(acc).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return acc.ID
}

func TestDefinitionValidation(t *testing.T) {
	bad := []*workflow.Definition{
		{Name: "x", Initial: "nope", States: []string{"a"}},
		{Name: "x", Initial: "a", States: []string{"a"}, Transitions: []workflow.Transition{{Name: "t", From: []string{"a"}, To: "b"}}},
		{Name: "x", Initial: "a", States: []string{"a", "b"}, Transitions: []workflow.Transition{{Name: "t", From: []string{"c"}, To: "b"}}},
		{Name: "x", Initial: "a", States: []string{"a", "b"}, Transitions: []workflow.Transition{{Name: "t", From: []string{"a"}, To: "b"}, {Name: "t", From: []string{"b"}, To: "a"}}},
	}
	for i, d := range bad {
		if d.Validate() == nil {
			t.Errorf("definition %d should be refused", i)
		}
	}
	if err := approval().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestTransitions(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			ctx := context.Background()
			e := workflow.NewEngine()
			e.Define(approval())
			accID := account(t, s.DB)
			in, err := e.Start(ctx, s.DB, accID, "leave", "absence", 42)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Start(ctx, s.DB, accID, "leave", "absence", 42); err == nil {
				t.Error("a second instance for the same entity must be refused")
			}
			// A member may cancel but not approve: 403.
			if err := e.Fire(ctx, s.DB, in, "approve", person("member"), ""); !isStatus(err, 403) {
				t.Errorf("member approve: %v", err)
			}
			// Only the system may expire.
			if err := e.Fire(ctx, s.DB, in, "expire", person("manager"), ""); !isStatus(err, 403) {
				t.Errorf("manager expire: %v", err)
			}
			if got := e.Allowed(in, person("member")); strings.Join(got, ",") != "cancel" {
				t.Errorf("allowed for member = %v", got)
			}
			if err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return e.Fire(ctx, tx, in, "approve", person("manager"), "enjoy the sun")
			}); err != nil {
				t.Fatal(err)
			}
			// From approved, approve again is illegal: 409 listing what is allowed.
			err = e.Fire(ctx, s.DB, in, "approve", person("manager"), "")
			var p *problem.Problem
			if !errors.As(err, &p) || p.Status != 409 || strings.Join(p.Allowed, ",") != "cancel" {
				t.Fatalf("illegal transition: %v (allowed %v)", err, p)
			}
			hist, err := e.History(ctx, s.DB, accID, in.ID)
			if err != nil || len(hist) != 1 || hist[0].From != "requested" || hist[0].To != "approved" || hist[0].Comment != "enjoy the sun" || hist[0].ActorName != "Ada manager" {
				t.Fatalf("history = %+v %v", hist, err)
			}
			var types []string
			if err := s.DB.NewSelect().TableExpr("outbox").Column("type").OrderExpr("id").Scan(ctx, &types); err != nil {
				t.Fatal(err)
			}
			if strings.Join(types, ",") != "workflow.transitioned,leave.approve" {
				t.Errorf("events = %v", types)
			}
			// The system expires a fresh request.
			in2, _ := e.Start(ctx, s.DB, accID, "leave", "absence", 43)
			if err := e.Fire(ctx, s.DB, in2, "expire", nil, "end date passed"); err != nil {
				t.Fatal(err)
			}
			if left, _ := e.InState(ctx, s.DB, "leave", "requested", 10); len(left) != 0 {
				t.Errorf("requested left = %d", len(left))
			}
		})
	}
}

func TestGuardAndRace(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			ctx := context.Background()
			d := approval()
			d.Name = "guarded"
			d.Transitions[0].Guards = []workflow.Guard{func(ctx context.Context, tx bun.IDB, in *workflow.Instance, a *actor.Actor) error {
				if in.EntityID == 1 {
					return problem.Invalid(problem.FieldError{Field: "balance", Message: "not enough days left"})
				}
				return nil
			}}
			e := workflow.NewEngine()
			e.Define(d)
			accID := account(t, s.DB)
			in1, _ := e.Start(ctx, s.DB, accID, "guarded", "absence", 1)
			if err := e.Fire(ctx, s.DB, in1, "approve", person("manager"), ""); !isStatus(err, 422) {
				t.Errorf("guard: %v", err)
			}
			// Two approvers at once: one wins, the other gets a 409.
			in2, _ := e.Start(ctx, s.DB, accID, "guarded", "absence", 2)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, name := range []string{"approve", "reject"} {
				wg.Add(1)
				go func(i int, name string) {
					defer wg.Done()
					copy := *in2
					errs[i] = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
						return e.Fire(ctx, tx, &copy, name, person("manager"), "")
					})
				}(i, name)
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else if !isStatus(err, 409) {
					t.Errorf("loser: %v", err)
				}
			}
			if ok != 1 {
				t.Errorf("winners = %d, want 1 (%v)", ok, errs)
			}
		})
	}
}

func isStatus(err error, status int) bool {
	var p *problem.Problem
	return errors.As(err, &p) && p.Status == status
}
