package projects_test

import (
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/admin"
	"groupcamp/modules/projects"
)

// TestBrowserListAndCommentEdits walks issue 11's story in French, then in English: a member
// renames a task list from the task list view, comments on a task, edits the comment (the
// page says "(modifié)"), deletes it after its confirmation, and deletes a list with its task
// once the box that says the task goes too is checked — all with plain forms.
func TestBrowserListAndCommentEdits(t *testing.T) { onEachDB(t, browserListAndCommentEdits) }

func browserListAndCommentEdits(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{admin.New(), projects.New()}})
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
	r = api.Post(path("/tasks"), map[string]any{"list_id": list, "title": "Réserver le stand"})
	want(t, "task", r, http.StatusCreated)
	task := int64(r.Map()["id"].(float64))
	r = api.Post(path("/lists"), map[string]any{"name": "Brouillons"})
	want(t, "list", r, http.StatusCreated)
	drafts := int64(r.Map()["id"].(float64))
	want(t, "draft task", api.Post(path("/tasks"), map[string]any{"list_id": drafts, "title": "Idée jetable"}), http.StatusCreated)

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr"})
	tab.Go("/login")
	tab.Fill("E-mail", member.Email)
	tab.Fill("Mot de passe", member.Password)
	tab.Submit("Se connecter")

	// Rename the list from the task list view.
	tab.Go(fmt.Sprintf("/%s/projects/%d/tasks", acc.Slug, pid))
	tab.WantText("Préparation", "Brouillons")
	tab.Follow("Modifier la liste Préparation")
	tab.Fill("Nom de la liste", "Préparation du salon")
	tab.Submit("Enregistrer la liste")
	tab.WantText("La liste est enregistrée.", "Préparation du salon")
	tab.Screenshot("list-renamed-fr")

	// Comment, edit the comment, delete it.
	tab.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, task))
	fillArea(tab, "Votre commentaire", "Stand réservé ?")
	tab.Submit("Commenter")
	tab.WantText("Votre commentaire est publié.", "Stand réservé ?")
	tab.Follow("Modifier le commentaire de " + member.Name)
	fillArea(tab, "Votre commentaire", "Stand réservé, allée B.")
	tab.Submit("Enregistrer le commentaire")
	tab.WantText("Votre commentaire est enregistré.", "Stand réservé, allée B.", "(modifié)")
	tab.Screenshot("comment-edited-fr")
	openDetails(tab, "#comments details")
	tab.Submit("Oui, supprimer le commentaire")
	tab.WantText("Le commentaire est supprimé.", "0 commentaire")

	// Delete a list with its task, the box that says so checked (without it the form is
	// refused: TestListPagesDelete): both go to the trash, and come back from it.
	tab.Go(fmt.Sprintf("/%s/projects/%d/lists/%d/edit", acc.Slug, pid, drafts))
	tab.WantText("Brouillons", "1 tâche")
	openDetails(tab, "main details")
	tab.Check("Mettre aussi sa tâche à la corbeille")
	tab.Submit("Mettre la liste à la corbeille")
	tab.WantText("La liste est dans la corbeille du projet")
	if n := len(api.Get(path("/lists")).Map()["items"].([]any)); n != 1 {
		t.Errorf("%d lists left, want 1", n)
	}
	tab.Go(fmt.Sprintf("/%s/projects/%d/trash", acc.Slug, pid))
	tab.WantText("Listes supprimées", "Brouillons")
	tab.Screenshot("list-trash-fr")
	tab.Submit("Restaurer avec sa tâche")
	tab.WantText("La liste est restaurée avec ses tâches.")
	if n := len(api.Get(path("/lists")).Map()["items"].([]any)); n != 2 {
		t.Errorf("%d lists after the restore, want 2", n)
	}

	// The same in English, for the owner: an admin deletes another's comment.
	want(t, "a comment", e.As(member).Post(fmt.Sprintf("%s/tasks/%d/comments", base, task), map[string]any{"body": "Booth booked."}), http.StatusCreated)
	en := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	en.Go("/login")
	en.Fill("Email", acc.Owner.Email)
	en.Fill("Password", acc.Owner.Password)
	en.Submit("Sign in")
	en.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, task))
	en.WantText("Booth booked.", "Delete")
	if browser.Evaluate[bool](en, "look for an Edit link", `!!document.querySelector('#comments a[href$="/edit"]')`) {
		t.Errorf("the owner is offered to edit another's comment")
	}
	openDetails(en, "#comments details")
	en.Submit("Yes, delete the comment")
	en.WantText("The comment is deleted.")
}

// openDetails opens the <details> the selector finds, as a click on its summary does.
func openDetails(tab *browser.Tab, selector string) {
	browser.Evaluate[bool](tab, "open "+selector, fmt.Sprintf(`(() => { const d = document.querySelector(%q); d.open = true; return true; })()`, selector))
}

// fillArea sets the text of the textarea labelled label (tab.Fill's clearing fails on an empty
// textarea: chromedp.Clear wants a text node).
func fillArea(tab *browser.Tab, label, value string) {
	ok := browser.Evaluate[bool](tab, "fill "+label, fmt.Sprintf(`(() => {
  const l = Array.from(document.querySelectorAll("label")).find((l) => l.textContent.trim() === %q);
  if (!l || !l.control) return false;
  l.control.value = %q;
  return true;
})()`, label, value))
	if !ok {
		panic("no textarea labelled " + label)
	}
}
