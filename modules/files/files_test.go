package files_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules/files"
)

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// TestUploadDownloadVersions: a member uploads a file (201 with its hash and version 1), the
// same bytes elsewhere are stored once, a name that differs only by case or normalization is a
// 409, a new version and a restored one make versions 2 and 3, and every version downloads with
// its ETag, its name (UTF-8) and ranges.
func TestUploadDownloadVersions(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		content := []byte("Hello, files! " + strings.Repeat("0123456789", 100))
		r := upload(mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), "Résumé final.txt", content)
		if r.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		var up files.Uploaded
		r.JSON(t, &up)
		if up.Size != int64(len(content)) || up.SHA256 != sum(content) || up.Version != 1 || up.Name != "Résumé final.txt" {
			t.Fatalf("uploaded %+v", up)
		}
		// The same name in other forms: a clash naming the field; nothing stored for it.
		for _, name := range []string{"RÉSUMÉ FINAL.TXT", "Re\u0301sume\u0301 final.txt"} {
			if r := upload(mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), name, []byte("other")); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), `"file"`) {
				t.Errorf("upload %q: %d %s", name, r.Status, r.Body)
			}
		}
		// The same bytes under another name: one blob for the account.
		other := o.created(t, mem, "/folders", map[string]any{"name": "Copies"})
		o.uploaded(t, mem, other, "copy.txt", content)
		if n := e.Count("files_blobs"); n < 1 {
			t.Fatalf("no blob row")
		}
		var blobs int
		if err := e.App.DB.NewSelect().TableExpr("files_blobs").ColumnExpr("COUNT(*)").Where("account_id = ? AND sha256 = ?", o.acc.ID, sum(content)).Scan(context.Background(), &blobs); err != nil || blobs != 1 {
			t.Fatalf("blobs of the content: %d (%v)", blobs, err)
		}

		// Versions.
		v2 := []byte("second version")
		if r := upload(mem, fmt.Sprintf("%s/files/%d/versions", o.base, up.ID), "ignored.txt", v2); r.Status != http.StatusCreated || !strings.Contains(string(r.Body), `"version":2`) {
			t.Fatalf("version 2: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(fmt.Sprintf("%s/files/%d/versions/1/restore", o.base, up.ID), nil); r.Status != http.StatusCreated || !strings.Contains(string(r.Body), `"version":3`) {
			t.Fatalf("restore 1: %d %s", r.Status, r.Body)
		}
		var vs files.VersionList
		mem.Get(fmt.Sprintf("%s/files/%d/versions", o.base, up.ID)).JSON(t, &vs)
		if len(vs.Items) != 3 || vs.Items[0].N != 3 || vs.Items[0].SHA256 != sum(content) || vs.Items[1].SHA256 != sum(v2) || vs.Items[2].UploadedByName == "" {
			t.Fatalf("versions %+v", vs.Items)
		}

		// Downloads: the current version, version 2, ranges.
		dl := fmt.Sprintf("%s/files/%d/download", o.base, up.ID)
		r = mem.Get(dl)
		if r.Status != http.StatusOK || string(r.Body) != string(content) {
			t.Fatalf("download: %d %.80s", r.Status, r.Body)
		}
		if got := r.Header.Get("ETag"); got != `"`+sum(content)+`"` {
			t.Errorf("ETag %q", got)
		}
		if got := r.Header.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment;") || !strings.Contains(got, "filename*=UTF-8''R%C3%A9sum%C3%A9%20final.txt") {
			t.Errorf("Content-Disposition %q", got)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
			t.Errorf("headers %v", r.Header)
		}
		if r := mem.Get(dl + "?version=2"); r.Status != http.StatusOK || string(r.Body) != string(v2) {
			t.Errorf("version 2: %d %s", r.Status, r.Body)
		}
		if r := mem.Get(dl + "?version=9"); r.Status != http.StatusNotFound {
			t.Errorf("version 9: %d", r.Status)
		}
		get := func(h http.Header) *testkit.Response { return mem.Send("GET", dl, h, nil) }
		r = get(http.Header{"Range": {"bytes=7-11"}})
		if r.Status != http.StatusPartialContent || string(r.Body) != "files" || r.Header.Get("Content-Range") != fmt.Sprintf("bytes 7-11/%d", len(content)) {
			t.Errorf("range: %d %q %q", r.Status, r.Body, r.Header.Get("Content-Range"))
		}
		if r = get(http.Header{"Range": {"bytes=-4"}}); r.Status != http.StatusPartialContent || string(r.Body) != "6789" {
			t.Errorf("suffix range: %d %q", r.Status, r.Body)
		}
		if r = get(http.Header{"Range": {"bytes=99999-"}}); r.Status != http.StatusRequestedRangeNotSatisfiable || r.Header.Get("Content-Range") != fmt.Sprintf("bytes */%d", len(content)) {
			t.Errorf("past the end: %d %q", r.Status, r.Header.Get("Content-Range"))
		}
		if r = get(http.Header{"Range": {"bytes=0-4"}, "If-Range": {`"stale"`}}); r.Status != http.StatusOK || len(r.Body) != len(content) {
			t.Errorf("If-Range stale: %d %d bytes", r.Status, len(r.Body))
		}
		if r = get(http.Header{"Range": {"bytes=0-4"}, "If-Range": {`"` + sum(content) + `"`}}); r.Status != http.StatusPartialContent || string(r.Body) != "Hello" {
			t.Errorf("If-Range current: %d %q", r.Status, r.Body)
		}
		if r = get(http.Header{"If-None-Match": {`"` + sum(content) + `"`}}); r.Status != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", r.Status)
		}
		// The history: the downloads from the first byte, for a files manager.
		var hist files.DownloadList
		if r := e.As(o.owner).Get(fmt.Sprintf("%s/files/%d/downloads", o.base, up.ID)); r.Status != http.StatusOK {
			t.Fatalf("downloads: %d %s", r.Status, r.Body)
		} else {
			r.JSON(t, &hist)
		}
		if len(hist.Items) != 4 || hist.Items[0].UserName != o.mem.Name {
			t.Errorf("history %+v", hist.Items)
		}
	})
}

// TestScriptNeverInline: HTML and SVG go out as attachments whatever is asked; a PNG may be
// shown inline.
func TestScriptNeverInline(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		for name, body := range map[string]string{"page.html": "<html><script>alert(1)</script></html>", "logo.svg": `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "a.js": "alert(1)"} {
			id := o.uploaded(t, mem, o.folder, name, []byte(body))
			r := mem.Get(fmt.Sprintf("%s/files/%d/download?inline=1", o.base, id))
			if !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") || r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
				t.Errorf("%s: %v", name, r.Header)
			}
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		id := o.uploaded(t, mem, o.folder, "pic.png", png)
		if r := mem.Get(fmt.Sprintf("%s/files/%d/download?inline=1", o.base, id)); !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") || r.Header.Get("Content-Type") != "image/png" {
			t.Errorf("png: %v", r.Header)
		}
	})
}

// TestBadNames: names with traversal, NUL, control characters, too long, "." and "..", and a
// folder moved into itself or below itself: a 422 naming the field, nothing written.
func TestBadNames(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		for _, name := range []string{"", "..", ".", "a/b", `a\b`, "a\x00b", "a\x07b", strings.Repeat("é", 128)} {
			before := e.Snapshot()
			r := mem.Post(o.base+"/folders", map[string]any{"name": name})
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
				t.Errorf("folder %q: %d %s", name, r.Status, r.Body)
			}
			if r := mem.Post(fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), map[string]any{"name": name, "content": "x"}); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
				t.Errorf("file %q: %d %s", name, r.Status, r.Body)
			}
			if after := e.Snapshot(); after != before {
				t.Errorf("%q wrote something", name)
			}
		}
		// Names the browser sends with a path keep only the base name.
		if r := upload(mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), "../../etc/passwd", []byte("x")); r.Status != http.StatusCreated || !strings.Contains(string(r.Body), `"name":"passwd"`) {
			t.Errorf("traversal: %d %s", r.Status, r.Body)
		}
		if r := upload(mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), "empty.txt", nil); r.Status != http.StatusCreated || !strings.Contains(string(r.Body), `"size":0`) {
			t.Errorf("zero bytes: %d %s", r.Status, r.Body)
		}
		child := o.created(t, mem, "/folders", map[string]any{"name": "Child", "parent_id": o.folder})
		grand := o.created(t, mem, "/folders", map[string]any{"name": "Grandchild", "parent_id": child})
		for _, to := range []int64{o.folder, child, grand} {
			r := mem.Patch(fmt.Sprintf("%s/folders/%d", o.base, o.folder), map[string]any{"parent_id": to})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "parent_id") {
				t.Errorf("move into %d: %d %s", to, r.Status, r.Body)
			}
		}
		if r := mem.Post(o.base+"/folders", map[string]any{"name": "CHILD", "parent_id": o.folder}); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), `"name"`) {
			t.Errorf("folder clash: %d %s", r.Status, r.Body)
		}
		if r := upload(mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), "x.txt", nil); r.Status != http.StatusCreated {
			t.Errorf("x.txt: %d", r.Status)
		}
		if r := mem.Post(fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), "not json"); r.Status != http.StatusBadRequest {
			t.Errorf("bad JSON: %d", r.Status)
		}
	})
}

// TestVisibility: a client sees only the folders shared with their company, and a project's
// folders are seen only by those who see the project.
func TestVisibility(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner, mem, cli := e.As(o.owner), e.As(o.mem), e.As(o.cli)
		secret := o.created(t, owner, "/folders", map[string]any{"name": "Plans", "project_id": o.closed})
		open := o.created(t, owner, "/folders", map[string]any{"name": "Site", "project_id": o.project})
		shared := o.created(t, owner, "/folders", map[string]any{"name": "For the client", "visibility": "clients", "company_ids": []int64{o.company}})
		inside := o.created(t, owner, "/folders", map[string]any{"name": "Inside", "parent_id": shared})
		file := o.uploaded(t, owner, shared, "brief.txt", []byte("brief"))
		hidden := o.uploaded(t, owner, o.folder, "internal.txt", []byte("internal"))
		for _, id := range []int64{secret} {
			if r := mem.Get(fmt.Sprintf("%s/folders/%d", o.base, id)); r.Status != http.StatusNotFound {
				t.Errorf("member, closed project's folder: %d", r.Status)
			}
		}
		if r := mem.Get(fmt.Sprintf("%s/folders/%d", o.base, open)); r.Status != http.StatusOK {
			t.Errorf("member, open project's folder: %d", r.Status)
		}
		if r := mem.Post(o.base+"/folders", map[string]any{"name": "Sneaky", "project_id": o.closed}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("member, folder in a closed project: %d %s", r.Status, r.Body)
		}
		for _, id := range []int64{o.folder, secret, open} {
			if r := cli.Get(fmt.Sprintf("%s/folders/%d", o.base, id)); r.Status != http.StatusNotFound {
				t.Errorf("client, folder %d: %d", id, r.Status)
			}
		}
		if r := cli.Get(fmt.Sprintf("%s/files/%d/download", o.base, hidden)); r.Status != http.StatusNotFound {
			t.Errorf("client, internal file: %d", r.Status)
		}
		for _, id := range []int64{shared, inside} {
			if r := cli.Get(fmt.Sprintf("%s/folders/%d", o.base, id)); r.Status != http.StatusOK {
				t.Errorf("client, shared folder %d: %d", id, r.Status)
			}
		}
		if r := cli.Get(fmt.Sprintf("%s/files/%d/download", o.base, file)); r.Status != http.StatusOK || string(r.Body) != "brief" {
			t.Errorf("client, shared file: %d", r.Status)
		}
		var tops files.FolderList
		cli.Get(o.base+"/folders").JSON(t, &tops)
		if len(tops.Items) != 1 || tops.Items[0].ID != shared {
			t.Errorf("client's top folders: %+v", tops.Items)
		}
		if r := cli.Post(o.base+"/folders", map[string]any{"name": "Mine"}); r.Status != http.StatusForbidden {
			t.Errorf("client writes: %d", r.Status)
		}
		mem.Get(o.base+"/folders").JSON(t, &tops)
		for _, f := range tops.Items {
			if f.ID == secret {
				t.Errorf("the member lists the closed project's folder")
			}
		}
	})
}

// TestTrashPurgeCollect: a trashed file is gone from its folder and its download, comes back
// with restore; after 30 days the purge deletes it, and an hour later the collector deletes its
// blob (row and bytes) — but never a blob another file still holds.
func TestTrashPurgeCollect(t *testing.T) {
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) { trashPurgeCollect(t, testkit.Start(t, kind, options())) })
	}
}

func trashPurgeCollect(t *testing.T, e *testkit.Env) {
	svc := moduleOf(e).Service()
	o := newOffice(t, e)
	mem := e.As(o.mem)
	keep := o.uploaded(t, mem, o.folder, "keep.txt", []byte("shared bytes"))
	gone := o.uploaded(t, mem, o.folder, "gone.txt", []byte("only here"))
	twin := o.uploaded(t, mem, o.folder, "twin.txt", []byte("shared bytes"))
	_ = keep
	for _, id := range []int64{gone, twin} {
		if r := mem.Delete(fmt.Sprintf("%s/files/%d", o.base, id)); r.Status != http.StatusNoContent {
			t.Fatalf("trash: %d %s", r.Status, r.Body)
		}
	}
	if r := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, gone)); r.Status != http.StatusNotFound {
		t.Errorf("download from the trash: %d", r.Status)
	}
	var trash files.TrashList
	mem.Get(o.base+"/trash/files").JSON(t, &trash)
	if len(trash.Files) != 2 {
		t.Errorf("trash %+v", trash)
	}
	if r := mem.Post(fmt.Sprintf("%s/files/%d/restore", o.base, twin), nil); r.Status != http.StatusOK {
		t.Errorf("restore: %d %s", r.Status, r.Body)
	}
	if r := mem.Delete(fmt.Sprintf("%s/files/%d", o.base, twin)); r.Status != http.StatusNoContent {
		t.Fatal(r.Status)
	}
	blobKeys := func() int {
		keys, err := svc.Blobs.Keys(context.Background(), fmt.Sprintf("a%d/", o.acc.ID))
		if err != nil {
			t.Fatal(err)
		}
		return len(keys)
	}
	if n := blobKeys(); n != 2 {
		t.Fatalf("%d blobs stored, want 2", n)
	}
	base := time.Now()
	svc.Now = func() time.Time { return base.Add(31 * 24 * time.Hour) }
	defer func() { svc.Now = nil }()
	if n, err := svc.Purge(context.Background()); err != nil || n < 2 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if n, err := svc.Collect(context.Background()); err != nil || n != 0 {
		t.Errorf("collect within the hour: %d %v", n, err)
	}
	svc.Now = func() time.Time { return base.Add(31*24*time.Hour + 2*time.Hour) }
	if _, err := svc.Collect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := blobKeys(); n != 1 {
		t.Errorf("%d blobs left, want 1 (the bytes keep.txt still holds)", n)
	}
	if r := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, keep)); r.Status != http.StatusOK || string(r.Body) != "shared bytes" {
		t.Errorf("keep.txt after the collection: %d %s", r.Status, r.Body)
	}
}

// moduleOf finds the files module of the App.
func moduleOf(e *testkit.Env) *files.Module {
	for _, m := range e.Modules {
		if f, ok := m.(*files.Module); ok {
			return f
		}
	}
	panic("no files module")
}
