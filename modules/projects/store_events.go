package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/hooks"
	"groupcamp/core/search"
)

// The hand-offs of a change's transaction to the core packages that write in it — events,
// audit, notices — and the Tenants of the work that starts outside a request (jobs, event
// subscribers). They live among the store files because they alone may reach the database
// under a Tenant (see store.go).

// tenantOf is the Tenant of an account on the service's database (the jobs, which work
// account by account).
func (s *Service) tenantOf(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

// eventTenant is the Tenant of an event's account in the subscriber's transaction.
func eventTenant(tx bun.Tx, ev *events.Event) db.Tenant { return db.For(tx, ev.AccountID) }

// emit writes an event in the change's transaction, on behalf of the actor.
func emit(ctx context.Context, tx db.Tenant, a *actor.Actor, typ string, payload any) error {
	_, err := events.EmitBy(ctx, tx.Unscoped(), a.AccountID(), a.UserID, typ, payload)
	return err
}

// emitCreated emits what creating tasks emits — task.created for each, and task.assigned for
// those with assignees — in one batch: an import or a template's copy makes thousands.
func emitCreated(ctx context.Context, tx db.Tenant, a *actor.Actor, evs []TaskEvent) error {
	batch := make([]events.Pending, 0, 2*len(evs))
	for _, ev := range evs {
		if ev.UserIDs == nil {
			ev.UserIDs = []int64{}
		}
		batch = append(batch, events.Pending{Type: "task.created", Payload: ev})
		if len(ev.UserIDs) > 0 {
			batch = append(batch, events.Pending{Type: "task.assigned", Payload: ev})
		}
	}
	return events.EmitAll(ctx, tx.Unscoped(), a.AccountID(), a.UserID, batch)
}

// touch tells the search index (core/search) in the change's transaction that the documents
// of a feed line's target changed: a task (its comments with it), or — for a list or the
// project itself, whose sharing and access decide who finds what — the whole project.
func touch(ctx context.Context, tx db.Tenant, projectID int64, targetType string, targetID int64) error {
	var ref hooks.Ref
	switch targetType {
	case "task":
		ref = hooks.Ref{Kind: KindTask, ID: targetID}
	case "list", "project":
		ref = hooks.Ref{Kind: KindProject, ID: projectID}
	default:
		return nil
	}
	return search.Touch(ctx, tx.Unscoped(), tx.AccountID, ref)
}

// record writes an audit event in the change's transaction.
func record(ctx context.Context, tx db.Tenant, a *actor.Actor, action, target string, details any) error {
	return audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), action, target, details)
}

// notify hands a notice to the notifier in the transaction of tx.
func notify(ctx context.Context, tx db.Tenant, nt automation.Notifier, msg automation.Notice) error {
	return nt.Notify(ctx, tx.Unscoped(), msg)
}
