// Package mail sends the messages GroupCamp writes to people (invitations, password resets,
// notifications, digests). With GROUPCAMP_SMTP_URL set it speaks SMTP (github.com/wneessen/go-mail:
// a plain-text part, an HTML alternative, the List-Unsubscribe headers of RFC 2369 and
// RFC 8058); without it, messages go to an in-process dev mailbox that developers (and tests)
// read instead of a real inbox.
//
// No service sends mail directly: it queues the message (Queue.Enqueue) in the transaction of
// the change that causes it, and core/notify renders and sends it from a background job. See
// queue.go.
package mail

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"groupcamp/core/mailin"
)

// Message is an email ready to send: a plain-text part, optionally an HTML alternative, and
// the unsubscribe addresses its List-Unsubscribe header advertises.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// Unsubscribe lists the List-Unsubscribe URIs (the one-click https URL first, then an
	// optional mailto:). With an http(s) URL the message also carries
	// "List-Unsubscribe-Post: List-Unsubscribe=One-Click" (RFC 8058).
	Unsubscribe []string
	// MessageID is the Message-ID header, without its angle brackets (MessageID makes it): the
	// same on every attempt to send one queued email, so that a message sent again after a crash
	// is the same message to the receiving servers and clients, which drop the duplicate. Empty:
	// a random one.
	MessageID string
	// ReplyTo, when set, is the Reply-To address: the signed reply address that makes the
	// recipient's answer a comment (core/mailin).
	ReplyTo  string
	QueuedAt time.Time // when the cause of the message committed (orders the dev mailbox)
	SentAt   time.Time
}

// MessageID is the Message-ID (without angle brackets) of the queued email id: stable across
// retries, "groupcamp.{id}.{hash}@{host}", where hash is an HMAC of the id under key, so that
// nobody outside can forge the id of another email.
func MessageID(id int64, key []byte, host string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("groupcamp message-id v1:" + strconv.FormatInt(id, 10)))
	if host == "" {
		host = "localhost"
	}
	return fmt.Sprintf("groupcamp.%d.%s@%s", id, hex.EncodeToString(mac.Sum(nil)[:10]), host)
}

// LoopHeader marks the emails GroupCamp sends (core/mailin drops them when they come back).
const LoopHeader = mailin.LoopHeader

// hostOf is the domain of a From address ("GroupCamp <no-reply@example.com>").
func hostOf(from string) string {
	if i := strings.LastIndex(from, "@"); i >= 0 {
		return strings.Trim(from[i+1:], "> ")
	}
	return "groupcamp"
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// New returns an SMTP sender for smtpURL (smtp://[user:password@]host:port, STARTTLS when the
// server offers it; smtps:// for TLS from the start), or the dev mailbox when it is empty.
func New(smtpURL, from string) (Sender, error) {
	if smtpURL == "" {
		return NewDevMailbox(500), nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, err
	}
	host, portText, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, portText = u.Host, "25"
		if u.Scheme == "smtps" {
			portText = "465"
		}
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("mail: port %q: %w", portText, err)
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(30 * time.Second), gomail.WithTLSPolicy(gomail.TLSOpportunistic)}
	if u.Scheme == "smtps" {
		opts = append(opts, gomail.WithSSL())
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	if _, err := gomail.NewClient(host, opts...); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return &SMTP{Host: host, From: from, opts: opts}, nil
}

// SMTP sends through a relay, one connection per message.
type SMTP struct {
	Host string
	From string
	opts []gomail.Option
}

// Build turns m into a MIME message: text/plain, with text/html as an alternative when m has
// HTML, and the unsubscribe headers.
func (s *SMTP) Build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return nil, fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(m.MessageID)
	} else {
		msg.SetMessageID()
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("mail: reply-to: %w", err)
		}
	}
	// Every email we send says so: one that comes back to our receiver (an auto-reply quoting
	// it, a forward loop) is dropped there instead of becoming a comment that notifies again.
	msg.SetGenHeader(gomail.Header(LoopHeader), hostOf(s.From))
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if len(m.Unsubscribe) > 0 {
		msg.SetListUnsubscribe(m.Unsubscribe...)
		if strings.HasPrefix(m.Unsubscribe[0], "http") {
			msg.SetListUnsubscribePost()
		}
	}
	return msg, nil
}

// Send delivers m through the relay.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.Build(m)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.Host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send to %s: %w", m.To, err)
	}
	return nil
}

// DevMailbox keeps the last messages in memory for the dev mailbox page and for tests.
type DevMailbox struct {
	// Queued, when set, returns the messages still waiting in the queue (written, not yet
	// sent), rendered: the dev mailbox page shows them, and Last waits for them.
	Queued func(ctx context.Context) ([]Message, error)
	// Wait is how long Last waits for queued mail to its address (default 10 s).
	Wait time.Duration

	mu   sync.Mutex
	max  int
	msgs []Message
}

// NewDevMailbox keeps at most max messages.
func NewDevMailbox(max int) *DevMailbox { return &DevMailbox{max: max} }

// Send stores m.
func (d *DevMailbox) Send(_ context.Context, m Message) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	m.SentAt = time.Now().UTC()
	if m.QueuedAt.IsZero() {
		m.QueuedAt = m.SentAt
	}
	// Keep the order in which messages were queued: jobs may send them in another order.
	i := len(d.msgs)
	for i > 0 && d.msgs[i-1].QueuedAt.After(m.QueuedAt) {
		i--
	}
	d.msgs = slices.Insert(d.msgs, i, m)
	if len(d.msgs) > d.max {
		d.msgs = d.msgs[len(d.msgs)-d.max:]
	}
	return nil
}

// Messages returns the stored messages, the first queued first.
func (d *DevMailbox) Messages() []Message {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Message(nil), d.msgs...)
}

// Last returns the message to addr queued last. While mail to addr is still queued it waits for it
// to be sent (up to Wait), so that what a request queued is there to read.
func (d *DevMailbox) Last(addr string) (Message, bool) {
	wait := d.Wait
	if wait == 0 {
		wait = 10 * time.Second
	}
	for deadline := time.Now().Add(wait); d.queuedFor(addr) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := len(d.msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(d.msgs[i].To, addr) {
			return d.msgs[i], true
		}
	}
	return Message{}, false
}

func (d *DevMailbox) queuedFor(addr string) bool {
	if d.Queued == nil {
		return false
	}
	q, err := d.Queued(context.Background())
	if err != nil {
		return false
	}
	for _, m := range q {
		if strings.EqualFold(m.To, addr) {
			return true
		}
	}
	return false
}
