package timesheet_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// reportWords are what a manager reads and clicks on the reports page, in their language.
type reportWords struct {
	lang, email, password, signIn, nav, reports, period, custom, group, project, show, chart, empty, thenBy, person string
}

var reportStory = []reportWords{
	{"en", "Email", "Password", "Sign in", "Timesheet", "Reports", "Period", "Custom", "Group by", "Project", "Show", "Chart", "No time in this period", "Then by", "Person"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Temps", "Rapports", "Période", "Personnalisée", "Regrouper par", "Projet", "Afficher", "Graphique", "Aucun temps sur cette période", "Puis par", "Personne"},
	{"ru", "Эл. почта", "Пароль", "Войти", "Табель", "Отчёты", "Период", "Произвольный", "Группировать по", "Проект", "Показать", "Диаграмма", "За этот период времени нет", "Затем по", "Сотрудник"},
}

// TestBrowserReports: a manager goes from their timesheet to the reports, picks November 2026
// and the grouping by project, reads the chart and the totals, and downloads the CSV (its
// lines checked); the same page with a month of no time says so.
func TestBrowserReports(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	for _, w := range reportStory {
		t.Run(w.lang, func(t *testing.T) {
			o, _ := reportOffice(t, e)
			team := o.created(t, e.As(o.owner), "/teams", map[string]any{"name": "Web"})
			for _, u := range []*testkit.User{o.lead, o.mem} {
				if r := e.As(o.owner).Put(fmt.Sprintf("%s/teams/%d/members/%d", o.base, team, u.ID), nil); r.Status >= 300 {
					t.Fatalf("team: %d %s", r.Status, r.Body)
				}
			}
			tab := signIn(t, b, e, w.lang, [3]string{w.email, w.password, w.signIn}, o.lead)
			tab.Go("/" + o.acc.Slug)
			tab.Nav(w.nav)
			tab.Follow(w.reports)
			tab.Select(w.period, w.custom)
			browser.Evaluate[bool](tab, "the period", `(document.getElementById("f-from").value = "2026-11-01", document.getElementById("f-to").value = "2026-11-30", true)`)
			tab.Select(w.group, w.project)
			tab.Submit(w.show)
			tab.WantText(w.chart, "Website", "2026-11-01")
			if got := tab.TextOf("report-total"); got != "4:15" { // the lead's team (the member, themself) and their project, not Intranet
				t.Errorf("total %q, want 4:15\n%s", got, tab.Text())
			}
			if n := browser.Evaluate[int](tab, "the bars", `document.querySelectorAll("#report-chart rect").length`); n != 4 {
				t.Errorf("%d bars' parts, want 4 (two rows)", n)
			}
			tab.Screenshot("timesheet-reports-" + w.lang)
			browser.Evaluate[bool](tab, "download the CSV", `(fetch(document.getElementById("export-csv").href).then(r => r.text()).then(t => window.__csv = t), true)`)
			tab.WaitFor("the CSV", `window.__csv`)
			lines, err := csv.NewReader(strings.NewReader(browser.Evaluate[string](tab, "the CSV", `window.__csv`))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != 4 || lines[1][1] != "Website" || lines[1][2] != "195" || lines[3][1] != "Total" || lines[3][2] != "255" {
				t.Errorf("csv: %q", lines)
			}
			tab.Select(w.thenBy, w.person)
			tab.Submit(w.show)
			tab.WantText(o.mem.Name, o.lead.Name)
			if n := browser.Evaluate[int](tab, "the nested rows", `document.querySelectorAll("#report-table tr.sub").length`); n != 3 {
				t.Errorf("%d rows by person, want 3 (two on Website, one on no project)", n)
			}
			tab.Screenshot("timesheet-reports-then-" + w.lang)
			browser.Evaluate[bool](tab, "another period", `(document.getElementById("f-from").value = "2025-01-01", document.getElementById("f-to").value = "2025-01-31", true)`)
			tab.Submit(w.show)
			tab.WantText(w.empty)
		})
	}
}

// invoiceWords are what an administrator reads and clicks on the invoicing page.
type invoiceWords struct {
	lang, email, password, signIn, invoicing, client, show, export, exported, nothing string
}

var invoiceStory = []invoiceWords{
	{"en", "Email", "Password", "Sign in", "Invoicing", "Client", "Show the draft", "Export and mark as invoiced", "The lines are exported", "Nothing to invoice"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Facturation", "Client", "Afficher le brouillon", "Exporter et marquer comme facturé", "Les lignes sont exportées", "Rien à facturer"},
}

// TestBrowserInvoicing: an administrator goes from the reports to the invoicing, shows the
// draft of the client company for November 2026 (the member's approved week at the project's
// rate), exports it after the confirmation, and the lines leave the draft for the batches.
func TestBrowserInvoicing(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	for _, w := range invoiceStory {
		t.Run(w.lang, func(t *testing.T) {
			o, co := invoicingOffice(t, e)
			admin := e.NewUser(o.acc, actor.RoleAdmin)
			tab := signIn(t, b, e, w.lang, [3]string{w.email, w.password, w.signIn}, admin)
			tab.Go("/" + o.acc.Slug + "/timesheet/reports")
			tab.Follow(w.invoicing)
			browser.Evaluate[bool](tab, "the client and the period", fmt.Sprintf(`(document.getElementById("i-client").value = "%d", document.getElementById("i-from").value = "2026-11-01", document.getElementById("i-to").value = "2026-11-30", true)`, co))
			tab.Submit(w.show)
			tab.WantText(o.mem.Name, "Website", "2:30", "120.00")
			if got := tab.TextOf("draft-amount"); !strings.HasPrefix(got, "300.00") {
				t.Errorf("draft amount %q, want 300.00", got)
			}
			tab.Screenshot("timesheet-invoicing-draft-" + w.lang)
			browser.Evaluate[bool](tab, "preview the CSV", `(fetch(document.querySelector("a[href*='invoicing/lines.csv']").href).then(r => r.text()).then(t => window.__csv = t), true)`)
			tab.WaitFor("the CSV", `window.__csv`)
			if got := browser.Evaluate[string](tab, "the CSV", `window.__csv`); !strings.Contains(got, "Website") || !strings.Contains(got, "300.00") {
				t.Errorf("draft csv: %s", got)
			}
			browser.Evaluate[bool](tab, "accept the confirmation", `(window.confirm = () => true, true)`)
			tab.Submit(w.export)
			tab.WaitText(w.exported, w.nothing)
			if n := browser.Evaluate[int](tab, "the batches", `document.querySelectorAll("#batch-table tbody tr").length`); n != 1 {
				t.Errorf("%d batches listed, want 1", n)
			}
			if n := browser.Evaluate[int](tab, "the draft", `document.querySelectorAll("#draft-table").length`); n != 0 {
				t.Errorf("the exported lines are still drafted")
			}
			tab.Screenshot("timesheet-invoicing-exported-" + w.lang)
		})
	}
}

// signIn opens a tab in the language and signs the person in; words are the labels of the
// email and password fields and the sign-in button, in that language.
func signIn(t *testing.T, b *browser.Browser, e *testkit.Env, lang string, words [3]string, u *testkit.User) *browser.Tab {
	t.Helper()
	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: lang, Shots: os.Getenv("GROUPCAMP_SCREENSHOTS")})
	tab.Go("/login")
	tab.Fill(words[0], u.Email)
	tab.Fill(words[1], u.Password)
	tab.Submit(words[2])
	return tab
}
