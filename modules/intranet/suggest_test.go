package intranet_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestMentionSuggestions: the autocomplete lists colleagues whose name (any word) or email
// begins with q, at most 10, never the caller nor a client; with a team space, its people only;
// a space the caller is not in is a 422 naming space_id; a client may not ask.
func TestMentionSuggestions(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		me := e.NewUser(acc, actor.RoleMember)
		var many []*testkit.User
		for range 12 {
			many = append(many, e.NewUser(acc, actor.RoleMember))
		}
		client := e.NewClient(acc, e.ClientCompany(acc))
		base := "/api/v1/" + acc.Slug
		suggest := func(u *testkit.User, query string) (int, []string) {
			var v struct {
				Items []struct{ Name, Email string }
			}
			r := e.As(u).Get(base + "/mentions?" + query)
			if r.Status != http.StatusOK {
				return r.Status, nil
			}
			r.JSON(t, &v)
			var names []string
			for _, it := range v.Items {
				names = append(names, it.Name)
			}
			return r.Status, names
		}
		if st, names := suggest(me, "q="); st != http.StatusOK || len(names) != 10 || strings.Contains(strings.Join(names, ","), me.Name) {
			t.Errorf("everyone: %d %v", st, names)
		}
		// testkit names people "First Last-N": the last word's start finds the person.
		target := many[3]
		words := strings.Fields(target.Name)
		if _, names := suggest(me, "q="+words[len(words)-1]); len(names) != 1 || names[0] != target.Name {
			t.Errorf("by the last word %q: %v", words[len(words)-1], names)
		}
		if _, names := suggest(me, "q="+target.Email[:strings.Index(target.Email, "@")]); len(names) != 1 || names[0] != target.Name {
			t.Errorf("by the email: %v", names)
		}
		if _, names := suggest(me, "q=zzzz"); len(names) != 0 {
			t.Errorf("nobody: %v", names)
		}
		tid := team(t, e, acc, "Small", me, many[0], many[1])
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Small", "team_id": tid}))
		if _, names := suggest(me, fmt.Sprintf("q=&space_id=%d", space)); len(names) != 2 {
			t.Errorf("the team space's people: %v", names)
		}
		if r := e.As(many[5]).Get(fmt.Sprintf("%s/mentions?space_id=%d", base, space)); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["space_id"] == "" {
			t.Errorf("a space the caller is not in: %d %s", r.Status, r.Body)
		}
		if r := e.As(me).Get(base + "/mentions?q=" + strings.Repeat("a", 101)); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["q"] == "" {
			t.Errorf("a long q: %d %s", r.Status, r.Body)
		}
		if r := e.As(client).Get(base + "/mentions?q=a"); r.Status != http.StatusForbidden {
			t.Errorf("a client: %d", r.Status)
		}
		// The pages' text areas carry the autocomplete.
		if got := e.BrowserLogin(me).Get(fmt.Sprintf("/%s/intranet/spaces/%d?new=topic", acc.Slug, space)).String(); !strings.Contains(got, fmt.Sprintf(`data-mentions="/api/v1/%s/mentions?space_id=%d"`, acc.Slug, space)) || !strings.Contains(got, "/mentions.js\"") {
			t.Errorf("the topic form has no autocomplete")
		}
	})
}
