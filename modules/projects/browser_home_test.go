package projects_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/admin"
	"groupcamp/modules/projects"
)

// TestBrowserMyWork: a member signs in (in French) and lands on "Mon travail": the task they
// are late on, today's, the milestone coming; they tick today's task from the home and it
// leaves their list, with the page saying so. In English the same home reads "My work".
func TestBrowserMyWork(t *testing.T) { onEachDB(t, browserMyWork) }

func browserMyWork(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{admin.New(), projects.New()}})
	acc := e.NewAccount()
	member := e.NewUser(acc, "member")
	api := e.As(acc.Owner)
	base := "/api/v1/" + acc.Slug
	day := func(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format("2006-01-02") }
	r := api.Post(base+"/projects", map[string]any{"name": "Salon de printemps"})
	want(t, "project", r, http.StatusCreated)
	pid := int64(r.Map()["id"].(float64))
	path := func(p string) string { return base + "/projects/" + itoa(pid) + p }
	want(t, "member joins", api.Put(path("/members/"+itoa(member.ID)), map[string]any{"role": "member"}), http.StatusOK)
	r = api.Post(path("/lists"), map[string]any{"name": "Préparation"})
	want(t, "list", r, http.StatusCreated)
	list := int64(r.Map()["id"].(float64))
	for _, x := range []struct{ title, due string }{{"Relancer l’imprimeur", day(-1)}, {"Réserver la salle", day(0)}} {
		want(t, "task", api.Post(path("/tasks"), map[string]any{"list_id": list, "title": x.title, "due_on": x.due,
			"assignees": []map[string]any{{"user_id": member.ID}}}), http.StatusCreated)
	}
	want(t, "milestone", api.Post(path("/milestones"), map[string]any{"name": "Ouverture", "due_on": day(6)}), http.StatusCreated)

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr"})
	tab.Go("/login")
	tab.Fill("E-mail", member.Email)
	tab.Fill("Mot de passe", member.Password)
	tab.Submit("Se connecter")
	if p := tab.Path(); p != "/"+acc.Slug {
		t.Fatalf("after sign-in the member is at %s", p)
	}
	tab.WantText("Mon travail", "Mes tâches", "En retard", "Relancer l’imprimeur", "Aujourd’hui", "Réserver la salle", "Ouverture")
	tab.Screenshot("home-my-work-fr")
	tab.Submit("Terminer « Réserver la salle »")
	tab.WantText("La tâche est terminée.")
	if mine, _, _ := strings.Cut(tab.Text(), "Ce qui a changé"); strings.Contains(mine, "Réserver la salle") {
		t.Errorf("the completed task is still among my tasks:\n%s", mine)
	}

	en := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	en.Go("/login")
	en.Fill("Email", acc.Owner.Email)
	en.Fill("Password", acc.Owner.Password)
	en.Submit("Sign in")
	en.WantText("My work", "The account", "Starred projects")
	en.Screenshot("home-my-work-owner")
}
