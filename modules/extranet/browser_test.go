package extranet_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// portalWords are what a client reads and clicks on the way, in their language.
type portalWords struct {
	lang, email, password, signIn, welcome, waiting, deliverables, comment, confirm, approve, approved, stateApproved string
}

var portalStory = []portalWords{
	{"en", "Email", "Password", "Sign in", "Welcome, Acme", "Awaiting your decision", "Deliverables", "Comment", "I have reviewed this round", "Approve",
		"Approved: the team is told.", "Approved"},
	{"ru", "Эл. почта", "Пароль", "Войти", "Добро пожаловать, Acme", "Ожидают вашего решения", "Результаты", "Комментарий", "Я ознакомился(-ась) с этим раундом", "Утвердить",
		"Утверждено: команда уведомлена.", "Утверждено"},
}

// TestBrowserPortal: in English and Russian, a client signs in and lands on their company's
// portal; its projects and files show exactly what was shared with them (the project they are
// a client member of, the folder shared with their company — not the internal project or
// folder); they open the deliverable waiting for them and approve it with a comment.
func TestBrowserPortal(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range portalStory {
		t.Run(w.lang, func(t *testing.T) {
			o := newOffice(t, e)
			owner := e.As(o.owner)
			if r := owner.Patch(o.base+"/companies/"+fmt.Sprint(o.acme), map[string]any{"name": "Acme"}); r.Status != http.StatusOK {
				t.Fatalf("rename the company: %d %s", r.Status, r.Body)
			}
			if r := owner.Patch(fmt.Sprintf("%s/projects/%d", o.base, o.project), map[string]any{"guests_allowed": true}); r.Status != http.StatusOK {
				t.Fatalf("allow guests: %d %s", r.Status, r.Body)
			}
			if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, o.project, o.cli.ID), map[string]any{"role": "client"}); r.Status >= 300 {
				t.Fatalf("add the client: %d %s", r.Status, r.Body)
			}
			id := o.submit(t, "Home page mock-ups")
			logo := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pngBytes(t))
			if r := owner.Put(o.base+"/extranet/branding", map[string]any{"logo": logo, "color": "#1d4ed8", "welcome": "Acme Studio — " + w.lang}); r.Status != http.StatusOK {
				t.Fatalf("branding: %d %s", r.Status, r.Body)
			}

			// The link to the account's home asks to sign in, with the account's branding.
			tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
			tab.Go("/" + o.acc.Slug)
			tab.WantText("Acme Studio — " + w.lang)
			tab.Screenshot("extranet-signin-" + w.lang)
			tab.Fill(w.email, o.cli.Email)
			tab.Fill(w.password, o.cli.Password)
			tab.Submit(w.signIn)
			if p := tab.Path(); p != "/"+o.acc.Slug+"/extranet" {
				t.Fatalf("the client's home is %s", p)
			}
			tab.WantText(w.welcome, w.waiting, "Home page mock-ups", "Acme Studio — "+w.lang)
			tab.Screenshot("extranet-portal-" + w.lang)

			tab.Go("/" + o.acc.Slug + "/projects")
			tab.WantText("Website")
			if strings.Contains(tab.Text(), "Internal") {
				t.Errorf("the client sees the internal project:\n%s", tab.Text())
			}
			tab.Go("/" + o.acc.Slug + "/files")
			tab.WantText("For Acme")
			if strings.Contains(tab.Text(), "Internal notes") {
				t.Errorf("the client sees the internal folder:\n%s", tab.Text())
			}

			tab.Go("/" + o.acc.Slug + "/extranet")
			tab.Follow(w.deliverables)
			tab.Follow("Home page mock-ups")
			fillArea(tab, "f-comment", "Très bien — отлично")
			tab.Check(w.confirm)
			tab.Screenshot("extranet-decide-" + w.lang)
			tab.Submit(w.approve)
			tab.WaitText(w.approved)
			tab.WantText(w.stateApproved, "Très bien — отлично")
			tab.Screenshot("extranet-approved-" + w.lang)
			if v := o.get(t, e.As(o.mem), id); v.State != "approved" || v.Rounds[0].Comment != "Très bien — отлично" {
				t.Errorf("after the browser's approval: %s %q", v.State, v.Rounds[0].Comment)
			}
		})
	}
}

// TestBrowserSubmit: a member opens Deliverables from the navigation (empty), submits a
// deliverable to Acme on Website, and reads it with its first round.
func TestBrowserSubmit(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	o := newOffice(t, e)
	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: os.Getenv("GROUPCAMP_SCREENSHOTS")})
	tab.Go("/login")
	tab.Fill("Email", o.mem.Email)
	tab.Fill("Password", o.mem.Password)
	tab.Submit("Sign in")
	tab.Go("/" + o.acc.Slug)
	tab.Nav("Deliverables")
	tab.WantText("No deliverables here")
	tab.Select("Project", "Website")
	tab.Select("Client company", "Client of "+o.acc.Slug)
	tab.Fill("Title", "Brand guide")
	fillArea(tab, "f-description", "Colours and type.")
	tab.Fill("File numbers (optional, up to 10)", fmt.Sprint(o.sharedFile))
	tab.Screenshot("extranet-team-new")
	tab.Submit("Submit for approval")
	tab.WaitText("Submitted: the client company's people are told.")
	tab.WantText("Brand guide", "Round 1", "mockups.txt", "Colours and type.")
	tab.Screenshot("extranet-team-deliverable")

	// The owner previews Acme's portal from the administration menu.
	own := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: os.Getenv("GROUPCAMP_SCREENSHOTS")})
	own.Go("/login")
	own.Fill("Email", o.owner.Email)
	own.Fill("Password", o.owner.Password)
	own.Submit("Sign in")
	own.Go("/" + o.acc.Slug)
	own.Nav("Preview the client portal")
	own.Follow("Client of " + o.acc.Slug)
	own.WantText("read-only", "Brand guide")
	own.Screenshot("extranet-preview")
}

// fillArea types into an empty textarea: the kit's Fill clears first, which chromedp cannot do
// on a textarea with no text node yet.
func fillArea(tab *browser.Tab, id, value string) {
	browser.Evaluate[bool](tab, "fill "+id, fmt.Sprintf(`(() => { const a = document.getElementById(%q); a.value = %q; return true; })()`, id, value))
}
