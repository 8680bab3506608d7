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

// TestBrowserCompanies walks issue 11's story in French, then in English: an admin opens a
// client company from the Companies page, sees its people and its project, renames it; the
// page explains that it cannot be deleted while someone belongs to it; once that person has
// moved, the company is deleted after its confirmation and the project keeps going.
func TestBrowserCompanies(t *testing.T) { onEachDB(t, browserCompanies) }

func browserCompanies(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{admin.New(), projects.New()}})
	acc := e.NewAccount()
	adminUser := e.NewUser(acc, "admin")
	api := e.As(acc.Owner)
	base := "/api/v1/" + acc.Slug
	r := api.Post(base+"/companies", map[string]any{"name": "Globex", "kind": "client"})
	want(t, "company", r, http.StatusCreated)
	globex := int64(r.Map()["id"].(float64))
	want(t, "project", api.Post(base+"/projects", map[string]any{"name": "Site Globex", "client_company_id": globex}), http.StatusCreated)
	client := e.NewClient(acc, globex)
	other := e.ClientCompany(acc)

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr"})
	tab.Go("/login")
	tab.Fill("E-mail", adminUser.Email)
	tab.Fill("Mot de passe", adminUser.Password)
	tab.Submit("Se connecter")
	tab.Nav("Sociétés")
	tab.Follow("Globex")
	tab.WantText("Globex", client.Name, "Site Globex", "cliente du projet", "1 personne appartient à Globex")
	tab.Fill("Nom de la société", "Globex Europe")
	tab.Submit("Enregistrer le nom")
	tab.WantText("La société est renommée.", "Globex Europe")
	tab.Screenshot("company-fr")

	want(t, "the client moves", api.Patch(fmt.Sprintf("%s/users/%d", base, client.ID), map[string]any{"company_id": other}), http.StatusOK)
	tab.Go(fmt.Sprintf("/%s/companies/%d", acc.Slug, globex))
	tab.WantText("Personne n’appartient à cette société.", "n’auront plus de client")
	openDetails(tab, ".company-delete")
	tab.Submit("Oui, supprimer la société")
	tab.WantText("La société est supprimée.")
	if p := api.Get(base + "/projects"); len(p.Map()["items"].([]any)) != 1 {
		t.Errorf("the project did not stay: %s", p.Body)
	}

	// In English, the company list links each company to its page.
	want(t, "another company", api.Post(base+"/companies", map[string]any{"name": "Initech", "kind": "supplier"}), http.StatusCreated)
	en := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	en.Go("/login")
	en.Fill("Email", acc.Owner.Email)
	en.Fill("Password", acc.Owner.Password)
	en.Submit("Sign in")
	en.Nav("Companies")
	en.Follow("Initech")
	en.WantText("Initech", "Nobody belongs to this company.", "No project names this company")
	en.Fill("Company name", "Initech Labs")
	en.Submit("Save the name")
	en.WantText("The company is renamed.", "Initech Labs")
}
