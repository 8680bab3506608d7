package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserReadersDayAndMessages: "Time zones, languages, formats" as a person lives them.
// At 05:00 UTC on 10 March, a member in Los Angeles (still the 9th there) reads in French on
// their home that the task due on the 9th is due today, not late; then an owner who types an
// end before the start of a new project reads, in French and in Russian, a message that names
// the start date by its label (the API says starts_on).
func TestBrowserReadersDayAndMessages(t *testing.T) { onEachDB(t, browserReadersDay) }

func browserReadersDay(t *testing.T, kind string) {
	b := browser.Shared(t)
	e, svc := start(t, kind)
	svc.Now = func() time.Time { return time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC) }
	acc := e.NewAccount()
	member := e.NewUser(acc, "member")
	if _, err := e.App.DB.NewUpdate().Table("users").Set("time_zone = ?", "America/Los_Angeles").
		Where("id = ?", member.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	api := e.As(acc.Owner)
	base := "/api/v1/" + acc.Slug
	r := api.Post(base+"/projects", map[string]any{"name": "Salon du livre"})
	want(t, "project", r, http.StatusCreated)
	pid := int64(r.Map()["id"].(float64))
	path := func(p string) string { return fmt.Sprintf("%s/projects/%d%s", base, pid, p) }
	want(t, "member joins", api.Put(path(fmt.Sprintf("/members/%d", member.ID)), map[string]any{"role": "member"}), http.StatusOK)
	r = api.Post(path("/lists"), map[string]any{"name": "Stand"})
	want(t, "list", r, http.StatusCreated)
	list := int64(r.Map()["id"].(float64))
	for _, task := range []struct{ title, due string }{{"Réserver le stand", "2026-03-09"}, {"Imprimer les affiches", "2026-03-10"}} {
		want(t, task.title, api.Post(path("/tasks"), map[string]any{"list_id": list, "title": task.title, "due_on": task.due,
			"assignees": []map[string]any{{"user_id": member.ID}}}), http.StatusCreated)
	}

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr"})
	signIn(tab, "E-mail", "Mot de passe", "Se connecter", member)
	tab.Go("/" + acc.Slug)
	heading := func(title string) string {
		return browser.Evaluate[string](tab, "the heading above "+title, fmt.Sprintf(`(() => {
			const a = [...document.querySelectorAll('a')].find(a => a.textContent.trim() === %q);
			if (!a) return '';
			const hs = [...document.querySelectorAll('h3')].filter(h => h.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
			return hs.length ? hs[hs.length-1].firstChild.textContent.trim() : '';
		})()`, title))
	}
	if got := heading("Réserver le stand"); got != "Aujourd’hui" {
		t.Errorf("the task due on the 9th, in Los Angeles on the 9th: under %q", got)
	}
	if got := heading("Imprimer les affiches"); got == "Aujourd’hui" || got == "En retard" {
		t.Errorf("the task due on the 10th, in Los Angeles on the 9th: under %q", got)
	}
	tab.Screenshot("home-los-angeles-fr")

	for _, c := range []struct{ lang, email, password, signIn, name, create, message string }{
		{"fr", "E-mail", "Mot de passe", "Se connecter", "Nom", "Créer le projet", "ne doit pas précéder la date de début"},
		{"ru", "Эл. почта", "Пароль", "Войти", "Название", "Создать проект", "не может быть раньше значения поля «Начало»"},
	} {
		// The owner chose a language on signing up: their profile's, then, is the page's.
		if _, err := e.App.DB.NewUpdate().Table("users").Set("locale = ?", c.lang).Where("id = ?", acc.Owner.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		owner := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: c.lang})
		signIn(owner, c.email, c.password, c.signIn, acc.Owner)
		owner.Go("/" + acc.Slug + "/projects/new")
		owner.Fill(c.name, "Foire "+c.lang)
		browser.Evaluate[bool](owner, "type the dates", `(() => {
			document.getElementById('f-starts_on').value = '2026-05-10';
			document.getElementById('f-ends_on').value = '2026-05-01';
			return true;
		})()`)
		owner.Submit(c.create)
		owner.WantText(c.message)
		owner.Screenshot("project-dates-refused-" + c.lang)
	}
	// The API keeps the JSON name.
	r = api.Post(base+"/projects", map[string]any{"name": "Foire", "starts_on": "2026-05-10", "ends_on": "2026-05-01"})
	want(t, "API refusal", r, http.StatusUnprocessableEntity)
	if got := r.String(); !strings.Contains(got, "must not be before starts_on") {
		t.Errorf("the API's message: %s", got)
	}
}

// signIn signs u in on tab, with the sign-in page's labels in the tab's language.
func signIn(tab *browser.Tab, email, password, submit string, u *testkit.User) {
	tab.Go("/login")
	tab.Fill(email, u.Email)
	tab.Fill(password, u.Password)
	tab.Submit(submit)
}
