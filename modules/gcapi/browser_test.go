package gcapi_test

import (
	"net/http"
	"os"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// keysWords are what an admin reads and clicks on the way, in their language.
type keysWords struct {
	lang, email, password, signIn, nav, empty, application, reporting, label, create, created, once, revoke, revoked, state string
}

var keysStory = []keysWords{
	{"en", "Email", "Password", "Sign in", "API keys (GroupCamp compatible)", "No key pair yet", "Application", "Reporting (reporting-1): tasks, time logs, budgets",
		"Label", "Create the key pair", "The key pair is created.", "shown this once", "Revoke", "The key pair is revoked.", "Revoked"},
	{"ru", "Эл. почта", "Пароль", "Войти", "Ключи API (совместимые с GroupCamp)", "Пар ключей пока нет", "Приложение", "Отчёты (reporting-1): задачи, учёт времени, бюджеты",
		"Название", "Создать пару ключей", "Пара ключей создана.", "только один раз", "Отозвать", "Пара ключей отозвана.", "Отозван"},
}

// TestBrowserKeys: in English and Russian, an admin opens "API keys (GroupCamp compatible)"
// from the administration menu (empty), creates a reporting key pair, reads its secret once —
// and a script signs with it — then revokes it after confirming, and the script is refused.
func TestBrowserKeys(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Shared(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range keysStory {
		t.Run(w.lang, func(t *testing.T) {
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
			tab.Select(w.application, w.reporting)
			tab.Fill(w.label, "Nightly export")
			tab.Submit(w.create)
			tab.WaitText(w.created, w.once, "reporting-1", "Nightly export")
			tab.Screenshot("gcapi-created-" + w.lang)
			s := &script{t: t, base: e.URL, app: "reporting-1", key: tab.TextOf("new-key"), secret: tab.TextOf("new-secret"), acting: admin.Email,
				http: &http.Client{Timeout: 30 * time.Second}}
			s.call("GET", "/task/v1/tasks", "").want(t, http.StatusOK)
			tab.Go("/" + acc.Slug + "/admin/gcapi-keys")
			tab.WantText(s.key, "Nightly export")
			browser.Evaluate[bool](tab, "accept the confirmation", `window.confirm = () => true; true`)
			tab.Submit(w.revoke)
			tab.WaitText(w.revoked, w.state)
			s.call("GET", "/task/v1/tasks", "").want(t, http.StatusUnauthorized)
		})
	}
}
