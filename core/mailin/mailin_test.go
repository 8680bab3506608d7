package mailin

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	gosmtp "github.com/emersion/go-smtp"
)

func TestAddress(t *testing.T) {
	t.Parallel()
	s := NewSigner("server secret", "in.example.test")
	r := Reply{AccountID: 7, UserID: 4242, Kind: "task", ID: 99}
	addr := s.Address(r)
	got, err := s.Parse("<" + strings.ToUpper(addr[:0]) + addr + ">")
	if err != nil || got != r {
		t.Fatalf("Parse(%s) = %+v, %v", addr, got, err)
	}
	local, _, _ := strings.Cut(addr, "@")
	for name, bad := range map[string]string{
		"other domain": local + "@elsewhere.test",
		"other key":    NewSigner("another secret", "in.example.test").Address(r),
		"altered":      strings.Replace(addr, "reply+", "reply+A", 1),
		"no token":     "reply@in.example.test",
		"garbage":      "reply+.@in.example.test",
	} {
		if _, err := s.Parse(bad); err == nil {
			t.Errorf("%s: %s parsed", name, bad)
		}
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"Done, see the PR.\r\n\r\nOn Mon, 7 Dec 2026 at 10:00, GroupCamp <n@x> wrote:\r\n> Task: write\r\n", "Done, see the PR."},
		{"C'est fait.\n\nLe lun. 7 déc. 2026 à 10:00, GroupCamp a écrit :\n> Tâche", "C'est fait."},
		{"Готово.\n\nИван написал:\n> задача", "Готово."},
		{"Line one\nline two\n-- \nAnn, CTO\n+33 1 23", "Line one\nline two"},
		{"Yes\n\nSent from my phone", "Yes"},
		{"> only quoted", ""},
		{"Short\n-----Original Message-----\nFrom: x", "Short"},
	} {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// world is a receiver on a loopback port with a handler that keeps what it gets.
type world struct {
	signer *Signer
	srv    *Server
	mu     sync.Mutex
	got    []Message
	log    []Refused // what the Recorder was told
}

func start(t *testing.T) *world {
	t.Helper()
	w := &world{signer: NewSigner("s3cret", "in.example.test")}
	srv, err := Start("127.0.0.1:0", w.signer, func(_ context.Context, m Message) error {
		if m.From != "ann@example.test" {
			return &Refusal{Text: "This address is not a person of the account."}
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		w.got = append(w.got, m)
		return nil
	}, slog.New(slog.NewTextHandler(io.Discard, nil)), func(_ context.Context, r Refused) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.log = append(w.log, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	w.srv = srv
	return w
}

func (w *world) messages() []Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Message(nil), w.got...)
}

// send is a real SMTP conversation (net/smtp).
func (w *world) send(from, to, headers, body string) error {
	msg := "From: " + from + "\r\nTo: " + to + "\r\nSubject: Re: =?utf-8?q?T=C3=A2che?=\r\n" + headers + "\r\n" + body
	return smtp.SendMail(w.srv.Addr(), nil, from, []string{to}, []byte(msg))
}

func TestReceive(t *testing.T) {
	t.Parallel()
	w := start(t)
	to := w.signer.Address(Reply{AccountID: 1, UserID: 2, Kind: "task", ID: 3})
	multi := "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n"
	body := "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"C'est fait =E2=80=94 merci.\r\n\r\nLe lun. 7 d=C3=A9c. 2026, GroupCamp a =C3=A9crit :\r\n> La t=C3=A2che\r\n" +
		"--b\r\nContent-Type: text/html\r\n\r\n<p>C'est fait</p>\r\n--b--\r\n"
	if err := w.send("ann@example.test", to, multi, body); err != nil {
		t.Fatalf("reply: %v", err)
	}
	got := w.messages()
	if len(got) != 1 || got[0].Text != "C'est fait — merci." || got[0].Reply.ID != 3 || got[0].Subject != "Re: Tâche" {
		t.Fatalf("got %+v", got)
	}

	// Robots: accepted (no bounce to a bounce) and dropped.
	for name, h := range map[string]string{
		"auto-reply": "Auto-Submitted: auto-replied\r\n",
		"bulk":       "Precedence: bulk\r\n",
		"loop":       LoopHeader + ": 1\r\n",
	} {
		if err := w.send("ann@example.test", to, h, "I am away.\r\n"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := smtp.SendMail(w.srv.Addr(), nil, "", []string{to}, []byte("From: MAILER-DAEMON@x.test\r\nSubject: Undelivered\r\n\r\nbounce\r\n")); err != nil {
		t.Errorf("bounce: %v", err)
	}
	if n := len(w.messages()); n != 1 {
		t.Fatalf("%d messages handled after the robots, want 1", n)
	}

	refused := func(what, code string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), code) {
			t.Errorf("%s: %v, want %s", what, err, code)
		}
	}
	refused("forged address", "550", w.send("ann@example.test", strings.Replace(to, "reply+", "reply+x", 1), "", "hi\r\n"))
	refused("unknown sender", "not a person", w.send("eve@example.test", to, "", "hi\r\n"))
	refused("empty reply", "empty", w.send("ann@example.test", to, "", "> only the quote\r\n"))
	refused("From differs", "550", smtp.SendMail(w.srv.Addr(), nil, "ann@example.test", []string{to}, []byte("From: boss@example.test\r\n\r\nhi\r\n")))
	big := strings.Repeat(strings.Repeat("x", 998)+"\r\n", MaxBytes/1000+10)
	refused("too large", "552", w.send("ann@example.test", to, "", big))
	if n := len(w.messages()); n != 1 {
		t.Fatalf("%d messages handled after the refusals, want 1", n)
	}

	// A declared size over the limit (MAIL FROM ... SIZE=): refused at RCPT TO, before any
	// data, and logged for the account its address names — once; an address that is not ours
	// is refused as such and logs nothing.
	oversize := func() []Refused {
		w.mu.Lock()
		defer w.mu.Unlock()
		var out []Refused
		for _, r := range w.log {
			if r.Reason == ReasonOversize {
				out = append(out, r)
			}
		}
		return out
	}
	before := len(oversize())
	if before != 1 {
		t.Errorf("the message too large in its data logged %d times, want 1", before)
	}
	c, err := gosmtp.Dial(w.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("ann@example.test", &gosmtp.MailOptions{Size: 50 << 20}); err != nil {
		t.Fatalf("MAIL FROM with SIZE: %v", err)
	}
	refused("declared size", "552", c.Rcpt(to, nil))
	refused("declared size, not our address", "550", c.Rcpt("someone@in.example.test", nil))
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	if got := oversize(); len(got) != before+1 || got[len(got)-1].Reply.AccountID != 1 || got[len(got)-1].From != "ann@example.test" || !strings.Contains(got[len(got)-1].Detail, "25 MiB") {
		t.Errorf("declared size logged as %+v (before: %d)", got, before)
	}
	// The same session, a message of a fair size: taken.
	if err := c.Mail("ann@example.test", &gosmtp.MailOptions{Size: 200}); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(to, nil); err != nil {
		t.Fatalf("RCPT after a reset: %v", err)
	}
	wc, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(wc, "From: ann@example.test\r\nSubject: Re: small\r\n\r\nSmall enough.\r\n")
	if err := wc.Close(); err != nil {
		t.Fatalf("a fair size after an oversize one: %v", err)
	}
	if n := len(w.messages()); n != 2 {
		t.Fatalf("%d messages handled, want 2", n)
	}
}

func TestAutomatic(t *testing.T) {
	t.Parallel()
	h := mail.Header{"Auto-Submitted": {"no"}}
	if Automatic("ann@example.test", h) {
		t.Error("Auto-Submitted: no is a person")
	}
	if !Automatic("<>", mail.Header{}) {
		t.Error("a bounce is automatic")
	}
}

// TestDrop: a message to a place's address (no person in it) keeps its whole text, quote
// included, and its attachments; one without text but with a file is taken too.
func TestDrop(t *testing.T) {
	t.Parallel()
	w := start(t)
	to := w.signer.Address(Reply{AccountID: 1, Kind: "project", ID: 5})
	mixed := "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=m\r\n"
	body := "--m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee below.\r\n> forwarded line\r\n" +
		"--m\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"=?utf-8?q?r=C3=A9sum=C3=A9.pdf?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--m--\r\n"
	if err := w.send("ann@example.test", to, mixed, body); err != nil {
		t.Fatal(err)
	}
	onlyFile := "--m\r\nContent-Type: image/png; name=a.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\n--m--\r\n"
	if err := w.send("ann@example.test", to, mixed, onlyFile); err != nil {
		t.Fatalf("a file without text: %v", err)
	}
	got := w.messages()
	if len(got) != 2 {
		t.Fatalf("got %d messages", len(got))
	}
	m := got[0]
	if m.Reply.Personal() || m.Whole != "See below.\n> forwarded line" || m.Text != "See below." ||
		len(m.Files) != 1 || m.Files[0].Name != "résumé.pdf" || m.Files[0].MIME != "application/pdf" || string(m.Files[0].Data) != "%PDF-1.4\n" {
		t.Errorf("drop: %+v", m)
	}
	if f := got[1].Files; len(f) != 1 || f[0].Name != "a.png" || got[1].Whole != "" {
		t.Errorf("file only: %+v", got[1])
	}
}

// TestStreamCap: past MaxBytes a message is read to its end and refused politely (552), but
// a sender streaming on past HardBytes has its connection closed instead of being read
// forever — with DATA as with BDAT chunks; the next connection is served. Small limits keep
// it cheap.
func TestStreamCap(t *testing.T) {
	t.Parallel()
	signer := NewSigner("s3cret", "in.example.test")
	var mu sync.Mutex
	var logged []Refused
	srv, err := listen("127.0.0.1:0", limits{max: 1 << 10, hard: 64 << 10}, signer, func(context.Context, Message) error { return nil },
		slog.New(slog.NewTextHandler(io.Discard, nil)), func(_ context.Context, r Refused) {
			mu.Lock()
			defer mu.Unlock()
			logged = append(logged, r)
		})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	to := signer.Address(Reply{AccountID: 1, UserID: 2, Kind: "task", ID: 3})
	line := strings.Repeat("x", 1022) + "\r\n"
	msg := func(size int) string {
		return "From: ann@example.test\r\nSubject: Re: big\r\n\r\nFine.\r\n" + strings.Repeat(line, size/len(line))
	}

	// Over MaxBytes, under HardBytes: the sender gets the 552, and the session goes on.
	c, err := gosmtp.Dial(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < 2; i++ {
		if err := c.SendMail("ann@example.test", []string{to}, strings.NewReader(msg(16<<10))); err == nil || !strings.Contains(err.Error(), "552") {
			t.Fatalf("over MaxBytes (%d): %v, want 552", i, err)
		}
	}
	if err := c.SendMail("ann@example.test", []string{to}, strings.NewReader(msg(512))); err != nil {
		t.Fatalf("a fair size on the same connection: %v", err)
	}

	// Past HardBytes: the connection is closed; the sender's writes fail long before the
	// 64 MiB it would stream, in DATA as in a BDAT chunk (go-smtp offers CHUNKING).
	stream := func(what string) {
		t.Helper()
		nc, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		tc := textproto.NewConn(nc)
		cmd := func(code int, format string, args ...any) {
			t.Helper()
			id, err := tc.Cmd(format, args...)
			if err != nil {
				t.Fatal(err)
			}
			tc.StartResponse(id)
			defer tc.EndResponse(id)
			if _, _, err := tc.ReadResponse(code); err != nil {
				t.Fatalf("%s: %s: %v", what, format, err)
			}
		}
		if _, _, err := tc.ReadResponse(220); err != nil {
			t.Fatal(err)
		}
		cmd(250, "EHLO client.test")
		cmd(250, "MAIL FROM:<ann@example.test>")
		cmd(250, "RCPT TO:<%s>", to)
		if what == "DATA" {
			cmd(354, "DATA")
		} else if _, err := tc.Cmd("BDAT 4000000000 LAST"); err != nil {
			t.Fatal(err)
		}
		_, err = io.WriteString(nc, "From: ann@example.test\r\nSubject: Re: huge\r\n\r\n")
		written := 0
		for ; err == nil && written < 64<<20; written += len(line) {
			_, err = io.WriteString(nc, line)
		}
		if err == nil || written > 32<<20 {
			t.Errorf("%s: %d bytes written, then %v: the receiver read on", what, written, err)
		}
	}
	stream("DATA")
	stream("BDAT")

	mu.Lock()
	n := 0
	for _, r := range logged {
		if r.Reason == ReasonOversize && r.Reply.AccountID == 1 {
			n++
		}
	}
	mu.Unlock()
	if n < 3 {
		t.Errorf("%d oversize refusals logged, want at least 3", n)
	}
	if err := smtp.SendMail(srv.Addr(), nil, "ann@example.test", []string{to}, []byte(msg(512))); err != nil {
		t.Errorf("a new connection after a closed one: %v", err)
	}
}
