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

// TestAttachmentsOfGoneTasks: the collector removes the attachments of a comment deleted and
// of a task purged (its row deleted, as the projects purge does), moving their files to the
// files trash; those of a task in the projects trash, and of a task still there, stay.
func TestAttachmentsOfGoneTasks(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner, mem := e.As(o.owner), e.As(o.mem)
		pid := o.created(t, owner, "/projects", map[string]any{"name": "Cleanup"})
		if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, pid, o.mem.ID), map[string]any{"role": "member"}); r.Status != http.StatusOK {
			t.Fatalf("join: %d %s", r.Status, r.Body)
		}
		list := o.created(t, owner, fmt.Sprintf("/projects/%d/lists", pid), map[string]any{"name": "Work"})
		task := func(title string) int64 {
			return o.created(t, mem, fmt.Sprintf("/projects/%d/tasks", pid), map[string]any{"list_id": list, "title": title})
		}
		kept, trashed, purged := task("Kept"), task("Trashed"), task("Purged")
		comment := o.created(t, mem, fmt.Sprintf("/tasks/%d/comments", kept), map[string]any{"body": "attached"})
		attach := func(task int64, query, name string) int64 {
			r := upload(mem, fmt.Sprintf("%s/tasks/%d/attachments%s", o.base, task, query), name, []byte(name))
			if r.Status != http.StatusCreated {
				t.Fatalf("attach: %d %s", r.Status, r.Body)
			}
			var a struct {
				FileID int64 `json:"file_id"`
			}
			r.JSON(t, &a)
			return a.FileID
		}
		onKept, onComment := attach(kept, "", "kept.txt"), attach(kept, fmt.Sprintf("?comment_id=%d", comment), "comment.txt")
		onTrashed, onPurged := attach(trashed, "", "trashed.txt"), attach(purged, "", "purged.txt")
		if r := mem.Delete(fmt.Sprintf("%s/comments/%d", o.base, comment)); r.Status != http.StatusNoContent {
			t.Fatalf("delete the comment: %d %s", r.Status, r.Body)
		}
		if r := mem.Delete(fmt.Sprintf("%s/tasks/%d", o.base, trashed)); r.Status != http.StatusNoContent {
			t.Fatalf("trash a task: %d %s", r.Status, r.Body)
		}
		ctx := context.Background()
		if _, err := e.App.DB.NewRaw("DELETE FROM tasks WHERE account_id = ? AND id = ?", o.acc.ID, purged).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := moduleOf(e).Service().Collect(ctx); err != nil {
			t.Fatal(err)
		}
		var left []int64
		if err := e.App.DB.NewSelect().TableExpr("files_attachments").Column("file_id").Where("account_id = ?", o.acc.ID).OrderExpr("id").Scan(ctx, &left); err != nil {
			t.Fatal(err)
		}
		if len(left) != 2 || left[0] != onKept || left[1] != onTrashed {
			t.Errorf("attachments left %v, want [%d %d]", left, onKept, onTrashed)
		}
		var trash struct {
			Files []struct{ ID int64 }
		}
		owner.Get(o.base+"/trash/files").JSON(t, &trash)
		inTrash := map[int64]bool{}
		for _, f := range trash.Files {
			inTrash[f.ID] = true
		}
		if !inTrash[onComment] || !inTrash[onPurged] || inTrash[onKept] || inTrash[onTrashed] {
			t.Errorf("files trash %v: want %d and %d only", inTrash, onComment, onPurged)
		}
	})
}
