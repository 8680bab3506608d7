package consent

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// Sides of a support conversation: the account's people, platform support, the partner.
const (
	SideAccount = "account"
	SideSupport = "support"
	SidePartner = "partner"
)

// Statuses of a support request: open until the platform answers, answered until the account
// writes again.
const (
	StatusOpen     = "open"
	StatusAnswered = "answered"
)

// Limits of a support request.
const (
	MaxSubject = 200
	MaxBody    = 10000
	maxReplies = 1000 // shown in one thread
)

// SupportRequest is a ticket of an account to platform support and its partner.
type SupportRequest struct {
	bun.BaseModel `bun:"table:support_requests"`

	ID           int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID    int64     `bun:"account_id" json:"-"`
	OpenedBy     *int64    `bun:"opened_by" json:"opened_by"`
	OpenedByName string    `bun:"opened_by_name,scanonly" json:"opened_by_name"`
	Side         string    `bun:"side" json:"side"`
	Subject      string    `bun:"subject" json:"subject"`
	Body         string    `bun:"body" json:"body"`
	Status       string    `bun:"status" json:"status"`
	ReplyCount   int       `bun:"reply_count,scanonly" json:"reply_count"`
	CreatedAt    time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at" json:"updated_at"`
}

// Reply is one message of a support conversation after the request itself.
type Reply struct {
	bun.BaseModel `bun:"table:support_replies"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64     `bun:"account_id" json:"-"`
	RequestID  int64     `bun:"request_id" json:"request_id"`
	AuthorID   *int64    `bun:"author_id" json:"author_id"`
	AuthorName string    `bun:"author_name,scanonly" json:"author_name"`
	Side       string    `bun:"side" json:"side"`
	Body       string    `bun:"body" json:"body"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
}

// Lines splits the request's body into its lines, for the pages.
func (r SupportRequest) Lines() []string { return lines(r.Body) }

// Lines splits the reply's body into its lines, for the pages.
func (r Reply) Lines() []string { return lines(r.Body) }

func lines(s string) []string { return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") }

// Thread is a support request with its replies, oldest first.
type Thread struct {
	SupportRequest
	Replies []Reply `json:"replies"`
}

// RequestInput is the body that opens a support request.
type RequestInput struct {
	Subject string `json:"subject" openapi:"required" example:"Tasks vanish from the board"`
	Body    string `json:"body" text:"multiline" openapi:"required" example:"Since this morning, moving a card hides it."`
}

// ReplyInput is the body of a reply.
type ReplyInput struct {
	Body string `json:"body" text:"multiline" openapi:"required" example:"Thanks, we are looking into it."`
}

// checkText checks a required multi-line text of at most max characters: valid UTF-8, no
// control characters but line breaks and tabs. It returns the message shown next to the field.
func checkText(s string, max int) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "is required"
	case !utf8.ValidString(s):
		return "must not contain control characters"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("must be at most %d characters", max)
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
		return "must not contain control characters"
	}
	return ""
}

// open writes a new request of accountID by a, writing from side, with its audit event, in one
// transaction.
func (s *Service) open(ctx context.Context, a *actor.Actor, accountID int64, side string, in RequestInput, action string) (*SupportRequest, error) {
	in.Subject, in.Body = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Body)
	var f problem.Fields
	f.Check(validate.Name(in.Subject, MaxSubject) == "", "subject", validate.Name(in.Subject, MaxSubject))
	f.Check(checkText(in.Body, MaxBody) == "", "body", checkText(in.Body, MaxBody))
	if err := f.Err(); err != nil {
		return nil, err
	}
	now, by := s.now(), a.UserID
	status := StatusOpen
	if side != SideAccount {
		status = StatusAnswered // the platform wrote last: the account's turn
	}
	r := &SupportRequest{AccountID: accountID, OpenedBy: &by, OpenedByName: a.Name, Side: side, Subject: in.Subject, Body: in.Body,
		Status: status, CreatedAt: now, UpdatedAt: now}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, accountID, action, strconv.FormatInt(r.ID, 10), map[string]string{"subject": r.Subject})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// reply adds a reply by a, writing from side, to request id of accountID (404 when the account
// has no such request) and updates the request's status, with its audit event, in one
// transaction.
func (s *Service) reply(ctx context.Context, a *actor.Actor, accountID, id int64, side string, in ReplyInput, action string) (*Reply, error) {
	in.Body = strings.TrimSpace(in.Body)
	if msg := checkText(in.Body, MaxBody); msg != "" {
		return nil, problem.Invalid(problem.FieldError{Field: "body", Message: msg})
	}
	now, by := s.now(), a.UserID
	status := StatusOpen
	if side != SideAccount {
		status = StatusAnswered
	}
	rp := &Reply{AccountID: accountID, RequestID: id, AuthorID: &by, AuthorName: a.Name, Side: side, Body: in.Body, CreatedAt: now}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*SupportRequest)(nil)).Set("status = ?", status).Set("updated_at = ?", now).
			Where("account_id = ? AND id = ?", accountID, id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return problem.NotFound()
		}
		if _, err := tx.NewInsert().Model(rp).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, accountID, action, strconv.FormatInt(id, 10), nil)
	})
	if err != nil {
		return nil, err
	}
	return rp, nil
}

func (s *Service) requests(accountID int64) *bun.SelectQuery {
	return s.DB.NewSelect().TableExpr("support_requests AS r").
		Join("LEFT JOIN users AS u ON u.id = r.opened_by").
		ColumnExpr("r.*, COALESCE(u.name, '') AS opened_by_name").
		ColumnExpr("(SELECT COUNT(*) FROM support_replies AS p WHERE p.account_id = r.account_id AND p.request_id = r.id) AS reply_count").
		Where("r.account_id = ?", accountID)
}

// listRequests pages through an account's requests, newest first.
func (s *Service) listRequests(ctx context.Context, accountID int64, p api.Page) (api.List[SupportRequest], error) {
	var out []SupportRequest
	q := s.requests(accountID).OrderExpr("r.id DESC").Limit(int64(p.Limit + 1))
	if p.After != 0 {
		q = q.Where("r.id < ?", p.After)
	}
	if err := q.Scan(ctx, &out); err != nil {
		return api.List[SupportRequest]{}, err
	}
	return api.MakeList(out, p, func(r SupportRequest) int64 { return r.ID }), nil
}

// thread returns one request of an account with its replies, or 404.
func (s *Service) thread(ctx context.Context, accountID, id int64) (*Thread, error) {
	t := &Thread{Replies: []Reply{}}
	err := s.requests(accountID).Where("r.id = ?", id).Scan(ctx, &t.SupportRequest)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	if err != nil {
		return nil, err
	}
	err = s.DB.NewSelect().TableExpr("support_replies AS p").Join("LEFT JOIN users AS u ON u.id = p.author_id").
		ColumnExpr("p.*, COALESCE(u.name, '') AS author_name").
		Where("p.account_id = ? AND p.request_id = ?", accountID, id).OrderExpr("p.id").Limit(maxReplies).Scan(ctx, &t.Replies)
	return t, err
}

// OpenRequest opens a support request of the actor's account.
func (s *Service) OpenRequest(ctx context.Context, a *actor.Actor, in RequestInput) (*SupportRequest, error) {
	return s.open(ctx, a, a.AccountID(), SideAccount, in, "support_request.opened")
}

// ListRequests pages through the support requests of the actor's account.
func (s *Service) ListRequests(ctx context.Context, a *actor.Actor, p api.Page) (api.List[SupportRequest], error) {
	return s.listRequests(ctx, a.AccountID(), p)
}

// Thread returns a support request of the actor's account with its replies.
func (s *Service) Thread(ctx context.Context, a *actor.Actor, id int64) (*Thread, error) {
	return s.thread(ctx, a.AccountID(), id)
}

// Reply adds the account's reply to one of its support requests.
func (s *Service) Reply(ctx context.Context, a *actor.Actor, id int64, in ReplyInput) (*Reply, error) {
	return s.reply(ctx, a, a.AccountID(), id, SideAccount, in, "support_request.replied")
}

// PlatformRequests lists an account's support requests for support or its partner; the
// access is audited (platform.support_requests_read).
func (s *Service) PlatformRequests(ctx context.Context, a *actor.Actor, slug string, p api.Page) (api.List[SupportRequest], error) {
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return api.List[SupportRequest]{}, err
	}
	if err := s.record(ctx, a, acc.ID, "platform.support_requests_read", acc.Slug); err != nil {
		return api.List[SupportRequest]{}, err
	}
	return s.listRequests(ctx, acc.ID, p)
}

// PlatformThread returns one support request with its replies to support or the partner;
// the access is audited (platform.support_request_read).
func (s *Service) PlatformThread(ctx context.Context, a *actor.Actor, slug string, id int64) (*Thread, error) {
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	t, err := s.thread(ctx, acc.ID, id)
	if err != nil {
		return nil, err
	}
	return t, s.record(ctx, a, acc.ID, "platform.support_request_read", strconv.FormatInt(id, 10))
}

// PlatformOpen opens a support request for an account on behalf of support or its partner.
func (s *Service) PlatformOpen(ctx context.Context, a *actor.Actor, slug string, in RequestInput) (*SupportRequest, error) {
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	return s.open(ctx, a, acc.ID, a.PlatformRole, in, "platform.support_request_opened")
}

// PlatformReply adds support's or the partner's reply to a support request of an account.
func (s *Service) PlatformReply(ctx context.Context, a *actor.Actor, slug string, id int64, in ReplyInput) (*Reply, error) {
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	return s.reply(ctx, a, acc.ID, id, a.PlatformRole, in, "platform.support_replied")
}
