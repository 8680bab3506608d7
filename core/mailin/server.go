// Package mailin is GroupCamp's built-in SMTP receiver (issue 21, "email in"), its protocol
// layer: it listens (github.com/emersion/go-smtp), accepts mail only for the addresses it
// signed (Signer: "reply+<payload>.<mac>@domain") — a notification's reply address, naming
// the account, the person and the task, or a place's address (a project's: no person, see
// Reply.Personal) — drops what no person wrote (Automatic: bounces, auto-replies, lists, our
// own mail coming back) without answering it, keeps the text the person wrote on top (Clean:
// quoted text and signature stripped; a place's address gets the whole text and the
// attachments too), and hands it to a Handler, which checks the sender and acts (core/app
// finds the module that takes the address's kind). A message over MaxBytes is refused (552)
// before its data is read whole — one whose declared size (MAIL FROM ... SIZE=) is over it
// at RCPT TO, once its address names the account whose refusal log keeps it, without a byte
// of its data; a sender streaming on past HardBytes has its connection closed.
//
// Text arrives as UTF-8 whatever the sender's client used (charset.go: ISO-8859-1,
// Windows-1252, KOI8-R... through golang.org/x/text; quoted-printable and base64; RFC 2047
// subjects and file names, RFC 2231 file names); an HTML-only message is made readable text
// (HTMLText). A message to a place's address that forwards an email carries the original
// apart (forward.go). Every refusal — and every robot's message dropped — for a valid
// address is told to a Recorder: core/app keeps it in the account's audit trail, which its
// administrators read on the refusal log page (log.go).
//
// It is off unless the operator gives it an address (GROUPCAMP_SMTP_IN_ADDR).
package mailin

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
	htmlcharset "golang.org/x/net/html/charset"
)

// MaxBytes is the largest message accepted: a reply is text, and a bigger one is refused
// with a clear message instead of being stored.
const MaxBytes = 25 << 20

// HardBytes bounds what a sender may stream for one message, counted from its MAIL FROM: a
// message over MaxBytes is read on to its end and dropped, so that the refusal (552) reaches
// the sender's server as an answer rather than a cut connection — a 50 MB attachment, base64
// encoded, is about 70 MB — but past HardBytes the connection is closed: no sender streams
// gigabytes into the receiver (in DATA or in BDAT chunks).
const HardBytes = 100 << 20

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
	// Forward, for a message to a drop address that forwards an email ("Fwd:" subject, a
	// forwarded-message marker, or the original attached as message/rfc822), is the original;
	// Note is then what the forwarder wrote above it.
	Forward *Forwarded
	Note    string
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

// Refusal is a Handler's error whose text the sender may read; Reason is its code in the
// refusal log (one of the Reason constants).
type Refusal struct {
	Text   string
	Reason string
}

func (r *Refusal) Error() string { return r.Text }

// Why a message was refused or dropped, as the refusal log records it (Refused.Reason).
const (
	ReasonBounce        = "bounce"          // an empty return path: a delivery report
	ReasonAutoReply     = "auto_reply"      // Auto-Submitted, X-Autoreply, Precedence auto_reply
	ReasonList          = "list"            // a mailing list or bulk message
	ReasonLoop          = "loop"            // one of GroupCamp's own emails coming back
	ReasonOversize      = "oversize"        // over MaxBytes
	ReasonUnreadable    = "unreadable"      // not a message, or no text nor file in it
	ReasonSenderHeader  = "sender_mismatch" // the envelope's sender is not the From header's
	ReasonEmpty         = "empty"           // a reply with nothing above the quote
	ReasonUnknownSender = "unknown_sender"  // no active person of the account has the address
	ReasonOtherPerson   = "other_person"    // a reply address made for someone else
	ReasonNotFound      = "not_found"       // the thing is gone or the sender does not see it
	ReasonForbidden     = "forbidden"       // the sender's role may not do it
	ReasonInvalid       = "invalid"         // the content was refused (a size, a quota)
	ReasonClosed        = "closed"          // the account is closed or the module off
)

// Refused is a message the receiver refused or dropped, for the refusal log: the address it
// was sent to (which names the account), the sender, its subject, the reason and the text
// the sender was answered ("" for a dropped robot).
type Refused struct {
	Reply   Reply
	From    string
	Subject string
	Reason  string
	Detail  string
}

// Recorder keeps a refusal (core/app writes it into the account's audit trail).
type Recorder func(ctx context.Context, r Refused)

// Server is the receiver.
type Server struct {
	srv *smtp.Server
	ln  net.Listener
}

// Start listens on addr ("127.0.0.1:2525") and serves until Close.
// A recorder, when given, is told of every refusal of a message sent to a valid address.
func Start(addr string, signer *Signer, h Handler, log *slog.Logger, recorder ...Recorder) (*Server, error) {
	return listen(addr, limits{max: MaxBytes, hard: HardBytes}, signer, h, log, recorder...)
}

// limits are a receiver's sizes: MaxBytes and HardBytes, smaller in tests.
type limits struct{ max, hard int64 }

func listen(addr string, lim limits, signer *Signer, h Handler, log *slog.Logger, recorder ...Recorder) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ln := &capListener{Listener: l, hard: lim.hard}
	be := smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s := &session{signer: signer, handle: h, log: log, max: lim.max}
		s.conn, _ = c.Conn().(*capConn)
		if len(recorder) > 0 {
			s.record = recorder[0]
		}
		return s, nil
	})
	srv := smtp.NewServer(be)
	srv.Domain = signer.Domain
	// No limit for go-smtp itself: it would refuse a declared SIZE over it at MAIL FROM, before
	// any address tells whose account to log the refusal in. The session refuses it at RCPT TO
	// (Rcpt) and reads at most MaxBytes of data (Data).
	srv.MaxMessageBytes = 0
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
	record  Recorder
	log     *slog.Logger
	max     int64    // MaxBytes
	conn    *capConn // the connection, whose budget each MAIL FROM renews
	from    string
	replies []Reply
	// oversize: the message's declared size (SIZE=) is over MaxBytes; each recipient is
	// refused (and the refusal logged for its account) at RCPT TO.
	oversize bool
}

func (s *session) Reset()        { s.from, s.replies, s.oversize = "", nil, false }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	s.from = strings.ToLower(strings.TrimSpace(from))
	s.oversize = opts != nil && opts.Size > s.max
	if s.conn != nil {
		s.conn.renew()
	}
	return nil
}

var tooLarge = &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
	Message: "This message is larger than 25 MiB. Reply with text only; share large files in GroupCamp itself."}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	r, err := s.signer.Parse(to)
	if err != nil {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox: reply to a GroupCamp notification to comment."}
	}
	if s.oversize {
		// Declared too large: refused now, before its data, and logged for the account the
		// address names (an unknown address above is refused as such, and logs nothing).
		s.log.Info("mailin: declared size over the limit", "from", s.from, "account_id", r.AccountID)
		if s.record != nil {
			s.record(context.Background(), Refused{Reply: r, From: s.from, Reason: ReasonOversize, Detail: tooLarge.Message})
		}
		return tooLarge
	}
	s.replies = append(s.replies, r)
	return nil
}

// refuse records the refusal of the message for each of its addresses and answers err.
func (s *session) refuse(subject, reason string, err *smtp.SMTPError) error {
	if s.record != nil {
		detail := ""
		if err != nil {
			detail = err.Message
		}
		for _, r := range s.replies {
			s.record(context.Background(), Refused{Reply: r, From: s.from, Subject: subject, Reason: reason, Detail: detail})
		}
	}
	if err == nil {
		return nil
	}
	return err
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, s.max+1))
	if err != nil {
		return err
	}
	if int64(len(raw)) > s.max {
		// go-smtp reads the rest to its end before answering, up to the connection's budget
		// (HardBytes), past which the connection is closed.
		return s.refuse("", ReasonOversize, tooLarge)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return s.refuse("", ReasonUnreadable, &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "This message could not be read."})
	}
	subject := oneLine(DecodeHeader(msg.Header.Get("Subject")))
	if why := AutomaticReason(s.from, msg.Header); why != "" {
		s.log.Info("mailin: automatic message dropped", "from", s.from, "reason", why)
		return s.refuse(subject, why, nil) // accepted and dropped: refusing it would bounce a bounce
	}
	from := s.from
	if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil && !strings.EqualFold(a.Address, from) {
		// The header's sender and the envelope's differ: a forwarder, or a forgery. The
		// handler checks one address; both must be the same person's.
		return s.refuse(subject, ReasonSenderHeader, &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "The sender does not match the From header."})
	}
	var parts content
	if err := parts.read(msg.Header, msg.Body); err != nil || (!parts.hasText && !parts.hasHTML && len(parts.files) == 0 && parts.fwd == nil) {
		return s.refuse(subject, ReasonUnreadable, &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "This message has no readable text."})
	}
	body := parts.body()
	whole := clip(strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n")))
	text := clip(Clean(body))
	for _, rep := range s.replies {
		if rep.Personal() && text == "" {
			return s.refuse(subject, ReasonEmpty, &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "The reply is empty: write your comment above the quoted message."})
		}
	}
	for _, rep := range s.replies {
		m := Message{Reply: rep, From: from, Subject: subject, Text: text, Whole: whole}
		if !rep.Personal() {
			m.Files = parts.files
			reply := msg.Header.Get("In-Reply-To") != "" || msg.Header.Get("References") != ""
			if fwd, note := forwardOf(subject, body, parts.fwd, reply); fwd != nil {
				fwd.Text = clip(fwd.Text)
				m.Forward, m.Note = fwd, clip(note)
			}
		}
		if err := s.handle(context.Background(), m); err != nil {
			var ref *Refusal
			if errors.As(err, &ref) {
				why := ref.Reason
				if why == "" {
					why = ReasonInvalid
				}
				e := &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: ref.Text}
				if s.record != nil {
					s.record(context.Background(), Refused{Reply: rep, From: from, Subject: subject, Reason: why, Detail: ref.Text})
				}
				return e
			}
			s.log.Error("mailin: handler", "err", err)
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure, try again later."}
		}
	}
	return nil
}

// capListener gives each connection a budget of bytes (capConn).
type capListener struct {
	net.Listener
	hard int64
}

func (l *capListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	cc := &capConn{Conn: c, hard: l.hard}
	cc.left.Store(l.hard)
	return cc, nil
}

// errBudget ends a connection that sent more than its budget: it wraps net.ErrClosed, so
// go-smtp ends the connection quietly (after answering the message being read).
var errBudget = fmt.Errorf("mailin: more than %d bytes for one message: %w", HardBytes, net.ErrClosed)

// capConn is a connection that reads at most hard bytes from one MAIL FROM to the next
// (renew); once over, it reads nothing more and the connection ends.
type capConn struct {
	net.Conn
	hard int64
	left atomic.Int64
}

func (c *capConn) Read(p []byte) (int, error) {
	left := c.left.Load()
	if left <= 0 {
		return 0, errBudget
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := c.Conn.Read(p)
	c.left.Add(-int64(n))
	return n, err
}

// renew gives a new message its budget, unless the connection is already over.
func (c *capConn) renew() {
	if c.left.Load() > 0 {
		c.left.Store(c.hard)
	}
}

// clip keeps the first MaxText characters of a text.
func clip(s string) string {
	if r := []rune(s); len(r) > MaxText {
		return string(r[:MaxText])
	}
	return s
}

// oneLine is a header's value on one line (a folded subject), at most 300 characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300])
	}
	return s
}

// content is what a message holds: its first text/plain part and its first text/html part,
// decoded from their transfer encoding and charset into UTF-8, its attachments (the parts
// with a file name, names decoded too), and the original of a forward attached as
// message/rfc822.
type content struct {
	text, html       string
	hasText, hasHTML bool
	files            []File
	fwd              *Forwarded
}

// body is the message's text: the plain part, else the HTML part made readable.
func (c *content) body() string {
	if c.hasText {
		return c.text
	}
	if c.hasHTML {
		return HTMLText(c.html)
	}
	return ""
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
		// A malformed type (a client's typo) is read as text rather than refused.
		mt, params = "text/plain", map[string]string{}
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
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &unspaced{r: body})
	}
	name := fileName(h, params)
	if mt == "message/rfc822" && c.fwd == nil && depth < maxDepth {
		// A forward as attachment: the original, its text and its own attachments.
		inner, err := mail.ReadMessage(io.LimitReader(body, MaxBytes))
		if err != nil {
			return nil
		}
		var ic content
		if err := ic.part(inner.Header, inner.Body, depth+1); err != nil {
			return nil
		}
		c.fwd = &Forwarded{From: DecodeHeader(inner.Header.Get("From")), Date: oneLine(inner.Header.Get("Date")),
			Subject: oneLine(DecodeHeader(inner.Header.Get("Subject"))), Text: strings.TrimSpace(strings.ReplaceAll(ic.body(), "\r\n", "\n"))}
		c.files = append(c.files, ic.files...)
		return nil
	}
	if name != "" || mt == "message/rfc822" {
		if name == "" {
			name = "message.eml"
		}
		b, err := io.ReadAll(io.LimitReader(body, MaxBytes))
		if err != nil {
			return err
		}
		c.files = append(c.files, File{Name: name, MIME: mt, Data: b})
		return nil
	}
	switch {
	case mt == "text/plain" && !c.hasText:
		b, err := io.ReadAll(io.LimitReader(body, MaxBytes))
		if err != nil {
			return err
		}
		c.text, c.hasText = toUTF8(b, params["charset"]), true
	case mt == "text/html" && !c.hasHTML:
		b, err := io.ReadAll(io.LimitReader(body, MaxBytes))
		if err != nil {
			return err
		}
		cs := params["charset"]
		if cs == "" {
			// No charset in the header: the page's own <meta charset> says it.
			_, cs, _ = htmlcharset.DetermineEncoding(b, "text/html")
		}
		c.html, c.hasHTML = toUTF8(b, cs), true
	}
	return nil // another alternative, a second text part
}

// fileName is a part's file name, decoded: Content-Disposition's filename (RFC 2231, in
// any charset) or Content-Type's name, either possibly in RFC 2047 encoded words.
func fileName(h interface{ Get(string) string }, ctParams map[string]string) string {
	name := ctParams["name"]
	cd := h.Get("Content-Disposition")
	if _, dp, err := mime.ParseMediaType(cd); err == nil && dp["filename"] != "" {
		name = dp["filename"]
	} else if n := rfc2231(cd, "filename"); n != "" {
		name = n
	} else if n := rfc2231(h.Get("Content-Type"), "name"); n != "" {
		name = n
	}
	if name == "" {
		return ""
	}
	return oneLine(DecodeHeader(name))
}

// rfc2231 reads param*=charset'lang'%XX in a charset Go's mime package does not decode
// (it knows UTF-8 and ASCII only): "filename*=koi8-r”%F0%D2%C9%D7%C5%D4.txt".
func rfc2231(header, param string) string {
	i := strings.Index(strings.ToLower(header), param+"*=")
	if i < 0 {
		return ""
	}
	v := header[i+len(param)+2:]
	if j := strings.IndexByte(v, ';'); j >= 0 {
		v = v[:j]
	}
	parts := strings.SplitN(strings.Trim(strings.TrimSpace(v), `"`), "'", 3)
	if len(parts) != 3 {
		return ""
	}
	raw, err := url.PathUnescape(parts[2])
	if err != nil {
		return ""
	}
	return toUTF8([]byte(raw), parts[0])
}

// unspaced drops the spaces and tabs some clients leave in base64 lines (the decoder skips
// only line breaks).
type unspaced struct{ r io.Reader }

func (u *unspaced) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b != ' ' && b != '\t' {
			p[j] = b
			j++
		}
	}
	return j, err
}
