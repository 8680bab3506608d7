package planning_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/planning"
)

// TestPlanCosts: planned cost against actual cost of a project — hours booked and hours
// entered, priced at the person's cost rate (a placeholder's job role's), equipment without a
// rate listed as unpriced — in the API and on the plan-vs-actual page with its chart; only
// administrators see money, bad input is a 422 naming the field.
func TestPlanCosts(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		own := e.As(o.owner)
		if r := own.Put(fmt.Sprintf("%s/users/%d/capacity", o.base, o.mem.ID), map[string]any{"cost_rate_minor": 6000}); r.Status != http.StatusOK {
			t.Fatalf("rate: %d %s", r.Status, r.Body)
		}
		role := o.created(t, own, "/job-roles", map[string]any{"name": "Designer", "cost_rate_minor": 5000})
		hire := o.created(t, e.As(o.mgr), "/resources", map[string]any{"kind": "placeholder", "name": "Designer (to hire)", "role_id": role})
		kit := o.created(t, e.As(o.mgr), "/resources", map[string]any{"kind": "equipment", "name": "Camera kit"})
		alloc := func(res int64, from, to string, minutes int) {
			o.created(t, e.As(o.mgr), "/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": from, "ends_on": to, "minutes_per_day": minutes})
		}
		alloc(o.resourceOf(t, o.mem), "2027-01-04", "2027-01-05", 240) // 8 h at 60.00
		alloc(hire, "2027-01-11", "2027-01-12", 120)                   // 4 h at 50.00
		alloc(kit, "2027-01-04", "2027-01-04", 60)                     // no rate
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2027-01-04", "minutes": 90, "project_id": o.project})
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2027-01-05", "minutes": 60, "project_id": o.project})

		path := fmt.Sprintf("%s/planning/costs?project_id=%d&from=2027-01-04&to=2027-01-17", o.base, o.project)
		r := own.Get(path)
		if r.Status != http.StatusOK {
			t.Fatalf("costs: %d %s", r.Status, r.Body)
		}
		var c planning.CostReport
		r.JSON(t, &c)
		if c.Totals.PlannedCostMinor != 68000 || c.Totals.ActualCostMinor != 15000 || c.Totals.DiffMinor != -53000 || c.Totals.PlannedMinutes != 780 || c.Totals.ActualMinutes != 150 || !c.Actuals {
			t.Errorf("totals: %+v", c.Totals)
		}
		if len(c.Weeks) != 2 || c.Weeks[0].PlannedCostMinor != 48000 || c.Weeks[0].ActualCostMinor != 15000 || c.Weeks[1].PlannedCostMinor != 20000 || c.Weeks[1].ActualCostMinor != 0 {
			t.Errorf("weeks: %+v", c.Weeks)
		}
		byName := map[string]planning.CostRow{}
		for _, row := range c.Rows {
			byName[row.Name] = row
		}
		if m := byName[o.mem.Name]; m.RateMinor != 6000 || !m.Priced || m.PlannedCostMinor != 48000 || m.ActualCostMinor != 15000 || m.UserID == nil || *m.UserID != o.mem.ID {
			t.Errorf("the member: %+v", m)
		}
		if h := byName["Designer (to hire)"]; h.RateMinor != 5000 || !h.Priced || h.PlannedCostMinor != 20000 {
			t.Errorf("the placeholder: %+v", h)
		}
		if k := byName["Camera kit"]; k.Priced || k.PlannedMinutes != 60 || k.PlannedCostMinor != 0 || len(c.Unpriced) != 1 || c.Unpriced[0] != "Camera kit" {
			t.Errorf("the equipment: %+v, unpriced %v", k, c.Unpriced)
		}

		// Money is the administrators': everyone else is refused the API and sees no costs.
		for _, u := range []*testkit.User{o.mgr, o.mem, o.cli} {
			if r := e.As(u).Get(path); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
				t.Errorf("%s: %d", u.Email, r.Status)
			}
		}
		page := fmt.Sprintf("/%s/planning/actual?project_id=%d&from=2027-01-04&to=2027-01-17", o.acc.Slug, o.project)
		if body := e.BrowserLogin(o.mgr).Get(page).String(); !strings.Contains(body, "8:00 / 2:30") || strings.Contains(body, "plan-costs") || strings.Contains(body, "480.00") {
			t.Error("a manager sees costs (or not the hours)")
		}

		// The page: the costs table and its chart, in en, fr and ru (an administrator, whose
		// language is their browser's).
		b := e.BrowserLogin(e.NewUser(o.acc, actor.RoleAdmin))
		// Amounts in the reader's format: "480.00 EUR" in English, "480,00 EUR" in French and
		// Russian.
		for lang, title := range map[string]string{"en": "Planned cost vs actual cost", "fr": "Coût prévu et coût réel", "ru": "Плановая и фактическая стоимость"} {
			r := b.Send(http.MethodGet, page, http.Header{"Accept-Language": {lang}}, nil)
			body := html.UnescapeString(r.String())
			if r.Status != http.StatusOK {
				t.Fatalf("%s page: %d", lang, r.Status)
			}
			money := func(s string) string {
				if lang == "en" {
					return s
				}
				return strings.Replace(s, ".", ",", 1)
			}
			for _, want := range []string{title, `id="cost-chart"`, `role="img"`, money("480.00 EUR"), money("150.00 EUR"), money("-530.00 EUR"), money("680.00 EUR"), "Camera kit", `class="planned"`, `class="actual"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s page lacks %q", lang, want)
				}
			}
		}

		// Rates change within the period: each day is priced at the rate in force that day,
		// the days before keep theirs (her own rate 90.00 from 5 Jan, the role's 70.00 from
		// 12 Jan).
		if r := own.Put(fmt.Sprintf("%s/users/%d/capacity", o.base, o.mem.ID), map[string]any{"cost_rate_minor": 9000, "cost_rate_from": "2027-01-05"}); r.Status != http.StatusOK {
			t.Fatalf("her new rate: %d %s", r.Status, r.Body)
		}
		if r := own.Patch(fmt.Sprintf("%s/job-roles/%d", o.base, role), map[string]any{"cost_rate_minor": 7000, "cost_rate_from": "2027-01-12"}); r.Status != http.StatusOK {
			t.Fatalf("the role's new rate: %d %s", r.Status, r.Body)
		}
		c = planning.CostReport{}
		own.Get(path).JSON(t, &c)
		byName = map[string]planning.CostRow{}
		for _, row := range c.Rows {
			byName[row.Name] = row
		}
		// 4 h at 60.00 + 4 h at 90.00; logged 1:30 at 60.00 + 1:00 at 90.00.
		if m := byName[o.mem.Name]; m.PlannedCostMinor != 60000 || m.ActualCostMinor != 18000 || m.RateMinor != 9000 || !m.RateChanged {
			t.Errorf("the member across her change: %+v", m)
		}
		// 2 h at 50.00 + 2 h at 70.00.
		if h := byName["Designer (to hire)"]; h.PlannedCostMinor != 24000 || h.RateMinor != 7000 || !h.RateChanged {
			t.Errorf("the placeholder across its role's change: %+v", h)
		}
		if c.Totals.PlannedCostMinor != 84000 || c.Totals.ActualCostMinor != 18000 || c.Weeks[0].PlannedCostMinor != 60000 || c.Weeks[1].PlannedCostMinor != 24000 {
			t.Errorf("totals across the changes: %+v %+v", c.Totals, c.Weeks)
		}
		if body := html.UnescapeString(b.Get(page).String()); !strings.Contains(body, "600.00 EUR") || !strings.Contains(body, "changed in the period") {
			t.Error("the page does not price the days at their rates, or does not say the rate changed")
		}
		// Bad input: a 422 naming the field.
		other := newOffice(t, e)
		for q, field := range map[string]string{
			"from=2027-01-04&to=2027-01-17": "project_id",
			"project_id=abc":                "project_id",
			fmt.Sprintf("project_id=%d&from=2027-02-01&to=2027-01-01", o.project): "to",
			fmt.Sprintf("project_id=%d&from=2027-13-01", o.project):               "from",
			fmt.Sprintf("project_id=%d", other.project):                           "project_id",
		} {
			r := own.Get(o.base + "/planning/costs?" + q)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Errorf("%s: %d %s", q, r.Status, r.Body)
			}
		}
	})
}
