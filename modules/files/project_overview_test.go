package files_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestProjectOverviewFiles: a project's overview lists its latest files (name, size, who,
// link) through the files module's port, each as its reader sees it: colleagues every folder
// of the project, its client only the folders shared with their company; nothing in the
// trash, nothing of another project, nor anyone's personal space.
func TestProjectOverviewFiles(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner, mem, cli := e.As(o.owner), e.As(o.mem), e.As(o.cli)
		pid := o.created(t, owner, "/projects", map[string]any{"name": "Launch", "client_company_id": o.company, "guests_allowed": true})
		if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, pid, o.cli.ID), map[string]any{"role": "client"}); r.Status != http.StatusOK {
			t.Fatalf("the client joins: %d %s", r.Status, r.Body)
		}
		internal := o.created(t, owner, "/folders", map[string]any{"name": "Internal", "project_id": pid})
		shared := o.created(t, owner, "/folders", map[string]any{"name": "For the client", "project_id": pid, "visibility": "clients", "company_ids": []int64{o.company}})
		plan := o.uploaded(t, mem, internal, "heron-plan.txt", []byte(strings.Repeat("p", 2048)))
		brief := o.uploaded(t, owner, shared, "heron-brief.txt", []byte("brief"))
		gone := o.uploaded(t, owner, shared, "heron-gone.txt", []byte("gone"))
		if r := owner.Delete(fmt.Sprintf("%s/files/%d", o.base, gone)); r.Status != http.StatusNoContent {
			t.Fatalf("trash: %d", r.Status)
		}
		other := o.created(t, owner, "/folders", map[string]any{"name": "Elsewhere", "project_id": o.project})
		o.uploaded(t, owner, other, "heron-elsewhere.txt", []byte("x"))
		o.uploaded(t, mem, personalTop(t, o, mem), "heron-private.txt", []byte("mine"))

		page := func(c *testkit.Client) string {
			t.Helper()
			r := c.Get(fmt.Sprintf("/%s/projects/%d", o.acc.Slug, pid))
			if r.Status != http.StatusOK {
				t.Fatalf("overview: %d", r.Status)
			}
			body := string(r.Body)
			if i := strings.Index(body, `id="ov-files"`); i >= 0 {
				if j := strings.Index(body[i:], "</section>"); j >= 0 {
					return body[i : i+j]
				}
			}
			t.Fatalf("the overview has no files section")
			return ""
		}
		colleague := page(mem)
		for _, want := range []string{"Latest files", "heron-plan.txt", "heron-brief.txt", fmt.Sprintf(`href="/%s/files/%d"`, o.acc.Slug, plan),
			"2 KB", o.mem.Name, fmt.Sprintf(`href="/%s/files?project=%d"`, o.acc.Slug, pid)} {
			if !strings.Contains(colleague, want) {
				t.Errorf("a colleague's overview lacks %q:\n%s", want, colleague)
			}
		}
		for _, not := range []string{"heron-gone", "heron-elsewhere", "heron-private"} {
			if strings.Contains(colleague, not) {
				t.Errorf("a colleague's overview shows %q", not)
			}
		}
		client := page(cli)
		if !strings.Contains(client, fmt.Sprintf(`href="/%s/files/%d"`, o.acc.Slug, brief)) || strings.Contains(client, "heron-plan") {
			t.Errorf("the client's overview:\n%s", client)
		}
		// In French.
		if r := mem.Send("GET", fmt.Sprintf("/%s/projects/%d", o.acc.Slug, pid), http.Header{"Accept-Language": {"fr"}}, nil); !strings.Contains(string(r.Body), "Derniers fichiers") {
			t.Errorf("the overview in French has no Derniers fichiers")
		}
	})
}
