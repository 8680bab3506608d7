package timesheet_test

import (
	"context"
	"fmt"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/timesheet"
)

// sharingWords are what the leader, the client and the owner read and click, in their language.
type sharingWords struct {
	lang, email, password, signIn string
	shareOn, names, save, shared  string
	portal, rules, first          string
}

var sharingStory = []sharingWords{
	{"en", "Email", "Password", "Sign in", "Share this project's time with %s", "Show the people's names", "Save the sharing", "The project's time is shared with its client.",
		"Time spent", "Each hour is billed at the first rate there is:", "the project's rate"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Partager le temps de ce projet avec %s", "Afficher le nom des personnes", "Enregistrer le partage", "Le temps du projet est partagé avec son client.",
		"Temps passé", "Chaque heure est facturée au premier taux qui existe :", "taux du projet"},
}

// TestBrowserSharing: in English and French, the project's leader shares its time report with
// the client company from the report of the project, names shown; a client user of that
// company opens the portal's time section and reads the weeks, the people and the total; the
// owner's invoicing page explains the rate rules and says where each line's rate comes from.
func TestBrowserSharing(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	for _, w := range sharingStory {
		t.Run(w.lang, func(t *testing.T) {
			o := newRateOffice(t, e)
			client := e.NewUser(o.acc, actor.RoleClient)
			// Everyone reads the story's language (the owner's sign-up chose English).
			if _, err := e.App.DB.NewUpdate().Table("users").Set("locale = ?", w.lang).Where("id IN (?, ?, ?)", o.owner.ID, o.lead.ID, client.ID).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			e.As(o.owner).Put(fmt.Sprintf("%s/project-rates/%d", o.base, o.project), map[string]any{"rate_cents": 12000})
			o.logApproved(t, o.mem, map[string]int{"2026-11-02": 150, "2026-11-03": 90}, "2026-W45")
			o.logApproved(t, o.lead, map[string]int{"2026-11-10": 60}, "2026-W46")
			var sh timesheet.TimeShare
			e.As(o.lead).Get(fmt.Sprintf("%s/projects/%d/time-share", o.base, o.project)).JSON(t, &sh)

			lead := signIn(t, b, e, w.lang, [3]string{w.email, w.password, w.signIn}, o.lead)
			lead.Go(fmt.Sprintf("/%s/timesheet/reports?project=%d", o.acc.Slug, o.project))
			lead.Check(fmt.Sprintf(w.shareOn, sh.CompanyName))
			lead.Check(w.names)
			lead.Submit(w.save)
			lead.WaitText(w.shared)
			lead.Screenshot("timesheet-share-" + w.lang)

			cl := signIn(t, b, e, w.lang, [3]string{w.email, w.password, w.signIn}, client)
			cl.Go("/" + o.acc.Slug + "/portal/time")
			cl.WantText(w.portal)
			cl.Follow("Website")
			cl.WantText("2026-W45", "2026-W46", o.mem.Name, o.lead.Name) // the headers (Week, Time) are upper-cased by the style
			if got := cl.TextOf("portal-total"); got != "5:00" {
				t.Errorf("the client's total reads %q, want 5:00", got)
			}
			cl.Screenshot("timesheet-portal-" + w.lang)

			owner := signIn(t, b, e, w.lang, [3]string{w.email, w.password, w.signIn}, o.owner)
			owner.Go(fmt.Sprintf("/%s/timesheet/invoicing?client=%d&from=2026-11-01&to=2026-11-30", o.acc.Slug, o.co))
			owner.WantText(w.rules, w.first, "600.00")
			owner.Screenshot("timesheet-invoicing-" + w.lang)
		})
	}
}
