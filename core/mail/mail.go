// Package mail sends the messages GroupCamp writes to people (invitations, password resets).
// With GROUPCAMP_SMTP_URL set it speaks SMTP; without it, messages go to an in-process dev
// mailbox that developers (and tests) read instead of a real inbox.
package mail

import (
	"context"
	"fmt"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Message is a plain-text email.
type Message struct {
	To      string
	Subject string
	Text    string
	SentAt  time.Time
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// New returns an SMTP sender for smtpURL, or the dev mailbox when it is empty.
func New(smtpURL, from string) (Sender, error) {
	if smtpURL == "" {
		return NewDevMailbox(500), nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, err
	}
	return &SMTP{Addr: u.Host, From: from, user: u.User}, nil
}

// SMTP sends through a relay.
type SMTP struct {
	Addr string
	From string
	user *url.Userinfo
}

// Send delivers m through the relay.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	host, _, _ := net.SplitHostPort(s.Addr)
	var auth smtp.Auth
	if s.user != nil {
		pw, _ := s.user.Password()
		auth = smtp.PlainAuth("", s.user.Username(), pw, host)
	}
	body := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nDate: %s\r\n\r\n%s",
		s.From, m.To, m.Subject, time.Now().UTC().Format(time.RFC1123Z), strings.ReplaceAll(m.Text, "\n", "\r\n"))
	return smtp.SendMail(s.Addr, auth, s.From, []string{m.To}, []byte(body))
}

// DevMailbox keeps the last messages in memory for the dev mailbox page and for tests.
type DevMailbox struct {
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
	d.msgs = append(d.msgs, m)
	if len(d.msgs) > d.max {
		d.msgs = d.msgs[len(d.msgs)-d.max:]
	}
	return nil
}

// Messages returns the stored messages, oldest first.
func (d *DevMailbox) Messages() []Message {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Message(nil), d.msgs...)
}

// Last returns the newest message to addr.
func (d *DevMailbox) Last(addr string) (Message, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := len(d.msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(d.msgs[i].To, addr) {
			return d.msgs[i], true
		}
	}
	return Message{}, false
}
