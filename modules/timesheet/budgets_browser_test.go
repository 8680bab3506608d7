package timesheet_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// budgetWords are what the leader reads and clicks on the way, in their language.
type budgetWords struct {
	lang, email, password, signIn, nav, none, project, open, empty, hours, add, added, burn, notice, change, changeLine, save, changed, remove, removed string
	// target and design choose a line for the project's time of the Design category.
	target, design string
}

var budgetStory = []budgetWords{
	{"en", "Email", "Password", "Sign in", "Budgets", "No project has a budget yet", "Project", "Open its budget", "This project has no budget yet",
		"Planned hours", "Add the line", "The budget line is added.", "Burn-down", "The budget of Website is 80% used: past 80%.",
		"Change", "Change the line", "Save", "The budget line is changed.", "Delete", "The budget line is deleted.",
		"For", "Category: Design"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Suivi budgétaire", "Aucun projet n'a encore de budget", "Projet", "Ouvrir son budget", "Ce projet n'a pas encore de budget",
		"Heures prévues", "Ajouter la ligne", "La ligne de budget est ajoutée.", "Consommation", "The budget of Website is 80% used: past 80%.", // the notice is in the leader's own language (their profile's)
		"Modifier", "Modifier la ligne", "Enregistrer", "La ligne de budget est modifiée.", "Supprimer", "La ligne de budget est supprimée.",
		"Pour", "Catégorie : Design"},
}

// TestBrowserBudget: in English and French, a project's leader opens Budgets from the
// navigation, picks their project, adds a budget of 10 hours; a member's week of 8 hours on
// the project is approved; the page shows 80 % used and the burn-down, and the 80% alert is in
// the leader's notifications. Then a line for the project's Design time (3 of the 8 hours):
// 4 hours, 75 % used.
func TestBrowserBudget(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range budgetStory {
		t.Run(w.lang, func(t *testing.T) {
			o := newOffice(t, e)
			tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
			tab.Go("/login")
			tab.Fill(w.email, o.lead.Email)
			tab.Fill(w.password, o.lead.Password)
			tab.Submit(w.signIn)
			tab.Go("/" + o.acc.Slug)
			tab.Nav(w.nav)
			tab.WantText(w.none)
			tab.Screenshot("budgets-index-empty-" + w.lang)
			tab.Select(w.project, "Website")
			tab.Submit(w.open)
			tab.WantText(w.empty)
			tab.Fill(w.hours, "10")
			tab.Submit(w.add)
			tab.WaitText(w.added, "10 h")

			// The member's week: 8 hours on the project, 3 of them design, submitted, approved by
			// the leader.
			mem := e.As(o.mem)
			design := o.created(t, e.As(o.owner), "/time-categories", map[string]any{"name": "Design", "kind": "project"})
			o.created(t, mem, "/time-entries", map[string]any{"date": "2026-11-30", "minutes": 300, "project_id": o.project})
			o.created(t, mem, "/time-entries", map[string]any{"date": "2026-11-30", "minutes": 180, "project_id": o.project, "category_id": design})
			path := fmt.Sprintf("%s/timesheets/%d/2026-W49", o.base, o.mem.ID)
			if r := mem.Post(path+"/submit", nil); r.Status != http.StatusOK {
				t.Fatalf("submit: %d %s", r.Status, r.Body)
			}
			if r := e.As(o.lead).Post(path+"/approve", nil); r.Status != http.StatusOK {
				t.Fatalf("approve: %d %s", r.Status, r.Body)
			}

			tab.Go(fmt.Sprintf("/%s/timesheet/budgets/%d", o.acc.Slug, o.project))
			tab.WantText("80 %", "8 h", w.burn)
			if n := browser.Evaluate[int](tab, "count the chart's lines", `document.querySelectorAll("#burn-down svg polyline").length`); n != 2 {
				t.Errorf("the burn-down has %d lines, want 2", n)
			}
			tab.Screenshot("budget-" + w.lang)
			// The leader raises the budget to 16 hours: 50 % used.
			tab.Follow(w.change)
			tab.WantText(w.changeLine)
			tab.Fill(w.hours, "16")
			tab.Screenshot("budget-change-" + w.lang)
			tab.Submit(w.save)
			tab.WaitText(w.changed, "16 h", "50 %")
			budgetPage := tab.Path()
			tab.Go("/" + o.acc.Slug + "/notifications")
			tab.WantText(w.notice)
			tab.Screenshot("budget-notice-" + w.lang)
			// Deleting asks first (data-confirm): the tab accepts the dialog.
			tab.Go(budgetPage)
			browser.Evaluate[bool](tab, "accept confirmations", `window.confirm = () => true; true`)
			tab.Submit(w.remove)
			tab.WaitText(w.removed, w.empty)
			// A line for the Design time alone.
			tab.Select(w.target, w.design)
			tab.Fill(w.hours, "4")
			tab.Submit(w.add)
			tab.WaitText(w.added, w.design, "4 h", "3 h", "75 %")
			// Without a total line the budget is its lines: 3 of its 4 hours are spent.
			if got := browser.Evaluate[string](tab, "read the totals", `document.getElementById("budget-totals").textContent`); !strings.Contains(got, "3 h") || !strings.Contains(got, "4 h") {
				t.Errorf("the budget's totals: %q", got)
			}
			tab.Screenshot("budget-category-" + w.lang)
		})
	}
}
