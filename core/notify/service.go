package notify

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// Notification is one line of a person's notifications in one account.
type Notification struct {
	bun.BaseModel `bun:"table:notifications"`

	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID     int64      `bun:"account_id" json:"-"`
	UserID        int64      `bun:"user_id" json:"-"`
	Type          string     `bun:"type" json:"type"`
	Text          string     `bun:"text" json:"text"`
	Link          string     `bun:"link" json:"link,omitempty"`
	DigestPending bool       `bun:"digest_pending" json:"-"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	ReadAt        *time.Time `bun:"read_at" json:"read_at"`
}

// Pref is a person's choice of channel for one event type in one account.
type Pref struct {
	bun.BaseModel `bun:"table:notification_prefs"`

	AccountID int64     `bun:"account_id,pk" json:"-"`
	UserID    int64     `bun:"user_id,pk" json:"-"`
	EventType string    `bun:"event_type,pk" json:"event_type" openapi:"required" example:"task.assigned"`
	Channel   string    `bun:"channel" json:"channel" openapi:"required" enum:"email,digest,off" example:"digest"`
	UpdatedAt time.Time `bun:"updated_at" json:"-"`
}

// Prefs is the body of GET and PUT /api/v1/{slug}/notification-preferences: one channel per
// event type (a PUT may name only the types it changes).
type Prefs struct {
	Preferences []Pref `json:"preferences" openapi:"required"`
}

type recipient struct {
	UserID int64  `bun:"user_id"`
	Email  string `bun:"email"`
	Locale string `bun:"locale"`
}

// Notify delivers a notice inside tx (automation.Notifier): to the active members of the
// notice's account named by id or by role — never anyone outside that account — each as they
// prefer for the event type: an in-app notification, an email queued in the same transaction,
// a line of the next digest, or nothing.
func (s *Service) Notify(ctx context.Context, tx bun.IDB, n automation.Notice) error {
	if n.AccountID == 0 || (len(n.UserIDs) == 0 && len(n.Roles) == 0) {
		return nil
	}
	var acc identity.Account
	if err := tx.NewSelect().Model(&acc).Column("id", "slug", "name", "locale").Where("id = ?", n.AccountID).Scan(ctx); err != nil {
		return err
	}
	var rs []recipient
	q := tx.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("u.id AS user_id, u.email, u.locale").
		Where("m.account_id = ? AND m.status = ? AND m.deactivated_at IS NULL", n.AccountID, identity.StatusActive).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if len(n.UserIDs) > 0 {
				q = q.WhereOr("m.user_id IN (?)", bun.In(n.UserIDs))
			}
			if len(n.Roles) > 0 {
				q = q.WhereOr("m.role IN (?)", bun.In(n.Roles))
			}
			return q
		}).OrderExpr("u.id")
	if err := q.Scan(ctx, &rs); err != nil {
		return err
	}
	if len(rs) == 0 {
		return nil
	}
	typ := s.typeOf(n.EventType)
	channels, err := s.channels(ctx, tx, n.AccountID, typ, rs)
	if err != nil {
		return err
	}
	link := "/" + acc.Slug + "/notifications"
	if n.Path != "" {
		link = "/" + acc.Slug + n.Path
	}
	for _, r := range rs {
		ch := channels[r.UserID]
		if ch == ChannelOff {
			continue
		}
		text := n.Text
		if n.Key != "" && s.Catalog != nil {
			text = s.Catalog.For(s.Catalog.Choose(web.Choice{Profile: r.Locale, Account: acc.Locale})).T(n.Key, n.Args...)
		}
		row := &Notification{AccountID: n.AccountID, UserID: r.UserID, Type: typ, Text: text, Link: link, DigestPending: ch == ChannelDigest, CreatedAt: now()}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return err
		}
		if ch == ChannelEmail && s.Queue != nil {
			m := mail.Queued{Kind: mail.KindNotice, AccountID: n.AccountID, UserID: r.UserID, To: r.Email,
				Data: map[string]string{"text": text, "type": typ, "link": s.BaseURL + link}}
			m.ReplyKind, m.ReplyID = replyTarget(n.Path)
			if err := s.Queue.Enqueue(ctx, tx, m, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// channels returns each recipient's channel for typ (the default when they chose none).
func (s *Service) channels(ctx context.Context, idb bun.IDB, accountID int64, typ string, rs []recipient) (map[int64]string, error) {
	ids := make([]int64, len(rs))
	out := make(map[int64]string, len(rs))
	for i, r := range rs {
		ids[i] = r.UserID
		out[r.UserID] = s.defaultChannel(typ)
	}
	var prefs []Pref
	if err := idb.NewSelect().Model(&prefs).Where("account_id = ? AND event_type = ? AND user_id IN (?)", accountID, typ, bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, p := range prefs {
		out[p.UserID] = p.Channel
	}
	return out, nil
}

// List pages through the actor's notifications in the account, newest first.
func (s *Service) List(ctx context.Context, a *actor.Actor, unreadOnly bool, p api.Page) (api.List[Notification], error) {
	var out []Notification
	q := s.DB.NewSelect().Model(&out).Where("account_id = ? AND user_id = ?", a.AccountID(), a.UserID).OrderExpr("id DESC").Limit(int64(p.Limit + 1))
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	if p.After > 0 {
		q = q.Where("id < ?", p.After)
	}
	if err := q.Scan(ctx); err != nil {
		return api.List[Notification]{}, err
	}
	return api.MakeList(out, p, func(n Notification) int64 { return n.ID }), nil
}

// UnreadCount is the number on the bell.
func (s *Service) UnreadCount(ctx context.Context, accountID, userID int64) (int, error) {
	n, err := s.DB.NewSelect().Model((*Notification)(nil)).Where("account_id = ? AND user_id = ? AND read_at IS NULL", accountID, userID).Count(ctx)
	return int(n), err
}

// MarkRead marks one of the actor's notifications read (again: no change); another person's,
// or another account's, is a 404.
func (s *Service) MarkRead(ctx context.Context, a *actor.Actor, id int64) (*Notification, error) {
	if _, err := s.DB.NewUpdate().Model((*Notification)(nil)).Set("read_at = ?", now()).
		Where("account_id = ? AND user_id = ? AND id = ? AND read_at IS NULL", a.AccountID(), a.UserID, id).Exec(ctx); err != nil {
		return nil, err
	}
	n := new(Notification)
	err := s.DB.NewSelect().Model(n).Where("account_id = ? AND user_id = ? AND id = ?", a.AccountID(), a.UserID, id).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	return n, err
}

// MarkPathRead marks the person's unread notifications that lead to path (inside the account:
// "/intranet/news/7") read, in tx: a module whose thing was seen another way (a news post
// read) takes it out of the bell and of the next digest. It implements automation.ReadMarker.
func (s *Service) MarkPathRead(ctx context.Context, tx bun.IDB, accountID, userID int64, path string) error {
	_, err := tx.NewUpdate().Model((*Notification)(nil)).Set("read_at = ?", now()).
		Where("account_id = ? AND user_id = ? AND read_at IS NULL", accountID, userID).
		Where("link = (SELECT '/' || a.slug || ? FROM accounts AS a WHERE a.id = ?)", path, accountID).Exec(ctx)
	return err
}

var _ automation.ReadMarker = (*Service)(nil)

// MarkAllRead marks every unread notification of the actor in the account read and says how
// many.
func (s *Service) MarkAllRead(ctx context.Context, a *actor.Actor) (int, error) {
	res, err := s.DB.NewUpdate().Model((*Notification)(nil)).Set("read_at = ?", now()).
		Where("account_id = ? AND user_id = ? AND read_at IS NULL", a.AccountID(), a.UserID).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Preferences returns the actor's channel for every event type.
func (s *Service) Preferences(ctx context.Context, a *actor.Actor) (Prefs, error) {
	var rows []Pref
	if err := s.DB.NewSelect().Model(&rows).Where("account_id = ? AND user_id = ?", a.AccountID(), a.UserID).Scan(ctx); err != nil {
		return Prefs{}, err
	}
	chosen := make(map[string]string, len(rows))
	for _, r := range rows {
		chosen[r.EventType] = r.Channel
	}
	out := Prefs{Preferences: make([]Pref, 0, len(s.EventTypes))}
	for _, t := range s.EventTypes {
		ch, ok := chosen[t]
		if !ok {
			ch = s.defaultChannel(t)
		}
		out.Preferences = append(out.Preferences, Pref{EventType: t, Channel: ch})
	}
	return out, nil
}

// SetPreferences saves the channels given (other event types keep theirs) and returns them all.
// Unknown event types and channels are 422s naming the entry; nothing is saved then.
func (s *Service) SetPreferences(ctx context.Context, a *actor.Actor, in Prefs) (Prefs, error) {
	var f problem.Fields
	f.Check(len(in.Preferences) > 0, "preferences", "name at least one event type and its channel")
	seen := map[string]bool{}
	for i, p := range in.Preferences {
		key := fmt.Sprintf("preferences[%d]", i)
		known := false
		for _, t := range s.EventTypes {
			known = known || t == p.EventType
		}
		f.Check(known, key+".event_type", "is not an event type one can be notified of")
		f.Check(!seen[p.EventType], key+".event_type", "appears twice")
		seen[p.EventType] = true
		ok := false
		for _, c := range Channels {
			ok = ok || c == p.Channel
		}
		f.Check(ok, key+".channel", "must be one of: email, in_app, digest, off")
	}
	if err := f.Err(); err != nil {
		return Prefs{}, err
	}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, p := range in.Preferences {
			row := &Pref{AccountID: a.AccountID(), UserID: a.UserID, EventType: p.EventType, Channel: p.Channel, UpdatedAt: now()}
			if _, err := tx.NewInsert().Model(row).On("CONFLICT (account_id, user_id, event_type) DO UPDATE").
				Set("channel = EXCLUDED.channel").Set("updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Prefs{}, err
	}
	return s.Preferences(ctx, a)
}

// taskPath is the path of a task's page inside an account, which the notices about a task lead
// to ("/tasks/42", "/tasks/42#comment-7").
// replyPaths are the pages of the things a reply to a notice's email can comment on, with
// the kind of thing email in knows them by: a task ("task", modules/projects), an intranet
// discussion ("topic", modules/intranet; a reply's anchor names the topic's page too, and a
// project's discussion is its topic under the project's tab) and a news post ("news", whose
// comments the notices are about). A kind no module of the build takes gets no reply address
// (core/app).
var replyPaths = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`^/tasks/([0-9]+)(?:[#?].*)?$`), "task"},
	{regexp.MustCompile(`^/intranet/topics/([0-9]+)(?:[#?].*)?$`), "topic"},
	{regexp.MustCompile(`^/projects/[0-9]+/discussions/([0-9]+)(?:[#?].*)?$`), "topic"},
	{regexp.MustCompile(`^/intranet/news/([0-9]+)(?:[#?].*)?$`), "news"},
}

// replyTarget is what a notice is about, when a reply to its email can comment on it: its
// path names a task's page or a discussion's. The path is the notice's one link to its
// subject, the same for every module's notices, so that no notice has to say it twice.
func replyTarget(path string) (kind string, id int64) {
	for _, p := range replyPaths {
		if m := p.re.FindStringSubmatch(path); m != nil {
			if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
				return p.kind, n
			}
		}
	}
	return "", 0
}
