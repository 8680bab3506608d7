package admin_test

import (
	"strings"
	"testing"
	"time"

	"groupcamp/core/config"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserRuleEmailsTheOwner: in a real Chromium, the owner makes the rule "when a user is
// invited, notify the owner" on the automation page, invites a colleague on the people page,
// and sees the bell go to 1; the notice is on the notifications page, and its email is at a
// real SMTP server, with its report-spam link.
func TestBrowserRuleEmailsTheOwner(t *testing.T) {
	b := browser.Shared(t)
	srv := testkit.StartSMTP(t)
	e := startWith(t, func(c *config.Config) { c.SMTPURL = srv.URL() })
	acc := e.NewAccount()
	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en-GB,en;q=0.9"})

	tab.Go("/login")
	tab.Fill("Email", acc.Owner.Email)
	tab.Fill("Password", acc.Owner.Password)
	tab.Submit("Sign in")
	if got := tab.TextOf("bell-count"); got != "" {
		t.Fatalf("a new owner's bell shows %q", got)
	}

	tab.Go("/" + acc.Slug + "/automation")
	tab.Fill("Name", "Tell the owner about invitations")
	tab.Fill("When this event happens", "user.invited")
	tab.Fill("Message", "A colleague was invited")
	tab.Submit("Create the rule")
	tab.WantText("The rule is created and on.")

	tab.Go("/" + acc.Slug + "/people")
	tab.Fill("Name", "Marc Leroy")
	tab.Fill("Email", "marc@example.test")
	tab.Select("Role", "Member")
	tab.Submit("Send the invitation")
	tab.WantText("Marc Leroy is invited")

	// The rule runs in the background: the bell goes to 1 within moments.
	deadline := time.Now().Add(15 * time.Second)
	for tab.TextOf("bell-count") != "1" {
		if time.Now().After(deadline) {
			t.Fatalf("the bell shows %q, want 1\n%s", tab.TextOf("bell-count"), tab.Text())
		}
		time.Sleep(100 * time.Millisecond)
		tab.Go("/" + acc.Slug)
	}
	tab.Screenshot("bell")
	tab.Follow("1 unread notification") // the bell's accessible label
	tab.WantText("Notifications", "A colleague was invited", "Mark all as read")
	tab.Submit("Mark all as read")
	tab.WantText("All your notifications are marked as read.")
	if got := tab.TextOf("bell-count"); got != "" {
		t.Errorf("after reading, the bell shows %q", got)
	}

	m := srv.Wait(t, acc.Owner.Email, 1)[0]
	if !strings.Contains(m.Text, "A colleague was invited") || !strings.Contains(m.HTML, "/unsubscribe/") || m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("the owner's email: %s\n%s", m.Header, m.Text)
	}
	srv.Wait(t, "marc@example.test", 1)
}
