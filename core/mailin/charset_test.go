package mailin

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"net/smtp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func enc(t *testing.T, e *charmap.Charmap, s string) string {
	t.Helper()
	b, err := e.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// raw sends a whole message (headers included) over SMTP.
func (w *world) raw(from, to, msg string) error {
	return smtp.SendMail(w.srv.Addr(), nil, from, []string{to}, []byte(strings.ReplaceAll(msg, "\n", "\r\n")))
}

// TestCharsets: replies and drops in the charsets and encodings mail clients still send —
// ISO-8859-1 quoted-printable, Windows-1252 base64, KOI8-R 8-bit, RFC 2047 subjects and file
// names in those charsets, RFC 2231 file names, HTML-only mail — arrive as UTF-8 text.
func TestCharsets(t *testing.T) {
	t.Parallel()
	w := start(t)
	reply := w.signer.Address(Reply{AccountID: 1, UserID: 2, Kind: "task", ID: 3})
	drop := w.signer.Address(Reply{AccountID: 1, Kind: "project", ID: 5})
	koi := mime.BEncoding.Encode("koi8-r", enc(t, charmap.KOI8R, "Отчёт за неделю"))
	cases := []struct {
		name, to, msg, subject, text string
		files                        []string
	}{
		{"latin-1 quoted-printable", reply, "Subject: =?ISO-8859-1?Q?Re:_Caf=E9?=\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9 cr=E8me, c'est d=E9j=E0 fait.\n\nLe lun. 7 d=E9c., GroupCamp a =E9crit :\n> vieux\n",
			"Re: Café", "Café crème, c'est déjà fait.", nil},
		{"windows-1252 base64", reply, "Subject: Re: price\nContent-Type: text/plain; charset=\"windows-1252\"\nContent-Transfer-Encoding: base64\n\n" +
			base64.StdEncoding.EncodeToString([]byte(enc(t, charmap.Windows1252, "It costs 20 € — “final” price."))) + "\n",
			"Re: price", "It costs 20 € — “final” price.", nil},
		{"koi8-r 8bit", reply, "Subject: " + koi + "\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n" + enc(t, charmap.KOI8R, "Готово, отчёт приложен.") + "\n",
			"Отчёт за неделю", "Готово, отчёт приложен.", nil},
		{"undeclared latin-1", reply, "Subject: Re: x\n\n" + enc(t, charmap.ISO8859_1, "Voilà.") + "\n", "Re: x", "Voilà.", nil},
		{"html only", reply, "Subject: Re: html\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n" +
			"<html><head><title>t</title><style>p{color:red}</style></head><body><p>Bonjour <b>=E0 tous</b>,</p>" +
			"<ul><li>un</li><li>deux</li></ul><p>Voir <a href=3D\"https://x.test/a\">le lien</a>.<br>Merci</p><script>alert(1)</script>" +
			"<div>On Mon, Ann wrote:</div><blockquote><p>old text</p></blockquote></body></html>\n",
			"Re: html", "Bonjour à tous,\n\n- un\n- deux\nVoir le lien <https://x.test/a>.\nMerci", nil},
		{"html meta charset", reply, "Subject: Re: meta\nContent-Type: text/html\n\n<html><head><meta charset=\"koi8-r\"></head><body>" + enc(t, charmap.KOI8R, "Да, согласен.") + "</body></html>\n",
			"Re: meta", "Да, согласен.", nil},
		{"html utf-8 undeclared", reply, "Subject: Re: u\nContent-Type: text/html\n\n<div>Très bien — d’accord.</div>\n", "Re: u", "Très bien — d’accord.", nil},
		{"attachment names", drop, "Subject: =?windows-1252?q?Facture_=80?=\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=m\n\n" +
			"--m\nContent-Type: text/plain; charset=utf-8\n\nVoir pièces.\n" +
			"--m\nContent-Type: application/pdf; name=\"=?ISO-8859-1?Q?r=E9sum=E9.pdf?=\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n" +
			"--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename*=koi8-r''%F0%D2%C9%D7%C5%D4.txt\n\nhello\n--m--\n",
			"Facture €", "Voir pièces.", []string{"résumé.pdf", "Привет.txt"}},
	}
	for i, c := range cases {
		if err := w.raw("ann@example.test", c.to, "From: ann@example.test\nTo: "+c.to+"\n"+c.msg); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := w.messages()
		if len(got) != i+1 {
			t.Fatalf("%s: %d messages", c.name, len(got))
		}
		m := got[i]
		if m.Subject != c.subject || m.Text != c.text {
			t.Errorf("%s: subject %q text %q, want %q %q", c.name, m.Subject, m.Text, c.subject, c.text)
		}
		var names []string
		for _, f := range m.Files {
			names = append(names, f.Name)
		}
		if strings.Join(names, ",") != strings.Join(c.files, ",") {
			t.Errorf("%s: files %q, want %q", c.name, names, c.files)
		}
	}
}

// TestForward: a forward to a place's address keeps the original apart — inline (Gmail's,
// Outlook's, French Thunderbird's markers), attached as message/rfc822 (its attachments
// kept), or only a "Fwd:" subject — and a reply to a notification is never read as one.
func TestForward(t *testing.T) {
	t.Parallel()
	w := start(t)
	drop := w.signer.Address(Reply{AccountID: 1, Kind: "project", ID: 5})
	head := "From: ann@example.test\nTo: " + drop + "\n"
	cases := []struct {
		name, msg string
		want      *Forwarded
		note      string
		files     int
	}{
		{"gmail", "Subject: Fwd: Quote for the site\n\nPlease handle.\n\n---------- Forwarded message ---------\nFrom: Supplier <sales@supplier.test>\nDate: Fri, 4 Dec 2026 at 09:12\nSubject: Quote for the site\nTo: Ann <ann@example.test>\n\nHello Ann,\nHere is our quote.\n",
			&Forwarded{From: "Supplier <sales@supplier.test>", Date: "Fri, 4 Dec 2026 at 09:12", Subject: "Quote for the site", Text: "Hello Ann,\nHere is our quote."}, "Please handle.", 0},
		{"outlook french", "Subject: TR: Devis\n\n-----Original Message-----\n*De :* Fournisseur <f@x.test>\n*Envoyé :* vendredi 4 décembre 2026 09:12\n*À :* Ann\n*Objet :* Devis n°12\n\n> Bonjour,\n> ci-joint.\n",
			&Forwarded{From: "Fournisseur <f@x.test>", Date: "vendredi 4 décembre 2026 09:12", Subject: "Devis n°12", Text: "Bonjour,\nci-joint."}, "", 0},
		{"subject only", "Subject: WG: Termin\n\nDer Termin ist am Montag.\n",
			&Forwarded{Subject: "Termin", Text: "Der Termin ist am Montag."}, "", 0},
		{"attached", "Subject: Fw: Invoice\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: text/plain\n\nFor the files.\n" +
			"--o\nContent-Type: message/rfc822\n\nFrom: =?utf-8?q?Bj=C3=B6rn?= <b@x.test>\nDate: Thu, 3 Dec 2026 10:00:00 +0100\nSubject: =?utf-8?q?Invoice_n=C2=B07?=\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=i\n\n" +
			"--i\nContent-Type: text/html; charset=utf-8\n\n<p>Please pay.</p>\n--i\nContent-Type: application/pdf; name=inv.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--i--\n--o--\n",
			&Forwarded{From: "Björn <b@x.test>", Date: "Thu, 3 Dec 2026 10:00:00 +0100", Subject: "Invoice n°7", Text: "Please pay."}, "For the files.", 1},
		{"no forward", "Subject: New task\n\nJust a task.\n", nil, "", 0},
	}
	for i, c := range cases {
		if err := w.raw("ann@example.test", drop, head+c.msg); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		m := w.messages()[i]
		switch {
		case c.want == nil && m.Forward != nil:
			t.Errorf("%s: read as a forward: %+v", c.name, m.Forward)
		case c.want != nil && (m.Forward == nil || *m.Forward != *c.want || m.Note != c.note || len(m.Files) != c.files):
			t.Errorf("%s: forward %+v note %q files %d, want %+v %q %d", c.name, m.Forward, m.Note, len(m.Files), c.want, c.note, c.files)
		}
	}
	reply := w.signer.Address(Reply{AccountID: 1, UserID: 2, Kind: "task", ID: 3})
	if err := w.raw("ann@example.test", reply, "From: ann@example.test\nTo: "+reply+"\nSubject: Fwd: x\n\nSee this.\n"); err != nil {
		t.Fatal(err)
	}
	if m := w.messages(); m[len(m)-1].Forward != nil {
		t.Error("a reply to a notification was read as a forward")
	}
}

// TestRefusalLog: the recorder hears of every message refused or dropped for a valid
// address, with its reason.
func TestRefusalLog(t *testing.T) {
	t.Parallel()
	signer := NewSigner("s3cret", "in.example.test")
	var mu sync.Mutex
	var got []Refused
	srv, err := Start("127.0.0.1:0", signer, func(_ context.Context, m Message) error {
		if m.From != "ann@example.test" {
			return &Refusal{Text: "not a person", Reason: ReasonUnknownSender}
		}
		return nil
	}, slog.New(slog.NewTextHandler(io.Discard, nil)), func(_ context.Context, r Refused) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	w := &world{signer: signer, srv: srv}
	to := signer.Address(Reply{AccountID: 1, UserID: 2, Kind: "task", ID: 3})
	_ = w.raw("ann@example.test", to, "From: ann@example.test\nSubject: Away\nAuto-Submitted: auto-replied\n\nI am away.\n")
	_ = w.raw("ann@example.test", to, "From: ann@example.test\nSubject: Re\n"+LoopHeader+": 1\n\nback\n")
	_ = w.raw("eve@example.test", to, "From: eve@example.test\nSubject: Hi\n\nhello\n")
	_ = w.raw("ann@example.test", to, "From: ann@example.test\nSubject: Re\n\n> quote only\n")
	_ = w.raw("ann@example.test", "nobody@in.example.test", "From: ann@example.test\n\nlost\n")
	_ = w.raw("ann@example.test", to, "From: boss@example.test\nSubject: Pay\n\nnow\n")
	_ = w.raw("ann@example.test", to, "From: ann@example.test\nSubject: Big\n\n"+strings.Repeat(strings.Repeat("x", 998)+"\n", MaxBytes/1000+10))
	_ = w.raw("ann@example.test", to, "From: ann@example.test\nSubject: fine\n\nOK\n")
	mu.Lock()
	defer mu.Unlock()
	var reasons []string
	for _, r := range got {
		if r.Reply.AccountID != 1 {
			t.Errorf("refusal without the address's account: %+v", r)
		}
		reasons = append(reasons, r.Reason+":"+r.From+":"+r.Subject)
	}
	want := "auto_reply:ann@example.test:Away,loop:ann@example.test:Re,unknown_sender:eve@example.test:Hi,empty:ann@example.test:Re,sender_mismatch:ann@example.test:Pay,oversize:ann@example.test:"
	if strings.Join(reasons, ",") != want {
		t.Errorf("refusals %q, want %q", reasons, want)
	}
}

// BenchmarkRead is the reading of a typical HTML-and-text reply in Windows-1252, quoted-
// printable, with a PDF attached: the charset, transfer-encoding and HTML work a message costs.
func BenchmarkRead(b *testing.B) {
	body := "--b\r\nContent-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		strings.Repeat("Caf=E9 cr=E8me =80 20, voil=E0.\r\n", 40) +
		"--b\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<p>" + strings.Repeat("Caf\xe9 <b>cr\xe8me</b> \x80 20<br>", 40) + "</p><blockquote>old</blockquote>\r\n" +
		"--b\r\nContent-Type: application/pdf; name=\"=?ISO-8859-1?Q?r=E9sum=E9.pdf?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		strings.Repeat(base64.StdEncoding.EncodeToString(make([]byte, 57))+"\r\n", 200) + "--b--\r\n"
	h := map[string]string{"Content-Type": "multipart/alternative; boundary=b"}
	b.ReportAllocs()
	for range b.N {
		var c content
		if err := c.read(mapHeader(h), strings.NewReader(body)); err != nil || !c.hasText || len(c.files) != 1 {
			b.Fatal(err)
		}
		_ = Clean(c.body())
		_ = HTMLText(c.html)
	}
}

type mapHeader map[string]string

func (m mapHeader) Get(k string) string { return m[k] }
