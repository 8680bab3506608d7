package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"groupcamp/core/config"
	"groupcamp/core/mail"
	"groupcamp/core/testkit"
)

// withSMTP runs fn on every database with an App that mails through a real SMTP server.
func withSMTP(t *testing.T, fn func(t *testing.T, e *testkit.Env, srv *testkit.SMTPServer)) {
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			srv := testkit.StartSMTP(t)
			e := testkit.Start(t, kind, testkit.Options{Config: func(c *config.Config) { c.SMTPURL = srv.URL() }})
			fn(t, e, srv)
		})
	}
}

func want(t testing.TB, what string, r *testkit.Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: %d, want %d: %.500s", what, r.Status, status, r.Body)
	}
}

func wantText(t testing.TB, what string, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s: no %q in:\n%.3000s", what, p, body)
		}
	}
}

func id(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

func path(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprintf(&b, "/%v", p)
	}
	return b.String()
}

// invite invites a person (without accepting) and returns the invitation link.
func invite(t testing.TB, e *testkit.Env, by *testkit.User, slug, name, email string) string {
	t.Helper()
	r := e.As(by).Post("/api/v1/"+slug+"/users", map[string]any{"name": name, "email": email, "role": "member"})
	want(t, "invite "+email, r, http.StatusCreated)
	return r.Map()["invitation_url"].(string)
}

// ownerRule makes the rule "when a user is invited, notify the owner" through the API.
func ownerRule(t testing.TB, e *testkit.Env, acc *testkit.Account, message string) {
	t.Helper()
	// Invitations made before the rule exists must not reach it, however late their events
	// are delivered.
	e.Settle()
	r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/automation-rules", map[string]any{
		"name": "Tell the owner", "event_type": "user.invited",
		"actions": []map[string]any{{"type": "notify", "roles": []string{"owner"}, "message": message}},
	})
	want(t, "create rule", r, http.StatusCreated)
}

// unread returns the user's unread count through the API.
func unread(t testing.TB, e *testkit.Env, u *testkit.User, slug string) int {
	t.Helper()
	r := e.As(u).Get("/api/v1/" + slug + "/notifications/unread-count")
	want(t, "unread count", r, http.StatusOK)
	return int(id(r.Map()["unread"]))
}

// waitUnread waits until the user has n unread notifications (rules run in the background).
func waitUnread(t testing.TB, e *testkit.Env, u *testkit.User, slug string, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for got := unread(t, e, u, slug); got != n; got = unread(t, e, u, slug) {
		if time.Now().After(deadline) {
			t.Fatalf("%s has %d unread notifications, want %d", u.Email, got, n)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// waitDeliveries waits until n emails of kind to userID had the outcome.
func waitDeliveries(t testing.TB, e *testkit.Env, userID int64, kind, outcome string, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, err := e.App.DB.NewSelect().Table("mail_deliveries").Where("user_id = ? AND kind = ? AND outcome = ?", userID, kind, outcome).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if int(got) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d %s emails to user %d were %s, want %d", got, kind, userID, outcome, n)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// queuedMail counts the notices and digests queued to email so far.
func queuedMail(t testing.TB, e *testkit.Env, email string) int {
	t.Helper()
	n, err := e.App.DB.NewSelect().Table("outbox").Where("type = 'mail.queued' AND payload LIKE ?", `%"to":"`+email+`"%`).
		Where(`(payload LIKE '{"kind":"notice",%' OR payload LIKE '{"kind":"digest",%')`).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

var unsubRe = regexp.MustCompile(`^<(https?://[^>]+/unsubscribe/([^>]+))>$`)

// unsubscribeURL checks the RFC 8058 headers of m and returns its one-click URL.
func unsubscribeURL(t testing.TB, e *testkit.Env, m testkit.SMTPMessage) string {
	t.Helper()
	lu := m.Header.Get("List-Unsubscribe")
	sm := unsubRe.FindStringSubmatch(lu)
	if sm == nil || !strings.HasPrefix(sm[1], e.URL+"/unsubscribe/") {
		t.Fatalf("List-Unsubscribe = %q", lu)
	}
	if p := m.Header.Get("List-Unsubscribe-Post"); p != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", p)
	}
	// Every email says it is ours, so that our receiver drops it when it comes back.
	if v := m.Header.Get(mail.LoopHeader); v == "" {
		t.Errorf("no %s header", mail.LoopHeader)
	}
	return sm[1]
}

// oneClick does what a mail client does with List-Unsubscribe-Post (RFC 8058): a POST without
// cookies or CSRF token.
func oneClick(t testing.TB, e *testkit.Env, link string) *testkit.Response {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return e.Anonymous().Send(http.MethodPost, strings.TrimPrefix(link, e.URL), h, strings.NewReader(url.Values{"List-Unsubscribe": {"One-Click"}}.Encode()))
}

// myBlocks returns the ids of the user's blocks in force.
func myBlocks(t testing.TB, e *testkit.Env, u *testkit.User) []int64 {
	t.Helper()
	r := e.As(u).Get("/api/v1/me/mail-blocks")
	want(t, "my blocks", r, http.StatusOK)
	var out []struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &out)
	ids := make([]int64, len(out))
	for i, b := range out {
		ids[i] = b.ID
	}
	return ids
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
