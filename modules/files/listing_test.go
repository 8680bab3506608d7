package files_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestFolderPages: a folder's files come in keyset pages (?limit= and the answer's next as
// ?cursor=): every file once, by name; a cursor that is no cursor is a 422 naming it.
func TestFolderPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		folder := o.created(t, mem, "/folders", map[string]any{"name": "Paged"})
		for _, n := range []string{"e.txt", "B.txt", "a.txt", "d.txt", "c.txt"} {
			if r := mem.Post(fmt.Sprintf("%s/folders/%d/files", o.base, folder), map[string]any{"name": n, "content": n}); r.Status != http.StatusCreated {
				t.Fatalf("%s: %d %s", n, r.Status, r.Body)
			}
		}
		var got []string
		next := ""
		for i := 0; i < 5; i++ {
			var v struct {
				Files []struct{ Name string }
				Next  string
			}
			r := mem.Get(fmt.Sprintf("%s/folders/%d?limit=2&cursor=%s", o.base, folder, url.QueryEscape(next)))
			if r.Status != http.StatusOK {
				t.Fatalf("page %d: %d %s", i, r.Status, r.Body)
			}
			r.JSON(t, &v)
			for _, f := range v.Files {
				got = append(got, f.Name)
			}
			if next = v.Next; next == "" {
				break
			}
		}
		if fmt.Sprint(got) != "[a.txt B.txt c.txt d.txt e.txt]" {
			t.Errorf("pages: %v", got)
		}
		r := mem.Get(fmt.Sprintf("%s/folders/%d?cursor=nope!", o.base, folder))
		if r.Status != http.StatusUnprocessableEntity || !contains(r.String(), `"cursor"`) {
			t.Errorf("bad cursor: %d %s", r.Status, r.Body)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
