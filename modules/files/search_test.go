package files_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"groupcamp/core/testkit"
)

// foundFiles searches as c and returns "kind:title" of the files module's hits.
func foundFiles(t *testing.T, o *office, c *testkit.Client, query string) []string {
	t.Helper()
	r := c.Get(o.base + "/search?q=" + url.QueryEscape(query))
	if r.Status != http.StatusOK {
		t.Fatalf("search %q: %d %s", query, r.Status, r.Body)
	}
	var out struct {
		Items []struct{ Kind, Title string } `json:"items"`
	}
	r.JSON(t, &out)
	var got []string
	for _, h := range out.Items {
		if h.Kind == "file" || h.Kind == "folder" {
			got = append(got, h.Kind+":"+h.Title)
		}
	}
	slices.Sort(got)
	return got
}

// TestFilesSearch: files and folders are found by name, a small text file by its words too,
// by those who see their folder: colleagues the shared space, a client only a folder shared
// with their company, a member outside an invite-only project nothing of its folders; a file
// trashed leaves the index and comes back restored; a folder trashed takes what it holds out;
// a change to a project leaves its files in the index.
func TestFilesSearch(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem, owner, cli := e.As(o.mem), e.As(o.owner), e.As(o.cli)
		notes := o.uploaded(t, mem, o.folder, "quokka-notes.md", []byte("the wombat budget for next year"))
		shared := o.created(t, mem, "/folders", map[string]any{"name": "Quokka client share", "visibility": "clients", "company_ids": []int64{o.company}})
		o.uploaded(t, mem, shared, "quokka-brief.txt", []byte("brief"))
		secret := o.created(t, owner, "/folders", map[string]any{"name": "Quokka secret plans", "project_id": o.closed})
		o.uploaded(t, owner, secret, "quokka-plan.txt", []byte("plan"))
		e.Settle()

		want := func(c *testkit.Client, who, q string, exp ...string) {
			t.Helper()
			slices.Sort(exp)
			if got := foundFiles(t, o, c, q); !slices.Equal(got, exp) {
				t.Errorf("%s finds %q: %v, want %v", who, q, got, exp)
			}
		}
		want(mem, "member", "quokka", "file:quokka-notes.md", "file:quokka-brief.txt", "folder:Quokka client share")
		want(owner, "owner", "quokka", "file:quokka-notes.md", "file:quokka-brief.txt", "folder:Quokka client share", "folder:Quokka secret plans", "file:quokka-plan.txt")
		want(cli, "client", "quokka", "file:quokka-brief.txt", "folder:Quokka client share")
		want(mem, "member", "wombat", "file:quokka-notes.md")
		want(cli, "client", "wombat")
		// A change to the project (which refreshes the project's documents) keeps its files.
		if r := owner.Patch(fmt.Sprintf("%s/projects/%d", o.base, o.closed), map[string]any{"name": "Secret, renamed"}); r.Status != http.StatusOK {
			t.Fatalf("rename the project: %d %s", r.Status, r.Body)
		}
		e.Settle()
		want(owner, "owner after the project's change", "plans", "folder:Quokka secret plans")

		if r := mem.Delete(fmt.Sprintf("%s/files/%d", o.base, notes)); r.Status != http.StatusNoContent {
			t.Fatalf("trash: %d", r.Status)
		}
		if r := mem.Delete(fmt.Sprintf("%s/folders/%d", o.base, shared)); r.Status != http.StatusNoContent {
			t.Fatalf("trash the folder: %d", r.Status)
		}
		e.Settle()
		want(mem, "member after the trash", "quokka")
		if r := mem.Post(fmt.Sprintf("%s/files/%d/restore", o.base, notes), nil); r.Status != http.StatusOK {
			t.Fatalf("restore: %d %s", r.Status, r.Body)
		}
		e.Settle()
		want(mem, "member after the restore", "wombat", "file:quokka-notes.md")
	})
}
