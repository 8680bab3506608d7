package files_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/studio-b12/gowebdav"

	"groupcamp/core/testkit"
	"groupcamp/modules/files"
)

// token makes a personal API token of u with the scopes (nil: the default, write).
func token(t testing.TB, e *testkit.Env, u *testkit.User, scopes []string) string {
	t.Helper()
	body := map[string]any{"name": "WebDAV " + strings.Join(scopes, " ")}
	if scopes != nil {
		body["scopes"] = scopes
	}
	r := e.As(u).Post("/api/v1/tokens", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("token: %d %s", r.Status, r.Body)
	}
	var v struct{ Token string }
	r.JSON(t, &v)
	return v.Token
}

// TestWebDAV drives /dav/{slug}/ with a WebDAV client over the test server, signed in with an
// app password (a personal API token): the top lists the shared folders and the projects' own
// directories; MKCOL, PUT (a new file, then a new version), GET, MOVE, COPY and DELETE (to the
// trash) do what the API does; a client sees only what is shared with their company; a
// read-only token lists but cannot write; a wrong password is a challenged 401; another
// account's people do not find the account.
func TestWebDAV(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		o.created(t, e.As(o.owner), "/folders", map[string]any{"name": "Specs", "project_id": o.project})
		shared := o.created(t, mem, "/folders", map[string]any{"name": "For the client", "visibility": "clients", "company_ids": []int64{o.company}})
		o.uploaded(t, mem, shared, "brief.txt", []byte("the brief"))

		dav := gowebdav.NewClient(e.URL+"/dav/"+o.acc.Slug, o.mem.Email, token(t, e, o.mem, nil))
		top, err := dav.ReadDir("/")
		if err != nil {
			t.Fatalf("PROPFIND /: %v", err)
		}
		names := map[string]bool{}
		for _, fi := range top {
			names[fi.Name()] = fi.IsDir()
		}
		if !names["Deliverables"] || !names["For the client"] || !names["Website"] || !names["Personal"] || len(top) != 4 {
			t.Fatalf("top: %v", names)
		}
		if specs, err := dav.ReadDir("/Website"); err != nil || len(specs) != 1 || specs[0].Name() != "Specs" {
			t.Errorf("the project's directory: %v %v", specs, err)
		}
		if err := dav.Mkdir("/Deliverables/Drafts", 0o755); err != nil {
			t.Fatalf("MKCOL: %v", err)
		}
		if err := dav.Write("/Deliverables/Drafts/notes.txt", []byte("first"), 0o644); err != nil {
			t.Fatalf("PUT: %v", err)
		}
		if err := dav.Write("/Deliverables/Drafts/notes.txt", []byte("second, longer"), 0o644); err != nil {
			t.Fatalf("PUT again: %v", err)
		}
		if b, err := dav.Read("/Deliverables/Drafts/notes.txt"); err != nil || string(b) != "second, longer" {
			t.Errorf("GET: %q %v", b, err)
		}
		fi, err := dav.Stat("/Deliverables/Drafts/notes.txt")
		if err != nil || fi.Size() != int64(len("second, longer")) || fi.IsDir() {
			t.Errorf("stat: %v %v", fi, err)
		}
		var view files.FolderView
		mem.Get(fmt.Sprintf("%s/folders/%d", o.base, o.folder)).JSON(t, &view)
		if len(view.Folders) != 1 || view.Folders[0].Name != "Drafts" {
			t.Fatalf("the API sees %+v", view.Folders)
		}
		var drafts files.FolderView
		mem.Get(fmt.Sprintf("%s/folders/%d", o.base, view.Folders[0].ID)).JSON(t, &drafts)
		if len(drafts.Files) != 1 || drafts.Files[0].Version != 2 {
			t.Fatalf("the API sees %+v", drafts.Files)
		}
		if err := dav.Rename("/Deliverables/Drafts/notes.txt", "/Deliverables/minutes.txt", false); err != nil {
			t.Fatalf("MOVE: %v", err)
		}
		if err := dav.Copy("/Deliverables/minutes.txt", "/Deliverables/minutes copy.txt", false); err != nil {
			t.Fatalf("COPY: %v", err)
		}
		if b, err := dav.Read("/Deliverables/minutes copy.txt"); err != nil || string(b) != "second, longer" {
			t.Errorf("GET the copy: %q %v", b, err)
		}
		if err := dav.Remove("/Deliverables/minutes copy.txt"); err != nil {
			t.Fatalf("DELETE: %v", err)
		}
		var trash files.TrashList
		mem.Get(o.base+"/trash/files").JSON(t, &trash)
		if len(trash.Files) != 1 || trash.Files[0].Name != "minutes copy.txt" {
			t.Errorf("trash %+v", trash.Files)
		}
		// Files live in folders: not at the top.
		if err := dav.Write("/loose.txt", []byte("x"), 0o644); err == nil {
			t.Errorf("PUT at the top was taken")
		}

		// The client sees the folder shared with their company, nothing else.
		cli := gowebdav.NewClient(e.URL+"/dav/"+o.acc.Slug, o.cli.Email, token(t, e, o.cli, nil))
		if top, err := cli.ReadDir("/"); err != nil || len(top) != 1 || top[0].Name() != "For the client" {
			t.Errorf("client's top: %v %v", top, err)
		}
		if b, err := cli.Read("/For the client/brief.txt"); err != nil || string(b) != "the brief" {
			t.Errorf("client GET: %q %v", b, err)
		}
		if _, err := cli.Read("/Deliverables/minutes.txt"); err == nil {
			t.Errorf("the client reads an internal file")
		}
		if err := cli.Write("/For the client/reply.txt", []byte("x"), 0o644); err == nil {
			t.Errorf("the client writes")
		}

		// A read-only token mounts read-only.
		ro := gowebdav.NewClient(e.URL+"/dav/"+o.acc.Slug, o.mem.Email, token(t, e, o.mem, []string{"files:read"}))
		if _, err := ro.ReadDir("/Deliverables"); err != nil {
			t.Errorf("read-only PROPFIND: %v", err)
		}
		if err := ro.Write("/Deliverables/ro.txt", []byte("x"), 0o644); err == nil {
			t.Errorf("a read-only token writes")
		}

		// A wrong password: 401 with the challenge; another account: 404.
		req, _ := http.NewRequest("PROPFIND", e.URL+"/dav/"+o.acc.Slug+"/", nil)
		req.SetBasicAuth(o.mem.Email, "gcp_not-a-token")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic ") {
			t.Errorf("wrong password: %d %q", res.StatusCode, res.Header.Get("WWW-Authenticate"))
		}
		other := newOffice(t, e)
		stranger := gowebdav.NewClient(e.URL+"/dav/"+o.acc.Slug, other.owner.Email, token(t, e, other.owner, nil))
		if _, err := stranger.ReadDir("/"); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("another account: %v", err)
		}
	})
}

// TestWebDAVPersonal: the personal space is a directory "Personal" at the top of WebDAV, the
// person's own: what they PUT there is in their personal space through the API, and another
// person's "Personal" is theirs — the first one's file is not found there.
func TestWebDAVPersonal(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		dav := gowebdav.NewClient(e.URL+"/dav/"+o.acc.Slug, o.mem.Email, token(t, e, o.mem, nil))
		if err := dav.Write("/Personal/diary.txt", []byte("dear diary"), 0o644); err != nil {
			t.Fatalf("PUT: %v", err)
		}
		if err := dav.Mkdir("/Personal/Letters", 0o755); err != nil {
			t.Fatalf("MKCOL: %v", err)
		}
		r := e.As(o.mem).Get(o.base + "/folders/personal")
		if !strings.Contains(string(r.Body), `"diary.txt"`) || !strings.Contains(string(r.Body), `"Letters"`) {
			t.Errorf("the API's personal space: %s", r.Body)
		}
		if err := dav.Rename("/Personal", "/Mine", false); err == nil {
			t.Errorf("the personal space's top was renamed")
		}
		other := gowebdav.NewClient(e.URL+"/dav/"+o.acc.Slug, o.owner.Email, token(t, e, o.owner, nil))
		if _, err := other.Read("/Personal/diary.txt"); err == nil {
			t.Errorf("the owner reads the member's diary")
		}
		if list, err := other.ReadDir("/Personal"); err != nil || len(list) != 0 {
			t.Errorf("the owner's own personal space: %v %v", list, err)
		}
	})
}
