package intranet_test

import (
	"fmt"
	"net/http"
	"net/smtp"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/config"
	"groupcamp/core/mailin"
	"groupcamp/core/testkit"
)

// TestMailInReply drives email in over real SMTP against the App's receiver: the email of a
// reply notice about a discussion carries the follower's signed Reply-To for the topic; their
// answer (Windows-1252, quoted-printable, the quote and the signature below) becomes their
// reply on the topic, which notifies the other followers in turn — with a reply address of
// their own. A mention in a news post's comment carries a Reply-To for the post, and the
// answer becomes a comment on it. Refused with a 550, and listed in the administrators' refusal log with the
// reason: an unknown sender, someone else using the address, a follower who has left the
// team of the space since; an auto-reply is dropped without an answer and logged too. The log
// is for administrators only.
func TestMailInReply(t *testing.T) {
	opts := options()
	opts.Config = func(c *config.Config) { c.SMTPInAddr, c.SMTPInDomain = "127.0.0.1:0", "in.example.test" }
	testkit.EachOwn(t, opts, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ann := e.NewUser(acc, actor.RoleMember)
		ben := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		eng := team(t, e, acc, "Engineering", ann, ben)
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Eng", "team_id": eng}))
		topic := idOf(created(t, e.As(ben), base+"/topics", map[string]any{"space_id": space, "title": "Release plan", "body": "Friday?"}))
		tp := fmt.Sprintf("%s/topics/%d", base, topic)
		created(t, e.As(ann), tp+"/replies", map[string]any{"body": "Thursday is safer."})
		if e.App.MailInAddr() == "" {
			t.Fatal("the receiver is not listening")
		}
		e.Settle()
		got, ok := e.Mailbox.Last(ben.Email)
		if !ok || got.ReplyTo == "" {
			t.Fatalf("the reply notice's email has no Reply-To: %+v", got)
		}
		signer := mailin.NewSigner(e.App.Config.SecretKey, "in.example.test")
		if r, err := signer.Parse(got.ReplyTo); err != nil || r != (mailin.Reply{AccountID: acc.ID, UserID: ben.ID, Kind: "topic", ID: topic}) {
			t.Fatalf("reply address %s = %+v, %v", got.ReplyTo, r, err)
		}
		send := func(from, to, headers, body string) error {
			msg := "From: " + from + "\r\nTo: " + to + "\r\nSubject: Re: Release plan\r\n" + headers + "\r\n" + body
			return smtp.SendMail(e.App.MailInAddr(), nil, from, []string{to}, []byte(msg))
		}
		refused := func(what, want string, err error) {
			t.Helper()
			if err == nil || !strings.Contains(err.Error(), "550") || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want a 550 saying %q", what, err, want)
			}
		}
		qp := "Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: quoted-printable\r\n"
		if err := send(ben.Email, got.ReplyTo, qp, "Thursday it is =96 d=E9j=E0 planned.\r\n\r\n-- \r\nBen\r\n\r\nOn Mon, GroupCamp wrote:\r\n> Thursday is safer.\r\n"); err != nil {
			t.Fatalf("reply: %v", err)
		}
		var replies struct{ Items []map[string]any }
		e.As(ann).Get(tp+"/replies").JSON(t, &replies)
		if n := len(replies.Items); n != 2 || replies.Items[1]["body"] != "Thursday it is – déjà planned." || int64(replies.Items[1]["author_id"].(float64)) != ben.ID {
			t.Fatalf("replies after the email: %+v", replies.Items)
		}
		// Ann follows the topic (she replied): ben's emailed reply notifies her, with her address.
		e.Settle()
		if m, ok := e.Mailbox.Last(ann.Email); !ok || m.ReplyTo == "" || m.ReplyTo == got.ReplyTo {
			t.Errorf("ann's notice of ben's reply: %+v", m)
		}

		// A mention in a news comment: its email's Reply-To names the post, and the answer is
		// ben's comment on it.
		news := idOf(created(t, e.As(acc.Owner), base+"/news", map[string]any{"space_id": space, "title": "Office move", "body": "Monday."}))
		np := fmt.Sprintf("%s/news/%d/comments", base, news)
		created(t, e.As(ann), np, map[string]any{"body": "@" + ben.Name + " can you help?"})
		e.Settle()
		nm, ok := e.Mailbox.Last(ben.Email)
		if r, err := signer.Parse(nm.ReplyTo); !ok || err != nil || r != (mailin.Reply{AccountID: acc.ID, UserID: ben.ID, Kind: "news", ID: news}) {
			t.Fatalf("the news mention's reply address %q = %+v, %v", nm.ReplyTo, r, err)
		}
		if err := send(ben.Email, nm.ReplyTo, "", "Sure.\r\n\r\nOn Mon, GroupCamp wrote:\r\n> can you help?\r\n"); err != nil {
			t.Fatalf("reply to the news mention: %v", err)
		}
		var comments struct{ Items []map[string]any }
		e.As(ann).Get(np).JSON(t, &comments)
		if n := len(comments.Items); n != 2 || comments.Items[1]["body"] != "Sure." || int64(comments.Items[1]["author_id"].(float64)) != ben.ID {
			t.Fatalf("the post's comments after the email: %+v", comments.Items)
		}

		if err := send(ben.Email, got.ReplyTo, "Auto-Submitted: auto-replied\r\n", "I am away.\r\n"); err != nil {
			t.Errorf("auto-reply: %v", err)
		}
		refused("unknown sender", "not an active person", send("eve@example.test", got.ReplyTo, "", "Hi.\r\n"))
		refused("someone else's address", "another person", send(ann.Email, got.ReplyTo, "", "Me too.\r\n"))
		if r := e.As(acc.Owner).Delete(fmt.Sprintf("%s/teams/%d/members/%d", base, eng, ben.ID)); r.Status >= 300 {
			t.Fatalf("ben leaves the team: %d %s", r.Status, r.Body)
		}
		refused("a space the sender left", "not there", send(ben.Email, got.ReplyTo, "", "Still here?\r\n"))
		e.As(ann).Get(tp+"/replies").JSON(t, &replies)
		if n := len(replies.Items); n != 2 {
			t.Errorf("%d replies after the refusals, want 2", n)
		}

		// The refusal log: the administrators see each refusal and its reason; a member not.
		var log struct {
			Items []struct{ From, Reason, Kind, Subject, Detail string }
		}
		e.As(acc.Owner).Get(base+"/mail-in/refusals").JSON(t, &log)
		var reasons []string
		for _, it := range log.Items {
			reasons = append(reasons, it.Reason+":"+it.From)
			if it.Kind != "topic" || it.Subject != "Re: Release plan" {
				t.Errorf("refusal %+v", it)
			}
		}
		want := []string{"not_found:" + ben.Email, "other_person:" + ann.Email, "unknown_sender:eve@example.test", "auto_reply:" + ben.Email}
		if strings.Join(reasons, ",") != strings.Join(want, ",") {
			t.Errorf("refusal log %q, want %q", reasons, want)
		}
		if r := e.As(ann).Get(base + "/mail-in/refusals"); r.Status != http.StatusForbidden {
			t.Errorf("a member reads the refusal log: %d", r.Status)
		}
		page := e.BrowserLogin(acc.Owner).Get("/" + acc.Slug + "/admin/mail-in").String()
		for _, s := range []string{"Unknown sender", "eve@example.test", "Automatic reply", "Dropped without an answer", "reply address was made for another person"} {
			if !strings.Contains(page, s) {
				t.Errorf("the refusal log page does not show %q", s)
			}
		}
		if r := e.BrowserLogin(ann).Get("/" + acc.Slug + "/admin/mail-in"); r.Status != http.StatusForbidden {
			t.Errorf("a member opens the refusal log page: %d", r.Status)
		}
	})
}
