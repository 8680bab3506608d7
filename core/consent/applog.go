package consent

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// LogEntry is one request of the application log. It holds what troubleshooting needs and
// nothing a person typed: no body, no query string, no cookie, no header but the request id,
// and the route pattern rather than the path.
type LogEntry struct {
	bun.BaseModel `bun:"table:app_logs"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64     `bun:"account_id" json:"-"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
	RequestID  string    `bun:"request_id" json:"request_id"`
	UserID     *int64    `bun:"user_id" json:"user_id"`
	Method     string    `bun:"method" json:"method"`
	Route      string    `bun:"route" json:"route"`
	Status     int       `bun:"status" json:"status"`
	DurationUS int64     `bun:"duration_us" json:"duration_us"`
	Error      string    `bun:"error" json:"error,omitempty"`
}

// logsState is the cached answer to "is a logs grant in force for this account".
type logsState struct {
	until   time.Time // the end of the latest logs grant in force; zero when none
	checked time.Time // when the database was asked (monotonic clock)
}

// logsInForce reports whether the account's requests are to be recorded, from the cache when
// it was asked less than the cache lifetime ago. When the database cannot answer, nothing is
// recorded: without a known consent, no log.
func (s *Service) logsInForce(ctx context.Context, accountID int64) bool {
	now := s.now()
	ttl := time.Duration(s.ttl.Load())
	s.mu.Lock()
	st, ok := s.cache[accountID]
	s.mu.Unlock()
	if ok && time.Since(st.checked) < ttl {
		return now.Before(st.until)
	}
	until, err := s.inForce(ctx, accountID, ScopeLogs, now)
	if err != nil {
		s.Log.Error("consent: logs grant lookup failed", "account_id", accountID, "err", err)
		return false
	}
	s.mu.Lock()
	s.cache[accountID] = logsState{until: until, checked: time.Now()}
	s.mu.Unlock()
	return now.Before(until)
}

// forget drops the cached state of an account after a grant or a revocation on this instance.
func (s *Service) forget(accountID int64) {
	s.mu.Lock()
	delete(s.cache, accountID)
	s.mu.Unlock()
}

// RecordLogs is the middleware that writes the application log. The App installs it outside
// the error handling, so the status it records is the one the client got; the problem title
// of an error is the standard text of its status (problem.New). Requests that never reached
// an account (platform, profile, public pages, strangers turned away) are not recorded.
func (s *Service) RecordLogs(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	a := actor.From(c)
	if a == nil || a.Account == nil || !s.logsInForce(c.UserContext(), a.Account.ID) {
		return err
	}
	status := c.Response().StatusCode()
	uid := a.UserID
	e := &LogEntry{AccountID: a.Account.ID, CreatedAt: s.now(), RequestID: requestID(c.Locals("requestid")), UserID: &uid,
		Method: c.Method(), Route: c.Route().Path, Status: status, DurationUS: time.Since(start).Microseconds()}
	if status >= 400 {
		e.Error = http.StatusText(status)
	}
	if _, ierr := s.DB.NewInsert().Model(e).Exec(c.UserContext()); ierr != nil {
		s.Log.Error("consent: application log write failed", "account_id", e.AccountID, "err", ierr)
	}
	return err
}

// requestID keeps a request id only when it looks like one: a client may send any
// X-Request-ID, and the log must hold nothing it did not mean to.
func requestID(v any) string {
	id, _ := v.(string)
	if id == "" || len(id) > 64 || strings.IndexFunc(id, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsPrint(r) }) >= 0 {
		return ""
	}
	return id
}

// ReadLogs returns the account's application log, newest first, to support while a logs
// grant is in force. Every call is audited: platform.logs_read, or platform.logs_denied with a
// 403 when no grant is in force (the refusal is recorded too).
func (s *Service) ReadLogs(ctx context.Context, a *actor.Actor, slug string, p api.Page) (api.List[LogEntry], error) {
	accountID, err := s.logsAccess(ctx, a, slug)
	if err != nil {
		return api.List[LogEntry]{}, err
	}
	var out []LogEntry
	q := s.DB.NewSelect().Model(&out).Where("account_id = ?", accountID).OrderExpr("id DESC").Limit(int64(p.Limit + 1))
	if p.After != 0 {
		q = q.Where("id < ?", p.After)
	}
	if err := q.Scan(ctx); err != nil {
		return api.List[LogEntry]{}, err
	}
	return api.MakeList(out, p, func(e LogEntry) int64 { return e.ID }), nil
}

// logsAccess checks that support may read the account's log now and records the reading (or
// the refusal); it returns the account's id.
func (s *Service) logsAccess(ctx context.Context, a *actor.Actor, slug string) (int64, error) {
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return 0, err
	}
	if a.PlatformRole != actor.PlatformSupport {
		return 0, problem.NotFound()
	}
	until, err := s.inForce(ctx, acc.ID, ScopeLogs, s.now())
	if err != nil {
		return 0, err
	}
	if until.IsZero() {
		if err := s.record(ctx, a, acc.ID, "platform.logs_denied", acc.Slug); err != nil {
			return 0, err
		}
		return 0, errNoLogsGrant
	}
	if err := s.record(ctx, a, acc.ID, "platform.logs_read", acc.Slug); err != nil {
		return 0, err
	}
	return acc.ID, nil
}

// LogQuery asks for a page of the application log, in either direction from a cursor, with
// the console's filters.
type LogQuery struct {
	Limit     int
	Older     int64  // entries before this id (the "older" link); 0 with Newer 0: the newest
	Newer     int64  // entries after this id (the "newer" link)
	Errors    bool   // only the requests answered with status 400 and above
	RequestID string // only this request
}

// LogPage is a page of the application log, newest first, with the cursors of its
// neighbours: Older is set when older entries remain, Newer when newer ones do.
type LogPage struct {
	Entries      []LogEntry
	Older, Newer int64
}

// ReadLogsPage is ReadLogs for the console: the page before q.Older or after q.Newer (the
// newest page when neither is set, or when nothing newer than q.Newer remains), filtered.
// Audited like ReadLogs.
func (s *Service) ReadLogsPage(ctx context.Context, a *actor.Actor, slug string, q LogQuery) (LogPage, error) {
	accountID, err := s.logsAccess(ctx, a, slug)
	if err != nil {
		return LogPage{}, err
	}
	filtered := func(sq *bun.SelectQuery) *bun.SelectQuery {
		sq = sq.Where("account_id = ?", accountID)
		if q.Errors {
			sq = sq.Where("status >= 400")
		}
		if q.RequestID != "" {
			sq = sq.Where("request_id = ?", q.RequestID)
		}
		return sq
	}
	var rows []LogEntry
	var out LogPage
	if q.Newer != 0 {
		if err := filtered(s.DB.NewSelect().Model(&rows)).Where("id > ?", q.Newer).OrderExpr("id ASC").Limit(int64(q.Limit + 1)).Scan(ctx); err != nil {
			return LogPage{}, err
		}
		if len(rows) <= q.Limit {
			q.Newer = 0 // back at the top: the newest page, whole
			rows = nil
		} else {
			rows = rows[:q.Limit]
			for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
				rows[i], rows[j] = rows[j], rows[i]
			}
			out.Newer = rows[0].ID
		}
	}
	if q.Newer == 0 {
		sq := filtered(s.DB.NewSelect().Model(&rows)).OrderExpr("id DESC").Limit(int64(q.Limit + 1))
		if q.Older != 0 {
			sq = sq.Where("id < ?", q.Older)
		}
		if err := sq.Scan(ctx); err != nil {
			return LogPage{}, err
		}
		if len(rows) > q.Limit {
			rows = rows[:q.Limit]
		}
	}
	out.Entries = rows
	if len(rows) == 0 {
		return out, nil
	}
	if q.Older != 0 && q.Newer == 0 {
		newer, err := filtered(s.DB.NewSelect().Model((*LogEntry)(nil))).Where("id > ?", rows[0].ID).Exists(ctx)
		if err != nil {
			return LogPage{}, err
		}
		if newer {
			out.Newer = rows[0].ID
		}
	}
	last := rows[len(rows)-1].ID
	older, err := filtered(s.DB.NewSelect().Model((*LogEntry)(nil))).Where("id < ?", last).Exists(ctx)
	if err != nil {
		return LogPage{}, err
	}
	if older {
		out.Older = last
	}
	return out, nil
}

// PurgeLogs deletes the application log of every account whose last logs grant ended at
// least LogRetention before now, and returns how many entries it deleted.
func (s *Service) PurgeLogs(ctx context.Context, now time.Time) (int64, error) {
	var ids []int64
	if err := s.DB.NewSelect().Model((*LogEntry)(nil)).ColumnExpr("DISTINCT account_id").Scan(ctx, &ids); err != nil {
		return 0, err
	}
	var total int64
	for _, id := range ids {
		var grants []Grant
		if err := s.DB.NewSelect().Model(&grants).Column("expires_at", "revoked_at").
			Where("account_id = ? AND scope = ?", id, ScopeLogs).Scan(ctx); err != nil {
			return total, err
		}
		var last time.Time // the end of the last logs grant
		for i := range grants {
			if end := grants[i].End(); end.After(last) {
				last = end
			}
		}
		cutoff := now
		if !last.IsZero() {
			if now.Before(last.Add(LogRetention)) {
				continue // in force, or ended less than LogRetention ago
			}
			cutoff = last // what was recorded under the grants; a new grant starts afresh
		}
		res, err := s.DB.NewDelete().Model((*LogEntry)(nil)).Where("account_id = ? AND created_at <= ?", id, cutoff).Exec(ctx)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// Duration formats the time the request took, for the pages (1.2 ms, 340 µs).
func (e LogEntry) Duration() string {
	if e.DurationUS >= 1000 {
		return fmt.Sprintf("%.1f ms", float64(e.DurationUS)/1000)
	}
	return fmt.Sprintf("%d µs", e.DurationUS)
}
