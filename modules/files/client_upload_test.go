package files_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/files"
)

// TestClientUploads: a folder shared with a client company takes its clients' uploads only
// when its maker chose so (clients_upload, default no). Until then every upload path a client
// reaches — the API's multipart and JSON upload, the resumable upload, the folder's page — is
// a 403 writing nothing, a folder not shared with them a 404; afterwards the client uploads
// through each (not new versions, renames or deletes), the page shows them the upload form,
// the staff see the client as the uploader, the upload is audited and told to the project's
// team. Only the maker (or a files manager) changes the choice; an internal folder refuses it
// (422).
func TestClientUploads(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner, mem, mgr, cli := e.As(o.owner), e.As(o.mem), e.As(o.mgr), e.As(o.cli)
		pid := o.created(t, owner, "/projects", map[string]any{"name": "Portal", "guests_allowed": true})
		for _, m := range []struct {
			id   int64
			role string
		}{{o.cli.ID, "client"}, {o.mgr.ID, "member"}} {
			if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, pid, m.id), map[string]any{"role": m.role}); r.Status != http.StatusOK {
				t.Fatalf("join: %d %s", r.Status, r.Body)
			}
		}
		shared := o.created(t, mem, "/folders", map[string]any{"name": "From Acme", "project_id": pid, "visibility": "clients", "company_ids": []int64{o.company}})
		other := o.created(t, owner, "/companies", map[string]any{"name": "Globex", "kind": "client"})
		elsewhere := o.created(t, mem, "/folders", map[string]any{"name": "For Globex", "visibility": "clients", "company_ids": []int64{other}, "clients_upload": true})
		folderPath := func(id int64) string { return fmt.Sprintf("%s/folders/%d", o.base, id) }
		pagePath := fmt.Sprintf("/%s/files/folders/%d", o.acc.Slug, shared)
		view := func(c *testkit.Client, id int64) files.FolderView {
			t.Helper()
			r := c.Get(folderPath(id))
			if r.Status != http.StatusOK {
				t.Fatalf("GET folder %d: %d %s", id, r.Status, r.Body)
			}
			var v files.FolderView
			r.JSON(t, &v)
			return v
		}
		if v := view(cli, shared); v.Folder.ClientsUpload || v.Uploadable || v.Writable {
			t.Fatalf("a new share lets clients upload: %+v", v)
		}
		if v := view(mem, shared); !v.Uploadable || !v.Writable {
			t.Fatalf("the maker may not upload: %+v", v)
		}
		content := []byte("signed contract")
		tries := func(id int64, want int) {
			t.Helper()
			snap := e.Snapshot()
			if r := upload(cli, folderPath(id)+"/files", "contract.pdf", content); r.Status != want {
				t.Errorf("multipart into %d: %d %s", id, r.Status, r.Body)
			}
			if r := cli.Post(folderPath(id)+"/files", map[string]any{"name": "note.txt", "content": "hi"}); r.Status != want {
				t.Errorf("JSON into %d: %d %s", id, r.Status, r.Body)
			}
			if r := cli.Post(folderPath(id)+"/uploads", map[string]any{"name": "big.bin", "size": len(content), "sha256": sum(content)}); r.Status != want {
				t.Errorf("resumable into %d: %d %s", id, r.Status, r.Body)
			}
			body, ct := multipartBody("page.pdf", content)
			if r := cli.Send("POST", fmt.Sprintf("/%s/files/folders/%d/upload", o.acc.Slug, id), http.Header{"Content-Type": {ct}}, body); r.Status != want {
				t.Errorf("the page's form into %d: %d", id, r.Status)
			}
			if e.Snapshot() != snap {
				t.Errorf("a refused client upload into %d wrote something", id)
			}
		}
		tries(shared, http.StatusForbidden)
		tries(o.folder, http.StatusNotFound)  // internal
		tries(elsewhere, http.StatusNotFound) // another company's, even open to uploads
		if strings.Contains(cli.Get(pagePath).String(), `id="upload-form"`) {
			t.Error("the page shows the client an upload form before the share allows it")
		}

		// Only the maker (or a files manager) opens the folder to uploads.
		if r := cli.Patch(folderPath(shared), map[string]any{"clients_upload": true}); r.Status != http.StatusForbidden {
			t.Fatalf("the client opens it: %d %s", r.Status, r.Body)
		}
		if r := mgr.Patch(folderPath(shared), map[string]any{"clients_upload": true}); r.Status != http.StatusForbidden {
			t.Fatalf("another member opens it: %d %s", r.Status, r.Body)
		}
		snap := e.Snapshot()
		if r := mem.Patch(folderPath(o.folder), map[string]any{"clients_upload": true}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["clients_upload"] == "" {
			t.Fatalf("an internal folder takes clients' uploads: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(o.base+"/folders", map[string]any{"name": "Internal too", "clients_upload": true}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["clients_upload"] == "" {
			t.Fatalf("a new internal folder takes clients' uploads: %d %s", r.Status, r.Body)
		}
		if e.Snapshot() != snap {
			t.Fatal("a refused clients_upload wrote something")
		}
		// The page's share form: the box ticked.
		if r := mem.SubmitForm(pagePath, pagePath+"/share", map[string][]string{"company_ids": {fmt.Sprint(o.company)}, "clients_upload": {"1"}}); r.Status >= 400 {
			t.Fatalf("share with uploads: %d %.300s", r.Status, r.Body)
		}
		if v := view(cli, shared); !v.Folder.ClientsUpload || !v.Uploadable || v.Writable {
			t.Fatalf("after the share: %+v", v)
		}
		if page := cli.Get(pagePath).String(); !strings.Contains(page, `id="upload-form"`) || !strings.Contains(page, "upload.js") {
			t.Error("the page shows the client no upload form")
		}

		// Every path takes the client's upload now.
		id := o.uploaded(t, cli, shared, "contract.pdf", content)
		if r := cli.Post(folderPath(shared)+"/files", map[string]any{"name": "note.txt", "content": "hi"}); r.Status != http.StatusCreated {
			t.Fatalf("JSON: %d %s", r.Status, r.Body)
		}
		big := bytes.Repeat([]byte("x"), 3000)
		r := cli.Post(folderPath(shared)+"/uploads", map[string]any{"name": "big.bin", "size": len(big), "sha256": sum(big)})
		if r.Status != http.StatusCreated {
			t.Fatalf("resumable open: %d %s", r.Status, r.Body)
		}
		var up struct{ ID int64 }
		r.JSON(t, &up)
		if r := sendChunk(cli, o.base, up.ID, 0, int64(len(big)), big); r.Status != http.StatusOK {
			t.Fatalf("chunk: %d %s", r.Status, r.Body)
		}
		if r := cli.Post(fmt.Sprintf("%s/uploads/%d/finish", o.base, up.ID), nil); r.Status != http.StatusCreated {
			t.Fatalf("finish: %d %s", r.Status, r.Body)
		}
		body, ct := multipartBody("page.pdf", content)
		if r := cli.Send("POST", pagePath+"/upload", http.Header{"Content-Type": {ct}}, body); r.Status >= 400 {
			t.Fatalf("the page's form: %d %.300s", r.Status, r.Body)
		}
		// Same name rules as anyone's; no versions, renames or deletes.
		if r := upload(cli, folderPath(shared)+"/files", "CONTRACT.pdf", content); r.Status != http.StatusConflict {
			t.Errorf("a taken name: %d %s", r.Status, r.Body)
		}
		if r := upload(cli, fmt.Sprintf("%s/files/%d/versions", o.base, id), "v2.pdf", content); r.Status != http.StatusForbidden {
			t.Errorf("a client's new version: %d %s", r.Status, r.Body)
		}
		if r := cli.Delete(fmt.Sprintf("%s/files/%d", o.base, id)); r.Status != http.StatusForbidden {
			t.Errorf("a client's delete: %d %s", r.Status, r.Body)
		}

		// The staff see who uploaded; the trail and the team know.
		v := view(mem, shared)
		if len(v.Files) != 4 {
			t.Fatalf("the folder holds %d files: %+v", len(v.Files), v.Files)
		}
		for _, f := range v.Files {
			if f.UpdatedByName != o.cli.Name {
				t.Errorf("%s shows %q as its uploader", f.Name, f.UpdatedByName)
			}
		}
		if !strings.Contains(mem.Get(pagePath).String(), o.cli.Name) {
			t.Error("the folder's page does not name the client")
		}
		if a := owner.Get(o.base + "/audit").String(); strings.Count(a, `"files.file.client_uploaded"`) != 4 {
			t.Errorf("the trail of the client's uploads: %.600s", a)
		}
		for _, u := range []*testkit.User{o.mgr, o.mem} {
			if n := e.As(u).Get(o.base + "/notifications").String(); !strings.Contains(n, "contract.pdf") || !strings.Contains(n, o.cli.Name) {
				t.Errorf("%s was not told: %.400s", u.Email, n)
			}
		}
		if n := cli.Get(o.base + "/notifications").String(); strings.Contains(n, "contract.pdf") {
			t.Errorf("the client was told of their own upload: %.300s", n)
		}

		// A subfolder inherits the choice; closing it closes every path again.
		sub := o.created(t, mem, "/folders", map[string]any{"name": "Scans", "parent_id": shared})
		if v := view(cli, sub); !v.Uploadable {
			t.Errorf("the subfolder does not inherit the choice: %+v", v.Folder)
		}
		if r := mem.Patch(folderPath(shared), map[string]any{"clients_upload": false}); r.Status != http.StatusOK {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		tries(shared, http.StatusForbidden)
	})
}
