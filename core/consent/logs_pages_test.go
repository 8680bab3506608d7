package consent_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"groupcamp/core/consent"
	"groupcamp/core/testkit"
)

var pagerLink = regexp.MustCompile(`rel="(prev|next)" href="([^"]*)"`)

// pager returns the page's newer (prev) and older (next) links.
func pager(r *testkit.Response) (newer, older string) {
	for _, m := range pagerLink.FindAllStringSubmatch(r.String(), -1) {
		if m[1] == "prev" {
			newer = html.UnescapeString(m[2])
		} else {
			older = html.UnescapeString(m[2])
		}
	}
	return newer, older
}

// wantRoutes checks that the page shows the entries from..to (route /r/N, newest first) and
// no other.
func wantRoutes(t *testing.T, what string, r *testkit.Response, from, to, total int) {
	t.Helper()
	wantStatus(t, what, r, http.StatusOK)
	for i := 1; i <= total; i++ {
		in := strings.Contains(r.String(), fmt.Sprintf("<code>/r/%d</code>", i))
		if want := i <= from && i >= to; in != want {
			t.Fatalf("%s: entry %d shown %v, want %v", what, i, in, want)
		}
	}
	if i, j := strings.Index(r.String(), fmt.Sprintf("/r/%d<", from)), strings.Index(r.String(), fmt.Sprintf("/r/%d<", to)); from != to && i > j {
		t.Errorf("%s: not newest first", what)
	}
}

// TestConsoleLogsPaged: the console's application log shows 50 lines a page, newest first,
// with older/newer links that keep the filters, and an empty state.
func TestConsoleLogsPaged(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		quiet := e.NewAccount()
		support := e.NewPlatformUser("support")
		grant(t, e, acc, "logs", time.Now().Add(time.Hour))
		grant(t, e, quiet, "logs", time.Now().Add(time.Hour))
		const total = 120
		entries := make([]consent.LogEntry, total)
		for i := range entries {
			entries[i] = consent.LogEntry{AccountID: acc.ID, CreatedAt: time.Now().UTC(), RequestID: fmt.Sprintf("req-%d", i+1),
				Method: "GET", Route: fmt.Sprintf("/r/%d", i+1), Status: 200}
			if (i+1)%2 == 0 {
				entries[i].Status, entries[i].Error = 500, "Internal Server Error"
			}
		}
		if _, err := e.App.DB.NewInsert().Model(&entries).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		sup := e.BrowserLogin(support)
		base := "/platform/accounts/" + acc.Slug + "/logs"

		// Newest first, 50 a page; older, then newer again.
		r := sup.Get(base)
		wantRoutes(t, "first page", r, 120, 71, total)
		newer, older := pager(r)
		if newer != "" || !strings.HasPrefix(older, base+"?cursor=") {
			t.Fatalf("first page links: newer %q, older %q", newer, older)
		}
		r = sup.Get(older)
		wantRoutes(t, "second page", r, 70, 21, total)
		newer, older = pager(r)
		if !strings.HasPrefix(newer, base+"?before=") || older == "" {
			t.Fatalf("second page links: newer %q, older %q", newer, older)
		}
		r = sup.Get(older)
		wantRoutes(t, "last page", r, 20, 1, total)
		newer, older = pager(r)
		if newer == "" || older != "" {
			t.Fatalf("last page links: newer %q, older %q", newer, older)
		}
		r = sup.Get(newer)
		wantRoutes(t, "back to the second page", r, 70, 21, total)
		newer, _ = pager(r)
		r = sup.Get(newer)
		wantRoutes(t, "back to the first page", r, 120, 71, total)
		if newer, _ = pager(r); newer != "" {
			t.Errorf("the newest page links to newer lines: %q", newer)
		}

		// The filters stay in the links: 60 errors are two pages.
		r = sup.Get(base + "?status=errors")
		wantStatus(t, "errors", r, http.StatusOK)
		wantIn(t, "errors", r, `<option value="errors" selected>`, "/r/120<", "/r/22<")
		if strings.Contains(r.String(), "/r/119<") || strings.Contains(r.String(), "/r/20<") {
			t.Error("the errors filter shows a success, or more than 50 lines")
		}
		_, older = pager(r)
		if !strings.Contains(older, "status=errors") {
			t.Fatalf("the older link drops the filter: %q", older)
		}
		r = sup.Get(older)
		wantIn(t, "older errors", r, "/r/20<", "/r/2<")
		if strings.Contains(r.String(), "/r/1<") {
			t.Error("the older errors page shows a success")
		}
		if newer, older = pager(r); !strings.Contains(newer, "status=errors") || older != "" {
			t.Errorf("older errors links: newer %q, older %q", newer, older)
		}
		r = sup.Get(base + "?request_id=req-7")
		wantIn(t, "one request", r, "/r/7<", `value="req-7"`)
		if strings.Contains(r.String(), "/r/8<") {
			t.Error("the request filter shows another request")
		}

		// Empty states: nothing matches, nothing recorded.
		r = sup.Get(base + "?status=errors&request_id=req-7")
		wantStatus(t, "no match", r, http.StatusOK)
		wantIn(t, "no match", r, "No line matches these filters.", `href="`+base+`"`)
		if _, err := e.App.DB.NewDelete().Model((*consent.LogEntry)(nil)).Where("account_id = ?", quiet.ID).Exec(context.Background()); err != nil {
			t.Fatal(err) // the grant's own request
		}
		r = sup.Get("/platform/accounts/" + quiet.Slug + "/logs")
		wantStatus(t, "empty log", r, http.StatusOK)
		wantIn(t, "empty log", r, "Nothing recorded yet.")

		// What the page did not give is a 422.
		for _, q := range []string{"?cursor=nope", "?before=%%%", "?status=bad", "?cursor=" + "MQ" + "&before=MQ"} {
			if r := sup.Get(base + q); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", q, r.Status)
			}
		}
	})
}
