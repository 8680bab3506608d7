package webhooks_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// hooksWords are what an admin reads and clicks on the way, in their language.
type hooksWords struct {
	lang, email, password, signIn, nav, empty, url, create, created, secretOnce, test, delivered, state, deleteHook, deleted string
}

var hooksStory = []hooksWords{
	{"en", "Email", "Password", "Sign in", "Webhooks", "No webhook yet", "Payload URL", "Add the webhook", "The webhook is added.",
		"shown this once", "Send a test", "The test was delivered.", "Delivered", "Delete the webhook", "The webhook is deleted."},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Webhooks", "Aucun webhook pour l'instant", "URL de destination", "Ajouter le webhook", "Le webhook est ajouté.",
		"affiché cette seule fois", "Envoyer un test", "Le test a été livré.", "Livré", "Supprimer le webhook", "Le webhook est supprimé."},
}

// TestBrowserWebhooks: in English and French, an admin opens Webhooks from the administration
// menu (empty), registers the URL of a real receiver for one event type, reads the generated
// secret once, sends a test and sees it delivered in the log (the receiver got it, signed),
// then deletes the webhook after confirming.
func TestBrowserWebhooks(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range hooksStory {
		t.Run(w.lang, func(t *testing.T) {
			rcv := newReceiver(t, http.StatusOK)
			acc := e.NewAccount()
			admin := e.NewUser(acc, actor.RoleAdmin)
			tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
			tab.Go("/login")
			tab.Fill(w.email, admin.Email)
			tab.Fill(w.password, admin.Password)
			tab.Submit(w.signIn)
			tab.Go("/" + acc.Slug)
			tab.Nav(w.nav)
			tab.WantText(w.empty)
			tab.Screenshot("webhooks-empty-" + w.lang)
			tab.Fill(w.url, rcv.URL+"/"+w.lang)
			tab.Check("user.invited")
			tab.Check("task.created")
			tab.Submit(w.create)
			tab.WaitText(w.created, w.secretOnce)
			secret := tab.TextOf("secret-value")
			if !strings.HasPrefix(secret, "whsec_") {
				t.Fatalf("the secret shown: %q", secret)
			}
			tab.Submit(w.test)
			tab.WaitText(w.delivered)
			tab.WantText(w.state, "webhook.ping", "200")
			tab.Screenshot("webhooks-hook-" + w.lang)
			got := rcv.requests()
			if len(got) != 1 || got[0].Event != "webhook.ping" || !verify(secret, got[0].Signature, got[0].Body, time.Now()) {
				t.Fatalf("the receiver got %+v", got)
			}
			tab.Go("/" + acc.Slug + "/admin/webhooks")
			tab.WantText(rcv.URL+"/"+w.lang, "user.invited")
			tab.Screenshot("webhooks-list-" + w.lang)
			tab.Follow(rcv.URL + "/" + w.lang)
			browser.Evaluate[bool](tab, "accept the confirmation", `window.confirm = () => true; true`)
			tab.Submit(w.deleteHook)
			tab.WaitText(w.deleted, w.empty)
		})
	}
}
