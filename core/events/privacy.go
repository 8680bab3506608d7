package events

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

//go:embed locales
var localeFiles embed.FS

// Catalogs are the events package's message catalogs: the categories of its personal data.
func Catalogs() fs.FS {
	sub, _ := fs.Sub(localeFiles, "locales")
	return sub
}

// PersonalData is the outbox's part of a person's GDPR rights: the events of the account they
// caused, and the events that carry their name or email or are about them — among them every
// email queued to them (a mail.queued event names its recipient).
//
// Events are a passage, not a record: delivered ones leave after Retention. Erase deletes the
// account's events that carry the person's name or email or whose user_id is theirs, delivered
// or not (with their receipts: an email to them not yet sent is never sent), and detaches the
// others they caused (no actor). When the erasure takes the login, the events of no account
// about it (a password-reset email) go the same way.
type PersonalData struct {
	DB *bun.DB
}

const catOutbox = "events.data.outbox"

// Tables are the events package's tables that name a person (receipts go with their events).
func (PersonalData) Tables() []string { return []string{"outbox", "event_receipts"} }

// Describe counts the account's events the person caused.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*Event)(nil)).Where("account_id = ? AND actor_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("core", catOutbox, n, personal.FieldActions, personal.FieldName, personal.FieldEmail, personal.FieldTimes)}, nil
}

// EventExport is one event the person caused, as exported (its type and times: the payload
// may concern other people).
type EventExport struct {
	Type      string     `json:"type"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// Export writes events/outbox.json.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rows := []EventExport{}
	if err := p.DB.NewSelect().Model((*Event)(nil)).Column("type", "created_at", "sent_at").
		Where("account_id = ? AND actor_id = ?", s.AccountID, s.UserID).OrderExpr("id").Scan(ctx, &rows); err != nil {
		return err
	}
	return out.JSON("events/outbox.json", rows)
}

// Erase deletes the events about the person and detaches those they caused.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	scopes := []int64{s.AccountID}
	if goes, err := personal.LoginGoes(ctx, tx, s); err != nil {
		return err
	} else if goes {
		scopes = append(scopes, 0)
	}
	for _, acc := range scopes {
		where, args := "account_id = ?", []any{acc}
		if acc == 0 {
			where, args = "account_id IS NULL", nil
		}
		var evs []Event
		cond, cargs := n.Match(tx, "payload")
		if err := tx.NewSelect().Model(&evs).Column("id", "payload").Where(where, args...).
			WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				id := fmt.Sprintf("%%\"user_id\":%d", s.UserID)
				return q.Where(cond, cargs...).WhereOr("payload LIKE ? OR payload LIKE ?", id+",%", id+"}%")
			}).Scan(ctx); err != nil {
			return err
		}
		var ids []int64
		for _, ev := range evs {
			if n.Quotes(string(ev.Payload)) || about(ev.Payload, s.UserID) {
				ids = append(ids, ev.ID)
			}
		}
		for len(ids) > 0 {
			chunk := ids[:min(len(ids), 500)]
			ids = ids[len(chunk):]
			if _, err := tx.NewDelete().Model((*receipt)(nil)).Where("event_id IN (?)", bun.In(chunk)).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewDelete().Model((*Event)(nil)).Where("id IN (?)", bun.In(chunk)).Exec(ctx); err != nil {
				return err
			}
		}
		if _, err := tx.NewUpdate().Model((*Event)(nil)).Set("actor_id = NULL").Where(where, args...).
			Where("actor_id = ?", s.UserID).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// about reports whether an event's payload is about the person: its user_id is theirs (the
// recipient of a queued email, the subject of a user event).
func about(payload []byte, userID int64) bool {
	var p struct {
		UserID int64 `json:"user_id"`
	}
	return json.Unmarshal(payload, &p) == nil && p.UserID == userID
}

// The ports it implements.
var _ hooks.PersonalData = PersonalData{}
