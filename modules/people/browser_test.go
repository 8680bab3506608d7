package people_test

import (
	"os"
	"path/filepath"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserImport: in French, an admin opens "Importer des personnes" from the
// administration menu, chooses a vCard file exported from an address book, reads the
// preview (two people, their names), confirms, and lands on the people page with both invited.
func TestBrowserImport(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	acc := e.NewAccount()
	dom := acc.Slug + ".test" // the logins are shared by the accounts of a database
	admin := e.NewUser(acc, actor.RoleAdmin)
	file := filepath.Join(t.TempDir(), "contacts.vcf")
	vcf := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Émilie du Châtelet\r\nEMAIL:emilie@" + dom + "\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:4.0\r\nN:Curie;Marie;;;\r\nEMAIL:marie@" + dom + "\r\nEND:VCARD\r\n"
	if err := os.WriteFile(file, []byte(vcf), 0o644); err != nil {
		t.Fatal(err)
	}
	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr", Shots: os.Getenv("GROUPCAMP_SCREENSHOTS")})
	tab.Go("/login")
	tab.Fill("E-mail", admin.Email)
	tab.Fill("Mot de passe", admin.Password)
	tab.Submit("Se connecter")
	tab.Go("/" + acc.Slug)
	tab.Nav("Importer des personnes")
	tab.Upload("Fichier CSV ou vCard", file)
	tab.Submit("Vérifier le fichier")
	tab.WaitText("2 personnes seront invitées", "Émilie du Châtelet", "Marie Curie")
	tab.Screenshot("people-import-preview-fr")
	tab.Submit("Inviter 2 personnes")
	tab.WaitText("Les personnes sont invitées", "emilie@"+dom, "marie@"+dom)
}
