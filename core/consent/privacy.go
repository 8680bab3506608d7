package consent

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// GranterErased reports whether the grant was granted by a person since erased (the pages
// then say "Deleted user" where they name who granted it).
func (g Grant) GranterErased() bool {
	return g.GrantedBy == nil && (g.State == StateGranted || g.State == StateRevoked)
}

// PersonalData is consent's part of a person's GDPR rights: the support requests they opened
// and the replies they wrote, the support grants they gave, revoked or asked for, and the
// lines of the application log their requests left (only while a logs grant was in force).
//
// Requests, replies and grants are records the account keeps: Erase detaches them from the
// person (the pages show "Deleted user"), removes the text they wrote (subject and body, a
// reply, a grant's reason) unless the erasure keeps text, and rewrites their name or email
// wherever the account's requests, replies and grants quote it. Their lines of the
// application log lose their user id.
type PersonalData struct {
	DB *bun.DB
}

// Category keys.
const (
	catSupport = "consent.data.support"
	catGrants  = "consent.data.grants"
	catLogs    = "consent.data.app_logs"
)

// Tables are consent's tables that name a person.
func (PersonalData) Tables() []string {
	return []string{"support_requests", "support_replies", "support_grants", "app_logs"}
}

// byPerson is the condition on grants the person took part in.
const byPerson = "(granted_by = ? OR revoked_by = ? OR requested_by = ?)"

// Describe counts the person's requests and replies, grants and log lines in the account.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	requests, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*SupportRequest)(nil)).Where("account_id = ? AND opened_by = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	replies, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*Reply)(nil)).Where("account_id = ? AND author_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	grants, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*Grant)(nil)).Where("account_id = ? AND "+byPerson, s.AccountID, s.UserID, s.UserID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	logs, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*LogEntry)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	if requests >= 0 {
		requests += replies
	}
	return []hooks.DataCategory{
		personal.Category("core", catSupport, requests, personal.FieldName, personal.FieldText, personal.FieldTimes),
		personal.Category("core", catGrants, grants, personal.FieldName, personal.FieldActions, personal.FieldText, personal.FieldTimes),
		personal.Category("core", catLogs, logs, personal.FieldActions, personal.FieldTimes),
	}, nil
}

// RequestExport is a support request the person opened, as exported.
type RequestExport struct {
	ID        int64     `json:"id"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// ReplyExport is a reply the person wrote, as exported.
type ReplyExport struct {
	RequestID int64     `json:"request_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// GrantExport is a grant the person took part in, as exported.
type GrantExport struct {
	Scope     string     `json:"scope"`
	Reason    string     `json:"reason"`
	State     string     `json:"state"`
	Granted   bool       `json:"granted_by_you"`
	Revoked   bool       `json:"revoked_by_you"`
	Requested bool       `json:"requested_by_you"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// LogExport is a line of the application log of the person's requests, as exported.
type LogExport struct {
	CreatedAt  time.Time `json:"created_at"`
	Method     string    `json:"method"`
	Route      string    `json:"route"`
	Status     int       `json:"status"`
	DurationUS int64     `json:"duration_us"`
}

// Export writes consent/support_requests.json, consent/support_replies.json,
// consent/support_grants.json and consent/app_logs.json.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	n, err := personal.Of(ctx, p.DB, s)
	if err != nil {
		return err
	}
	requests, replies, logs := []RequestExport{}, []ReplyExport{}, []LogExport{}
	if err := p.DB.NewSelect().Model((*SupportRequest)(nil)).Column("id", "subject", "body", "status", "created_at").
		Where("account_id = ? AND opened_by = ?", s.AccountID, s.UserID).OrderExpr("id").Scan(ctx, &requests); err != nil {
		return err
	}
	if err := p.DB.NewSelect().Model((*Reply)(nil)).Column("request_id", "body", "created_at").
		Where("account_id = ? AND author_id = ?", s.AccountID, s.UserID).OrderExpr("id").Scan(ctx, &replies); err != nil {
		return err
	}
	var gs []Grant
	if err := p.DB.NewSelect().Model(&gs).Where("account_id = ? AND "+byPerson, s.AccountID, s.UserID, s.UserID, s.UserID).OrderExpr("id").Scan(ctx); err != nil {
		return err
	}
	grants := make([]GrantExport, len(gs))
	is := func(id *int64) bool { return id != nil && *id == s.UserID }
	for i, g := range gs {
		grants[i] = GrantExport{Scope: g.Scope, Reason: n.OthersRedacted(g.Reason), State: g.State, Granted: is(g.GrantedBy), Revoked: is(g.RevokedBy),
			Requested: is(g.RequestedBy), CreatedAt: g.CreatedAt, ExpiresAt: g.ExpiresAt, RevokedAt: g.RevokedAt}
	}
	if err := p.DB.NewSelect().Model((*LogEntry)(nil)).Column("created_at", "method", "route", "status", "duration_us").
		Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).OrderExpr("id").Scan(ctx, &logs); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    any
	}{{"consent/support_requests.json", requests}, {"consent/support_replies.json", replies}, {"consent/support_grants.json", grants}, {"consent/app_logs.json", logs}} {
		if err := out.JSON(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// Erase detaches the person's requests, replies, grants and log lines in the account and
// scrubs them from the account's requests, replies and grants.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	acc, uid := s.AccountID, s.UserID
	req := tx.NewUpdate().Model((*SupportRequest)(nil)).Set("opened_by = NULL")
	rep := tx.NewUpdate().Model((*Reply)(nil)).Set("author_id = NULL")
	if !e.KeepText {
		req = req.Set("subject = ''").Set("body = ''")
		rep = rep.Set("body = ''")
		// A grant's reason is written by whoever began it: support asking, or the owner
		// granting unasked.
		if _, err := tx.NewUpdate().Model((*Grant)(nil)).Set("reason = ''").
			Where("account_id = ? AND (requested_by = ? OR (requested_by IS NULL AND granted_by = ?))", acc, uid, uid).Exec(ctx); err != nil {
			return err
		}
	}
	for _, q := range []*bun.UpdateQuery{
		req.Where("account_id = ? AND opened_by = ?", acc, uid),
		rep.Where("account_id = ? AND author_id = ?", acc, uid),
		tx.NewUpdate().Model((*Grant)(nil)).Set("granted_by = NULL").Where("account_id = ? AND granted_by = ?", acc, uid),
		tx.NewUpdate().Model((*Grant)(nil)).Set("revoked_by = NULL").Where("account_id = ? AND revoked_by = ?", acc, uid),
		tx.NewUpdate().Model((*Grant)(nil)).Set("requested_by = NULL").Where("account_id = ? AND requested_by = ?", acc, uid),
		tx.NewUpdate().Model((*LogEntry)(nil)).Set("user_id = NULL").Where("account_id = ? AND user_id = ?", acc, uid),
	} {
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	for table, cols := range map[string][]string{"support_requests": {"subject", "body"}, "support_replies": {"body"}, "support_grants": {"reason"}} {
		if _, err := personal.ScrubTable(ctx, tx, acc, table, n, cols...); err != nil {
			return err
		}
	}
	return nil
}

// The ports it implements.
var _ hooks.PersonalData = PersonalData{}
