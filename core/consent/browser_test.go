package consent_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"groupcamp/core/consent"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

func TestMain(m *testing.M) {
	code := m.Run()
	browser.Close()
	os.Exit(code)
}

// TestBrowserConsoleLogsAndProfile photographs the console's application log (one page of 50
// lines under the navigation that leads to the failed jobs) and a member's profile (account
// switcher and bell).
func TestBrowserConsoleLogsAndProfile(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", testkit.Options{})
	acc := e.NewAccount()
	member := e.NewUser(acc, "member")
	support := e.NewPlatformUser("support")
	grant(t, e, acc, "logs", time.Now().Add(time.Hour))
	entries := make([]consent.LogEntry, 130)
	for i := range entries {
		entries[i] = consent.LogEntry{AccountID: acc.ID, CreatedAt: time.Now().UTC().Add(time.Duration(i-130) * time.Minute), RequestID: fmt.Sprintf("req-%04d", i+1),
			Method: "GET", Route: "/:slug/projects/:id", Status: 200, DurationUS: int64(300 + i*37)}
		if i%9 == 0 {
			entries[i].Status, entries[i].Error = 404, "Not Found"
		}
	}
	if _, err := e.App.DB.NewInsert().Model(&entries).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	opts := browser.Options{BaseURL: e.URL}

	in := func(u *testkit.User) *browser.Tab {
		tab := b.NewTab(t, opts)
		tab.Go("/login")
		tab.Fill("Email", u.Email)
		tab.Fill("Password", u.Password)
		tab.Submit("Sign in")
		return tab
	}
	sup := in(support)
	sup.Go("/platform/accounts/" + acc.Slug + "/logs")
	sup.WantText("Application log", "Failed jobs", "Older")
	sup.Screenshot("console-logs")
	sup.Follow("Older →")
	sup.WantText("Newer")
	sup.Screenshot("console-logs-older")
	sup.Go("/platform/accounts/" + acc.Slug + "/logs?status=errors&request_id=nothing")
	sup.WantText("No line matches these filters.")
	sup.Screenshot("console-logs-empty")

	mem := in(member)
	mem.Go("/profile?from=" + acc.Slug)
	mem.Screenshot("profile")
}
