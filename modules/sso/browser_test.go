package sso_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserTwoFactor: the account requires two-factor sign-in; a member who signs in is
// sent to set it up, scans (reads) the key beside the QR code, confirms with the code their
// app would show (computed here), reads their recovery codes; then, in another browser, signs
// in with the password, is asked for the code, gives the next one and ticks "remember this
// device", and lands in the account.
func TestBrowserTwoFactor(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	acc := e.NewAccount()
	member := e.NewUser(acc, actor.RoleMember)
	if r := e.As(acc.Owner).Put("/api/v1/"+acc.Slug+"/sso", map[string]any{"require_totp": true}); r.Status != http.StatusOK {
		t.Fatalf("require two-factor: %d %s", r.Status, r.Body)
	}
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
	tab.Go("/login")
	tab.Fill("Email", member.Email)
	tab.Fill("Password", member.Password)
	tab.Submit("Sign in")
	tab.WantText("requires two-factor sign-in", "Two-factor sign-in is off")
	tab.Submit("Set up an authenticator app")
	tab.WantText("Scan this code with your app")
	secret := tab.TextOf("totp-secret")
	if len(secret) < 16 {
		t.Fatalf("the key shown: %q", secret)
	}
	tab.Screenshot("two-factor-enrol")
	now := time.Now()
	code, err := totp.GenerateCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	tab.Fill("Code", code)
	tab.Submit("Turn on")
	tab.WaitText("Your recovery codes", "Two-factor sign-in is on")
	if n := strings.Count(tab.Text(), "-"); n < 10 {
		t.Errorf("the recovery codes are not all shown: %s", tab.Text())
	}

	other := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
	other.Go("/login")
	other.Fill("Email", member.Email)
	other.Fill("Password", member.Password)
	other.Submit("Sign in")
	other.WantText("Enter your code", "Remember this device for 30 days")
	other.Screenshot("two-factor-sign-in")
	// The code the app shows in the next step (the confirmation used the current one).
	next, _ := totp.GenerateCode(secret, now.Add(30*time.Second))
	other.Fill("Code", next)
	other.Check("Remember this device for 30 days")
	other.Submit("Verify")
	if p := other.Path(); p != "/"+acc.Slug {
		t.Fatalf("after the code: at %s: %s", p, other.Text())
	}

	// The owner, who has not turned it on either, is sent to set it up from any page; once it
	// is on, they find the requirement on the administration's Sign-in page.
	admin := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
	admin.Go("/login")
	admin.Fill("Email", acc.Owner.Email)
	admin.Fill("Password", acc.Owner.Password)
	admin.Submit("Sign in")
	admin.Go("/" + acc.Slug + "/admin/sign-in")
	admin.WantText("requires two-factor sign-in", "Two-factor sign-in is off")
	admin.Submit("Set up an authenticator app")
	ownerCode, err := totp.GenerateCode(admin.TextOf("totp-secret"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	admin.Fill("Code", ownerCode)
	admin.Submit("Turn on")
	admin.WaitText("Your recovery codes")
	admin.Go("/" + acc.Slug + "/admin/sign-in")
	admin.WantText("Single sign-on (OpenID Connect)", "Require two-factor sign-in of everyone in the account", "/sso/callback")
	admin.Screenshot("sign-in-settings")
}
