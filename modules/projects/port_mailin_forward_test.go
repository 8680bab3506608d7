package projects_test

import (
	"mime"
	"net/smtp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"groupcamp/core/testkit"
)

// TestMailInForward sends, over real SMTP, emails forwarded to a project's address: an
// inline forward (Gmail's marker, a Latin-1 quoted-printable body, an attachment whose name
// is RFC 2047 Latin-1) and a forward as attachment (message/rfc822 with an HTML-only
// original and its own attachment). Each is saved as a task named after the original's
// subject, whose description gives the original's sender, date and subject above its text,
// with the attachments in files, the date the forward wrote read and shown in the sender's
// language (kept as written when unreadable); the forwarder's note is their comment. An
// Outlook reply (RE:, In-Reply-To) above its "Original Message" line is no forward. An HTML-only KOI8-R
// email that forwards nothing stays a plain new task, its subject and text decoded.
func TestMailInForward(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			w := mailInWorld(t, kind)
			e := w.e
			pid := w.project(w.manager, nil)
			w.join(pid, w.member2, "member")
			list := w.taskList(pid, "Inbox")
			to := e.App.Hooks.MailAddress(w.acc.ID, "project", pid)
			send := func(msg string) {
				t.Helper()
				msg = "From: " + w.member2.Email + "\nTo: " + to + "\n" + msg
				if err := smtp.SendMail(e.App.MailInAddr(), nil, w.member2.Email, []string{to}, []byte(strings.ReplaceAll(msg, "\n", "\r\n"))); err != nil {
					t.Fatalf("send: %v", err)
				}
			}
			task := func(title string) map[string]any {
				t.Helper()
				for _, it := range w.list(w.member2, w.path("/projects/%d/tasks", pid)).Items {
					if it["title"] == title {
						return it
					}
				}
				t.Fatalf("no task %q", title)
				return nil
			}
			check := func(what string, tk map[string]any, desc []string, note string, files []string) {
				t.Helper()
				d, _ := tk["description"].(string)
				for _, s := range desc {
					if !strings.Contains(d, s) {
						t.Errorf("%s: the description %q has no %q", what, d, s)
					}
				}
				if num(tk["list_id"]) != list {
					t.Errorf("%s: in list %v", what, tk["list_id"])
				}
				id := num(tk["id"])
				comments := w.list(w.member2, w.path("/tasks/%d/comments", id)).Items
				switch {
				case note == "" && len(comments) != 0:
					t.Errorf("%s: comments %+v", what, comments)
				case note != "" && (len(comments) != 1 || comments[0]["body"] != note || num(comments[0]["author_id"]) != w.member2.ID):
					t.Errorf("%s: comments %+v, want %q", what, comments, note)
				}
				var names []string
				for _, a := range w.list(w.member2, w.path("/tasks/%d/attachments", id)).Items {
					names = append(names, a["name"].(string))
				}
				if strings.Join(names, ",") != strings.Join(files, ",") {
					t.Errorf("%s: attachments %q, want %q", what, names, files)
				}
			}

			send("Subject: Fwd: Quote for the new site\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" +
				"--b\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n" +
				"Please check the prices.\n\n---------- Forwarded message ---------\nFrom: Supplier <sales@supplier.test>\n" +
				"Date: Fri, 4 Dec 2026 at 09:12\nSubject: Quote for the new site\nTo: Ann <ann@example.test>\n\n" +
				"Hello,\nThe total is 1=A0200 =80 for the caf=E9 pages.\n" +
				"--b\nContent-Type: application/pdf; name=\"=?ISO-8859-1?Q?devis_=E9t=E9.pdf?=\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n")
			check("inline forward", task("Quote for the new site"),
				[]string{"Forwarded email", `**From:** Supplier \<sales@supplier.test\>`, "**Date:** Dec 4, 2026, 9:12 am", "**Subject:** Quote for the new site", "The total is 1\u00a0200 € for the café pages."},
				"Please check the prices.", []string{"devis été.pdf"})
			if d := task("Quote for the new site")["description"].(string); strings.Contains(d, "Please check") || strings.Contains(d, "Forwarded message") {
				t.Errorf("the description keeps the note or the marker: %q", d)
			}

			send("Subject: TR: Facture\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=o\n\n" +
				"--o\nContent-Type: message/rfc822\n\nFrom: =?utf-8?q?Bj=C3=B6rn?= <b@x.test>\nDate: Thu, 3 Dec 2026 10:00:00 +0100\nSubject: =?utf-8?q?Facture_n=C2=B07?=\n" +
				"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=i\n\n--i\nContent-Type: text/html; charset=utf-8\n\n<p>Merci de <b>payer</b>.</p><ul><li>30 jours</li></ul>\n" +
				"--i\nContent-Type: application/pdf; name=inv.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--i--\n--o--\n")
			check("forward as attachment", task("Facture n°7"),
				[]string{"**From:** Björn \\<b@x.test\\>", "**Date:** Dec 3, 2026, 9:00 am", "Merci de payer.\n\n- 30 jours"}, "", []string{"inv.pdf"})

			// Outlook: "FW:" above its "Original Message" line is a forward (a date it cannot
			// read stays as written); "RE:" with In-Reply-To above the same line is a reply —
			// a plain new task with the whole text, quote included.
			send("Subject: FW: Planning\n\nFYI\n\n-----Original Message-----\nFrom: Boss <boss@x.test>\nSent: the other day\nSubject: Planning\n\nMeet on Monday.\n")
			check("Outlook forward", task("Planning"), []string{"Forwarded email", "**Date:** the other day", "Meet on Monday."}, "FYI", nil)
			send("Subject: RE: Planning\nIn-Reply-To: <p1@x.test>\n\nMonday is fine.\n\n-----Original Message-----\nFrom: Boss <boss@x.test>\nSent: Friday, December 4, 2026 9:12 AM\nSubject: Planning\n\nMeet on Monday.\n")
			check("Outlook reply", task("RE: Planning"), []string{"Monday is fine.\n\n-----Original Message-----\nFrom: Boss"}, "", nil)
			if d := task("RE: Planning")["description"].(string); strings.Contains(d, "Forwarded email") {
				t.Errorf("an Outlook reply saved as a forward: %q", d)
			}

			koi, err := charmap.KOI8R.NewEncoder().String("<p>Сломалась <i>форма</i> входа.</p>")
			if err != nil {
				t.Fatal(err)
			}
			subj, _ := charmap.KOI8R.NewEncoder().String("Ошибка входа")
			send("Subject: " + mime.BEncoding.Encode("koi8-r", subj) + "\nContent-Type: text/html; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n" + koi + "\n")
			if d := task("Ошибка входа")["description"]; d != "Сломалась форма входа." {
				t.Errorf("KOI8-R HTML email: description %q", d)
			}
		})
	}
}
