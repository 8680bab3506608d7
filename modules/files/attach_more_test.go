package files_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
	"groupcamp/modules"
)

// TestAttachmentQuota: an attachment counts in the storage quota: with 1,000 bytes, one of 600
// fits, the next of 500 is a 413 saying the storage is full, and nothing is attached.
func TestAttachmentQuota(t *testing.T) {
	var mods []app.Module
	for _, m := range modules.All() {
		if m.Name() != "billing" {
			mods = append(mods, m)
		}
	}
	testkit.EachDB(t, testkit.Options{Modules: append(mods, quotaModule{limit: 1000})}, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		list := o.created(t, mem, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Launch"})
		task := o.created(t, mem, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Brief"})
		p := fmt.Sprintf("%s/tasks/%d/attachments", o.base, task)
		if r := upload(mem, p, "a.bin", []byte(strings.Repeat("a", 600))); r.Status != http.StatusCreated {
			t.Fatalf("attach: %d %s", r.Status, r.Body)
		}
		rows := o.count(t, "files_attachments")
		if r := upload(mem, p, "b.bin", []byte(strings.Repeat("b", 500))); r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.String(), "storage is full") {
			t.Errorf("over quota: %d %s", r.Status, r.Body)
		}
		if o.count(t, "files_attachments") != rows {
			t.Errorf("an attachment over quota was kept")
		}
	})
}

// TestAttachmentErasure: erasing a person keeps the attachments on their tasks, without the
// person's id.
func TestAttachmentErasure(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		list := o.created(t, mem, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Launch"})
		task := o.created(t, mem, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Brief"})
		p := fmt.Sprintf("%s/tasks/%d/attachments", o.base, task)
		if r := upload(mem, p, "a.txt", []byte("a")); r.Status != http.StatusCreated {
			t.Fatalf("attach: %d %s", r.Status, r.Body)
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email, Name: o.mem.Name}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := e.App.DB.NewSelect().TableExpr("files_attachments").ColumnExpr("COUNT(*)").
			Where("account_id = ? AND created_by = ?", o.acc.ID, o.mem.ID).Scan(ctx, &left); err != nil {
			t.Fatal(err)
		}
		if left != 0 || o.count(t, "files_attachments") != 1 {
			t.Errorf("after erasure: %d rows still name the person, %d attachments", left, o.count(t, "files_attachments"))
		}
	})
}

// TestAttachmentPlainForm: without JavaScript, the task page's form posts the files (several
// at once) and goes back to the task, which lists them.
func TestAttachmentPlainForm(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		list := o.created(t, mem, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Launch"})
		task := o.created(t, mem, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Brief"})
		b := e.BrowserLogin(o.mem)
		page := fmt.Sprintf("/%s/tasks/%d", o.acc.Slug, task)
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("_csrf", testkit.CSRFIn(b.Get(page).Body))
		for _, n := range []string{"one.txt", "two.txt"} {
			part, _ := w.CreateFormFile("file", n)
			part.Write([]byte(n))
		}
		w.Close()
		r := b.Send("POST", page+"/attachments", http.Header{"Content-Type": {w.FormDataContentType()}}, &body)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("plain form: %d %s", r.Status, r.Body)
		}
		if got := b.Get(page).String(); !strings.Contains(got, "one.txt") || !strings.Contains(got, "two.txt") || !strings.Contains(got, "2 attachments") {
			t.Errorf("the task page does not list them")
		}
	})
}
