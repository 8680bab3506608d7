package projects_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/smtp"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/config"
	"groupcamp/core/mailin"
	"groupcamp/core/testkit"
	"groupcamp/modules/files"
	"groupcamp/modules/projects"
)

// mailInWorld starts projects and files with the SMTP receiver on, and returns a world of
// it whose receiver is listening.
func mailInWorld(t *testing.T, kind string) *world {
	t.Helper()
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{projects.New(), files.New()}, Config: func(c *config.Config) {
		c.SMTPInAddr, c.SMTPInDomain = "127.0.0.1:0", "in.example.test"
	}})
	w := newWorld(t, e, e.Modules[0].(*projects.Module).Service())
	// A request served means Serve has started the receiver (it starts before the web server).
	w.want(w.as(w.owner).Get("/api/v1/me"), http.StatusOK)
	return w
}

// TestMailIn drives email in over real SMTP against the App's receiver: a task notification
// carries the person's signed reply address, their reply becomes their comment (the quote
// stripped), and mail to a project's address becomes a task with its attachment in files.
// Refused with a 550 the sender reads: a reply from someone else than the person it was made
// for, a sender who is no active person of the account, a person of another account, a
// reply about a task the sender does not see, a role that may not add tasks. Auto-replies and
// our own mail coming back are dropped.
func TestMailIn(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			w := mailInWorld(t, kind)
			e := w.e
			addr := e.App.MailInAddr()
			if addr == "" {
				t.Fatal("the receiver is not listening")
			}
			send := func(from, to, headers, body string) error {
				msg := "From: " + from + "\r\nTo: " + to + "\r\nSubject: Re: a task\r\n" + headers + "\r\n" + body
				return smtp.SendMail(addr, nil, from, []string{to}, []byte(msg))
			}
			refused := func(what, want string, err error) {
				t.Helper()
				if err == nil || !strings.Contains(err.Error(), "550") || !strings.Contains(err.Error(), want) {
					t.Errorf("%s: %v, want a 550 saying %q", what, err, want)
				}
			}

			pid := w.project(w.manager, map[string]any{"guests_allowed": true})
			w.join(pid, w.member, "member")
			w.join(pid, w.member2, "member")
			w.join(pid, w.clientX, "client")
			list := w.taskList(pid, "Inbox")
			tid := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/tasks", pid), map[string]any{"list_id": list, "title": "Write the spec",
				"assignees": []map[string]any{{"user_id": w.member.ID}}}), http.StatusCreated))

			// The assignment's email carries the member's reply address for the task.
			e.Settle()
			got, ok := e.Mailbox.Last(w.member.Email)
			if !ok || got.ReplyTo == "" {
				t.Fatalf("the notice's email has no Reply-To: %+v", got)
			}
			signer := mailin.NewSigner(e.App.Config.SecretKey, "in.example.test")
			if r, err := signer.Parse(got.ReplyTo); err != nil || r != (mailin.Reply{AccountID: w.acc.ID, UserID: w.member.ID, Kind: "task", ID: tid}) {
				t.Fatalf("reply address %s = %+v, %v", got.ReplyTo, r, err)
			}
			if err := send(w.member.Email, got.ReplyTo, "", "Done, see the draft.\r\n\r\nOn Mon, GroupCamp wrote:\r\n> You were assigned\r\n"); err != nil {
				t.Fatalf("reply: %v", err)
			}
			comments := w.list(w.member, w.path("/tasks/%d/comments", tid))
			if len(comments.Items) != 1 || comments.Items[0]["body"] != "Done, see the draft." || num(comments.Items[0]["author_id"]) != w.member.ID {
				t.Fatalf("comments after the reply: %+v", comments.Items)
			}

			// Robots: accepted and dropped.
			for name, h := range map[string]string{"auto-reply": "Auto-Submitted: auto-replied\r\n", "loop": mailin.LoopHeader + ": x\r\n"} {
				if err := send(w.member.Email, got.ReplyTo, h, "I am away.\r\n"); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
			other := e.NewAccount()
			outsider := e.NewUser(other, actor.RoleMember)
			refused("someone else's reply address", "another person", send(w.member2.Email, got.ReplyTo, "", "Me too.\r\n"))
			refused("unknown sender", "not an active person", send("eve@example.test", got.ReplyTo, "", "Hi.\r\n"))
			refused("another account's person", "not an active person", send(outsider.Email, got.ReplyTo, "", "Hi.\r\n"))
			hidden := signer.Address(mailin.Reply{AccountID: w.acc.ID, UserID: w.clientX.ID, Kind: "task", ID: tid})
			refused("a task the sender does not see", "not there", send(w.clientX.Email, hidden, "", "Let me in.\r\n"))
			if n := len(w.list(w.member, w.path("/tasks/%d/comments", tid)).Items); n != 1 {
				t.Errorf("%d comments after the robots and the refusals, want 1", n)
			}

			// A project's address: a new task, with the attachment.
			to := e.App.Hooks.MailAddress(w.acc.ID, "project", pid)
			// The project's page shows it to those who may add tasks, not to a client.
			page := fmt.Sprintf("/%s/projects/%d", w.acc.Slug, pid)
			_, token, _ := strings.Cut(to, "+") // the page writes "+" as an HTML entity
			if r := w.want(w.as(w.member2).Get(page), http.StatusOK); !strings.Contains(string(r.Body), token) {
				t.Errorf("the project's page does not show its address to a member")
			}
			if r := w.want(w.as(w.clientX).Get(page), http.StatusOK); strings.Contains(string(r.Body), token) {
				t.Errorf("the project's page shows its address to a client")
			}
			png := []byte("\x89PNG\r\n\x1a\nnot really an image")
			body := "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
				"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe footer overlaps the menu.\r\n\r\n> quoted from the client\r\n" +
				"--b\r\nContent-Type: image/png; name=shot.png\r\nContent-Disposition: attachment; filename=shot.png\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				base64.StdEncoding.EncodeToString(png) + "\r\n--b--\r\n"
			msg := "From: " + w.member2.Email + "\r\nTo: " + to + "\r\nSubject: Fix the footer\r\n" + body
			if err := smtp.SendMail(addr, nil, w.member2.Email, []string{to}, []byte(msg)); err != nil {
				t.Fatalf("mail to the project: %v", err)
			}
			tasks := w.list(w.member2, w.path("/projects/%d/tasks", pid))
			var made map[string]any
			for _, it := range tasks.Items {
				if it["title"] == "Fix the footer" {
					made = it
				}
			}
			if made == nil || !strings.Contains(made["description"].(string), "The footer overlaps the menu.") ||
				!strings.Contains(made["description"].(string), "quoted from the client") || num(made["list_id"]) != list {
				t.Fatalf("no task from the email in %+v", tasks.Items)
			}
			att := w.list(w.member2, w.path("/tasks/%d/attachments", num(made["id"])))
			if len(att.Items) != 1 || att.Items[0]["name"] != "shot.png" || num(att.Items[0]["size"]) != int64(len(png)) {
				t.Fatalf("attachments of the task: %+v", att.Items)
			}
			dl := w.as(w.member2).Get(att.Items[0]["download_url"].(string))
			if dl.Status != http.StatusOK || !bytes.Equal(dl.Body, png) {
				t.Errorf("download of the attachment: %d %q", dl.Status, dl.Body)
			}
			refused("a client may not add tasks", "role", send(w.clientX.Email, to, "", "A task from me.\r\n"))
			refused("another account's person to the project", "not an active person", send(outsider.Email, to, "", "Spam.\r\n"))
			if n := len(w.list(w.member2, w.path("/projects/%d/tasks", pid)).Items); n != 2 {
				t.Errorf("%d tasks after the refusals, want 2", n)
			}
		})
	}
}

// BenchmarkMailInReply is one reply to a task notification over SMTP, from the connection to
// the committed comment (SQLite).
func BenchmarkMailInReply(b *testing.B) {
	e := testkit.Start(b, "sqlite", testkit.Options{Modules: []app.Module{projects.New()}, Config: func(c *config.Config) {
		c.SMTPInAddr, c.SMTPInDomain = "127.0.0.1:0", "in.example.test"
	}})
	w := newWorld(b, e, e.Modules[0].(*projects.Module).Service())
	w.want(w.as(w.owner).Get("/api/v1/me"), http.StatusOK)
	pid := w.project(w.manager, nil)
	w.join(pid, w.member, "member")
	tid := w.task(w.manager, pid, w.taskList(pid, "Inbox"), "Benchmark", nil)
	to := mailin.NewSigner(e.App.Config.SecretKey, "in.example.test").Address(mailin.Reply{AccountID: w.acc.ID, UserID: w.member.ID, Kind: "task", ID: tid})
	msg := []byte("From: " + w.member.Email + "\r\nTo: " + to + "\r\nSubject: Re: Benchmark\r\n\r\nOn it.\r\n\r\nOn Mon, GroupCamp wrote:\r\n> Benchmark\r\n")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := smtp.SendMail(e.App.MailInAddr(), nil, w.member.Email, []string{to}, msg); err != nil {
			b.Fatal(err)
		}
	}
}
