package host_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// A comment the real status-report plugin posts through the host API is by the plugin: the
// task's comments list it with the plugin's name as author (author_kind "plugin", the person
// it acted for apart), the task page shows the name with a "plugin" badge in en, fr and ru,
// and the person it acted for cannot edit it as theirs; a person's comment beside it stays
// theirs. Its notices (a follower's, a mention's), the project's feed (API and page, en/fr/ru)
// and the home feed name it "status-report (on behalf of <the person>)".
func TestPluginCommentAuthor(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		_, task := o.withFile(t)
		o.enable(t, "status-report", nil, nil)
		own := e.As(o.owner)
		// A colleague follows the task; the plugin's comment mentions the client.
		if r := own.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, o.project, o.member.ID), map[string]any{"role": "member"}); r.Status/100 != 2 {
			t.Fatalf("member: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.member).Put(fmt.Sprintf("%s/tasks/%d/follow", o.base, task), nil); r.Status != http.StatusNoContent {
			t.Fatalf("follow: %d %s", r.Status, r.Body)
		}
		if r := own.Post("/"+o.acc.Slug+"/x/status-report/comment", map[string]any{"task_id": task, "body": "Deployed by the plugin, @" + o.cli.Email}); r.Status != http.StatusOK {
			t.Fatalf("comment: %d %s", r.Status, r.Body)
		}
		o.created(t, own, fmt.Sprintf("/tasks/%d/comments", task), map[string]any{"body": "Thanks"})
		type comment struct {
			ID         int64
			Body       string
			AuthorID   int64   `json:"author_id"`
			AuthorName string  `json:"author_name"`
			AuthorKind string  `json:"author_kind"`
			Plugin     *string `json:"plugin"`
			Behalf     string  `json:"on_behalf_of_name"`
		}
		var list struct{ Items []comment }
		own.Get(fmt.Sprintf("%s/tasks/%d/comments", o.base, task)).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Fatalf("comments: %+v", list.Items)
		}
		byPlugin, byPerson := list.Items[0], list.Items[1]
		if byPlugin.AuthorKind != "plugin" || byPlugin.Plugin == nil || *byPlugin.Plugin != "status-report" || byPlugin.AuthorName != "status-report" || byPlugin.Behalf != o.owner.Name || byPlugin.AuthorID != o.owner.ID {
			t.Errorf("the plugin's comment: %+v", byPlugin)
		}
		if byPerson.AuthorKind != "person" || byPerson.Plugin != nil || byPerson.AuthorName != o.owner.Name || byPerson.Behalf != "" {
			t.Errorf("the person's comment: %+v", byPerson)
		}
		// The person it acted for did not write it: no edit.
		if r := own.Patch(fmt.Sprintf("%s/comments/%d", o.base, byPlugin.ID), map[string]any{"body": "mine now"}); r.Status < 400 || r.Status >= 500 {
			t.Errorf("the person edits the plugin's comment: %d %s", r.Status, r.Body)
		}
		// Notices (in-app; the email says the same) and the feeds name the plugin, for the owner.
		e.Settle()
		byWhom := "status-report (on behalf of " + o.owner.Name + ")"
		for u, want := range map[*testkit.User]string{o.member: byWhom + " commented on the task “Ship it”.", o.cli: byWhom + " mentioned you in a comment on the task “Ship it”."} {
			var notes struct{ Items []struct{ Text string } }
			e.As(u).Get(o.base+"/notifications?limit=100").JSON(t, &notes)
			found := false
			for _, n := range notes.Items {
				found = found || n.Text == want
			}
			if !found {
				t.Errorf("%s's notices lack %q: %+v", u.Name, want, notes.Items)
			}
		}
		var feed struct {
			Items []struct {
				Verb      string
				Plugin    *string
				ActorName string `json:"actor_name"`
			}
		}
		own.Get(fmt.Sprintf("%s/projects/%d/activity?limit=2", o.base, o.project)).JSON(t, &feed)
		if len(feed.Items) != 2 || feed.Items[0].Plugin != nil || feed.Items[1].Plugin == nil || *feed.Items[1].Plugin != "status-report" || feed.Items[1].ActorName != o.owner.Name {
			t.Errorf("feed: %+v", feed.Items)
		}
		if home := html.UnescapeString(e.BrowserLogin(o.member).Get("/" + o.acc.Slug + "/").String()); !strings.Contains(home, "<strong>"+byWhom+"</strong>") {
			t.Errorf("the home feed lacks %q", byWhom)
		}
		b := e.BrowserLogin(e.NewUser(o.acc, actor.RoleAdmin)) // follows the browser's language
		behalf := map[string]string{"en": "on behalf of", "fr": "au nom de", "ru": "от имени"}
		for lang, badge := range map[string]string{"en": "plugin", "fr": "extension", "ru": "плагин"} {
			r := b.Send(http.MethodGet, fmt.Sprintf("/%s/projects/%d", o.acc.Slug, o.project), http.Header{"Accept-Language": {lang}}, nil)
			if want := "<strong>status-report (" + behalf[lang] + " " + o.owner.Name + ")</strong>"; !strings.Contains(html.UnescapeString(r.String()), want) {
				t.Errorf("%s project page (%d) lacks %s", lang, r.Status, want)
			}
			r = b.Send(http.MethodGet, fmt.Sprintf("/%s/tasks/%d", o.acc.Slug, task), http.Header{"Accept-Language": {lang}}, nil)
			body := html.UnescapeString(r.String())
			if r.Status != http.StatusOK {
				t.Fatalf("%s task page: %d", lang, r.Status)
			}
			want := `<strong class="comment-plugin">status-report</strong> <span class="badge">` + badge + `</span>`
			if !strings.Contains(body, want) || !strings.Contains(body, o.owner.Name) {
				t.Errorf("%s task page lacks %s", lang, want)
			}
		}
		page := html.UnescapeString(e.BrowserLogin(o.owner).Get(fmt.Sprintf("/%s/tasks/%d", o.acc.Slug, task)).String())
		if strings.Contains(page, fmt.Sprintf("/comments/%d/edit", byPlugin.ID)) || !strings.Contains(page, fmt.Sprintf("/comments/%d/edit", byPerson.ID)) {
			t.Error("the task page offers the person to edit the plugin's comment (or not their own)")
		}
	})
}
