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
// theirs.
func TestPluginCommentAuthor(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		_, task := o.withFile(t)
		o.enable(t, "status-report", nil, nil)
		own := e.As(o.owner)
		if r := own.Post("/"+o.acc.Slug+"/x/status-report/comment", map[string]any{"task_id": task, "body": "Deployed by the plugin"}); r.Status != http.StatusOK {
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
		b := e.BrowserLogin(e.NewUser(o.acc, actor.RoleAdmin)) // follows the browser's language
		for lang, badge := range map[string]string{"en": "plugin", "fr": "extension", "ru": "плагин"} {
			r := b.Send(http.MethodGet, fmt.Sprintf("/%s/tasks/%d", o.acc.Slug, task), http.Header{"Accept-Language": {lang}}, nil)
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
