package files_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
)

// TestProjectFilesApp: with the files module, a project's settings offer the Files app, the
// project's pages link its folders, and /files?project= lists that project's top folders.
func TestProjectFilesApp(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	o := newOffice(t, e)
	o.created(t, e.As(o.owner), "/folders", map[string]any{"name": "Site assets", "project_id": o.project})
	b := e.BrowserLogin(o.owner)
	settings := b.Get(fmt.Sprintf("/%s/projects/%d/settings", o.acc.Slug, o.project))
	if settings.Status != http.StatusOK || !strings.Contains(string(settings.Body), `id="app-files"`) {
		t.Fatalf("the settings do not offer the Files app: %d", settings.Status)
	}
	link := fmt.Sprintf("/%s/files?project=%d", o.acc.Slug, o.project)
	page := b.Get(fmt.Sprintf("/%s/projects/%d", o.acc.Slug, o.project))
	if !strings.Contains(string(page.Body), `href="`+link+`"`) {
		t.Errorf("the project's page does not link its files")
	}
	r := b.Get(link)
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "Site assets") || !strings.Contains(string(r.Body), "Website") {
		t.Errorf("the project's files: %d", r.Status)
	}
}

// TestCollectorSparesAReservedBlob: bytes no version holds for hours, uploaded again: the
// upload touches the blob before it takes its reference, so the collector running then leaves
// it, and the file downloads whole.
func TestCollectorSparesAReservedBlob(t *testing.T) {
	e := testkit.Start(t, "sqlite", options())
	svc := moduleOf(e).Service()
	o := newOffice(t, e)
	mem := e.As(o.mem)
	id := o.uploaded(t, mem, o.folder, "once.txt", []byte("same bytes"))
	mem.Delete(fmt.Sprintf("%s/files/%d", o.base, id))
	start := time.Now()
	svc.Now = func() time.Time { return start.Add(31 * 24 * time.Hour) }
	defer func() { svc.Now = nil }()
	if _, err := svc.Purge(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Hours later the blob is collectable; an upload of the same bytes comes first.
	svc.Now = func() time.Time { return start.Add(31*24*time.Hour + 3*time.Hour) }
	again := o.uploaded(t, mem, o.folder, "again.txt", []byte("same bytes"))
	if _, err := svc.Collect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, again)); r.Status != http.StatusOK || string(r.Body) != "same bytes" {
		t.Errorf("the re-uploaded bytes: %d %q", r.Status, r.Body)
	}
}

// TestAccountClosureDeletesBlobs: the module's AccountData hook deletes the account's bytes
// and no other account's.
func TestAccountClosureDeletesBlobs(t *testing.T) {
	e := testkit.Start(t, "sqlite", options())
	svc := moduleOf(e).Service()
	a, b := newOffice(t, e), newOffice(t, e)
	a.uploaded(t, e.As(a.mem), a.folder, "a.txt", []byte("of a"))
	b.uploaded(t, e.As(b.mem), b.folder, "b.txt", []byte("of b"))
	var closer hooks.AccountData
	for _, p := range e.App.Hooks.PersonalData {
		if c, ok := p.Hook.(hooks.AccountData); ok && p.Module == "files" {
			closer = c
		}
	}
	if closer == nil {
		t.Fatal("the files module provides no AccountData")
	}
	if err := closer.CloseAccount(context.Background(), a.acc.ID); err != nil {
		t.Fatal(err)
	}
	if keys, _ := svc.Blobs.Keys(context.Background(), fmt.Sprintf("a%d/", a.acc.ID)); len(keys) != 0 {
		t.Errorf("account A keeps %v", keys)
	}
	if keys, _ := svc.Blobs.Keys(context.Background(), fmt.Sprintf("a%d/", b.acc.ID)); len(keys) != 1 {
		t.Errorf("account B keeps %v", keys)
	}
}

// TestFolderPageForms: on a folder's page, a folder moves under another (offered: not itself
// nor below itself; forced: a 422 on the page naming the field), is renamed (a clash is a 409
// next to the field), and a name with a slash is refused.
func TestFolderPageForms(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		b := e.BrowserLogin(o.mem)
		a := o.created(t, e.As(o.mem), "/folders", map[string]any{"name": "Alpha"})
		beta := o.created(t, e.As(o.mem), "/folders", map[string]any{"name": "Beta"})
		page := func(id int64) string { return fmt.Sprintf("/%s/files/folders/%d", o.acc.Slug, id) }
		html := string(b.Get(page(beta)).Body)
		if !strings.Contains(html, fmt.Sprintf(`<option value="%d">Alpha</option>`, a)) {
			t.Errorf("Alpha is not offered as a place for Beta")
		}
		if r := b.SubmitForm(page(beta), page(beta)+"/move", url.Values{"parent_id": {fmt.Sprint(a)}}); r.Status != http.StatusSeeOther {
			t.Fatalf("move: %d", r.Status)
		}
		var v struct{ Path []struct{ ID int64 } }
		e.As(o.mem).Get(fmt.Sprintf("%s/folders/%d", o.base, beta)).JSON(t, &v)
		if len(v.Path) != 1 || v.Path[0].ID != a {
			t.Errorf("Beta's path %+v", v.Path)
		}
		if html := string(b.Get(page(a)).Body); strings.Contains(html, fmt.Sprintf(`<option value="%d">`, beta)) {
			t.Errorf("Alpha's page offers to move it below itself")
		}
		r := b.SubmitForm(page(a), page(a)+"/move", url.Values{"parent_id": {fmt.Sprint(beta)}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "A folder cannot move inside itself.") {
			t.Errorf("move below itself: %d", r.Status)
		}
		o.created(t, e.As(o.mem), "/folders", map[string]any{"name": "Gamma"})
		if r := b.SubmitForm(page(a), page(a)+"/rename", url.Values{"rename": {"GAMMA"}}); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "A folder of this name exists here.") {
			t.Errorf("rename clash: %d", r.Status)
		}
		if r := b.SubmitForm(page(a), page(a)+"/rename", url.Values{"rename": {"a/b"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("rename with a slash: %d", r.Status)
		}
	})
}

// TestShareFromThePage: the folder's maker shares it with the client company from its page;
// the client then reads it, and unsharing hides it again.
func TestShareFromThePage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		b := e.BrowserLogin(o.mem)
		page := fmt.Sprintf("/%s/files/folders/%d", o.acc.Slug, o.folder)
		api := fmt.Sprintf("%s/folders/%d", o.base, o.folder)
		if r := e.As(o.cli).Get(api); r.Status != http.StatusNotFound {
			t.Fatalf("client before sharing: %d", r.Status)
		}
		if r := b.SubmitForm(page, page+"/share", url.Values{"company_ids": {fmt.Sprint(o.company)}}); r.Status != http.StatusSeeOther {
			t.Fatalf("share: %d", r.Status)
		}
		if r := e.As(o.cli).Get(api); r.Status != http.StatusOK {
			t.Errorf("client after sharing: %d", r.Status)
		}
		if r := b.SubmitForm(page, page+"/share", url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("unshare: %d", r.Status)
		}
		if r := e.As(o.cli).Get(api); r.Status != http.StatusNotFound {
			t.Errorf("client after unsharing: %d", r.Status)
		}
		// Another member (not the maker) is not offered the sharing, and the API refuses it.
		other := e.NewUser(o.acc, "member")
		if strings.Contains(string(e.BrowserLogin(other).Get(page).Body), `name="company_ids"`) {
			t.Errorf("the sharing is offered to someone who may not share")
		}
		if r := e.As(other).Patch(api, map[string]any{"visibility": "clients", "company_ids": []int64{o.company}}); r.Status != http.StatusForbidden {
			t.Errorf("another member shares: %d", r.Status)
		}
	})
}
