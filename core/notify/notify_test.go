package notify_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/automation"
	"groupcamp/core/mail"
	"groupcamp/core/testkit"
)

// TestInvitationEmail: an invitation is mailed through the queue to a real SMTP server, with a
// plain-text and an HTML part, the RFC 8058 headers and a visible report-spam link; the
// one-click POST blocks the account's email and says so in the account's audit trail.
func TestInvitationEmail(t *testing.T) {
	t.Parallel()
	withSMTP(t, func(t *testing.T, e *testkit.Env, srv *testkit.SMTPServer) {
		acc := e.NewAccount()
		link := invite(t, e, acc.Owner, acc.Slug, "Paul Martin", "paul@example.test")
		m := srv.Wait(t, "paul@example.test", 1)[0]
		if !strings.Contains(m.Subject, acc.Name) || !strings.Contains(m.Subject, acc.Owner.Name) {
			t.Errorf("subject %q", m.Subject)
		}
		if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
			t.Errorf("Content-Type %q, want multipart/alternative", ct)
		}
		unsub := unsubscribeURL(t, e, m)
		wantText(t, "text part", m.Text, "Hello Paul Martin,", "invites you to join "+acc.Name, "Accept the invitation: "+link,
			"This link works once and expires in 7 days.", "Report spam or stop all emails from "+acc.Name, unsub)
		wantText(t, "html part", m.HTML, `href="`+link+`"`, `href="`+unsub+`"`, "Report spam / stop emails from "+acc.Name)
		// The invitation's token rests sealed in the outbox, never in clear.
		var payload string
		if err := e.App.DB.NewSelect().Table("outbox").Column("payload").Where("type = 'mail.queued'").Limit(1).Scan(context.Background(), &payload); err != nil {
			t.Fatal(err)
		}
		if tok := link[strings.LastIndexByte(link, '/')+1:]; strings.Contains(payload, tok) {
			t.Errorf("the outbox holds the invitation token in clear: %s", payload)
		}

		// The confirmation page, then the one-click POST of a mail client.
		page := e.Anonymous().Get(strings.TrimPrefix(unsub, e.URL))
		want(t, "unsubscribe page", page, http.StatusOK)
		wantText(t, "unsubscribe page", string(page.Body), "Stop every email from "+acc.Name+" to paul@example.test?", "Stop emails and report spam")
		r := oneClick(t, e, unsub)
		want(t, "one-click", r, http.StatusOK)
		wantText(t, "one-click", string(r.Body), "Emails stopped", acc.Name+" will send no more emails to paul@example.test.")
		want(t, "twice", oneClick(t, e, unsub), http.StatusOK)
		r = e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/audit?action=mail.blocked")
		want(t, "audit", r, http.StatusOK)
		if items := r.Map()["items"].([]any); len(items) != 1 || items[0].(map[string]any)["target"] != "paul@example.test" {
			t.Errorf("audit of the block: %s", r.Body)
		}
		// Forged and mangled tokens are 404s.
		for _, bad := range []string{"1.2.AAAAAAAAAAAAAAAAAAAAAA", "x", strings.Repeat("9", 300), "1.2", unsub[strings.LastIndexByte(unsub, '/')+1:] + "x"} {
			if r := e.Anonymous().Get("/unsubscribe/" + bad); r.Status != http.StatusNotFound {
				t.Errorf("GET /unsubscribe/%s: %d", bad, r.Status)
			}
			if r := oneClick(t, e, e.URL+"/unsubscribe/"+bad); r.Status != http.StatusNotFound {
				t.Errorf("POST /unsubscribe/%s: %d", bad, r.Status)
			}
		}

		// Invitations from the account are blocked too (an account one reported cannot invite
		// one again by email).
		err := e.App.DB.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
			return e.App.MailQueue.Enqueue(ctx, tx, mail.Queued{Kind: mail.KindInvitation, AccountID: acc.ID, UserID: paulID(t, e), To: "paul@example.test",
				Data: map[string]string{"name": "Paul", "inviter": "Someone", "account": acc.Name}}, map[string]string{"link": link})
		})
		if err != nil {
			t.Fatal(err)
		}
		waitDeliveries(t, e, paulID(t, e), mail.KindInvitation, "blocked", 1)

		// The person, who blocked the account, still gets the password reset they ask for.
		b := e.Browser()
		if r := b.Get(strings.TrimPrefix(link, e.URL)); r.Status != http.StatusOK {
			t.Fatalf("invitation page: %d", r.Status)
		}
		r = e.Anonymous().Post("/api/v1/invitations/"+link[strings.LastIndexByte(link, '/')+1:]+"/accept", map[string]string{"name": "Paul Martin", "password": "un-mot-de-passe-long"})
		want(t, "accept", r, http.StatusOK)
		want(t, "reset", e.Anonymous().Post("/api/v1/password-resets", map[string]string{"email": "paul@example.test"}), http.StatusAccepted)
		reset := srv.Wait(t, "paul@example.test", 2)[1]
		if n := len(srv.To("paul@example.test")); n != 2 {
			t.Errorf("paul got %d emails, want the invitation and the reset", n)
		}
		wantText(t, "reset", reset.Text, "Someone asked to reset your GroupCamp password", "/password-reset/")
		if reset.Subject != "Reset your GroupCamp password" {
			t.Errorf("reset subject %q", reset.Subject)
		}
		// Every email carries the headers; a reset comes from GroupCamp itself, not an account.
		page = e.Anonymous().Get(strings.TrimPrefix(unsubscribeURL(t, e, reset), e.URL))
		want(t, "platform unsubscribe page", page, http.StatusOK)
		wantText(t, "platform unsubscribe page", string(page.Body), "Stop every email from GroupCamp to paul@example.test?", "Password-reset emails you ask for yourself are still sent.")
	})
}

// TestBlockAndLift: the rule "when a user is invited, notify the owner" emails the owner; after
// the owner's one-click block, the owner still sees the notices in the app but gets no email;
// an admin cannot lift the block, the owner can (from the profile), and so can support.
func TestBlockAndLift(t *testing.T) {
	t.Parallel()
	withSMTP(t, func(t *testing.T, e *testkit.Env, srv *testkit.SMTPServer) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, "admin")
		support := e.NewUser(acc, "support")
		ownerRule(t, e, acc, "Someone was invited")

		invite(t, e, admin, acc.Slug, "First", "first@example.test")
		m := srv.Wait(t, acc.Owner.Email, 1)[0]
		wantText(t, "notice", m.Text, "Someone was invited", "/"+acc.Slug+"/notifications")
		if !strings.Contains(m.Subject, "Someone was invited") {
			t.Errorf("notice subject %q", m.Subject)
		}
		waitUnread(t, e, acc.Owner, acc.Slug, 1)
		want(t, "block", oneClick(t, e, unsubscribeURL(t, e, m)), http.StatusOK)

		invite(t, e, admin, acc.Slug, "Second", "second@example.test")
		waitUnread(t, e, acc.Owner, acc.Slug, 2) // still in the app
		waitDeliveries(t, e, acc.Owner.ID, "notice", "blocked", 1)
		if n := len(srv.To(acc.Owner.Email)); n != 1 {
			t.Fatalf("the owner got %d emails after blocking, want still 1", n)
		}

		blocks := myBlocks(t, e, acc.Owner)
		if len(blocks) != 1 {
			t.Fatalf("owner's blocks: %v", blocks)
		}
		block := itoa(blocks[0])
		// An admin of the account cannot lift it, by any route.
		if r := e.As(admin).Post("/api/v1/me/mail-blocks/"+block+"/lift", nil); r.Status != http.StatusNotFound {
			t.Errorf("admin lifts through /me: %d", r.Status)
		}
		if r := e.As(admin).Post("/api/v1/platform/mail-blocks/"+block+"/lift", nil); r.Status != http.StatusNotFound {
			t.Errorf("admin lifts through the platform API: %d", r.Status)
		}
		ab := e.BrowserLogin(admin)
		page := ab.Get("/profile")
		if r := ab.Form("/profile/mail-blocks/"+block+"/lift", url.Values{"_csrf": {testkit.CSRFIn(page.Body)}}); r.Status != http.StatusNotFound {
			t.Errorf("admin lifts through the profile form: %d", r.Status)
		}
		if len(myBlocks(t, e, acc.Owner)) != 1 {
			t.Fatal("the block was lifted by an admin")
		}

		// The owner lifts it from the profile page.
		ob := e.BrowserLogin(acc.Owner)
		page = ob.Get("/profile")
		wantText(t, "profile", string(page.Body), "Blocked emails", acc.Name, "Allow emails again", `action="/profile/mail-blocks/`+block+`/lift"`)
		r := ob.Form("/profile/mail-blocks/"+block+"/lift", url.Values{"_csrf": {testkit.CSRFIn(page.Body)}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("owner lifts: %d %s", r.Status, r.Body)
		}
		wantText(t, "after lift", string(ob.Get("/profile").Body), "You have not blocked any account")
		invite(t, e, admin, acc.Slug, "Third", "third@example.test")
		srv.Wait(t, acc.Owner.Email, 2)

		// Blocked again; support lifts it at the owner's request.
		want(t, "block again", oneClick(t, e, unsubscribeURL(t, e, m)), http.StatusOK)
		r = e.As(support).Get("/api/v1/platform/mail-blocks?email=" + url.QueryEscape(acc.Owner.Email))
		want(t, "support lists", r, http.StatusOK)
		var recs []struct {
			ID       int64      `json:"id"`
			Account  string     `json:"account_slug"`
			LiftedAt *time.Time `json:"lifted_at"`
		}
		r.JSON(t, &recs)
		if len(recs) != 2 || recs[0].LiftedAt != nil || recs[1].LiftedAt == nil || recs[0].Account != acc.Slug {
			t.Fatalf("support sees %s", r.Body)
		}
		want(t, "support lifts", e.As(support).Post("/api/v1/platform/mail-blocks/"+itoa(recs[0].ID)+"/lift", nil), http.StatusNoContent)
		want(t, "lifted twice", e.As(support).Post("/api/v1/platform/mail-blocks/"+itoa(recs[0].ID)+"/lift", nil), http.StatusNotFound)
		if r := e.As(support).Get("/api/v1/platform/mail-blocks?email=nope"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("support with a bad email: %d", r.Status)
		}
		r = e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/audit?action=mail.unblocked")
		if items := r.Map()["items"].([]any); len(items) != 2 {
			t.Errorf("audit of the lifts: %s", r.Body)
		}
		invite(t, e, admin, acc.Slug, "Fourth", "fourth@example.test")
		srv.Wait(t, acc.Owner.Email, 3)
	})
}

// TestPreferences: off sends and shows nothing, in_app shows without email, digest shows and
// mails one digest from the daily job, once.
func TestPreferences(t *testing.T) {
	t.Parallel()
	withSMTP(t, func(t *testing.T, e *testkit.Env, srv *testkit.SMTPServer) {
		acc := e.NewAccount()
		member := e.NewUser(acc, "member")
		prefs := "/api/v1/" + acc.Slug + "/notification-preferences"
		r := e.As(member).Get(prefs)
		want(t, "prefs", r, http.StatusOK)
		wantText(t, "defaults", string(r.Body), `{"event_type":"user.invited","channel":"email"}`, `"automation.notice"`, `"workflow.transitioned"`)

		notice := func(text string) {
			t.Helper()
			err := e.App.Notify.Notify(context.Background(), e.App.DB, automation.Notice{AccountID: acc.ID, Roles: []string{"member"}, EventType: "user.invited", Text: text})
			if err != nil {
				t.Fatal(err)
			}
		}
		set := func(ch string) {
			t.Helper()
			r := e.As(member).Put(prefs, map[string]any{"preferences": []map[string]string{{"event_type": "user.invited", "channel": ch}}})
			want(t, "set "+ch, r, http.StatusOK)
			wantText(t, "set "+ch, string(r.Body), `{"event_type":"user.invited","channel":"`+ch+`"}`)
		}

		set("off")
		notice("Nothing at all")
		if n := unread(t, e, member, acc.Slug); n != 0 || queuedMail(t, e, member.Email) != 0 {
			t.Fatalf("off: %d unread, %d emails", n, queuedMail(t, e, member.Email))
		}

		set("in_app")
		notice("Only in the app")
		if n := unread(t, e, member, acc.Slug); n != 1 || queuedMail(t, e, member.Email) != 0 {
			t.Fatalf("in_app: %d unread, %d emails", n, queuedMail(t, e, member.Email))
		}

		set("digest")
		notice("For the digest, one")
		notice("For the digest, two")
		if n := unread(t, e, member, acc.Slug); n != 3 || queuedMail(t, e, member.Email) != 0 {
			t.Fatalf("digest: %d unread, %d emails", n, queuedMail(t, e, member.Email))
		}
		n, err := e.App.Notify.Digest(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("digest run: %d, %v", n, err)
		}
		d := find(t, srv.Wait(t, member.Email, 2), "unread notifications") // after the invitation
		wantText(t, "digest", d.Text, "2 notifications in "+acc.Name, "- For the digest, one", "- For the digest, two", "/"+acc.Slug+"/notifications")
		wantText(t, "digest html", d.HTML, "<li>For the digest, one</li>")
		if strings.Contains(d.Text, "Only in the app") || d.Subject != acc.Name+": 2 unread notifications" {
			t.Errorf("digest: %q\n%s", d.Subject, d.Text)
		}
		unsubscribeURL(t, e, d)
		if n, err := e.App.Notify.Digest(context.Background()); err != nil || n != 0 {
			t.Fatalf("second digest run: %d, %v", n, err)
		}

		// Email (the default again): at once.
		set("email")
		notice("By email")
		find(t, srv.Wait(t, member.Email, 3), "By email")

		// Bad preferences are refused with the entry named, and change nothing.
		for _, body := range []map[string]any{
			{"preferences": []map[string]string{{"event_type": "user.invited", "channel": "pigeon"}}},
			{"preferences": []map[string]string{{"event_type": "no.such.type", "channel": "off"}}},
			{"preferences": []map[string]string{{"event_type": "user.invited", "channel": "off"}, {"event_type": "user.invited", "channel": "in_app"}}},
			{"preferences": []map[string]string{}},
		} {
			r := e.As(member).Put(prefs, body)
			if r.Status != http.StatusUnprocessableEntity || len(r.FieldErrors()) == 0 {
				t.Errorf("bad prefs %v: %d %s", body, r.Status, r.Body)
			}
		}
		if r := e.As(member).Put(prefs, map[string]any{"preferences": "off"}); r.Status != http.StatusBadRequest {
			t.Errorf("malformed prefs: %d", r.Status)
		}
		wantText(t, "unchanged", string(e.As(member).Get(prefs).Body), `{"event_type":"user.invited","channel":"email"}`)

		// The preferences page.
		b := e.BrowserLogin(member)
		page := b.Get("/" + acc.Slug + "/notifications/preferences")
		want(t, "prefs page", page, http.StatusOK)
		wantText(t, "prefs page", string(page.Body), "Notification preferences", `<label for="f-pref_user.invited">A person is invited</label>`, "In the app and in a daily email digest")
		form := url.Values{"_csrf": {testkit.CSRFIn(page.Body)}}
		for _, typ := range e.App.Notify.EventTypes {
			form.Set("pref_"+typ, "email")
		}
		form.Set("pref_user.invited", "pigeon")
		r = b.Form("/"+acc.Slug+"/notifications/preferences", form)
		want(t, "bad prefs form", r, http.StatusUnprocessableEntity)
		wantText(t, "bad prefs form", string(r.Body), "must be one of: email, in_app, digest, off")
		form.Set("pref_user.invited", "in_app")
		if r := b.Form("/"+acc.Slug+"/notifications/preferences", form); r.Status != http.StatusSeeOther {
			t.Fatalf("prefs form: %d %s", r.Status, r.Body)
		}
		wantText(t, "saved", string(e.As(member).Get(prefs).Body), `{"event_type":"user.invited","channel":"in_app"}`)
	})
}

// TestRuleEmailsOwner: the rule "when a user is invited, email the owner", made through the
// automation API; an invitation; the owner's email at the SMTP server, in the owner's language.
func TestRuleEmailsOwner(t *testing.T) {
	t.Parallel()
	withSMTP(t, func(t *testing.T, e *testkit.Env, srv *testkit.SMTPServer) {
		acc := e.NewAccount()
		if _, err := e.App.DB.NewUpdate().Table("users").Set("locale = 'fr'").Where("id = ?", acc.Owner.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		ownerRule(t, e, acc, "Une personne a été invitée")
		invite(t, e, acc.Owner, acc.Slug, "Zoé", "zoe@example.test")
		m := srv.Wait(t, acc.Owner.Email, 1)[0]
		wantText(t, "french notice", m.Text, "Une personne a été invitée", "Voir vos notifications", "Signaler comme spam")
		wantText(t, "french html", m.HTML, `lang="fr"`, "Signaler comme spam")
		if m.Subject != acc.Name+": Une personne a été invitée" {
			t.Errorf("subject %q", m.Subject)
		}
		// The invitee's email is in the account's language (English), the owner's notice in French.
		wantText(t, "invitation", srv.Wait(t, "zoe@example.test", 1)[0].Text, "Hello Zoé,")
		waitUnread(t, e, acc.Owner, acc.Slug, 1)
	})
}

// TestSendRetries: a message the mail server refuses is retried by the job broker until it
// goes through.
func TestSendRetries(t *testing.T) {
	t.Parallel()
	withSMTP(t, func(t *testing.T, e *testkit.Env, srv *testkit.SMTPServer) {
		acc := e.NewAccount()
		srv.SetRefuse(func(to string) error { return errors.New("mailbox busy, try later") })
		invite(t, e, acc.Owner, acc.Slug, "Retry Me", "retry@example.test")
		waitRetry(t, e)
		// Meanwhile the message is still queued, and the dev mailbox view renders it.
		queued, err := e.App.Notify.Queued(context.Background())
		if err != nil || len(queued) != 1 || queued[0].To != "retry@example.test" || !strings.Contains(queued[0].Subject, "invites you to") {
			t.Errorf("queued: %+v, %v", queued, err)
		}
		srv.SetRefuse(nil)
		if m := srv.Wait(t, "retry@example.test", 1)[0]; !strings.Contains(m.Text, "Hello Retry Me,") {
			t.Errorf("retried mail: %s", m.Text)
		}
		waitDeliveries(t, e, userIDOf(t, e, "retry@example.test"), mail.KindInvitation, "sent", 1)
		if queued, _ := e.App.Notify.Queued(context.Background()); len(queued) != 0 {
			t.Errorf("still queued after sending: %+v", queued)
		}
	})
}

func paulID(t testing.TB, e *testkit.Env) int64 { return userIDOf(t, e, "paul@example.test") }

// userIDOf is the user id of an email address.
func userIDOf(t testing.TB, e *testkit.Env, email string) int64 {
	t.Helper()
	var id int64
	if err := e.App.DB.NewSelect().Table("users").Column("id").Where("email = ?", email).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// find returns the message whose subject contains s.
func find(t testing.TB, msgs []testkit.SMTPMessage, s string) testkit.SMTPMessage {
	t.Helper()
	for _, m := range msgs {
		if strings.Contains(m.Subject, s) {
			return m
		}
	}
	t.Fatalf("no message about %q among %d", s, len(msgs))
	return testkit.SMTPMessage{}
}

// waitRetry waits until a mail:send job waits for its retry.
func waitRetry(t testing.TB, e *testkit.Env) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		tasks, _ := e.App.Jobs.Inspector.ListRetryTasks(e.App.Jobs.Queue("default"))
		for _, ti := range tasks {
			if ti.Type == "mail:send" && strings.Contains(ti.LastErr, "mailbox busy") {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no mail:send job is waiting for a retry")
}
