package host_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/plugins/host"
	"groupcamp/plugins/sdk/pluginv1"
)

// withFile adds an internal folder to the office's project holding brief.txt, and answers the
// file's id and a task of the shared list.
func (o *office) withFile(t testing.TB) (file, task int64) {
	t.Helper()
	own := o.e.As(o.owner)
	folder := o.created(t, own, "/folders", map[string]any{"name": "Specs", "project_id": o.project})
	file = o.created(t, own, fmt.Sprintf("/folders/%d/files", folder), map[string]any{"name": "brief.txt", "content": "hello plugin"})
	var lists struct{ Items []struct{ ID int64 } }
	own.Get(fmt.Sprintf("%s/projects/%d/lists", o.base, o.project)).JSON(t, &lists)
	if len(lists.Items) == 0 {
		t.Fatal("no list")
	}
	task = o.created(t, own, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": lists.Items[0].ID, "title": "Ship it"})
	return file, task
}

// The Host API's files, people, comments and notifications through the real status-report
// binary: each within the call's person's reach, never another account's, each refused
// without its grant.
func TestHostAPIFilesPeopleCommentsNotices(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		file, task := o.withFile(t)
		b := newOffice(t, e)
		bFile, bTask := b.withFile(t)
		if p := o.enable(t, "status-report", nil, nil); len(p.Granted) != 6 {
			t.Fatalf("granted: %v", p.Granted)
		}
		x := "/" + o.acc.Slug + "/x/status-report"
		own, cli := e.As(o.owner), e.As(o.cli)

		// Files: the owner reads the project's file; the client sees the project but not the
		// internal folder; B's file is no file of A's.
		if r := own.Get(fmt.Sprintf("%s/files.json?project=%d", x, o.project)); r.Status != http.StatusOK || !strings.Contains(r.String(), `"Name":"brief.txt"`) {
			t.Fatalf("files: %d %s", r.Status, r.Body)
		}
		if r := cli.Get(fmt.Sprintf("%s/files.json?project=%d", x, o.project)); r.Status != http.StatusOK || strings.Contains(r.String(), "brief.txt") {
			t.Fatalf("the client's files: %d %s", r.Status, r.Body)
		}
		if r := own.Get(fmt.Sprintf("%s/file?id=%d", x, file)); r.Status != http.StatusOK || r.String() != "hello plugin" {
			t.Fatalf("file: %d %s", r.Status, r.Body)
		}
		for who, id := range map[string]int64{"the client": file, "B's file": bFile} {
			c := own
			if who == "the client" {
				c = cli
			}
			if r := c.Get(fmt.Sprintf("%s/file?id=%d", x, id)); r.Status != http.StatusNotFound {
				t.Errorf("%s: %d %s", who, r.Status, r.Body)
			}
		}
		if r := own.Get(fmt.Sprintf("%s/files.json?project=%d", x, b.project)); r.Status != http.StatusNotFound {
			t.Errorf("B's project: %d %s", r.Status, r.Body)
		}

		// People: the account's directory; a client's is their company's.
		r := own.Get(x + "/people.json")
		if r.Status != http.StatusOK || !strings.Contains(r.String(), o.member.Name) || strings.Contains(r.String(), b.member.Name) {
			t.Fatalf("people: %d %s", r.Status, r.Body)
		}
		if r := cli.Get(x + "/people.json"); r.Status != http.StatusOK || strings.Contains(r.String(), o.member.Name) || !strings.Contains(r.String(), o.cli.Name) {
			t.Fatalf("the client's people: %d %s", r.Status, r.Body)
		}

		// A comment, as the person asking, on their account's task only.
		if r := own.Post(x+"/comment", map[string]any{"task_id": task, "body": "Deployed by the plugin"}); r.Status != http.StatusOK {
			t.Fatalf("comment: %d %s", r.Status, r.Body)
		}
		var comments struct {
			Items []struct {
				Body     string
				AuthorID int64 `json:"author_id"`
			}
		}
		own.Get(fmt.Sprintf("%s/tasks/%d/comments", o.base, task)).JSON(t, &comments)
		if len(comments.Items) != 1 || comments.Items[0].Body != "Deployed by the plugin" || comments.Items[0].AuthorID != o.owner.ID {
			t.Fatalf("comments: %+v", comments.Items)
		}
		if r := own.Post(x+"/comment", map[string]any{"task_id": bTask, "body": "x"}); r.Status != http.StatusNotFound {
			t.Errorf("a comment on B's task: %d %s", r.Status, r.Body)
		}
		if r := own.Post(x+"/comment", map[string]any{"task_id": task, "body": ""}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("an empty comment: %d %s", r.Status, r.Body)
		}
		// A call for no person (an event, a job) writes no comment.
		svc := service(t, e)
		res, err := svc.Sup.ServeHTTP(context.Background(), "status-report", host.Scope{AccountID: o.acc.ID, Slug: o.acc.Slug, Granted: []string{"comments.write"}},
			&pluginv1.ServeHTTPRequest{Method: "POST", Path: "/comment", Body: []byte(fmt.Sprintf(`{"task_id":%d,"body":"x"}`, task))})
		if err != nil || res.Status != http.StatusConflict {
			t.Fatalf("a comment for no person: %v %+v", err, res)
		}

		// A notification to a person of the account, said to come from the plugin.
		if r := own.Post(x+"/notify", map[string]any{"person_id": o.member.ID, "text": "Build green", "path": fmt.Sprintf("/tasks/%d", task)}); r.Status != http.StatusOK {
			t.Fatalf("notify: %d %s", r.Status, r.Body)
		}
		var notes struct{ Items []struct{ Text, Link string } }
		e.As(o.member).Get(o.base+"/notifications").JSON(t, &notes)
		if len(notes.Items) == 0 || notes.Items[0].Text != "status-report: Build green" || !strings.HasSuffix(notes.Items[0].Link, fmt.Sprintf("/tasks/%d", task)) {
			t.Fatalf("notifications: %+v", notes.Items)
		}
		for _, bad := range []map[string]any{
			{"person_id": b.member.ID, "text": "x"}, // B's person
			{"person_id": o.member.ID, "text": ""},  // no text
			{"person_id": o.member.ID, "text": "x", "path": "https://evil.example"},
		} {
			if r := own.Post(x+"/notify", bad); r.Status != http.StatusNotFound && r.Status != http.StatusUnprocessableEntity {
				t.Errorf("notify %v: %d %s", bad, r.Status, r.Body)
			}
		}
		var after struct{ Items []struct{ Text string } }
		e.As(b.member).Get(b.base+"/notifications").JSON(t, &after)
		for _, n := range after.Items {
			if strings.Contains(n.Text, "status-report") {
				t.Errorf("B's person got A's plugin's notice: %q", n.Text)
			}
		}

		// Without their grants: PermissionDenied (403 from the example), nothing written.
		o.enable(t, "status-report", []string{"projects.read", "tasks.read"}, nil)
		for path, body := range map[string]any{"/comment": map[string]any{"task_id": task, "body": "again"}, "/notify": map[string]any{"person_id": o.member.ID, "text": "again"}} {
			if r := own.Post(x+path, body); r.Status != http.StatusForbidden {
				t.Errorf("%s without the grant: %d %s", path, r.Status, r.Body)
			}
		}
		for _, path := range []string{fmt.Sprintf("/file?id=%d", file), "/people.json"} {
			if r := own.Get(x + path); r.Status != http.StatusForbidden {
				t.Errorf("%s without the grant: %d %s", path, r.Status, r.Body)
			}
		}
		own.Get(fmt.Sprintf("%s/tasks/%d/comments", o.base, task)).JSON(t, &comments)
		if len(comments.Items) != 1 {
			t.Errorf("comments after the refusals: %d", len(comments.Items))
		}
	})
}

// PluginReads answers within the call's account only: account A's plugin, in a call for no
// person (an event, a job: no viewer narrows the reads), asking with the ids of account B's
// project, gets nothing of B — its projects, milestones, tasks and files stay invisible.
func TestPluginReadsTenancy(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		a, b := newOffice(t, e), newOffice(t, e)
		b.withFile(t)
		a.enable(t, "status-report", nil, nil)
		b.enable(t, "status-report", nil, nil)
		svc := service(t, e)
		get := func(o *office, path string) string {
			t.Helper()
			sc := host.Scope{AccountID: o.acc.ID, Slug: o.acc.Slug, Granted: []string{"projects.read", "tasks.read", "files.read"}}
			path, query, _ := strings.Cut(path, "?")
			res, err := svc.Sup.ServeHTTP(context.Background(), "status-report", sc, &pluginv1.ServeHTTPRequest{Method: "GET", Path: path, Query: query})
			if err != nil || res.Status != http.StatusOK {
				t.Fatalf("%s: %v %+v", path, err, res)
			}
			return string(res.Body)
		}
		// B's own plugin sees its project's data: the ids are real.
		for path, want := range map[string]string{
			fmt.Sprintf("/milestones.json?project=%d", b.project): "Launch",
			fmt.Sprintf("/tasks.json?project=%d", b.project):      "Design",
			fmt.Sprintf("/files.json?project=%d", b.project):      "brief.txt",
		} {
			if body := get(b, path); !strings.Contains(body, want) {
				t.Fatalf("B's own %s lacks %q: %s", path, want, body)
			}
		}
		// A's plugin, asking for the same ids, gets empty lists.
		for _, path := range []string{"/milestones.json", "/tasks.json", "/files.json"} {
			if body := get(a, fmt.Sprintf("%s?project=%d", path, b.project)); body != "[]" && body != "null" {
				t.Errorf("A's plugin reads B's %s: %s", path, body)
			}
		}
		if body := get(a, "/progress.json"); strings.Count(body, `"name":"Website"`) != 1 {
			t.Errorf("A's report: %s", body)
		}
	})
}

// Files in the trash, or under a trashed folder, are no files to a plugin: neither listed nor
// read, even in a call for no person (which reads the whole account).
func TestHostAPIFilesSkipTheTrash(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		own := e.As(o.owner)
		top := o.created(t, own, "/folders", map[string]any{"name": "Drafts", "project_id": o.project})
		sub := o.created(t, own, "/folders", map[string]any{"name": "Old", "parent_id": top})
		deep := o.created(t, own, fmt.Sprintf("/folders/%d/files", sub), map[string]any{"name": "deep.txt", "content": "deep"})
		kept := o.created(t, own, fmt.Sprintf("/folders/%d/files", top), map[string]any{"name": "kept.txt", "content": "kept"})
		gone := o.created(t, own, fmt.Sprintf("/folders/%d/files", top), map[string]any{"name": "gone.txt", "content": "gone"})
		o.enable(t, "status-report", nil, nil)
		svc := service(t, e)
		get := func(path, query string) (int32, string) {
			t.Helper()
			sc := host.Scope{AccountID: o.acc.ID, Slug: o.acc.Slug, Granted: []string{"files.read"}}
			res, err := svc.Sup.ServeHTTP(context.Background(), "status-report", sc, &pluginv1.ServeHTTPRequest{Method: "GET", Path: path, Query: query})
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			return res.Status, string(res.Body)
		}
		list := fmt.Sprintf("project=%d", o.project)
		if _, body := get("/files.json", list); !strings.Contains(body, "deep.txt") || !strings.Contains(body, "gone.txt") {
			t.Fatalf("before the trash: %s", body)
		}
		if r := own.Delete(fmt.Sprintf("%s/files/%d", o.base, gone)); r.Status != http.StatusNoContent {
			t.Fatalf("trash the file: %d %s", r.Status, r.Body)
		}
		if r := own.Delete(fmt.Sprintf("%s/folders/%d", o.base, sub)); r.Status != http.StatusNoContent {
			t.Fatalf("trash the folder: %d %s", r.Status, r.Body)
		}
		if _, body := get("/files.json", list); strings.Contains(body, "deep.txt") || strings.Contains(body, "gone.txt") || !strings.Contains(body, "kept.txt") {
			t.Fatalf("after the trash: %s", body)
		}
		for id, want := range map[int64]int32{deep: http.StatusNotFound, gone: http.StatusNotFound, kept: http.StatusOK} {
			if st, body := get("/file", fmt.Sprintf("id=%d", id)); st != want {
				t.Errorf("file %d: %d %s", id, st, body)
			}
		}
	})
}
