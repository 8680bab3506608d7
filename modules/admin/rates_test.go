package admin_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestCostRateHistoryPages: changing a person's own cost rate or a job role's from a day on
// adds a period (earlier days keep theirs) shown newest first in a small table beside the
// form; the same rate saved again without a day adds none; a bad day is a field error.
func TestCostRateHistoryPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ada := e.NewUser(acc, actor.RoleMember)
		owner := e.As(acc.Owner)
		r := owner.Post("/api/v1/"+acc.Slug+"/job-roles", map[string]any{"name": "Developer", "cost_rate_minor": 5000})
		wantStatus(t, "role", r, http.StatusCreated)
		var role struct{ ID int64 }
		r.JSON(t, &role)
		s := signIn(t, e, acc.Owner)

		// The role's page: its first rate since always, then a change from a day.
		rolePage := fmt.Sprintf("/%s/capacity/roles/%d", acc.Slug, role.ID)
		wantText(t, "the role's page", s.get(rolePage), "Since always", "50.00 EUR")
		r = s.post(rolePage, form("cost_rate_minor", "55", "cost_rate_from", "2026-31-01"))
		wantStatus(t, "a bad day", r, http.StatusUnprocessableEntity)
		if fieldError(r, "cost_rate_from") == "" {
			t.Error("a bad day: no message on cost_rate_from")
		}
		wantRedirect(t, "the role's new rate", s.post(rolePage, form("cost_rate_minor", "55", "cost_rate_from", "2026-06-01")), rolePage)
		body := text(s.get(rolePage))
		if h := between(body, `id="role-rate-history"`, "</table>"); !strings.Contains(h, "2026-06-01") || strings.Index(h, "55.00") > strings.Index(h, "Since always") {
			t.Errorf("the role's history (newest first): %s", h)
		}

		// A person's own rate from a day; the same form saved again adds no period.
		person := fmt.Sprintf("/%s/people/%d", acc.Slug, ada.ID)
		profile := between(string(s.get(person).Body), `<option value="`, `"`)
		save := func(rate, from string) *testkit.Response {
			return s.post(person+"/capacity", form("profile_id", profile, "role_id", fmt.Sprint(role.ID), "cost_rate_minor", rate, "cost_rate_from", from))
		}
		wantRedirect(t, "her own rate", save("70", "2026-11-01"), person)
		wantRedirect(t, "the same again", save("70", ""), person)
		wantRedirect(t, "her role's again", save("", "2027-01-01"), person)
		h := between(text(s.get(person)), `id="cost-rate-history"`, "</table>")
		if strings.Count(h, "<tr>") != 3 || !strings.Contains(h, "2026-11-01") || !strings.Contains(h, "70.00 EUR") || !strings.Contains(h, "The job role's") {
			t.Errorf("her history: %s", h)
		}
	})
}
