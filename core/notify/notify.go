// Package notify tells people what happened: in-app notifications (the bell with its unread
// count, the list, mark read / all read) and email, per person and per event type as each
// person prefers (in the app only, in the app and by email, in the app and in a daily digest,
// or off). It implements automation.Notifier, so the rules' "notify" action lands here.
//
// Every email of GroupCamp goes through this package. A service queues it (mail.Queue.Enqueue)
// in the transaction of the change that causes it — an invitation and its email commit
// together — as a mail.queued event of the outbox. The subscriber "notify.mail" turns the
// event into a "mail:send" job (the event id is the job id, so a redelivered event is one
// job); the job renders the email in the recipient's language (users.locale, else the
// account's), with a plain-text and an HTML part, and sends it. A failed send is retried with
// the broker's backoff and ends in the dead list. Each outcome (sent, blocked, dropped) is
// recorded once per event in mail_deliveries, which is also how the dev mailbox knows what is
// still queued.
//
// Objection (GDPR): every email carries List-Unsubscribe (a signed link, no lookup needed to
// verify it) and List-Unsubscribe-Post: List-Unsubscribe=One-Click, and a visible "report spam
// / stop these emails" link in both parts. One click blocks every further email from that
// account to that person and is written in the account's audit trail. Only the person (from
// their profile) or platform support may lift the block — never the account's admins.
//
// Which emails a block stops: all the account's email, invitations included (an account a
// person reported cannot invite them again by email; the admin still gets the link). A
// password reset is sent anyway: the person asked for it themselves, and it comes from
// GroupCamp, not from an account (mail.Queued.Transactional).
package notify

import (
	"context"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"log/slog"
	"slices"
	"strconv"
	texttemplate "text/template"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/web"
	"groupcamp/jobs"
)

//go:embed views mailviews locales
var files embed.FS

// Channels a person may choose per event type.
const (
	ChannelInApp  = "in_app" // the bell only
	ChannelEmail  = "email"  // the bell and an email at once (the default)
	ChannelDigest = "digest" // the bell and the daily digest email
	ChannelOff    = "off"    // nothing
)

// Channels in the order they are offered.
var Channels = []string{ChannelEmail, ChannelInApp, ChannelDigest, ChannelOff}

// DefaultChannel applies when a person chose nothing for an event type (and its module gave
// it no other default: Service.Defaults).
const DefaultChannel = ChannelEmail

// TypeNotice is the type of notices caused by events without a type of their own here.
const TypeNotice = "automation.notice"

// Background work.
const (
	TaskSend    = "mail:send"     // renders and sends one queued email
	TaskDigest  = "notify:digest" // mails the daily digests
	DigestCron  = "0 * * * *"     // hourly: each person's digest leaves at DigestHour in their time zone
	subscriber  = "notify.mail"   // the outbox subscriber's idempotency name: keep it stable
	maxQueued   = 200             // queued mail the dev mailbox lists
	sendTimeout = 2 * time.Minute
)

// Service holds notifications, preferences, mail blocks and the sending of email.
type Service struct {
	DB     *bun.DB
	Sender mail.Sender
	Queue  *mail.Queue
	// ReplyTo, set when email in is on (core/app), is the person's signed reply address for a
	// thing (kind, id), "" when no module takes replies about it: a notice's email carries it
	// as Reply-To, so that answering it comments.
	ReplyTo func(accountID, userID int64, kind string, id int64) string
	Jobs    *jobs.Broker
	Catalog *web.Catalog
	Log     *slog.Logger
	BaseURL string
	// EventTypes a person sets preferences for; notices of other types count as TypeNotice.
	EventTypes []string
	// Defaults are the channels of the event types whose default is not DefaultChannel (a
	// module's news: the daily digest, not one email per post), by type (core/app fills it
	// from Registry.NoticesByDefault).
	Defaults map[string]string

	key  []byte
	text *texttemplate.Template
	html *htmltemplate.Template
}

// New returns the service; secretKey signs the unsubscribe links. Its message catalogs are
// added to cat.
func New(d *bun.DB, sender mail.Sender, queue *mail.Queue, broker *jobs.Broker, cat *web.Catalog, log *slog.Logger, baseURL, secretKey string) (*Service, error) {
	s := &Service{DB: d, Sender: sender, Queue: queue, Jobs: broker, Catalog: cat, Log: log, BaseURL: baseURL, key: []byte(secretKey)}
	s.EventTypes = append(append([]string{}, identity.EventTypes...), "workflow.transitioned", TypeNotice)
	locales, _ := fs.Sub(files, "locales")
	if err := cat.Add(locales); err != nil {
		return nil, err
	}
	funcs := map[string]any{
		"atoi": func(s string) int { n, _ := strconv.Atoi(s); return n },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
	var err error
	if s.text, err = texttemplate.New("").Funcs(funcs).ParseFS(files, "mailviews/*.txt"); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if s.html, err = htmltemplate.New("").Funcs(funcs).ParseFS(files, "mailviews/*.html"); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return s, nil
}

// Register adds the send and digest jobs, the daily digest schedule and the outbox
// subscriber that turns queued email into send jobs.
func (s *Service) Register(tasks *jobs.Registry, bus *events.Bus) {
	tasks.Handle(TaskSend, s.sendTask)
	tasks.Handle(TaskDigest, func(ctx context.Context, _ []byte) error { _, err := s.DigestDue(ctx, time.Now()); return err })
	tasks.Every(DigestCron, TaskDigest, nil, jobs.Low)
	bus.On(mail.EventType, subscriber, s.relay)
}

// typeOf is the notification type of an event type.
func (s *Service) typeOf(eventType string) string {
	if slices.Contains(s.EventTypes, eventType) {
		return eventType
	}
	return TypeNotice
}

func now() time.Time { return db.Now() }

// defaultChannel is the channel of typ for a person who chose none.
func (s *Service) defaultChannel(typ string) string {
	if ch, ok := s.Defaults[typ]; ok {
		return ch
	}
	return DefaultChannel
}
