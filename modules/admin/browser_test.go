package admin_test

import (
	"os"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

func TestMain(m *testing.M) {
	code := m.Run()
	browser.Close()
	testkit.StopShared()
	os.Exit(code)
}

// TestBrowserInviteAColleagueInFrench walks the story in a real Chromium that asks
// for French: a founder signs up, signs in on another device, invites a colleague from the
// people page; the colleague accepts the invitation in a second browser context; the founder
// sees them in the list, puts them in a team, and looks at settings, audit and profile.
// Every input is found by its label, and every page is photographed (PNG) on the way.
func TestBrowserInviteAColleagueInFrench(t *testing.T) {
	b := browser.Shared(t)
	e := browserEnv(t)
	shots := t.TempDir()
	opts := browser.Options{BaseURL: e.URL, Lang: "fr-FR,fr;q=0.9,en;q=0.5", Shots: shots}
	const (
		slug     = "atelier-dupont"
		password = "une phrase de passe assez longue"
	)

	// Sign up.
	founder := b.NewTab(t, opts)
	founder.Go("/signup")
	if lang := founder.Lang(); lang != "fr" {
		t.Fatalf("the sign-up page speaks %q, want fr", lang)
	}
	founder.WantText("Créez votre GroupCamp")
	founder.Screenshot("signup")
	founder.Fill("Nom de la société", "Atelier Dupont")
	founder.Fill("Adresse web", slug)
	founder.Fill("Pays", "FR")
	founder.Fill("Votre nom", "Claire Dupont")
	founder.Fill("E-mail", "claire@atelier.test")
	founder.Fill("Mot de passe", password)
	founder.Submit("Créer le compte")
	if p := founder.Path(); p != "/"+slug {
		t.Fatalf("after sign-up the founder is at %s, want /%s\n%s", p, slug, founder.Text())
	}
	founder.WantText("Bienvenue sur GroupCamp ! Votre compte est prêt.", "Bienvenue, Claire Dupont")

	// Sign in, on another device (a fresh browser context).
	owner := b.NewTab(t, opts)
	owner.Go("/login")
	owner.WantText("Connexion")
	owner.Screenshot("login")
	owner.Fill("E-mail", "claire@atelier.test")
	owner.Fill("Mot de passe", password)
	owner.Submit("Se connecter")
	if p := owner.Path(); p != "/"+slug {
		t.Fatalf("after sign-in the owner is at %s\n%s", p, owner.Text())
	}
	owner.WantText("Atelier Dupont", "Mon travail", "Le compte", "Inviter un collègue")
	owner.Screenshot("home")

	// Invite a colleague from the people page.
	owner.Nav("Personnes")
	owner.WantText("Les collègues et les invités de ce compte.", "Inviter une personne", "Propriétaire")
	owner.Fill("Nom", "Marc Leroy")
	owner.Fill("E-mail", "marc@atelier.test")
	owner.Select("Rôle", "Manager")
	owner.Submit("Envoyer l'invitation")
	owner.WantText("Marc Leroy est invité(e) : un e-mail contenant le lien d'invitation a été envoyé à marc@atelier.test.")
	owner.Screenshot("invited")
	link := strings.TrimSpace(owner.TextOf("invitation-link"))
	if !strings.HasPrefix(link, e.URL+"/invitations/") {
		t.Fatalf("invitation link %q", link)
	}
	if msg, ok := e.Mailbox.Last("marc@atelier.test"); !ok || !strings.Contains(msg.Text, link) {
		t.Errorf("the email does not carry the link shown: %+v", msg)
	}

	// The colleague accepts in a second browser context.
	colleague := b.NewTab(t, opts)
	colleague.Go(link)
	colleague.WantText("Rejoignez votre équipe", "Vous êtes invité à rejoindre Atelier Dupont en tant que marc@atelier.test.")
	colleague.Screenshot("invitation")
	colleague.Fill("Mot de passe", "le mot de passe de Marc, long")
	colleague.Submit("Accepter l’invitation")
	if p := colleague.Path(); p != "/"+slug {
		t.Fatalf("after accepting the colleague is at %s\n%s", p, colleague.Text())
	}
	colleague.WantText("Bienvenue à bord !", "Bienvenue, Marc Leroy", "Personnes", "Mon travail")
	if text := colleague.Text(); strings.Contains(text, "Paramètres") || strings.Contains(text, "Audit") {
		t.Errorf("a manager sees the owner's navigation:\n%s", text)
	}

	// The owner sees the colleague, active, in the list.
	owner.Go("/" + slug + "/people")
	owner.WantText("Marc Leroy", "marc@atelier.test", "Manager", "Actif")
	if strings.Contains(owner.Text(), "Invité\n") {
		t.Errorf("the colleague still shows as invited:\n%s", owner.Text())
	}
	owner.Screenshot("people")
	owner.Follow("Marc Leroy")
	owner.WantText("Rôle et accès", "Désactiver")
	owner.Screenshot("person")

	// A management team with the colleague in it.
	owner.Nav("Équipes")
	owner.WantText("Aucune équipe pour l'instant.")
	owner.Fill("Nom de l'équipe", "Direction")
	owner.Check("Équipe de direction")
	owner.Submit("Créer l'équipe")
	owner.WantText("L'équipe est créée.", "Direction", "Personne ne fait encore partie de cette équipe.")
	owner.Select("Personne", "Marc Leroy — marc@atelier.test")
	owner.Submit("Ajouter à l'équipe")
	owner.WantText("La personne est ajoutée à l'équipe.", "1 membre", "Marc Leroy")
	owner.Screenshot("team")
	owner.Nav("Équipes")
	owner.WantText("Direction", "1 membre")
	owner.Screenshot("teams")

	owner.Nav("Sociétés")
	owner.WantText("Atelier Dupont", "Notre société", "2 personnes")
	owner.Screenshot("companies")

	owner.Nav("Paramètres")
	owner.WantText("Paramètres du compte", "Informations légales et facturation", "Unité de temps")
	owner.Screenshot("settings")

	owner.Nav("Audit")
	owner.WantText("Journal d'audit", "Personne invitée", "Invitation acceptée", "Équipe créée", "Claire Dupont", "Marc Leroy")
	owner.Screenshot("audit")

	owner.Go("/" + slug + "/dev/mailbox")
	owner.WantText("Boîte aux lettres de développement", "marc@atelier.test")
	owner.Screenshot("mailbox")

	owner.Go("/profile")
	owner.WantText("Votre profil")
	owner.Screenshot("profile")

	for _, name := range []string{"signup", "login", "home", "people", "person", "teams", "team", "settings", "audit", "profile"} {
		if st, err := os.Stat(shots + "/" + name + ".png"); err != nil || st.Size() < 1000 {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
}

// browserEnv is the App the browser test drives (SQLite: the browser exercises pages,
// the database suites run elsewhere).
func browserEnv(t *testing.T) *testkit.Env {
	return startWith(t, nil)
}
