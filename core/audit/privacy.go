package audit

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"io/fs"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

//go:embed locales
var localeFiles embed.FS

// Catalogs are audit's message catalogs: the categories of its personal data.
func Catalogs() fs.FS {
	sub, _ := fs.Sub(localeFiles, "locales")
	return sub
}

// systemActions are the actions GroupCamp records without an actor: a job or the command line
// did them. Any other event without an actor had one, since erased.
var systemActions = map[string]bool{
	"platform.role_granted":     true, // groupcamp platform grant-role
	"platform.partner_assigned": true, // groupcamp platform assign-partner
	"consent.expired":           true, // the grant expiry job
	"mailin.refused":            true, // email in refused a message (core/mailin)
}

// Erased reports whether the event's actor was a person since erased: the page then says
// "Deleted user" (personal.DeletedUser) where it would name them.
func (e Event) Erased() bool {
	return e.ActorID == nil && e.ActorName == "" && !systemActions[e.Action]
}

// PersonalData is audit's part of a person's GDPR rights: the lines of the account's audit
// trail they acted in (with the IP address and browser they acted from), and the lines that
// name them.
//
// The trail is a record the account keeps: Erase detaches the person's lines (no actor id,
// no name, no IP address or browser: the pages show "Deleted user"), drops the free text they
// wrote into them (a decision's comment, a grant's reason) unless the erasure keeps text, and
// rewrites every name or email of theirs quoted in any line of the account (targets and
// details) into personal.Redacted. When the erasure takes the login, the platform's lines of
// no account about it (password changes and resets) are treated the same way. It also purges
// connection data (hooks.ConnectionData): the IP address and browser of old lines.
type PersonalData struct {
	DB *bun.DB
}

const catEvents = "audit.data.events"

// Tables are audit's tables that name a person.
func (PersonalData) Tables() []string { return []string{"audit_events"} }

// Describe counts the lines of the account's trail the person acted in.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*Event)(nil)).Where("account_id = ? AND actor_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{
		personal.Category("core", catEvents, n, personal.FieldName, personal.FieldActions, personal.FieldIP, personal.FieldUserAgent, personal.FieldTimes),
	}, nil
}

// EventExport is one line of the trail as exported.
type EventExport struct {
	Action    string    `json:"action"`
	Target    string    `json:"target,omitempty"`
	Details   string    `json:"details,omitempty"`
	IP        string    `json:"ip,omitempty"`
	UserAgent string    `json:"user_agent,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Export writes audit/events.json: the lines the person acted in, other people's email
// addresses left out.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	n, err := personal.Of(ctx, p.DB, s)
	if err != nil {
		return err
	}
	var evs []Event
	if err := p.DB.NewSelect().Model(&evs).Where("account_id = ? AND actor_id = ?", s.AccountID, s.UserID).OrderExpr("id").Scan(ctx); err != nil {
		return err
	}
	rows := make([]EventExport, len(evs))
	for i, e := range evs {
		rows[i] = EventExport{Action: e.Action, Target: n.OthersRedacted(e.Target), Details: n.OthersRedacted(e.Details), IP: e.IP, UserAgent: e.UserAgent, CreatedAt: e.CreatedAt}
	}
	return out.JSON("audit/events.json", rows)
}

// freeText are the keys of details that hold what the actor wrote.
var freeText = []string{"comment", "reason"}

// Erase detaches the person's lines of the account's trail and scrubs them from the others.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	scopes := []int64{s.AccountID}
	if goes, err := personal.LoginGoes(ctx, tx, s); err != nil {
		return err
	} else if goes {
		scopes = append(scopes, 0) // the platform's lines about the login
	}
	for _, acc := range scopes {
		where, args := inAccount(acc)
		if !e.KeepText {
			var evs []Event
			if err := tx.NewSelect().Model(&evs).Column("id", "details").Where(where, args...).
				Where("actor_id = ? AND details <> ''", s.UserID).Scan(ctx); err != nil {
				return err
			}
			for _, ev := range evs {
				if d, ok := withoutText(ev.Details); ok {
					if _, err := tx.NewUpdate().Model((*Event)(nil)).Set("details = ?", d).Where("id = ?", ev.ID).Exec(ctx); err != nil {
						return err
					}
				}
			}
		}
		if _, err := tx.NewUpdate().Model((*Event)(nil)).Set("actor_id = NULL").Set("actor_name = ''").Set("ip = ''").Set("user_agent = ''").
			Where(where, args...).Where("actor_id = ?", s.UserID).Exec(ctx); err != nil {
			return err
		}
		if _, err := personal.ScrubTable(ctx, tx, acc, "audit_events", n, "actor_name", "target", "details"); err != nil {
			return err
		}
	}
	return nil
}

// withoutText is details (a JSON object) without the free text of its actor.
func withoutText(details string) (string, bool) {
	var m map[string]any
	if json.Unmarshal([]byte(details), &m) != nil {
		return details, false
	}
	changed := false
	for _, k := range freeText {
		if _, ok := m[k]; ok {
			delete(m, k)
			changed = true
		}
	}
	if !changed {
		return details, false
	}
	if len(m) == 0 {
		return "", true
	}
	b, err := json.Marshal(m)
	if err != nil {
		return details, false
	}
	return string(b), true
}

// PurgeConnections blanks the IP address and browser of the account's lines (the platform's
// lines of no account for accountID 0) recorded before before.
func (PersonalData) PurgeConnections(ctx context.Context, idb bun.IDB, accountID int64, before time.Time) (int64, error) {
	where, args := inAccount(accountID)
	res, err := idb.NewUpdate().Model((*Event)(nil)).Set("ip = ''").Set("user_agent = ''").Where(where, args...).
		Where("created_at < ? AND (ip <> '' OR user_agent <> '')", before).Exec(ctx)
	return rows(res, err)
}

// inAccount is the condition on the lines of an account, or of no account for 0.
func inAccount(accountID int64) (string, []any) {
	if accountID == 0 {
		return "account_id IS NULL", nil
	}
	return "account_id = ?", []any{accountID}
}

func rows(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// The ports it implements.
var (
	_ hooks.PersonalData   = PersonalData{}
	_ hooks.ConnectionData = PersonalData{}
)
