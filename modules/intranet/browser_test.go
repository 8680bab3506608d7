package intranet_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserIntranet: the owner (in English) opens the intranet from the main bar (no space
// yet), creates the company's space, posts pinned news in it and sees "Read by 1 of 2"; a
// member (in French) sees the post unread on the intranet's home, opens it and marks it read;
// the French member then opens a discussion, naming the Russian member with the @mention
// autocomplete (typed "@" and the start of the name, chosen with the keyboard), follows it by
// writing it, reacts to it and edits its title (marked edited);
// the owner's page then says "Read by 2 of 2", and the owner opens the calendar and adds an
// event, then writes a page of a project's own wiki from the project's tab; a Russian member sees the home page in Russian, and their notifications the mention.
func TestBrowserIntranet(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	acc := e.NewAccount()
	member := e.NewUser(acc, actor.RoleMember)
	russian := e.NewUser(acc, actor.RoleMember)
	e.Settle()

	owner := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
	owner.Go("/login")
	owner.Fill("Email", acc.Owner.Email)
	owner.Fill("Password", acc.Owner.Password)
	owner.Submit("Sign in")
	owner.Go("/" + acc.Slug)
	owner.Nav("Intranet")
	owner.WantText("No space yet")
	owner.Fill("Space name", "Whole company")
	owner.Submit("Create the space")
	owner.WaitText("The space is created.", "No news yet.")
	owner.Follow("Post news")
	owner.Fill("Title", "The office moves on Monday")
	// Fill cannot clear an empty textarea (chromedp.Clear wants a text node): set it directly.
	browser.Evaluate[bool](owner, "fill the text", `document.getElementById("f-body").value = "Pack your desk by **Friday**."; true`)
	owner.Check("Pin to the top")
	owner.Submit("Publish the post")
	owner.WaitText("The news is posted.", "You have read this post", "Read by 1 of 3")
	news := owner.Path()

	fr := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr", Shots: shots})
	fr.Go("/login")
	fr.Fill("E-mail", member.Email)
	fr.Fill("Mot de passe", member.Password)
	fr.Submit("Se connecter")
	fr.Go("/" + acc.Slug + "/intranet")
	fr.WantText("1 actualité non lue", "The office moves on Monday", "Non lu")
	fr.Screenshot("intranet-home-fr")
	fr.Follow("The office moves on Monday")
	fr.WantText("Lu par 1 sur 3", "Friday")
	fr.Submit("Marquer comme lu")
	fr.WaitText("Marqué comme lu.", "Vous avez lu cette actualité", "Lu par 2 sur 3")
	// A discussion naming the Russian member through the autocomplete: ArrowDown then Enter.
	fr.Follow("Whole company")
	fr.Follow("Lancer une discussion")
	fr.Fill("Sujet", "Le pot de départ")
	fr.WaitFor("the suggestions", `document.querySelector("textarea[data-mentions-ready]")`)
	browser.Evaluate[bool](fr, "type @ and the name's start", `(() => {
  const a = document.querySelector("textarea[data-mentions-ready]");
  a.focus();
  a.value = "Qui vient ? @`+russian.Name[:4]+`";
  a.setSelectionRange(a.value.length, a.value.length);
  a.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
})()`)
	fr.WaitFor("a suggestion", `document.querySelector(".mention-list li[aria-selected=true]")`)
	fr.WantText(russian.Name)
	got := browser.Evaluate[string](fr, "choose with the keyboard", `(() => {
  const a = document.querySelector("textarea[data-mentions-ready]");
  a.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
  a.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true, cancelable: true }));
  a.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  return a.value;
})()`)
	if got != "Qui vient ? @"+russian.Name+" " {
		t.Fatalf("after the keyboard the box reads %q", got)
	}
	fr.Submit("Ouvrir la discussion")
	fr.WaitText("La discussion est ouverte.", "Vous suivez cette discussion", "Qui vient ? @"+russian.Name)
	fr.Submit("👍")
	fr.WaitFor("the reaction", `document.querySelector(".reaction.mine")`)
	browser.Evaluate[bool](fr, "open the edit form", `document.querySelector("details.edit").open = true; true`)
	fr.Fill("Titre", "Le pot de départ de vendredi")
	fr.Submit("Enregistrer")
	fr.WaitText("Vos modifications sont enregistrées.", "Le pot de départ de vendredi", "modifié ")
	fr.Screenshot("intranet-topic-fr")

	owner.Go(news)
	owner.WantText("Read by 2 of 3")
	owner.Screenshot("intranet-news-en")
	// The calendar: empty this month, an event added with the form shows in the month's grid.
	owner.Go("/" + acc.Slug + "/intranet")
	owner.Follow("Calendar")
	owner.WantText("Nothing planned in")
	owner.Fill("Title", "Team lunch")
	owner.Submit("Add the event")
	owner.WaitText("Event added.", "Team lunch", "Whole company")
	owner.Follow("Back to the calendar")
	owner.WantText("Team lunch")
	owner.Screenshot("intranet-calendar-en")
	// A weekly event: its second occurrence is cancelled alone from its page (the choice is
	// "this occurrence only" by default, and the form asks first).
	year := time.Now().UTC().Year() + 1
	weekly := created(t, e.As(acc.Owner), "/api/v1/"+acc.Slug+"/events", map[string]any{"space_id": idOf(e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/spaces").Map()["items"].([]any)[0].(map[string]any)),
		"title": "Stand-up", "starts_at": fmt.Sprintf("%d-03-01T09:00:00Z", year), "ends_at": fmt.Sprintf("%d-03-01T09:15:00Z", year), "recurrence": "weekly", "recur_count": 3})
	owner.Go(fmt.Sprintf("/%s/intranet/events/%d?occurrence=%d-03-08", acc.Slug, idOf(weekly), year))
	owner.WantText("One occurrence of a repeating event")
	browser.Evaluate[bool](owner, "open the edit form, accept confirmations", `document.querySelector("details.edit").open = true; window.confirm = (m) => { sessionStorage.asked = m; return true; }; true`)
	owner.WantText("This occurrence only", "The whole series")
	owner.Submit("Delete as chosen")
	owner.WaitText("This occurrence was cancelled")
	if asked := browser.Evaluate[string](owner, "the question asked", `sessionStorage.asked || ""`); asked != "Delete the occurrence or the whole series, as chosen?" {
		t.Errorf("the confirmation asked %q", asked)
	}
	owner.Go(fmt.Sprintf("/%s/intranet/events/%d", acc.Slug, idOf(weekly)))
	owner.WantText("Changed or cancelled occurrences", fmt.Sprintf("%d-03-08 · cancelled", year))
	// The project's own wiki: from the project's tab, a page written with the form.
	pr := created(t, e.As(acc.Owner), "/api/v1/"+acc.Slug+"/projects", map[string]any{"name": "Website"})
	owner.Go(fmt.Sprintf("/%s/projects/%d", acc.Slug, idOf(pr)))
	owner.Follow("Wiki")
	owner.WantText("Wiki of Website", "No page yet.")
	browser.Evaluate[bool](owner, "open the new page's form", `document.querySelector("details.card").open = true; true`)
	owner.Fill("Page title", "Launch checklist")
	browser.Evaluate[bool](owner, "fill the page", `document.getElementById("f-body").value = "1. **DNS**"; true`)
	owner.Submit("Create the page")
	owner.WaitText("The page is created.", "Launch checklist", "DNS")
	owner.Screenshot("intranet-project-wiki-en")

	ru := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "ru", Shots: shots})
	ru.Go("/login")
	ru.Fill("Эл. почта", russian.Email)
	ru.Fill("Пароль", russian.Password)
	ru.Submit("Войти")
	ru.Go("/" + acc.Slug + "/intranet")
	ru.WantText("Интранет", "1 непрочитанная новость", "Вся компания")
	e.Settle()
	ru.Go("/" + acc.Slug + "/notifications")
	ru.WantText("Кто-то упоминает меня в интранете", member.Name, "Le pot de départ")
}
