package auth_test

import (
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/auth"
	"groupcamp/core/testkit"
)

// A person gets at most auth.MaxResetsPerHour reset links an hour, whatever the number of
// requests, and every request gets the same answer.
func TestResetRequestsAreBounded(t *testing.T) {
	e := testkit.Start(t, "sqlite", testkit.Options{})
	acc := e.NewAccount()
	for i := 0; i < auth.MaxResetsPerHour+3; i++ {
		r := e.Anonymous().Post("/api/v1/password-resets", map[string]string{"email": acc.Owner.Email})
		if r.Status != http.StatusAccepted {
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
	}
	if _, ok := e.Mailbox.Last(acc.Owner.Email); !ok {
		t.Fatal("no reset mail at all")
	}
	// Every mail the requests queued is sent before counting: no event, no job left.
	e.Settle()
	n := 0
	for _, m := range e.Mailbox.Messages() {
		if m.To == acc.Owner.Email && strings.Contains(m.Text, "/password-reset/") {
			n++
		}
	}
	if n != auth.MaxResetsPerHour {
		t.Errorf("reset mails = %d, want %d", n, auth.MaxResetsPerHour)
	}
	if c := e.Count("password_resets"); c != auth.MaxResetsPerHour {
		t.Errorf("reset links = %d, want %d", c, auth.MaxResetsPerHour)
	}
}
