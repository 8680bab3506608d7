package timesheet_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// gridWords are what a person reads and clicks on the way, in their language.
type gridWords struct {
	lang, email, password, signIn, nav, empty, rowToAdd, add, saved, submit, submitted, state, approve, approved, locked string
}

var gridStory = []gridWords{
	{"en", "Email", "Password", "Sign in", "Timesheet", "No time this week", "Row to add", "Add the row", "The week is saved.",
		"Submit the week", "The week is submitted for approval.", "Submitted", "Approve the week", "The week is approved and locked.", "This week is locked"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Temps", "Aucun temps cette semaine", "Ligne à ajouter", "Ajouter la ligne", "La semaine est enregistrée.",
		"Soumettre la semaine", "La semaine est soumise pour approbation.", "Soumise", "Approuver la semaine", "La semaine est approuvée et verrouillée.", "Cette semaine est verrouillée"},
	{"ru", "Эл. почта", "Пароль", "Войти", "Табель", "За эту неделю время не внесено", "Добавить строку", "Добавить", "Неделя сохранена.",
		"Отправить неделю", "Неделя отправлена на утверждение.", "Отправлена", "Утвердить неделю", "Неделя утверждена и закрыта.", "Эта неделя закрыта"},
}

// TestBrowserWeek: in English, French and Russian, a member opens their timesheet from the navigation,
// adds a project's row, enters the week with the keyboard only (durations typed as people do,
// the arrow keys and Tab between cells, Enter saves), splits the project's row by its Design
// category (which the owner adds on the categories page) for an hour, submits it; the
// project's leader opens it and approves it; the member then sees the week approved and locked.
func TestBrowserWeek(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range gridStory {
		t.Run(w.lang, func(t *testing.T) {
			o := newOffice(t, e)
			week := fmt.Sprintf("/%s/timesheet/%d/2026-W49", o.acc.Slug, o.mem.ID)
			login := func(u *testkit.User) *browser.Tab {
				tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
				tab.Go("/login")
				tab.Fill(w.email, u.Email)
				tab.Fill(w.password, u.Password)
				tab.Submit(w.signIn)
				return tab
			}
			tab := login(o.mem)
			tab.Go("/" + o.acc.Slug)
			tab.Nav(w.nav)
			tab.WantText(w.empty)
			tab.Go(week)
			tab.WantText(w.empty)
			tab.Select(w.rowToAdd, "Website")
			tab.Submit(w.add)
			tab.WaitFor("the grid's script", `document.querySelector("table.timegrid input.cell")`)
			// Monday 7:30, → Tuesday 1h30, Tab → Wednesday 1.5h, → Thursday 90m, → Friday 2h, Enter.
			tab.Fill("Website · 2026-11-30", "7:30"+kb.ArrowRight+"1h30"+kb.Tab+"1.5h"+kb.ArrowRight+"90m"+kb.ArrowRight+"2h"+kb.Enter)
			tab.WaitText(w.saved)
			if got := tab.TextOf("week-total"); got != "14:00" {
				t.Errorf("the week's total reads %q, want 14:00\n%s", got, tab.Text())
			}
			tab.Screenshot("timesheet-filled-" + w.lang)
			// The project's row split by a project category: an hour of design on Monday.
			// The owner reads English (their profile's language, whatever the browser's).
			owner := login(o.owner)
			owner.Go("/" + o.acc.Slug + "/timesheet/categories")
			owner.Fill("Name", "Design")
			owner.Select("Kind", "Kind of project work (design, meetings)")
			owner.Submit("Add the category")
			owner.WaitText("The category is added.", "Design", "Kind of project work (design, meetings)")
			owner.Screenshot("timesheet-categories-" + w.lang)
			tab.Go(week)
			tab.Select(w.rowToAdd, "Website › Design")
			tab.Submit(w.add)
			tab.WaitFor("the design row", `document.getElementById("d_"+document.querySelector("input[name=row][value*=c]").value+"_0")`)
			tab.Fill("Website › Design · 2026-11-30", "1:00"+kb.Enter)
			tab.WaitText(w.saved)
			if got := tab.TextOf("week-total"); got != "15:00" {
				t.Errorf("the week's total with design reads %q, want 15:00\n%s", got, tab.Text())
			}
			tab.Screenshot("timesheet-category-" + w.lang)
			tab.Submit(w.submit)
			tab.WaitText(w.submitted, w.state)

			lead := login(o.lead)
			lead.Go(week)
			lead.WantText(o.mem.Name, "15:00", "Website › Design")
			lead.Submit(w.approve)
			lead.WaitText(w.approved)

			tab.Go(week)
			tab.WantText(w.locked)
			if n := browser.Evaluate[int](tab, "count the cells", `document.querySelectorAll("input.cell").length`); n != 0 {
				t.Errorf("the approved week still has %d inputs", n)
			}
			tab.Screenshot("timesheet-approved-" + w.lang)
		})
	}
}
