// Package mailin is GroupCamp's built-in SMTP receiver (issue 21, "email in"), its protocol
// layer: it listens (github.com/emersion/go-smtp), accepts mail only for the addresses it
// signed (Signer: "reply+<payload>.<mac>@domain") — a notification's reply address, naming
// the account, the person and the task, or a place's address (a project's: no person, see
// Reply.Personal) — drops what no person wrote (Automatic: bounces, auto-replies, lists, our
// own mail coming back) without answering it, keeps the text the person wrote on top (Clean:
// quoted text and signature stripped; a place's address gets the whole text and the
// attachments too), and hands it to a Handler, which checks the sender and acts (core/app
// finds the module that takes the address's kind). A message over MaxBytes is refused (552)
// before its data is read whole.
//
// It is off unless the operator gives it an address (GROUPCAMP_SMTP_IN_ADDR).
package mailin

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// MaxBytes is the largest message accepted: a reply is text, and a bigger one is refused
// with a clear message instead of being stored.
const MaxBytes = 25 << 20

// MaxText is the most of a reply's text kept (a comment's size).
const MaxText = 20000

// Message is a reply, or a message to a drop address, as a Handler gets it.
type Message struct {
	Reply   Reply
	From    string // the envelope's and the header's sender, lower case
	Subject string
	Text    string // what the person wrote, cleaned (quotes and signature stripped)
	// Whole is the text part as sent (at most MaxText characters): a message to a drop
	// address is no reply, and what is quoted or forwarded in it is its content.
	Whole string
	Files []File // the attachments (a message to a drop address keeps them)
}

// File is an attachment of a message.
type File struct {
	Name string
	MIME string
	Data []byte
}

// Handler acts on a reply. Its error refuses the message (the sender's server bounces it
// with the error's text): an unknown sender, a task gone.
type Handler func(ctx context.Context, m Message) error

// Refusal is a Handler's error whose text the sender may read.
type Refusal struct{ Text string }

func (r *Refusal) Error() string { return r.Text }

// Server is the receiver.
type Server struct {
	srv *smtp.Server
	ln  net.Listener
}

// Start listens on addr ("127.0.0.1:2525") and serves until Close.
func Start(addr string, signer *Signer, h Handler, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	be := smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{signer: signer, handle: h, log: log}, nil
	})
	srv := smtp.NewServer(be)
	srv.Domain = signer.Domain
	srv.MaxMessageBytes = MaxBytes
	srv.MaxRecipients = 10
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	go func() { _ = srv.Serve(ln) }()
	return &Server{srv: srv, ln: ln}, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

type session struct {
	signer  *Signer
	handle  Handler
	log     *slog.Logger
	from    string
	replies []Reply
}

func (s *session) Reset()        { s.from, s.replies = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	if opts != nil && opts.Size > MaxBytes {
		return tooLarge
	}
	s.from = strings.ToLower(strings.TrimSpace(from))
	return nil
}

var tooLarge = &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
	Message: "This message is larger than 25 MiB. Reply with text only; share large files in GroupCamp itself."}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	r, err := s.signer.Parse(to)
	if err != nil {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox: reply to a GroupCamp notification to comment."}
	}
	s.replies = append(s.replies, r)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		if errors.Is(err, smtp.ErrDataTooLarge) {
			return tooLarge
		}
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "This message could not be read."}
	}
	if Automatic(s.from, msg.Header) {
		s.log.Info("mailin: automatic message dropped", "from", s.from)
		return nil // accepted and dropped: refusing it would bounce a bounce
	}
	from := s.from
	if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil && !strings.EqualFold(a.Address, from) {
		// The header's sender and the envelope's differ: a forwarder, or a forgery. The
		// handler checks one address; both must be the same person's.
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "The sender does not match the From header."}
	}
	var parts content
	if err := parts.read(msg.Header, msg.Body); err != nil || (!parts.hasText && len(parts.files) == 0) {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "This message has no readable text."}
	}
	whole := strings.TrimSpace(strings.ReplaceAll(parts.text, "\r\n", "\n"))
	text := Clean(parts.text)
	if r := []rune(text); len(r) > MaxText {
		text = string(r[:MaxText])
	}
	if r := []rune(whole); len(r) > MaxText {
		whole = string(r[:MaxText])
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	for _, rep := range s.replies {
		if rep.Personal() && text == "" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "The reply is empty: write your comment above the quoted message."}
		}
	}
	for _, rep := range s.replies {
		m := Message{Reply: rep, From: from, Subject: subject, Text: text, Whole: whole}
		if !rep.Personal() {
			m.Files = parts.files
		}
		if err := s.handle(context.Background(), m); err != nil {
			var ref *Refusal
			if errors.As(err, &ref) {
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: ref.Text}
			}
			s.log.Error("mailin: handler", "err", err)
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure, try again later."}
		}
	}
	return nil
}

// content is what a message holds: its first text/plain part, decoded from its transfer
// encoding, and its attachments (the parts with a file name). Charsets other than UTF-8 and
// ASCII are not converted.
type content struct {
	text    string
	hasText bool
	files   []File
}

// maxDepth bounds nested multiparts (a message inside a message inside ...).
const maxDepth = 5

func (c *content) read(h interface{ Get(string) string }, body io.Reader) error {
	return c.part(h, body, 0)
}

func (c *content) part(h interface{ Get(string) string }, body io.Reader, depth int) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= maxDepth {
			return nil
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := c.part(p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	name := params["name"]
	if _, dp, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil && dp["filename"] != "" {
		name = dp["filename"]
	}
	if name != "" {
		if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
			name = dec
		}
		b, err := io.ReadAll(io.LimitReader(body, MaxBytes))
		if err != nil {
			return err
		}
		c.files = append(c.files, File{Name: name, MIME: mt, Data: b})
		return nil
	}
	if mt != "text/plain" || c.hasText {
		return nil // the HTML alternative, a second text part
	}
	b, err := io.ReadAll(io.LimitReader(body, MaxBytes))
	if err != nil {
		return err
	}
	c.text, c.hasText = string(b), true
	return nil
}
