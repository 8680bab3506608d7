package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// Inviting the email of someone who has a login in another account shows the name the admin
// typed — in the answer, the people list and its search, the people page — never the name
// that person gave themselves elsewhere; once they accept, the account knows them by it.
func TestInviteDoesNotRevealAnotherAccountsName(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		elsewhere, here := e.NewAccount(), e.NewAccount()
		known := elsewhere.Owner
		known.Name = "Zephyrine Quartz" // their own name, nowhere in their email
		if _, err := e.App.DB.NewUpdate().Table("users").Set("name = ?", known.Name).Where("id = ?", known.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/" + here.Slug
		r := e.As(here.Owner).Post(base+"/users", map[string]any{"name": "Typed By Admin", "email": known.Email, "role": "member"})
		wantStatus(t, "invite", r, http.StatusCreated)
		if strings.Contains(string(r.Body), known.Name) {
			t.Errorf("the invitation's answer reveals %q: %s", known.Name, r.Body)
		}
		list := e.As(here.Owner).Get(base + "/users?limit=200")
		if strings.Contains(string(list.Body), known.Name) || !strings.Contains(string(list.Body), "Typed By Admin") {
			t.Errorf("the people list shows the other account's name, or not the typed one: %s", list.Body)
		}
		if s := e.As(here.Owner).Get(base + "/users?q=quartz"); strings.Contains(string(s.Body), known.Email) {
			t.Errorf("searching the other account's name finds the invited person: %s", s.Body)
		}
		if page := signIn(t, e, here.Owner).get("/" + here.Slug + "/people"); strings.Contains(string(page.Body), known.Name) {
			t.Errorf("the people page reveals %q", known.Name)
		}

		// They accept with their own password: now the account shows their own name.
		link := r.Map()["invitation_url"].(string)
		token := link[strings.LastIndex(link, "/")+1:]
		acc := e.Anonymous().Post("/api/v1/invitations/"+token+"/accept", map[string]any{"password": known.Password})
		wantStatus(t, "accept", acc, http.StatusOK)
		if list := e.As(here.Owner).Get(base + "/users?limit=200"); !strings.Contains(string(list.Body), known.Name) {
			t.Errorf("after accepting, the list does not show their name: %s", list.Body)
		}
	})
}
