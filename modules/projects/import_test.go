package projects_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"groupcamp/core/testkit"
)

// sendFile posts a file as the multipart field "file".
func sendFile(t *testing.T, c *testkit.Client, path, name string, data []byte) *testkit.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return c.Send(http.MethodPost, path, http.Header{"Content-Type": {mw.FormDataContentType()}}, &buf)
}

func (pw *pagesWorld) taskCount(t *testing.T) int {
	t.Helper()
	r := pw.want(pw.as(pw.owner).Get(pw.path("/projects/%d", pw.pid)), http.StatusOK)
	return int(r.Map()["counts"].(map[string]any)["tasks"].(float64))
}

func TestImportCSV(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		api := w.path("/projects/%d/import", pw.pid)
		before := pw.taskCount(t)
		bad := "titre,liste,échéance,début,e-mail de l'assigné\n" +
			"Good one,Internal budget,2025-04-10,2025-04-01," + w.member.Email + "\n" +
			"Late,Internal budget,2025-04-01,2025-04-10,\n" +
			strings.Repeat("x", 501) + ",Nope,,,nobody@example.test\n"
		r := want(t, "bad csv", sendFile(t, w.as(w.manager), api, "tasks.csv", []byte(bad)), http.StatusUnprocessableEntity)
		var rep struct {
			Rows []struct {
				Line   int
				Errors []struct{ Field, Message string }
			}
			Imported int
		}
		r.JSON(t, &rep)
		if len(rep.Rows) != 3 || len(rep.Rows[0].Errors) != 0 || len(rep.Rows[1].Errors) != 1 || len(rep.Rows[2].Errors) != 3 || rep.Imported != 0 {
			t.Fatalf("report: %s", r.Body)
		}
		if n := pw.taskCount(t); n != before {
			t.Fatalf("tasks %d -> %d after a refused import", before, n)
		}
		// The page's preview shows every error too, and nothing is written.
		page := w.e.BrowserLogin(w.manager)
		form := page.Get(pw.page("/projects/%d/import", pw.pid))
		want(t, "import page", form, http.StatusOK)
		page.CSRF = testkit.CSRFIn(form.Body)
		pr := want(t, "preview", sendFile(t, page, pw.page("/projects/%d/import", pw.pid), "t.csv", []byte(bad)), http.StatusUnprocessableEntity)
		if !strings.Contains(string(pr.Body), "nobody@example.test") || strings.Contains(string(pr.Body), `name="payload"`) {
			t.Fatalf("preview: %s", pr.Body)
		}
		good := "list,title,due_on,assignee_email,estimate_hours\nInternal budget,A,2025-05-01," + w.member.Email + ",1.5\nShared deliverables,B,,,\n"
		want(t, "dry run", sendFile(t, w.as(w.manager), api+"?dry_run=true", "t.csv", []byte(good)), http.StatusOK)
		if n := pw.taskCount(t); n != before {
			t.Fatal("a dry run wrote tasks")
		}
		// Through the page: preview, then confirm the signed rows.
		pr = want(t, "preview good", sendFile(t, page, pw.page("/projects/%d/import", pw.pid), "t.csv", []byte(good)), http.StatusOK)
		i := strings.Index(string(pr.Body), `name="payload" value="`)
		payload := string(pr.Body)[i+len(`name="payload" value="`):]
		payload = payload[:strings.Index(payload, `"`)]
		want(t, "tampered", page.Form(pw.page("/projects/%d/import/confirm", pw.pid), map[string][]string{"_csrf": {page.CSRF}, "payload": {"x" + payload}}), http.StatusUnprocessableEntity)
		want(t, "confirm", page.Form(pw.page("/projects/%d/import/confirm", pw.pid), map[string][]string{"_csrf": {page.CSRF}, "payload": {payload}}), http.StatusSeeOther)
		if n := pw.taskCount(t); n != before+2 {
			t.Fatalf("tasks %d -> %d after the import", before, n)
		}
		want(t, "api import", sendFile(t, w.as(w.manager), api, "t.csv", []byte(good)), http.StatusCreated)
		if n := pw.taskCount(t); n != before+4 {
			t.Fatalf("tasks %d -> %d after the API import", before, n)
		}
		// Limits, and another account's view of the project.
		want(t, "rows", sendFile(t, w.as(w.manager), api, "t.csv", []byte("list,title\n"+strings.Repeat("Internal budget,x\n", 5001))), http.StatusUnprocessableEntity)
		want(t, "size", sendFile(t, w.as(w.manager), api, "t.csv", bytes.Repeat([]byte("a"), 5<<20+10)), http.StatusRequestEntityTooLarge)
		other := w.e.NewAccount()
		want(t, "other account", sendFile(t, w.e.As(other.Owner), "/api/v1/"+other.Slug+"/projects/"+itoa(pw.pid)+"/import", "t.csv", []byte(good)), http.StatusNotFound)
		want(t, "other account export", w.e.As(other.Owner).Get("/api/v1/"+other.Slug+"/projects/"+itoa(pw.pid)+"/export.zip"), http.StatusNotFound)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestImportXLSX(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		before := pw.taskCount(t)
		f := excelize.NewFile()
		for i, row := range [][]any{{"list", "title", "starts_on", "due_on", "priority"}, {"Internal budget", "From Excel", "2025-04-01", "2025-04-02", "high"}} {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow("Sheet1", cell, &row)
		}
		var buf bytes.Buffer
		f.Write(&buf)
		want(t, "xlsx", sendFile(t, w.as(w.manager), w.path("/projects/%d/import", pw.pid), "t.xlsx", buf.Bytes()), http.StatusCreated)
		if n := pw.taskCount(t); n != before+1 {
			t.Fatalf("tasks %d -> %d", before, n)
		}
	})
}

func TestExportZIP(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		// The workflow and the tasks' details travel too: a column, a label, checklists on a
		// shared and on an internal task.
		w.want(w.as(w.manager).Post(w.path("/projects/%d/statuses", pw.pid), map[string]any{"name": "Client review", "base": "in_progress"}), http.StatusCreated)
		label := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/labels", pw.pid), map[string]any{"name": "Urgent fix"}), http.StatusCreated))
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", pw.sharedTask), map[string]any{"labels": []int64{label}}), http.StatusOK)
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/checklist", pw.sharedTask), map[string]any{"text": "Send the mockups"}), http.StatusCreated)
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/checklist", pw.innerTask), map[string]any{"text": "Check the margins"}), http.StatusCreated)
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/comments", pw.sharedTask), map[string]any{"body": "Mockups look good"}), http.StatusCreated)
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/comments", pw.innerTask), map[string]any{"body": "Margins are thin"}), http.StatusCreated)
		read := func(u *testkit.User) (string, [][]string) {
			r := want(t, "export", w.as(u).Get(w.path("/projects/%d/export.zip", pw.pid)), http.StatusOK)
			if !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
				t.Fatalf("disposition %q", r.Header.Get("Content-Disposition"))
			}
			z, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
			if err != nil {
				t.Fatal(err)
			}
			var js string
			var rows [][]string
			for _, f := range z.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				if f.Name == "project.json" {
					js = string(b)
				} else if rows, err = csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil {
					t.Fatal(err)
				}
			}
			return js, rows
		}
		js, rows := read(w.manager)
		if len(rows) != 3 || rows[0][0] != "id" || rows[0][1] != "list" || !strings.Contains(js, "Internal budget") || !strings.Contains(js, "Margin review") {
			t.Fatalf("manager export: %v\n%s", rows, js)
		}
		for _, s := range []string{`"statuses"`, "Client review", `"labels"`, "Urgent fix", `"checklist_items"`, "Send the mockups", "Check the margins",
			"Mockups look good", "Margins are thin"} {
			if !strings.Contains(js, s) {
				t.Errorf("the manager's project.json lacks %s", s)
			}
		}
		js, rows = read(w.clientX)
		if len(rows) != 2 || rows[1][2] != "Design mockups" || strings.Contains(js, "Internal budget") || strings.Contains(js, "Margin review") {
			t.Fatalf("client export: %v\n%s", rows, js)
		}
		if !strings.Contains(js, "Send the mockups") || strings.Contains(js, "Check the margins") {
			t.Errorf("the client's export holds the checklists of other tasks than theirs")
		}
		if !strings.Contains(js, "Mockups look good") || strings.Contains(js, "Margins are thin") {
			t.Errorf("the client's export holds the comments of other tasks than theirs")
		}
		want(t, "page export", w.as(w.clientY).Get(pw.page("/projects/%d/export.zip", pw.pid)), http.StatusNotFound)

		// The round trip: the manager's tasks.csv imported again into the same project updates
		// its tasks (matched by id) and adds none; an edited title and a status travel; into
		// another project the same rows make new tasks.
		_, rows = read(w.manager)
		count := func(pid int64) int {
			var page struct {
				Items []struct {
					ID     int64  `json:"id"`
					Title  string `json:"title"`
					Status string `json:"status"`
				} `json:"items"`
			}
			w.want(w.as(w.manager).Get(w.path("/projects/%d/tasks?limit=200", pid)), http.StatusOK).JSON(t, &page)
			return len(page.Items)
		}
		before := count(pw.pid)
		rows[1][2], rows[1][7] = "Design mockups, second pass", "done"
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		_ = cw.WriteAll(rows)
		var rep struct{ Imported, Updated int }
		want(t, "re-import", sendFile(t, w.as(w.manager), w.path("/projects/%d/import", pw.pid), "tasks.csv", buf.Bytes()), http.StatusOK).JSON(t, &rep)
		if rep.Imported != 0 || rep.Updated != 2 || count(pw.pid) != before {
			t.Errorf("the same file imported again: %+v, %d tasks (were %d)", rep, count(pw.pid), before)
		}
		var task struct{ Title, Status string }
		w.want(w.as(w.manager).Get(w.path("/tasks/%s", rows[1][0])), http.StatusOK).JSON(t, &task)
		if task.Title != "Design mockups, second pass" || task.Status != "done" {
			t.Errorf("after the re-import the task is %+v", task)
		}
	})
}
