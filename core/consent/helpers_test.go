package consent_test

// Helpers of the consent tests: grants through the API, partners through the identity
// service (as `groupcamp platform manage` does), audit-trail lookups, and small assertions.

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
)

func wantStatus(t testing.TB, what string, r *testkit.Response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d; body: %.800s", what, r.Status, want, r.Body)
	}
}

// wantField checks a 422 problem with a message for field.
func wantField(t testing.TB, what string, r *testkit.Response, field string) {
	t.Helper()
	wantStatus(t, what, r, http.StatusUnprocessableEntity)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("%s: not problem+json: %s", what, r.Header.Get("Content-Type"))
	}
	if strings.TrimSpace(r.FieldErrors()[field]) == "" {
		t.Errorf("%s: no message for %q in %s", what, field, r.Body)
	}
}

// grant gives a support grant of scope until `until` as the owner and returns its id.
func grant(t testing.TB, e *testkit.Env, acc *testkit.Account, scope string, until time.Time) int64 {
	t.Helper()
	r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/support-grants", map[string]any{
		"scope": scope, "expires_at": until.UTC().Format(time.RFC3339), "reason": "ticket about " + scope})
	wantStatus(t, "grant "+scope, r, http.StatusCreated)
	var g struct {
		ID     int64 `json:"id"`
		Active bool  `json:"active"`
	}
	r.JSON(t, &g)
	if g.ID == 0 || !g.Active {
		t.Fatalf("grant %s: %s", scope, r.Body)
	}
	return g.ID
}

func revoke(t testing.TB, e *testkit.Env, acc *testkit.Account, id int64) {
	t.Helper()
	wantStatus(t, "revoke", e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/support-grants/"+itoa(id)+"/revoke", nil), http.StatusOK)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// manage makes partner the manager of acc.
func manage(t testing.TB, e *testkit.Env, partner *testkit.User, acc *testkit.Account) {
	t.Helper()
	if err := e.App.Identity.SetPartner(context.Background(), partner.Email, acc.Slug); err != nil {
		t.Fatal(err)
	}
}

// auditActions lists the actions of the account's audit trail by the user, oldest first.
func auditActions(t testing.TB, e *testkit.Env, acc *testkit.Account, userID int64) []string {
	t.Helper()
	var out []string
	err := e.App.DB.NewSelect().TableExpr("audit_events").Column("action").
		Where("account_id = ? AND actor_id = ?", acc.ID, userID).OrderExpr("id").Scan(context.Background(), &out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return int(n)
}

// logCount is the number of application-log entries of the account.
func logCount(t testing.TB, e *testkit.Env, acc *testkit.Account) int {
	t.Helper()
	n, err := e.App.DB.NewSelect().TableExpr("app_logs").Where("account_id = ?", acc.ID).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// keys returns the sorted keys of a JSON object.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func containsFold(b []byte, s string) bool {
	return strings.Contains(strings.ToLower(string(b)), strings.ToLower(s))
}
