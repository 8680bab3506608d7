package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/projects"
)

// TestBrowserFollowAndMention walks issue 11's story in French, then in English: a member
// follows a task from its page, writes "@Bo" in the comment box, picks "Bob Client" among the
// suggestions and comments; the client is told of the mention and the task's author of the
// comment. The client, in English, answers: the member, who follows the task, hears of it.
func TestBrowserFollowAndMention(t *testing.T) { onEachDB(t, browserFollowAndMention) }

func browserFollowAndMention(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{projects.New()}})
	acc := e.NewAccount()
	member := e.NewUser(acc, "member")
	client := e.NewClient(acc, e.ClientCompany(acc))
	for u, name := range map[*testkit.User]string{member: "Alice Martin", client: "Bob Client", acc.Owner: "Olga Owner"} {
		if _, err := e.App.DB.NewUpdate().Table("users").Set("name = ?", name).Where("id = ?", u.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		u.Name = name
	}
	api := e.As(acc.Owner)
	base := "/api/v1/" + acc.Slug
	r := api.Post(base+"/projects", map[string]any{"name": "Salon du livre", "guests_allowed": true})
	want(t, "project", r, http.StatusCreated)
	pid := int64(r.Map()["id"].(float64))
	path := func(p string) string { return fmt.Sprintf("%s/projects/%d%s", base, pid, p) }
	want(t, "member joins", api.Put(path(fmt.Sprintf("/members/%d", member.ID)), map[string]any{"role": "member"}), http.StatusOK)
	want(t, "client joins", api.Put(path(fmt.Sprintf("/members/%d", client.ID)), map[string]any{"role": "client"}), http.StatusOK)
	r = api.Post(path("/lists"), map[string]any{"name": "Stand", "visibility": "clients", "company_ids": []int64{e.ClientCompany(acc)}})
	want(t, "list", r, http.StatusCreated)
	list := int64(r.Map()["id"].(float64))
	r = api.Post(path("/tasks"), map[string]any{"list_id": list, "title": "Valider le stand"})
	want(t, "task", r, http.StatusCreated)
	task := int64(r.Map()["id"].(float64))
	taskPage := fmt.Sprintf("/%s/tasks/%d", acc.Slug, task)

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr"})
	tab.Go("/login")
	tab.Fill("E-mail", member.Email)
	tab.Fill("Mot de passe", member.Password)
	tab.Submit("Se connecter")
	tab.Go(taskPage)
	tab.WantText("1 personne suit cette tâche : Olga Owner")
	tab.Submit("Suivre")
	tab.WantText("Vous suivez la tâche", "2 personnes suivent cette tâche : Alice Martin, Olga Owner", "Ne plus suivre")

	// "@Bo": the box suggests Bob Client; Enter writes the full name.
	tab.WaitFor("the comment box's suggestions", `document.querySelector("textarea[data-mentions-ready]")`)
	browser.Evaluate[bool](tab, "type @Bo", `(() => {
  const a = document.querySelector("textarea[data-mentions-ready]");
  a.focus();
  a.value = "Merci @Bo";
  a.setSelectionRange(a.value.length, a.value.length);
  a.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
})()`)
	tab.WaitText("Bob Client")
	tab.Screenshot("mention-fr")
	got := browser.Evaluate[string](tab, "choose with Enter", `(() => {
  const a = document.querySelector("textarea[data-mentions-ready]");
  a.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  return a.value;
})()`)
	if got != "Merci @Bob Client " {
		t.Fatalf("after Enter the box reads %q", got)
	}
	fillArea(tab, "Votre commentaire", got+"pouvez-vous valider ?")
	tab.Submit("Commenter")
	tab.WantText("Votre commentaire est publié.", "Merci @Bob Client pouvez-vous valider ?")
	e.Settle()
	notices := func(u *testkit.User) string {
		return e.As(u).Get(base + "/notifications?limit=100").String()
	}
	if s := notices(client); !strings.Contains(s, "mentioned in a comment on the task") {
		t.Errorf("the client was not told of the mention: %s", s)
	}
	if s := notices(acc.Owner); !strings.Contains(s, "Alice Martin commented on the task") {
		t.Errorf("the task's author was not told of the comment: %s", s)
	}

	// In English the client answers; Alice, who follows the task, hears of it.
	en := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	en.Go("/login")
	en.Fill("Email", client.Email)
	en.Fill("Password", client.Password)
	en.Submit("Sign in")
	en.Go(taskPage)
	en.WantText("Follow")
	fillArea(en, "Your comment", "Validated, thanks @Alice")
	en.Submit("Comment")
	en.WantText("Your comment is posted.", "Unfollow")
	e.Settle()
	if s := notices(member); !strings.Contains(s, "mentioned in a comment") {
		t.Errorf("Alice was not told of the client's mention: %s", s)
	}
	if s := notices(acc.Owner); !strings.Contains(s, "Bob Client commented on the task") {
		t.Errorf("the author was not told of the client's comment: %s", s)
	}
}
