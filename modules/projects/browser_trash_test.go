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

// TestBrowserTaskTrash walks issue 11's story in French, then in English: a member deletes a
// task from its page once the page has asked (it goes to the trash, the flash says so), finds
// it in the project's Trash and restores it; the task is back in the list.
func TestBrowserTaskTrash(t *testing.T) { onEachDB(t, browserTaskTrash) }

func browserTaskTrash(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{projects.New()}})
	acc := e.NewAccount()
	member := e.NewUser(acc, "member")
	api := e.As(acc.Owner)
	base := "/api/v1/" + acc.Slug
	r := api.Post(base+"/projects", map[string]any{"name": "Salon du livre"})
	want(t, "project", r, http.StatusCreated)
	pid := int64(r.Map()["id"].(float64))
	path := func(p string) string { return fmt.Sprintf("%s/projects/%d%s", base, pid, p) }
	want(t, "member joins", api.Put(path(fmt.Sprintf("/members/%d", member.ID)), map[string]any{"role": "member"}), http.StatusOK)
	r = api.Post(path("/lists"), map[string]any{"name": "Préparation"})
	want(t, "list", r, http.StatusCreated)
	list := int64(r.Map()["id"].(float64))
	r = api.Post(path("/tasks"), map[string]any{"list_id": list, "title": "Imprimer les flyers"})
	want(t, "task", r, http.StatusCreated)
	task := int64(r.Map()["id"].(float64))
	want(t, "another task", api.Post(path("/tasks"), map[string]any{"list_id": list, "title": "Réserver le stand"}), http.StatusCreated)

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr"})
	tab.Go("/login")
	tab.Fill("E-mail", member.Email)
	tab.Fill("Mot de passe", member.Password)
	tab.Submit("Se connecter")

	tab.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, task))
	openDetails(tab, ".task-delete")
	tab.WantText("Mettre cette tâche dans la corbeille du projet ? Elle pourra être restaurée pendant 30 jours.")
	tab.Screenshot("task-delete-fr")
	tab.Submit("Oui, la mettre à la corbeille")
	tab.WantText("La tâche est dans la corbeille du projet", "Réserver le stand")
	if browser.Evaluate[bool](tab, "look for the trashed task", `document.querySelector("main").innerText.includes("Imprimer les flyers")`) {
		t.Errorf("the task list still shows the deleted task")
	}
	tab.Follow("Corbeille")
	tab.WantText("Corbeille", "Imprimer les flyers", "Préparation", "Restaurer")
	tab.Screenshot("trash-fr")
	tab.Submit("Restaurer Imprimer les flyers")
	tab.WantText("La tâche est restaurée.", "Imprimer les flyers")
	if tab.Path() != fmt.Sprintf("/%s/tasks/%d", acc.Slug, task) {
		t.Errorf("after the restore: %s", tab.Path())
	}

	// The same in English, for the owner; the empty trash says what it is for.
	en := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	en.Go("/login")
	en.Fill("Email", acc.Owner.Email)
	en.Fill("Password", acc.Owner.Password)
	en.Submit("Sign in")
	en.Go(fmt.Sprintf("/%s/projects/%d/trash", acc.Slug, pid))
	en.WantText("The trash is empty.", "30 days")
	en.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, task))
	openDetails(en, ".task-delete")
	en.Submit("Yes, move it to the trash")
	en.WantText("The task is in the project's trash")
	en.Follow("Trash")
	en.Submit("Restore Imprimer les flyers")
	en.WantText("The task is restored.")
}
