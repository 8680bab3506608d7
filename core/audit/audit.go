// Package audit records who did what in an account: role changes, invitations, settings
// changes, sign-ins, and every access by platform staff. Events are written in the same
// transaction as the change they describe, so a change without its trail cannot exist.
package audit

import (
	"context"
	"encoding/json"
	"groupcamp/core/validate"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
)

// Event is one line of the audit trail.
type Event struct {
	bun.BaseModel `bun:"table:audit_events"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID *int64    `bun:"account_id" json:"-"`
	ActorID   *int64    `bun:"actor_id" json:"actor_id"`
	ActorName string    `bun:"actor_name" json:"actor_name"`
	Action    string    `bun:"action" json:"action"`
	Target    string    `bun:"target" json:"target"`
	Details   string    `bun:"details" json:"details,omitempty"`
	IP        string    `bun:"ip" json:"ip"`
	UserAgent string    `bun:"user_agent" json:"user_agent"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
}

// Record writes one event by a (which may be nil for anonymous actions) in account
// accountID (0 for platform-wide events). details, when not nil, is stored as JSON.
func Record(ctx context.Context, idb bun.IDB, a *actor.Actor, accountID int64, action, target string, details any) error {
	e := &Event{Action: action, Target: target, CreatedAt: db.Now()}
	if accountID != 0 {
		e.AccountID = &accountID
	}
	if a != nil {
		id := a.UserID
		e.ActorID, e.ActorName, e.IP, e.UserAgent = &id, a.Name, a.IP, validate.Clip(a.UserAgent, 300)
	}
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return err
		}
		e.Details = string(b)
	}
	_, err := idb.NewInsert().Model(e).Exec(ctx)
	return err
}

// Filter narrows List.
type Filter struct {
	ActorID int64
	Action  string
	Before  int64 // id cursor: events older than this id
	Limit   int
}

// List returns the account's events, newest first.
func List(ctx context.Context, idb bun.IDB, accountID int64, f Filter) ([]Event, error) {
	var out []Event
	q := idb.NewSelect().Model(&out).Where("account_id = ?", accountID).OrderExpr("id DESC").Limit(int64(f.Limit))
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Before != 0 {
		q = q.Where("id < ?", f.Before)
	}
	return out, q.Scan(ctx)
}
