package projects_test

import (
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/projects"
)

// TestBrowserTaskPage: in French then in English, a member reads on a task's page what was
// estimated (each assignee's part and the sum) and that the task's clients see it; a task of
// an internal list says no client sees it.
func TestBrowserTaskPage(t *testing.T) { onEachDB(t, browserTaskPage) }

func browserTaskPage(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{projects.New()}})
	acc := e.NewAccount()
	member := e.NewUser(acc, "member")
	api := e.As(acc.Owner)
	base := "/api/v1/" + acc.Slug
	co := e.ClientCompany(acc)
	r := api.Post(base+"/projects", map[string]any{"name": "Salon du livre", "guests_allowed": true})
	want(t, "project", r, http.StatusCreated)
	pid := int64(r.Map()["id"].(float64))
	path := func(p string) string { return fmt.Sprintf("%s/projects/%d%s", base, pid, p) }
	want(t, "member joins", api.Put(path(fmt.Sprintf("/members/%d", member.ID)), map[string]any{"role": "member"}), http.StatusOK)
	r = api.Post(path("/lists"), map[string]any{"name": "Stand", "visibility": "clients", "company_ids": []int64{co}})
	want(t, "shared list", r, http.StatusCreated)
	shared := int64(r.Map()["id"].(float64))
	r = api.Post(path("/lists"), map[string]any{"name": "Budget"})
	want(t, "internal list", r, http.StatusCreated)
	internal := int64(r.Map()["id"].(float64))
	r = api.Post(path("/tasks"), map[string]any{"list_id": shared, "title": "Monter le stand", "assignees": []map[string]any{
		{"user_id": member.ID, "estimate_minutes": 150}, {"user_id": acc.Owner.ID, "estimate_minutes": 60}}})
	want(t, "task", r, http.StatusCreated)
	task := int64(r.Map()["id"].(float64))
	r = api.Post(path("/tasks"), map[string]any{"list_id": internal, "title": "Vérifier les marges"})
	want(t, "internal task", r, http.StatusCreated)
	inner := int64(r.Map()["id"].(float64))

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr"})
	tab.Go("/login")
	tab.Fill("E-mail", member.Email)
	tab.Fill("Mot de passe", member.Password)
	tab.Submit("Se connecter")
	tab.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, task))
	tab.WantText("Estimation", "3,5 h", "estimé à 2,5 h", "estimé à 1 h", "Visible des clients", "Visible par les clients de Client of "+acc.Slug)
	tab.Screenshot("task-page-fr")
	tab.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, inner))
	tab.WantText("Interne : aucun client ne la voit")

	en := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	en.Go("/login")
	en.Fill("Email", member.Email)
	en.Fill("Password", member.Password)
	en.Submit("Sign in")
	en.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, task))
	en.WantText("Estimate", "3.5 h", "estimated at 2.5 h", "Visible to clients")
}
