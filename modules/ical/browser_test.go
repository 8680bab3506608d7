package ical_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// feedWords are what a person reads and clicks on the way, in their language.
type feedWords struct {
	lang, email, password, signIn, title, copy, copied, rotate, rotated string
}

var feedStory = []feedWords{
	{"en", "Email", "Password", "Sign in", "Calendar feed", "Copy the address", "Address copied.", "Renew the address",
		"Your feed has a new address; the old one no longer works."},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Flux de calendrier", "Copier l’adresse", "Adresse copiée.", "Renouveler l’adresse",
		"Votre flux a une nouvelle adresse ; l’ancienne ne fonctionne plus."},
	{"ru", "Эл. почта", "Пароль", "Войти", "Календарная лента", "Скопировать адрес", "Адрес скопирован.", "Обновить адрес",
		"У вашей ленты новый адрес; старый больше не работает."},
}

// TestBrowserFeed: in English, French and Russian, a member opens their profile, finds the
// calendar feed's address, copies it, subscribes (the feed answers their task due), then
// renews the address after confirming: the page shows the new one and the old one is gone.
func TestBrowserFeed(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range feedStory {
		t.Run(w.lang, func(t *testing.T) {
			o := newOffice(t, e)
			o.task(t, o.project, "Send the invoice", today().AddDate(0, 0, 2), o.mem)
			tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
			tab.Go("/login")
			tab.Fill(w.email, o.mem.Email)
			tab.Fill(w.password, o.mem.Password)
			tab.Submit(w.signIn)
			tab.Go("/profile#ical")
			tab.WantText(w.title)
			old := browser.Evaluate[string](tab, "read the feed URL", `document.getElementById("f-ical-url").value`)
			if !strings.HasPrefix(old, e.URL+"/ical/") {
				t.Fatalf("the profile shows %q", old)
			}
			tab.Click(w.copy)
			tab.WaitText(w.copied)
			tab.Screenshot("ical-profile-" + w.lang)
			if got := summaries(t, feed(t, e, strings.TrimPrefix(old, e.URL))); len(got) != 1 || got[0] != "Send the invoice" {
				t.Fatalf("the subscribed feed reads %q", got)
			}
			browser.Evaluate[bool](tab, "accept the confirmation", `window.confirm = () => true; true`)
			tab.Submit(w.rotate)
			tab.WaitText(w.rotated)
			fresh := browser.Evaluate[string](tab, "read the new feed URL", `document.getElementById("f-ical-url").value`)
			if fresh == old || !strings.HasPrefix(fresh, e.URL+"/ical/") {
				t.Fatalf("after renewal the profile shows %q (was %q)", fresh, old)
			}
			if r := e.Anonymous().Get(strings.TrimPrefix(old, e.URL)); r.Status != http.StatusNotFound {
				t.Fatalf("the old address answers %d", r.Status)
			}
			feed(t, e, strings.TrimPrefix(fresh, e.URL))
		})
	}
}

// teamWords are the team page's words, in the story's languages.
var teamWords = []struct{ lang, email, password, signIn, nav, make, made string }{
	{"en", "Email", "Password", "Sign in", "Team calendars", "Get the address", "The team's feed address is ready."},
	{"ru", "Эл. почта", "Пароль", "Войти", "Календари команд", "Получить адрес", "Адрес ленты команды готов."},
}

// TestBrowserTeamFeed: in English and Russian, a manager opens the team calendars from the
// administration menu, gets their team's address and subscribes to it (the feed names the
// person of each task).
func TestBrowserTeamFeed(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range teamWords {
		t.Run(w.lang, func(t *testing.T) {
			o := newOffice(t, e)
			mgr := e.NewUser(o.acc, "manager")
			team := o.created(t, e.As(o.owner), "/teams", map[string]any{"name": "Design"})
			for _, u := range []*testkit.User{mgr, o.mem} {
				e.As(o.owner).Put(o.base+"/teams/"+itoa(int(team))+"/members/"+itoa(int(u.ID)), nil)
			}
			o.task(t, o.project, "Mockups", today().AddDate(0, 0, 3), o.mem)
			tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
			tab.Go("/login")
			tab.Fill(w.email, mgr.Email)
			tab.Fill(w.password, mgr.Password)
			tab.Submit(w.signIn)
			tab.Go("/" + o.acc.Slug)
			tab.Nav(w.nav)
			tab.WantText("Design")
			tab.Submit(w.make + ": Design")
			tab.WaitText(w.made)
			tab.Screenshot("ical-teams-" + w.lang)
			u := browser.Evaluate[string](tab, "read the team's URL", `document.querySelector("input[id^=f-team-]").value`)
			got := summaries(t, feed(t, e, strings.TrimPrefix(u, e.URL)))
			if len(got) != 1 || got[0] != "Mockups — "+o.mem.Name {
				t.Fatalf("the team feed reads %q", got)
			}
		})
	}
}
