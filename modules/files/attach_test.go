package files_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// attachment is what the attachments API answers with.
type attachment struct {
	ID           int64
	FileID       int64  `json:"file_id"`
	CommentID    *int64 `json:"comment_id"`
	Name         string
	Size         int64
	DownloadURL  string `json:"download_url"`
	ThumbnailURL string `json:"thumbnail_url"`
	Removable    bool
}

// TestTaskAttachments: a member attaches files to a task and a comment (stored in the
// project's Attachments folder, a taken name numbered); colleagues list and download them; a
// client downloads them only when the task's list is shared with their company; only the
// uploader (or a files manager) removes one, which moves its file to the files trash; bad
// input writes nothing; another account's ids are 404.
func TestTaskAttachments(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner, mem, mgr, cli := e.As(o.owner), e.As(o.mem), e.As(o.mgr), e.As(o.cli)
		pid := o.created(t, owner, "/projects", map[string]any{"name": "Portal", "guests_allowed": true})
		for _, m := range []struct {
			id   int64
			role string
		}{{o.cli.ID, "client"}, {o.mem.ID, "member"}} {
			if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, pid, m.id), map[string]any{"role": m.role}); r.Status != http.StatusOK {
				t.Fatalf("join: %d %s", r.Status, r.Body)
			}
		}
		internal := o.created(t, owner, fmt.Sprintf("/projects/%d/lists", pid), map[string]any{"name": "Internal"})
		shared := o.created(t, owner, fmt.Sprintf("/projects/%d/lists", pid), map[string]any{"name": "Shared", "visibility": "clients", "company_ids": []int64{o.company}})
		task := o.created(t, mem, fmt.Sprintf("/projects/%d/tasks", pid), map[string]any{"list_id": internal, "title": "Draft"})
		sharedTask := o.created(t, mem, fmt.Sprintf("/projects/%d/tasks", pid), map[string]any{"list_id": shared, "title": "Review"})
		comment := o.created(t, mem, fmt.Sprintf("/tasks/%d/comments", task), map[string]any{"body": "See attached"})
		path := func(task int64) string { return fmt.Sprintf("%s/tasks/%d/attachments", o.base, task) }

		attach := func(c *testkit.Client, p, name, content string) attachment {
			t.Helper()
			r := upload(c, p, name, []byte(content))
			if r.Status != http.StatusCreated {
				t.Fatalf("attach %s: %d %s", name, r.Status, r.Body)
			}
			var a attachment
			r.JSON(t, &a)
			return a
		}
		a1 := attach(mem, path(task), "spec.txt", "the spec")
		a2 := attach(mem, path(task)+fmt.Sprintf("?comment_id=%d", comment), "spec.txt", "another spec")
		if a2.Name != "spec (2).txt" || a2.CommentID == nil || *a2.CommentID != comment || a1.Size != 8 || !a1.Removable {
			t.Errorf("attachments: %+v %+v", a1, a2)
		}
		a3 := attach(mem, path(sharedTask), "review.txt", "for the client")
		if a3.DownloadURL != fmt.Sprintf("%s/tasks/%d/attachments/%d/download", o.base, sharedTask, a3.ID) {
			t.Errorf("download url %q", a3.DownloadURL)
		}

		// The project's Attachments folder holds them, internal.
		var tops struct {
			Items []struct {
				ID               int64
				Name, Visibility string
			}
		}
		owner.Get(fmt.Sprintf("%s/folders?project_id=%d", o.base, pid)).JSON(t, &tops)
		if len(tops.Items) != 1 || tops.Items[0].Name != "Attachments" || tops.Items[0].Visibility != "internal" {
			t.Errorf("project folders: %+v", tops.Items)
		}

		var list struct{ Items []attachment }
		mgr.Get(path(task)).JSON(t, &list)
		if len(list.Items) != 2 || list.Items[0].ID != a1.ID || list.Items[1].Name != "spec (2).txt" || list.Items[0].Removable {
			t.Errorf("list: %+v", list.Items)
		}
		if r := mgr.Get(a1.DownloadURL); r.Status != http.StatusOK || r.String() != "the spec" || !strings.Contains(r.Header.Get("Content-Disposition"), "spec.txt") {
			t.Errorf("download: %d %s", r.Status, r.Body)
		}
		// A client: the shared task's attachments, not the internal one's (404).
		if r := cli.Get(a3.DownloadURL); r.Status != http.StatusOK || r.String() != "for the client" {
			t.Errorf("client download of a shared task's attachment: %d %s", r.Status, r.Body)
		}
		cli.Get(path(sharedTask)).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Removable {
			t.Errorf("client list: %+v", list.Items)
		}
		for _, p := range []string{path(task), a1.DownloadURL} {
			if r := cli.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("client GET %s: %d", p, r.Status)
			}
		}
		if r := upload(cli, path(sharedTask), "x.txt", []byte("x")); r.Status != http.StatusForbidden {
			t.Errorf("client upload: %d %s", r.Status, r.Body)
		}

		// Bad input writes nothing.
		files := o.count(t, "files_files")
		for name, c := range map[string]struct {
			p      string
			status int
		}{
			"no task":           {path(999999), http.StatusNotFound},
			"comment elsewhere": {path(sharedTask) + fmt.Sprintf("?comment_id=%d", comment), http.StatusUnprocessableEntity},
			"bad comment id":    {path(task) + "?comment_id=x", http.StatusUnprocessableEntity},
		} {
			if r := upload(mem, c.p, "a.txt", []byte("a")); r.Status != c.status {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		if r := upload(mem, path(task), strings.Repeat("n", 300)+".txt", []byte("a")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad name: %d %s", r.Status, r.Body)
		}
		if r := mem.Send("POST", path(task), http.Header{"Content-Type": {"text/plain"}}, strings.NewReader("x")); r.Status != http.StatusBadRequest {
			t.Errorf("not a form: %d %s", r.Status, r.Body)
		}
		if o.count(t, "files_files") != files {
			t.Errorf("bad input stored a file")
		}

		// Another account sees none of it.
		other := newOffice(t, e)
		otherOwner := e.As(other.owner)
		for _, p := range []string{path(task), a1.DownloadURL, strings.Replace(a1.DownloadURL, "/download", "/thumbnail", 1)} {
			p = strings.Replace(p, o.base, other.base, 1)
			if r := otherOwner.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("other account GET %s: %d", p, r.Status)
			}
		}
		op := strings.Replace(path(task), o.base, other.base, 1)
		if r := upload(otherOwner, op, "a.txt", []byte("a")); r.Status != http.StatusNotFound {
			t.Errorf("other account attach: %d", r.Status)
		}
		if r := otherOwner.Delete(fmt.Sprintf("%s/%d", op, a1.ID)); r.Status != http.StatusNotFound {
			t.Errorf("other account delete: %d", r.Status)
		}

		// Removing: not a colleague's attachment (403); the uploader's goes to the trash.
		if r := e.As(o.owner).Delete(fmt.Sprintf("%s/%d", path(task), 999999)); r.Status != http.StatusNotFound {
			t.Errorf("delete a missing attachment: %d", r.Status)
		}
		otherMember := e.NewUser(o.acc, "member")
		if r := e.As(otherMember).Delete(fmt.Sprintf("%s/%d", path(task), a1.ID)); r.Status != http.StatusForbidden {
			t.Errorf("a colleague removes: %d %s", r.Status, r.Body)
		}
		if r := mem.Delete(fmt.Sprintf("%s/%d", path(task), a1.ID)); r.Status != http.StatusNoContent {
			t.Fatalf("remove: %d %s", r.Status, r.Body)
		}
		mem.Get(path(task)).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != a2.ID {
			t.Errorf("after removing: %+v", list.Items)
		}
		if r := mem.Get(a1.DownloadURL); r.Status != http.StatusNotFound {
			t.Errorf("a removed attachment downloads: %d", r.Status)
		}
		var trash struct{ Files []struct{ ID int64 } }
		mem.Get(o.base+"/trash/files").JSON(t, &trash)
		if len(trash.Files) != 1 || trash.Files[0].ID != a1.FileID {
			t.Errorf("trash: %+v", trash.Files)
		}
	})
}
