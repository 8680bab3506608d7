package testkit

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTPMessage is an email the test SMTP server received, decoded.
type SMTPMessage struct {
	From    string
	To      []string
	Header  mail.Header
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part
	Raw     []byte
}

// SMTPServer is a real SMTP server (github.com/emersion/go-smtp) on a loopback port that
// keeps what it receives. Point an App at it with Options.Config:
// func(c *config.Config) { c.SMTPURL = srv.URL() }.
type SMTPServer struct {
	Addr string

	mu      sync.Mutex
	msgs    []SMTPMessage
	arrived chan struct{}
	refuse  func(to string) error
	lose    func(to []string) error
}

// StartSMTP starts a server that stops when the test ends.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTPServer{Addr: ln.Addr().String(), arrived: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 10 << 20
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the GROUPCAMP_SMTP_URL of the server.
func (s *SMTPServer) URL() string { return "smtp://" + s.Addr }

// Messages returns what arrived, in order.
func (s *SMTPServer) Messages() []SMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMTPMessage(nil), s.msgs...)
}

// To returns the messages to addr, in order.
func (s *SMTPServer) To(addr string) []SMTPMessage {
	var out []SMTPMessage
	for _, m := range s.Messages() {
		for _, r := range m.To {
			if strings.EqualFold(r, addr) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// Wait waits up to 15 s until n messages to addr arrived, and returns them (the test fails
// otherwise).
func (s *SMTPServer) Wait(t testing.TB, addr string, n int) []SMTPMessage {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		if got := s.To(addr); len(got) >= n {
			return got
		}
		select {
		case <-s.arrived:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("smtp: %d message(s) to %s after 15 s, want %d", len(s.To(addr)), addr, n)
		}
	}
}

type smtpSession struct {
	srv  *SMTPServer
	from string
	to   []string
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }
func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}
func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.srv.mu.Lock()
	refuse := ss.srv.refuse
	ss.srv.mu.Unlock()
	if refuse != nil {
		if err := refuse(to); err != nil {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: err.Error()}
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parseMessage(raw)
	if err != nil {
		return err
	}
	m.From, m.To = ss.from, append([]string(nil), ss.to...)
	ss.srv.mu.Lock()
	ss.srv.msgs = append(ss.srv.msgs, m)
	lose := ss.srv.lose
	ss.srv.mu.Unlock()
	select {
	case ss.srv.arrived <- struct{}{}:
	default:
	}
	if lose != nil {
		if err := lose(m.To); err != nil {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: err.Error()}
		}
	}
	return nil
}

// SetLoseReply makes the server keep a message, then answer its sender with a temporary failure
// (451) when f returns an error for its recipients: as if the sender had crashed after sending,
// before it recorded the delivery. The sender retries, and the message arrives twice. nil
// answers normally again.
func (s *SMTPServer) SetLoseReply(f func(to []string) error) {
	s.mu.Lock()
	s.lose = f
	s.mu.Unlock()
}

// SetRefuse makes the server refuse, with a temporary failure (451), the recipients for whom f
// returns an error; nil accepts everyone again.
func (s *SMTPServer) SetRefuse(f func(to string) error) {
	s.mu.Lock()
	s.refuse = f
	s.mu.Unlock()
}

// parseMessage decodes the headers and the text and HTML parts of a MIME message.
func parseMessage(raw []byte) (SMTPMessage, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return SMTPMessage{}, err
	}
	out := SMTPMessage{Header: msg.Header, Raw: raw}
	dec := new(mime.WordDecoder)
	if out.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		out.Subject = msg.Header.Get("Subject")
	}
	return out, walkPart(&out, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
}

func walkPart(out *SMTPMessage, contentType, encoding string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walkPart(out, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mt {
	case "text/plain":
		out.Text = text
	case "text/html":
		out.HTML = text
	}
	return nil
}
