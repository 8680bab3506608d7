package consent

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
	"groupcamp/core/workflow"
	"groupcamp/jobs"
)

// WorkflowName is the state machine of a support grant (core/workflow): support asks for
// access with a reason, the owner grants or refuses, and a granted access ends by itself at
// its end date (the periodic ExpireTask) or when the owner revokes it. An owner may also
// grant without being asked: the request and the grant are then one step.
const WorkflowName = "support_grant"

// Grant states.
const (
	StateRequested = "requested"
	StateGranted   = "granted"
	StateRefused   = "refused"
	StateRevoked   = "revoked"
	StateExpired   = "expired"
)

// Task types of the periodic work.
const (
	ExpireTask = "consent:expire"
	PurgeTask  = "consent:purge_logs"
)

// GrantWorkflow is the definition to register with the workflow engine.
func GrantWorkflow() *workflow.Definition {
	owner := func(name, from, to string) workflow.Transition {
		return workflow.Transition{Name: name, From: []string{from}, To: to, Object: "consent", Action: "manage"}
	}
	return &workflow.Definition{
		Name: WorkflowName, Initial: StateRequested,
		States: []string{StateRequested, StateGranted, StateRefused, StateRevoked, StateExpired},
		Transitions: []workflow.Transition{
			owner("grant", StateRequested, StateGranted),
			owner("refuse", StateRequested, StateRefused),
			owner("revoke", StateGranted, StateRevoked),
			{Name: "expire", From: []string{StateRequested, StateGranted}, To: StateExpired, System: true},
		},
	}
}

// Request records support's request for access to an account, for the owner to decide.
func (s *Service) Request(ctx context.Context, a *actor.Actor, slug string, in GrantInput) (*Grant, error) {
	acc, err := s.account(ctx, slug)
	if err != nil {
		return nil, err
	}
	if acc == nil {
		return nil, problem.NotFound()
	}
	g, err := s.newGrant(in)
	if err != nil {
		return nil, err
	}
	by := a.UserID
	g.AccountID, g.State, g.RequestedBy = acc.ID, StateRequested, &by
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(g).Exec(ctx); err != nil {
			return err
		}
		if _, err := s.Workflows.Start(ctx, tx, acc.ID, WorkflowName, "support_grant", g.ID); err != nil {
			return err
		}
		if _, err := events.EmitBy(ctx, tx, acc.ID, a.UserID, "support_grant.requested", grantEvent(g)); err != nil {
			return err
		}
		who := *a
		who.Account = &actor.Account{ID: acc.ID, Slug: acc.Slug, Name: acc.Name}
		return audit.Record(ctx, tx, &who, acc.ID, "consent.requested", g.Scope, map[string]any{"grant_id": g.ID, "expires_at": g.ExpiresAt, "reason": g.Reason})
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// newGrant validates a grant's scope, end and reason.
func (s *Service) newGrant(in GrantInput) (*Grant, error) {
	now := s.now()
	in.Reason = strings.TrimSpace(in.Reason)
	var f problem.Fields
	f.Check(validate.OneOf(in.Scope, Scopes...) == "", "scope", validate.OneOf(in.Scope, Scopes...))
	end, msg := parseEnd(in.ExpiresAt, now)
	f.Check(msg == "", "expires_at", msg)
	f.Check(validate.Name(in.Reason, MaxReason) == "", "reason", validate.Name(in.Reason, MaxReason))
	if err := f.Err(); err != nil {
		return nil, err
	}
	return &Grant{Scope: in.Scope, Reason: in.Reason, CreatedAt: now, ExpiresAt: end}, nil
}

// GrantEvent is the payload of the support_grant.* events.
type GrantEvent struct {
	GrantID   int64     `json:"grant_id"`
	Scope     string    `json:"scope"`
	Reason    string    `json:"reason"`
	ExpiresAt time.Time `json:"expires_at"`
}

func grantEvent(g *Grant) GrantEvent {
	return GrantEvent{GrantID: g.ID, Scope: g.Scope, Reason: g.Reason, ExpiresAt: g.ExpiresAt}
}

// DecideInput is the body of the owner's grant and refuse decisions.
type DecideInput struct {
	Comment string `json:"comment" text:"multiline" example:"Fine for this week"`
}

// Decide fires the owner's decision on a grant ("grant", "refuse" or "revoke"): 404 for a
// grant of another account, 409 listing the possible decisions when this one is not.
func (s *Service) Decide(ctx context.Context, a *actor.Actor, id int64, transition, comment string) (*Grant, error) {
	g := new(Grant)
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		err := s.grants(tx, a.AccountID()).Where("g.id = ?", id).Scan(ctx, g)
		if db.IsNotFound(err) {
			return problem.NotFound()
		}
		if err != nil {
			return err
		}
		if transition == "grant" && !g.ExpiresAt.After(s.now()) {
			return problem.Conflict("", "this request's end date has passed; support must ask again")
		}
		if transition == "revoke" && g.State == StateGranted && !g.ExpiresAt.After(s.now()) {
			return problem.Conflict("", "this grant has already ended")
		}
		return s.fire(ctx, tx, g, transition, a, comment)
	})
	if err != nil {
		return nil, err
	}
	s.forget(g.AccountID)
	return g, nil
}

// fire moves a grant through its workflow and keeps the grant row in step.
func (s *Service) fire(ctx context.Context, tx bun.Tx, g *Grant, transition string, a *actor.Actor, comment string) error {
	in, err := s.Workflows.Find(ctx, tx, g.AccountID, WorkflowName, "support_grant", g.ID)
	if err != nil {
		return err
	}
	if err := s.Workflows.Fire(ctx, tx, in, transition, a, comment); err != nil {
		return err
	}
	now := s.now()
	g.State = in.State
	q := tx.NewUpdate().Model(g).Set("state = ?", g.State).Where("account_id = ? AND id = ?", g.AccountID, g.ID)
	switch transition {
	case "grant":
		by := a.UserID
		g.GrantedBy = &by
		q = q.Set("granted_by = ?", by)
	case "revoke":
		by := a.UserID
		g.RevokedAt, g.RevokedBy = &now, &by
		q = q.Set("revoked_at = ?", now).Set("revoked_by = ?", by)
	}
	if _, err := q.Exec(ctx); err != nil {
		return err
	}
	g.Active = g.State == StateGranted && g.ExpiresAt.After(now)
	action := map[string]string{"grant": "consent.granted", "refuse": "consent.refused", "revoke": "consent.revoked", "expire": "consent.expired"}[transition]
	details := map[string]any{"grant_id": g.ID}
	if comment != "" {
		details["comment"] = comment
	}
	return audit.Record(ctx, tx, a, g.AccountID, action, g.Scope, details)
}

// History returns the recorded decisions on a grant of the actor's account.
func (s *Service) History(ctx context.Context, a *actor.Actor, id int64) ([]workflow.Step, error) {
	if _, err := s.FindGrant(ctx, a, id); err != nil {
		return nil, err
	}
	in, err := s.Workflows.Find(ctx, s.DB, a.AccountID(), WorkflowName, "support_grant", id)
	if err != nil {
		return nil, err
	}
	return s.Workflows.History(ctx, s.DB, a.AccountID(), in.ID)
}

// ExpireDue ends, as the system, the grants and requests whose end date has passed (the
// periodic ExpireTask). Each grant moves in its own transaction; a grant already moved by a
// concurrent run is skipped.
func (s *Service) ExpireDue(ctx context.Context, _ []byte) error {
	var due []Grant
	if err := s.DB.NewSelect().Model(&due).Where("state IN (?) AND expires_at <= ?", bun.List([]string{StateRequested, StateGranted}), s.now()).
		OrderExpr("id").Limit(500).Scan(ctx); err != nil {
		return err
	}
	for i := range due {
		g := &due[i]
		err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return s.fire(ctx, tx, g, "expire", nil, "")
		})
		if p, ok := problem.As(err); ok && p.Status == 409 {
			continue
		}
		if err != nil {
			return err
		}
		s.forget(g.AccountID)
	}
	return nil
}

// PurgeTaskHandler runs PurgeLogs as the hourly PurgeTask.
func (s *Service) PurgeTaskHandler(ctx context.Context, _ []byte) error {
	n, err := s.PurgeLogs(ctx, s.now())
	if n > 0 {
		s.Log.Info("consent: application logs purged", "entries", n)
	}
	return err
}

// Register adds the periodic work to the job registry: expiring grants every minute and
// purging old application logs every hour.
func (s *Service) Register(reg *jobs.Registry) {
	reg.Handle(ExpireTask, s.ExpireDue)
	reg.Every("* * * * *", ExpireTask, nil, jobs.Critical)
	reg.Handle(PurgeTask, s.PurgeTaskHandler)
	reg.Every("@hourly", PurgeTask, nil, jobs.Low)
}
