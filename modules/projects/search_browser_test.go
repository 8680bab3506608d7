package projects_test

import (
	"net/http"
	"os"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/admin"
	"groupcamp/modules/projects"
)

// searchWords are what a person reads and clicks on the way, in their language.
type searchWords struct {
	lang, email, password, signIn, box, heading, kind, kindTask, submit, nothing string
}

var searchStory = []searchWords{
	{"en", "Email", "Password", "Sign in", "Search", "Search", "Kind", "Task", "Search", "Nothing found"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Rechercher", "Recherche", "Type", "Tâche", "Rechercher", "Aucun résultat"},
}

// TestBrowserSearch: in English and French, a member types words without their accents into
// the search box of the header, gets the page of results with the words highlighted, narrows
// it to tasks with the filter, opens a result (the task's page), and meets the empty state.
func TestBrowserSearch(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", testkit.Options{Modules: []app.Module{admin.New(), projects.New()}})
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range searchStory {
		t.Run(w.lang, func(t *testing.T) {
			acc := e.NewAccount()
			mem := e.NewUser(acc, "member")
			c := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			id := func(r *testkit.Response) int64 {
				t.Helper()
				if r.Status != http.StatusCreated {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
				return int64(r.Map()["id"].(float64))
			}
			pid := id(c.Post(base+"/projects", map[string]any{"name": "Défilé d'été"}))
			lid := id(c.Post(base+"/projects/"+itoa(pid)+"/lists", map[string]any{"name": "Préparatifs"}))
			tid := id(c.Post(base+"/projects/"+itoa(pid)+"/tasks", map[string]any{"list_id": lid, "title": "Réserver la scène du défilé",
				"description": "Appeler Éléonore pour la scène et les lumières."}))
			id(c.Post(base+"/tasks/"+itoa(tid)+"/comments", map[string]any{"body": "La scène est réservée pour le défilé."}))
			e.Settle()

			tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
			tab.Go("/login")
			tab.Fill(w.email, mem.Email)
			tab.Fill(w.password, mem.Password)
			tab.Submit(w.signIn)
			tab.Go("/" + acc.Slug)
			tab.Fill(w.box, "defile")
			browser.Evaluate[bool](tab, "submit the header's search", `(document.querySelector("form.topsearch").requestSubmit(), true)`)
			tab.WaitFor("the page of results", `location.pathname.endsWith("/search") && document.querySelectorAll(".searchresults li").length > 0`)
			tab.WantText(w.heading, "Défilé d'été", "Réserver la scène du défilé")
			if n := browser.Evaluate[int](tab, "count the results", `document.querySelectorAll(".searchresults li").length`); n != 3 {
				t.Errorf("%d results, want 3 (the project, the task, the comment)\n%s", n, tab.Text())
			}
			if n := browser.Evaluate[int](tab, "count the highlights", `document.querySelectorAll(".searchresults mark").length`); n < 3 {
				t.Errorf("%d highlighted words, want 3 or more", n)
			}
			tab.Screenshot("search-results-" + w.lang)

			tab.Select(w.kind, w.kindTask)
			tab.Submit(w.submit)
			if n := browser.Evaluate[int](tab, "count the tasks", `document.querySelectorAll(".searchresults li").length`); n != 1 {
				t.Errorf("%d results of kind task, want 1\n%s", n, tab.Text())
			}
			tab.Follow("Réserver la scène du défilé")
			if p := tab.Path(); p != "/"+acc.Slug+"/tasks/"+itoa(tid) {
				t.Fatalf("the result led to %s", p)
			}
			tab.WantText("Appeler Éléonore pour la scène et les lumières.")

			tab.Go("/" + acc.Slug + "/search?q=zzyzx")
			tab.WantText(w.nothing)
			tab.Screenshot("search-empty-" + w.lang)
		})
	}
}
