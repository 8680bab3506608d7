package files_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/files"
)

func (o *office) refs(t *testing.T, sha string) int {
	t.Helper()
	var n int
	if err := o.e.App.DB.NewSelect().TableExpr("files_blobs").Column("refs").Where("account_id = ? AND sha256 = ?", o.acc.ID, sha).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// count counts the account's rows of a table (the tests of the package share the database).
func (o *office) count(t testing.TB, table string) int {
	t.Helper()
	n, err := o.e.App.DB.NewSelect().TableExpr(table).Where("account_id = ?", o.acc.ID).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestCopy: a file copied into its own folder is "name (2).ext", into another project's
// folder keeps its name; each copy shares the blob (a reference more, no blob more). A folder
// copied with its subfolder and files lands at the top of a project as "name (2)" when taken;
// copying a folder into itself is a 422; a folder the copier does not see, or a target they do
// not see, is a 404 or a field error. A folder moves into another project's tree with what is
// below it.
func TestCopy(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem, own := e.As(o.mem), e.As(o.owner)
		content := []byte("the plan, copied")
		file := o.uploaded(t, mem, o.folder, "plan.txt", content)
		blobs := o.count(t, "files_blobs")

		var cp files.File
		r := mem.Post(fmt.Sprintf("%s/files/%d/copy", o.base, file), map[string]any{"folder_id": o.folder})
		if r.Status != http.StatusCreated {
			t.Fatalf("copy: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &cp)
		if cp.Name != "plan (2).txt" || cp.Version != 1 || cp.SHA256 != sum(content) || cp.ID == file {
			t.Errorf("copy %+v", cp)
		}
		mem.Post(fmt.Sprintf("%s/files/%d/copy", o.base, file), map[string]any{"folder_id": o.folder}).JSON(t, &cp)
		if cp.Name != "plan (3).txt" {
			t.Errorf("third copy named %q", cp.Name)
		}
		proj := o.created(t, own, "/folders", map[string]any{"name": "Website docs", "project_id": o.project})
		mem.Post(fmt.Sprintf("%s/files/%d/copy", o.base, file), map[string]any{"folder_id": proj}).JSON(t, &cp)
		if cp.Name != "plan.txt" || cp.FolderID != proj {
			t.Errorf("copy into the project %+v", cp)
		}
		if got := o.refs(t, sum(content)); got != 4 || o.count(t, "files_blobs") != blobs {
			t.Errorf("refs %d, blobs %d (want 4, %d)", got, o.count(t, "files_blobs"), blobs)
		}
		if r := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, cp.ID)); string(r.Body) != string(content) {
			t.Errorf("the copy downloads %q", r.Body)
		}
		// A folder of the project the member is not in: not a target.
		secret := o.created(t, own, "/folders", map[string]any{"name": "Secret docs", "project_id": o.closed})
		if r := mem.Post(fmt.Sprintf("%s/files/%d/copy", o.base, file), map[string]any{"folder_id": secret}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["folder_id"] == "" {
			t.Errorf("copy into an unseen folder: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(fmt.Sprintf("%s/folders/%d/copy", o.base, secret), map[string]any{}); r.Status != http.StatusNotFound {
			t.Errorf("copy of an unseen folder: %d", r.Status)
		}

		// A folder with a subfolder: to the top of the project, twice.
		sub := o.created(t, mem, "/folders", map[string]any{"name": "Drafts", "parent_id": o.folder})
		o.uploaded(t, mem, sub, "draft.txt", []byte("draft"))
		var fc files.Folder
		for i, want := range []string{"Deliverables", "Deliverables (2)"} {
			r := mem.Post(fmt.Sprintf("%s/folders/%d/copy", o.base, o.folder), map[string]any{"project_id": o.project})
			if r.Status != http.StatusCreated {
				t.Fatalf("folder copy %d: %d %s", i, r.Status, r.Body)
			}
			r.JSON(t, &fc)
			if fc.Name != want || fc.ProjectID == nil || *fc.ProjectID != o.project || fc.ParentID != nil {
				t.Errorf("folder copy %d: %+v", i, fc)
			}
		}
		var view files.FolderView
		mem.Get(fmt.Sprintf("%s/folders/%d", o.base, fc.ID)).JSON(t, &view)
		if len(view.Folders) != 1 || view.Folders[0].Name != "Drafts" || len(view.Files) != 3 {
			t.Fatalf("copied folder holds %+v / %d files", view.Folders, len(view.Files))
		}
		var subView files.FolderView
		mem.Get(fmt.Sprintf("%s/folders/%d", o.base, view.Folders[0].ID)).JSON(t, &subView)
		if len(subView.Files) != 1 || subView.Files[0].Name != "draft.txt" || subView.Folder.ProjectID == nil || *subView.Folder.ProjectID != o.project {
			t.Errorf("copied subfolder %+v", subView)
		}
		// Into itself or below: refused, nothing made.
		before := o.count(t, "files_folders")
		for _, into := range []int64{o.folder, sub} {
			if r := mem.Post(fmt.Sprintf("%s/folders/%d/copy", o.base, o.folder), map[string]any{"parent_id": into}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["parent_id"] == "" {
				t.Errorf("copy into itself (%d): %d %s", into, r.Status, r.Body)
			}
		}
		if o.count(t, "files_folders") != before {
			t.Errorf("a refused copy made folders")
		}

		// A move into another project's tree takes what is below along.
		var moved files.Folder
		if r := mem.Patch(fmt.Sprintf("%s/folders/%d", o.base, o.folder), map[string]any{"parent_id": proj}); r.Status != http.StatusOK {
			t.Fatalf("move across projects: %d %s", r.Status, r.Body)
		} else {
			r.JSON(t, &moved)
		}
		mem.Get(fmt.Sprintf("%s/folders/%d", o.base, sub)).JSON(t, &subView)
		if moved.ProjectID == nil || *moved.ProjectID != o.project || subView.Folder.ProjectID == nil || *subView.Folder.ProjectID != o.project {
			t.Errorf("moved %+v, its subfolder %+v", moved, subView.Folder)
		}
		if r := mem.Patch(fmt.Sprintf("%s/folders/%d", o.base, sub), map[string]any{"parent_id": secret}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("move into an unseen project's folder: %d %s", r.Status, r.Body)
		}
	})
}
