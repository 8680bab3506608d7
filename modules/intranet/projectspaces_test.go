package intranet_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestProjectSpaces: a project's own wiki and discussions. The space is made the first time a
// member opens it; the project's members (and admins) see it, a colleague outside an
// invite-only project gets 404, and so does another account; the project's client sees
// nothing until a manager shares it with clients, then reads the wiki and takes part in the
// discussions (but does not write the wiki); the search follows the same rules; the project's
// pages show the tabs and the pages under the project.
func TestProjectSpaces(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc, other := e.NewAccount(), e.NewAccount()
		mgr := e.NewUser(acc, actor.RoleManager)
		alice := e.NewUser(acc, actor.RoleMember) // on the project
		bob := e.NewUser(acc, actor.RoleMember)   // not on it
		client := e.NewClient(acc, e.ClientCompany(acc))
		base := "/api/v1/" + acc.Slug
		owner := e.As(acc.Owner)
		pid := idOf(created(t, owner, base+"/projects", map[string]any{"name": "Zephyr launch", "access": "invite", "guests_allowed": true}))
		pbase := fmt.Sprintf("%s/projects/%d", base, pid)
		for _, m := range []struct {
			u    *testkit.User
			role string
		}{{mgr, "member"}, {alice, "member"}, {client, "client"}} {
			if r := owner.Put(fmt.Sprintf("%s/members/%d", pbase, m.u.ID), map[string]any{"role": m.role}); r.Status != http.StatusOK {
				t.Fatalf("project member: %d %s", r.Status, r.Body)
			}
		}

		// Made on demand, once.
		var sp struct {
			ID        int64  `json:"id"`
			Name      string `json:"name"`
			ProjectID *int64 `json:"project_id"`
			Shared    bool   `json:"shared_with_clients"`
		}
		e.As(alice).Get(pbase+"/space").JSON(t, &sp)
		if sp.ID == 0 || sp.ProjectID == nil || *sp.ProjectID != pid || sp.Name != "Zephyr launch" || sp.Shared {
			t.Fatalf("the project's space: %+v", sp)
		}
		var again struct{ ID int64 }
		e.As(mgr).Get(pbase+"/space").JSON(t, &again)
		if again.ID != sp.ID {
			t.Fatalf("a second opening made another space: %d, %d", again.ID, sp.ID)
		}
		// Not among the intranet's spaces.
		var spaces struct{ Items []struct{ ID int64 } }
		owner.Get(base+"/spaces").JSON(t, &spaces)
		for _, s := range spaces.Items {
			if s.ID == sp.ID {
				t.Errorf("the project's space is listed among the intranet's")
			}
		}

		topic := idOf(created(t, e.As(alice), pbase+"/topics", map[string]any{"title": "Quasar timing", "body": "When do we ship?"}))
		page := idOf(created(t, e.As(alice), base+"/wiki", map[string]any{"project_id": pid, "title": "Nebula brief", "body": "The **brief**"}))
		friday := idOf(created(t, e.As(mgr), fmt.Sprintf("%s/topics/%d/replies", pbase, topic), map[string]any{"body": "Friday"}))
		// No news nor events in a project's space: the project serves its wiki and discussions.
		if r := e.As(mgr).Post(base+"/news", map[string]any{"space_id": sp.ID, "title": "x", "body": "y"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["space_id"] == "" {
			t.Errorf("news in a project's space: %d %s", r.Status, r.Body)
		}
		if r := e.As(mgr).Post(base+"/events", map[string]any{"space_id": sp.ID, "title": "x", "starts_at": "2030-01-01T10:00:00Z", "ends_at": "2030-01-01T11:00:00Z"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["space_id"] == "" {
			t.Errorf("an event in a project's space: %d %s", r.Status, r.Body)
		}
		if r := e.As(alice).Post(base+"/topics", map[string]any{"project_id": pid + 1000, "title": "x", "body": "y"}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "project_id") {
			t.Errorf("a topic in a project one does not see: %d %s", r.Status, r.Body)
		}

		// Who sees what: bob (not on the invite-only project), the client before sharing, and
		// another account get 404 everywhere.
		paths := []string{pbase + "/space", pbase + "/topics", fmt.Sprintf("%s/topics/%d", pbase, topic), fmt.Sprintf("%s/topics/%d/replies", pbase, topic),
			pbase + "/wiki", fmt.Sprintf("%s/wiki/%d", pbase, page)}
		for _, u := range []*testkit.User{bob, client} {
			for _, p := range paths {
				if r := e.As(u).Get(p); r.Status != http.StatusNotFound {
					t.Errorf("%s GET %s: %d", u.Name, p, r.Status)
				}
			}
		}
		if r := e.As(bob).Get(fmt.Sprintf("%s/topics/%d", base, topic)); r.Status != http.StatusNotFound {
			t.Errorf("bob reads the project's topic through the intranet: %d", r.Status)
		}
		for _, p := range paths {
			p = strings.Replace(p, "/"+acc.Slug+"/", "/"+other.Slug+"/", 1)
			if r := e.As(other.Owner).Get(p); r.Status != http.StatusNotFound {
				t.Errorf("another account's owner GET %s: %d", p, r.Status)
			}
		}
		projectPage := fmt.Sprintf("/%s/projects/%d", acc.Slug, pid)
		wikiTab := fmt.Sprintf(`href="%s/wiki"`, projectPage)
		cb := e.BrowserLogin(client)
		if r := cb.Get(projectPage); r.Status != http.StatusOK || strings.Contains(r.String(), wikiTab) {
			t.Errorf("the client's project page before sharing: %d, wiki tab %v", r.Status, strings.Contains(r.String(), wikiTab))
		}
		// The portal's Discussions section lists the project only once its space is shared.
		discussions := fmt.Sprintf(`href="/%s/projects/%d/discussions"`, acc.Slug, pid)
		if r := cb.Get(fmt.Sprintf("/%s/portal/discussions", acc.Slug)); r.Status != http.StatusOK || strings.Contains(r.String(), discussions) || !strings.Contains(r.String(), "No discussion has been shared with you yet") {
			t.Errorf("the client's portal discussions before sharing: %d %.300s", r.Status, r.Body)
		}
		if r := e.As(alice).Put(pbase+"/space", map[string]any{"shared_with_clients": true}); r.Status != http.StatusForbidden {
			t.Errorf("a member shares the space: %d", r.Status)
		}
		e.Settle()
		if n := searchCount(t, e, acc, alice, "nebula"); n != 1 {
			t.Errorf("alice finds the project's page %d times", n)
		}
		for _, u := range []*testkit.User{bob, client} {
			if n := searchCount(t, e, acc, u, "nebula") + searchCount(t, e, acc, u, "quasar"); n != 0 {
				t.Errorf("%s finds the unshared project's space %d times", u.Name, n)
			}
		}

		// Shared with clients: the client reads and discusses, but does not write the wiki.
		if r := e.As(mgr).Put(pbase+"/space", map[string]any{"shared_with_clients": true}); r.Status != http.StatusOK || r.Map()["shared_with_clients"] != true {
			t.Fatalf("the manager shares the space: %d %s", r.Status, r.Body)
		}
		for _, p := range paths {
			if r := e.As(client).Get(p); r.Status != http.StatusOK {
				t.Errorf("the client GET %s once shared: %d %s", p, r.Status, r.Body)
			}
		}
		if r := cb.Get(fmt.Sprintf("/%s/portal/discussions", acc.Slug)); r.Status != http.StatusOK || !strings.Contains(r.String(), discussions) || !strings.Contains(r.String(), "Zephyr launch") {
			t.Errorf("the client's portal discussions once shared: %d %.300s", r.Status, r.Body)
		}
		if r := e.BrowserLogin(bob).Get(fmt.Sprintf("/%s/portal/discussions", acc.Slug)); r.Status != http.StatusOK || strings.Contains(r.String(), discussions) {
			t.Errorf("a colleague not on the project lists its space: %d", r.Status)
		}
		created(t, e.As(client), fmt.Sprintf("%s/topics/%d/replies", pbase, topic), map[string]any{"body": "Friday suits us"})
		// Naming the client notifies them, with a link under the project (their way in).
		created(t, e.As(alice), fmt.Sprintf("%s/topics/%d/replies", pbase, topic), map[string]any{"body": "Noted, @" + client.Name})
		e.Settle()
		var notes struct {
			Items []struct{ Link string }
		}
		e.As(client).Get("/api/v1/"+acc.Slug+"/notifications").JSON(t, &notes)
		if len(notes.Items) == 0 || !strings.Contains(notes.Items[0].Link, fmt.Sprintf("/projects/%d/discussions/%d#reply-", pid, topic)) {
			t.Errorf("the client's notices: %+v", notes.Items)
		}
		// The client's "what changed" leads under the project (the pages they may open), never
		// into the intranet.
		links := strings.Join(activityLinks(t, e, acc.Slug, client), " ")
		if !strings.Contains(links, fmt.Sprintf("%s/discussions/%d", projectPage, topic)) || !strings.Contains(links, fmt.Sprintf("%s/wiki/%d", projectPage, page)) || strings.Contains(links, "/intranet/") {
			t.Errorf("the client's activity links: %s", links)
		}
		if links := strings.Join(activityLinks(t, e, acc.Slug, alice), " "); !strings.Contains(links, fmt.Sprintf("%s/discussions/%d", projectPage, topic)) {
			t.Errorf("alice's activity links: %s", links)
		}
		if r := e.As(client).Post(pbase+"/wiki", map[string]any{"title": "Mine", "body": "x"}); r.Status != http.StatusForbidden {
			t.Errorf("the client writes the wiki: %d", r.Status)
		}
		if r := e.As(client).Get(base + "/topics"); r.Status != http.StatusForbidden {
			t.Errorf("the client reaches the intranet: %d", r.Status)
		}
		if r := e.As(bob).Get(pbase + "/wiki"); r.Status != http.StatusNotFound {
			t.Errorf("bob after sharing: %d", r.Status)
		}
		e.Settle()
		if n := searchCount(t, e, acc, client, "nebula"); n != 1 {
			t.Errorf("the client finds the shared page %d times", n)
		}
		if n := searchCount(t, e, acc, bob, "nebula"); n != 0 {
			t.Errorf("bob finds the shared page %d times", n)
		}

		// The mention autocomplete offers whoever sees the project (its members, the admins, its
		// client once shared) and never bob, who may not open it.
		suggested := func(u *testkit.User) string {
			var v struct{ Items []struct{ Name string } }
			e.As(u).Get(fmt.Sprintf("%s/mentions?space_id=%d", base, sp.ID)).JSON(t, &v)
			var names []string
			for _, it := range v.Items {
				names = append(names, it.Name)
			}
			return strings.Join(names, ",")
		}
		if got := suggested(alice); !strings.Contains(got, mgr.Name) || !strings.Contains(got, client.Name) || !strings.Contains(got, acc.Owner.Name) || strings.Contains(got, bob.Name) || strings.Contains(got, alice.Name) {
			t.Errorf("alice's suggestions in the invite-only project: %s", got)
		}
		// The project opens to every colleague: its refresh re-keys its space's documents, which
		// bob now finds (and alice still does).
		if r := owner.Patch(fmt.Sprintf("%s/projects/%d", base, pid), map[string]any{"access": "open"}); r.Status != http.StatusOK {
			t.Fatalf("opening the project: %d %s", r.Status, r.Body)
		}
		e.Settle()
		if n := searchCount(t, e, acc, bob, "nebula"); n != 1 {
			t.Errorf("bob finds the open project's page %d times", n)
		}
		if n := searchCount(t, e, acc, alice, "nebula"); n != 1 {
			t.Errorf("alice finds the page %d times after the project's refresh", n)
		}
		// Open: every colleague sees it, so the autocomplete offers bob and naming him tells him.
		if got := suggested(alice); !strings.Contains(got, bob.Name) {
			t.Errorf("alice's suggestions in the open project: %s", got)
		}
		created(t, e.As(alice), fmt.Sprintf("%s/topics/%d/replies", pbase, topic), map[string]any{"body": "Over to you, @" + bob.Name})
		e.Settle()
		var bobNotes struct{ Items []struct{ Link string } }
		e.As(bob).Get("/api/v1/"+acc.Slug+"/notifications").JSON(t, &bobNotes)
		if len(bobNotes.Items) == 0 || !strings.Contains(bobNotes.Items[0].Link, fmt.Sprintf("/projects/%d/discussions/%d#reply-", pid, topic)) {
			t.Errorf("bob, named in the open project: %+v", bobNotes.Items)
		}

		// The pages: the project's tabs lead to them; the client sees the shared space.
		b := e.BrowserLogin(alice)
		r := b.Get(fmt.Sprintf("/%s/projects/%d", acc.Slug, pid))
		if r.Status != http.StatusOK || !strings.Contains(r.String(), fmt.Sprintf(`href="/%s/projects/%d/wiki"`, acc.Slug, pid)) || !strings.Contains(r.String(), fmt.Sprintf(`href="/%s/projects/%d/discussions"`, acc.Slug, pid)) {
			t.Fatalf("the project's tabs: %d %s", r.Status, r.Body)
		}
		// Quote: the reply's link opens the form with it quoted (its author without an @); the
		// intranet's page of the topic does the same.
		for _, pg := range []string{fmt.Sprintf("/%s/projects/%d/discussions/%d", acc.Slug, pid, topic), fmt.Sprintf("/%s/intranet/topics/%d", acc.Slug, topic)} {
			r := b.Get(fmt.Sprintf("%s?quote=%d", pg, friday))
			if !strings.Contains(r.String(), fmt.Sprintf(`href="?quote=%d#reply-form"`, friday)) || !strings.Contains(r.String(), "&gt; *"+mgr.Name+"*:\n&gt; Friday\n") {
				t.Errorf("the quote on %s: %s", pg, r.Body)
			}
		}
		wiki := fmt.Sprintf("/%s/projects/%d/wiki", acc.Slug, pid)
		if r := b.SubmitForm(wiki, wiki, url.Values{"title": {"Comet checklist"}, "body": {"1. Pack"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("a page from the form: %d %s", r.Status, r.Body)
		}
		if r := b.Get(wiki); !strings.Contains(r.String(), "Comet checklist") || !strings.Contains(r.String(), "Nebula brief") {
			t.Fatalf("the project's wiki page: %s", r.Body)
		}
		pagePath := fmt.Sprintf("%s/%d", wiki, page)
		if r := b.SubmitForm(pagePath, pagePath, url.Values{"title": {"Nebula brief"}, "body": {"The **new** brief"}, "base_revision": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("saving the page from the form: %d %s", r.Status, r.Body)
		}
		if r := cb.Get(projectPage); !strings.Contains(r.String(), wikiTab) {
			t.Errorf("the client's project page once shared has no wiki tab")
		}
		disc := fmt.Sprintf("/%s/projects/%d/discussions/%d", acc.Slug, pid, topic)
		if r := cb.Get(disc); r.Status != http.StatusOK || !strings.Contains(r.String(), "Friday suits us") {
			t.Fatalf("the client's discussion page: %d %s", r.Status, r.Body)
		}
		if r := cb.SubmitForm(disc, disc+"/replies", url.Values{"body": {"See you then"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("the client replies from the form: %d %s", r.Status, r.Body)
		}
		if r := cb.Get(pagePath); r.Status != http.StatusOK || !strings.Contains(r.String(), "<strong>new</strong>") || strings.Contains(r.String(), `name="base_revision"`) {
			t.Fatalf("the client's wiki page (read only): %d %s", r.Status, r.Body)
		}
		if r := e.BrowserLogin(bob).Get(wiki); r.Status != http.StatusOK {
			t.Errorf("bob's wiki page of the now open project: %d", r.Status)
		}

		// The space follows its project: renamed, it is renamed (API and pages); archived, it
		// is read-only — every write is a 409 with a clear message, reading still works, and
		// the pages say so and offer no forms.
		if r := owner.Patch(fmt.Sprintf("%s/projects/%d", base, pid), map[string]any{"name": "Zephyr relaunch"}); r.Status != http.StatusOK {
			t.Fatalf("renaming the project: %d %s", r.Status, r.Body)
		}
		if r := e.As(alice).Get(pbase + "/space"); r.Map()["name"] != "Zephyr relaunch" || r.Map()["read_only"] != false {
			t.Errorf("the renamed project's space: %s", r.Body)
		}
		if r := b.Get(wiki); !strings.Contains(r.String(), "Zephyr relaunch") {
			t.Errorf("the wiki page keeps the old name: %s", r.Body)
		}
		if r := owner.Post(fmt.Sprintf("%s/projects/%d/archive", base, pid), nil); r.Status != http.StatusOK {
			t.Fatalf("archiving the project: %d %s", r.Status, r.Body)
		}
		before := e.Snapshot()
		for _, w := range []struct {
			who    *testkit.User
			method string
			path   string
			body   map[string]any
		}{
			{alice, "POST", pbase + "/topics", map[string]any{"title": "Late", "body": "x"}},
			{client, "POST", fmt.Sprintf("%s/topics/%d/replies", pbase, topic), map[string]any{"body": "x"}},
			{alice, "POST", base + "/wiki", map[string]any{"project_id": pid, "title": "Late page", "body": "x"}},
			{alice, "PUT", fmt.Sprintf("%s/wiki/%d", base, page), map[string]any{"title": "Nebula brief", "body": "x", "base_revision": 2}},
			{mgr, "PUT", pbase + "/space", map[string]any{"shared_with_clients": false}},
			{alice, "POST", fmt.Sprintf("%s/topics/%d/reactions", base, topic), map[string]any{"emoji": "👍"}},
		} {
			var r *testkit.Response
			if w.method == "POST" {
				r = e.As(w.who).Post(w.path, w.body)
			} else {
				r = e.As(w.who).Put(w.path, w.body)
			}
			if r.Status != http.StatusConflict || !strings.Contains(r.String(), "archived") {
				t.Errorf("%s %s in an archived project's space: %d %s", w.method, w.path, r.Status, r.Body)
			}
		}
		if e.Snapshot() != before {
			t.Errorf("a refused write in an archived project's space wrote")
		}
		if r := e.As(alice).Get(pbase + "/space"); r.Status != http.StatusOK || r.Map()["read_only"] != true {
			t.Errorf("the archived project's space: %d %s", r.Status, r.Body)
		}
		if r := cb.Get(disc); r.Status != http.StatusOK || !strings.Contains(r.String(), `id="read-only"`) || strings.Contains(r.String(), "/replies\"") {
			t.Errorf("the archived discussion's page: %d %s", r.Status, r.Body)
		}
		if r := b.Get(pagePath); !strings.Contains(r.String(), `id="read-only"`) || strings.Contains(r.String(), `name="base_revision"`) {
			t.Errorf("the archived wiki page offers an edit: %s", r.Body)
		}
	})
}
