package notify

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/web"
	"groupcamp/jobs"
)

// Delivery outcomes.
const (
	// OutcomeSending is an attempt under way: recorded before the message goes to the mail
	// server, replaced by OutcomeSent after. A crash in between leaves it, and the retry sends
	// the message again — with the same Message-ID (mail.MessageID), so that receiving servers
	// and clients take it for the same message: email is sent at least once, never lost.
	OutcomeSending = "sending"
	OutcomeSent    = "sent"
	OutcomeBlocked = "blocked" // the person blocked the account's email
	OutcomeDropped = "dropped" // the person or the account no longer exists
)

// delivery records what became of one queued email, once.
type delivery struct {
	bun.BaseModel `bun:"table:mail_deliveries"`

	EventID   int64     `bun:"event_id,pk"`
	AccountID int64     `bun:"account_id,nullzero"`
	UserID    int64     `bun:"user_id"`
	Kind      string    `bun:"kind"`
	Outcome   string    `bun:"outcome"`
	CreatedAt time.Time `bun:"created_at"`
}

// sendJob is the payload of a mail:send job.
//
// It names the outbox event and carries nothing of the email: the job reads the email from the
// outbox when it runs. The broker (Redis) keeps a job's payload for a day after it ran, and an
// erasure deletes the person's queued emails from the outbox, so no address, name or text of
// anyone rests in the broker, and an email erased before it went out is not sent.
type sendJob struct {
	EventID  int64     `json:"event_id"`
	QueuedAt time.Time `json:"queued_at"`
}

// relay turns a mail.queued event into a send job, whose id is the event's: a redelivered
// event is the same job. Sending happens outside the subscriber's transaction (an SMTP
// conversation must not hold a database lock).
func (s *Service) relay(ctx context.Context, _ bun.Tx, ev *events.Event) error {
	payload, err := json.Marshal(sendJob{EventID: ev.ID, QueuedAt: ev.CreatedAt})
	if err != nil {
		return err
	}
	err = s.Jobs.EnqueueOnce(ctx, jobs.Default, "mail-"+strconv.FormatInt(ev.ID, 10), TaskSend, payload, 24*time.Hour)
	if errors.Is(err, jobs.ErrDuplicate) {
		return nil
	}
	return err
}

// sendTask renders and sends one email, unless it went out before, or the person blocked its
// account. An error makes the broker retry with backoff; after the last retry the job is in
// the dead list.
//
// The attempt is recorded (OutcomeSending) before the message goes out and its outcome after:
// a worker that dies between the two leaves the attempt, and the retry sends the message again
// with the same Message-ID (at least once; see OutcomeSending).
func (s *Service) sendTask(ctx context.Context, payload []byte) error {
	var job sendJob
	if err := json.Unmarshal(payload, &job); err != nil {
		return fmt.Errorf("notify: bad mail job: %w", err)
	}
	var prior []delivery
	if err := s.DB.NewSelect().Model(&prior).Where("event_id = ?", job.EventID).Scan(ctx); err != nil {
		return err
	}
	if len(prior) > 0 && prior[0].Outcome != OutcomeSending {
		return nil // sent, blocked or dropped before
	}
	ev := new(events.Event)
	if err := s.DB.NewSelect().Model(ev).Where("id = ?", job.EventID).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil // erased (or purged) before it went out: nothing to send
		}
		return err
	}
	var m mail.Queued
	if err := ev.Decode(&m); err != nil {
		return fmt.Errorf("notify: mail event %d: %w", ev.ID, err)
	}
	msg, outcome, err := s.compose(ctx, &m, true)
	if err != nil {
		return err
	}
	d := &delivery{EventID: job.EventID, AccountID: m.AccountID, UserID: m.UserID, Kind: m.Kind, Outcome: outcome, CreatedAt: now()}
	if outcome == OutcomeSent {
		if len(prior) > 0 {
			s.Log.Warn("sending an email again after an attempt that did not finish (same Message-ID)", "event_id", job.EventID, "kind", m.Kind)
		} else {
			attempt := *d
			attempt.Outcome = OutcomeSending
			if err := s.write(ctx, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewInsert().Model(&attempt).On("CONFLICT DO NOTHING").Exec(ctx)
				return err
			}); err != nil {
				return err
			}
		}
		msg.QueuedAt, msg.MessageID = job.QueuedAt, s.messageID(job.EventID)
		ctx, cancel := context.WithTimeout(ctx, sendTimeout)
		defer cancel()
		if err := s.Sender.Send(ctx, msg); err != nil {
			return err
		}
	}
	return s.write(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(d).On("CONFLICT (event_id) DO UPDATE").Set("outcome = EXCLUDED.outcome").Set("created_at = EXCLUDED.created_at").Exec(ctx)
		return err
	})
}

// write runs one write in a transaction. On SQLite a lone statement does not queue at the
// write gate (core/db): under a write load it waited in SQLite's busy handler behind the
// gated transactions and failed at the busy timeout ("database is locked"), and the email
// waited for the broker's retry.
func (s *Service) write(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return s.DB.RunInTx(ctx, nil, fn)
}

// messageID is the Message-ID of the email queued as event id: the same on every attempt.
func (s *Service) messageID(id int64) string {
	host := "localhost"
	if u, err := url.Parse(s.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return mail.MessageID(id, s.key, host)
}

// mailData is what the mail templates receive.
type mailData struct {
	L           *web.Localizer
	To          string
	Account     string // the sender: the account's name, or GroupCamp
	Data        map[string]string
	Lines       []string
	Secret      map[string]string
	Unsubscribe string
	Subject     string
	Body        htmltemplate.HTML // the HTML layout's content
	Text        string            // the text layout's content
}

// compose renders m in its recipient's language. With checkBlock, a person who blocked the
// sending account gets nothing (OutcomeBlocked), unless m is transactional.
func (s *Service) compose(ctx context.Context, m *mail.Queued, checkBlock bool) (mail.Message, string, error) {
	u := new(identity.User)
	if err := s.DB.NewSelect().Model(u).Column("id", "email", "locale").Where("id = ?", m.UserID).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return mail.Message{}, OutcomeDropped, nil
		}
		return mail.Message{}, "", err
	}
	d := &mailData{To: m.To, Account: PlatformName, Data: m.Data, Lines: m.Lines}
	lang := u.Locale
	if m.AccountID != 0 {
		acc := new(identity.Account)
		if err := s.DB.NewSelect().Model(acc).Column("name", "locale").Where("id = ?", m.AccountID).Scan(ctx); err != nil {
			if db.IsNotFound(err) {
				return mail.Message{}, OutcomeDropped, nil
			}
			return mail.Message{}, "", err
		}
		d.Account = acc.Name
		if !slices.Contains(web.Languages, lang) {
			lang = acc.Locale
		}
	}
	if !slices.Contains(web.Languages, lang) {
		lang = "en"
	}
	if checkBlock && !m.Transactional {
		blocked, err := s.Blocked(ctx, s.DB, m.AccountID, m.UserID)
		if err != nil {
			return mail.Message{}, "", err
		}
		if blocked {
			return mail.Message{}, OutcomeBlocked, nil
		}
	}
	secret, err := s.Queue.Open(m)
	if err != nil {
		return mail.Message{}, "", err
	}
	d.L, d.Secret, d.Unsubscribe = s.Catalog.For(lang), secret, s.UnsubscribeURL(m.AccountID, m.UserID)
	msg, err := s.render(m.Kind, d)
	if err == nil && m.ReplyKind != "" && s.ReplyTo != nil && m.AccountID != 0 {
		msg.ReplyTo = s.ReplyTo(m.AccountID, m.UserID, m.ReplyKind, m.ReplyID)
	}
	return msg, OutcomeSent, err
}

// render fills the kind's templates: "<kind>.subject" and "<kind>" in mailviews/*.txt, "<kind>"
// in mailviews/*.html, each inside its layout (which adds the report-spam link).
func (s *Service) render(kind string, d *mailData) (mail.Message, error) {
	var subj, text, body, out bytes.Buffer
	if err := s.text.ExecuteTemplate(&subj, kind+".subject", d); err != nil {
		return mail.Message{}, fmt.Errorf("notify: mail %s: %w", kind, err)
	}
	d.Subject = oneLine(subj.String(), 150)
	if err := s.text.ExecuteTemplate(&text, kind, d); err != nil {
		return mail.Message{}, fmt.Errorf("notify: mail %s: %w", kind, err)
	}
	d.Text = text.String()
	if err := s.html.ExecuteTemplate(&body, kind, d); err != nil {
		return mail.Message{}, fmt.Errorf("notify: mail %s: %w", kind, err)
	}
	d.Body = htmltemplate.HTML(body.String()) //nolint:gosec // rendered by html/template above
	msg := mail.Message{To: d.To, Subject: d.Subject, Unsubscribe: []string{d.Unsubscribe}}
	if err := s.text.ExecuteTemplate(&out, "layout", d); err != nil {
		return mail.Message{}, err
	}
	msg.Text = out.String()
	out.Reset()
	if err := s.html.ExecuteTemplate(&out, "layout", d); err != nil {
		return mail.Message{}, err
	}
	msg.HTML = out.String()
	return msg, nil
}

// oneLine trims a subject to one line of at most max characters.
func oneLine(s string, max int) string {
	b := []rune{}
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		b = append(b, r)
	}
	s = string(b)
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return s
}

// Queued renders the email still waiting to be sent, oldest first (at most 200), with the
// time it was queued as SentAt: the dev mailbox lists them, and DevMailbox.Last waits for them.
func (s *Service) Queued(ctx context.Context) ([]mail.Message, error) {
	var evs []events.Event
	err := s.DB.NewSelect().Model(&evs).Where("type = ?", mail.EventType).
		Where("NOT EXISTS (SELECT 1 FROM mail_deliveries AS d WHERE d.event_id = \"event\".id AND d.outcome <> ?)", OutcomeSending).
		OrderExpr("id DESC").Limit(maxQueued).Scan(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]mail.Message, 0, len(evs))
	for i := len(evs) - 1; i >= 0; i-- {
		var m mail.Queued
		if err := evs[i].Decode(&m); err != nil {
			continue
		}
		msg, outcome, err := s.compose(ctx, &m, false)
		if err != nil || outcome != OutcomeSent {
			msg = mail.Message{To: m.To, Subject: m.Kind}
		}
		msg.QueuedAt, msg.SentAt = evs[i].CreatedAt, evs[i].CreatedAt
		out = append(out, msg)
	}
	return out, nil
}
