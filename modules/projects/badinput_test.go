package projects_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"groupcamp/core/testkit"
)

// TestBadInput: every bad input gets a 4xx naming the field, and writes nothing.
func TestBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		x := fixture(t, w, w.acc)
		own := w.as(w.owner)
		other := w.project(w.owner, nil)
		otherMs := idOf(t, w.want(own.Post(w.path("/projects/%d/milestones", other), map[string]any{"name": "M", "due_on": "2026-02-02"}), http.StatusCreated))
		var internalCo int64
		for _, it := range w.list(w.owner, w.path("/companies")).Items {
			if it["kind"] == "internal" {
				internalCo = num(it["id"])
			}
		}
		twentyOne := make([]map[string]any, 21)
		for i := range twentyOne {
			twentyOne[i] = map[string]any{"user_id": i + 1}
		}
		type tc struct {
			name   string
			method string
			path   string
			body   any
			status int
			field  string
		}
		projects := w.path("/projects")
		project := w.path("/projects/%d", x.project)
		tasks := w.path("/projects/%d/tasks", x.project)
		task := w.path("/tasks/%d", x.task)
		cases := []tc{
			{"no name", "POST", projects, map[string]any{"name": "  "}, 422, "name"},
			{"long name", "POST", projects, map[string]any{"name": strings.Repeat("n", 201)}, 422, "name"},
			{"name with a NUL", "POST", projects, map[string]any{"name": "a\x00b"}, 422, "name"},
			{"code with spaces", "POST", projects, map[string]any{"name": "P", "code": "a b"}, 422, "code"},
			{"long code", "POST", projects, map[string]any{"name": "P", "code": strings.Repeat("C", 21)}, 422, "code"},
			{"unknown company", "POST", projects, map[string]any{"name": "P", "client_company_id": 999999}, 422, "client_company_id"},
			{"internal company as client", "POST", projects, map[string]any{"name": "P", "client_company_id": internalCo}, 422, "client_company_id"},
			{"no such day", "POST", projects, map[string]any{"name": "P", "starts_on": "2026-13-01"}, 422, "starts_on"},
			{"day in another form", "POST", projects, map[string]any{"name": "P", "starts_on": "01/02/2026"}, 422, "starts_on"},
			{"year 3000", "POST", projects, map[string]any{"name": "P", "ends_on": "3000-01-01"}, 422, "ends_on"},
			{"ends before it starts", "POST", projects, map[string]any{"name": "P", "starts_on": "2026-02-02", "ends_on": "2026-02-01"}, 422, "ends_on"},
			{"unknown access", "POST", projects, map[string]any{"name": "P", "access": "secret"}, 422, "access"},
			{"client leads", "POST", projects, map[string]any{"name": "P", "leader_id": w.clientX.ID}, 422, "leader_id"},
			{"assistant is the leader", "POST", projects, map[string]any{"name": "P", "assistant_leader_id": w.owner.ID}, 422, "assistant_leader_id"},
			{"21 tags", "POST", projects, map[string]any{"name": "P", "tags": strings.Split(strings.Repeat("t,", 20)+"t", ",")}, 422, "tags"},
			{"empty tag", "POST", projects, map[string]any{"name": "P", "tags": []string{"ok", " "}}, 422, "tags"},
			{"category with a bell", "POST", projects, map[string]any{"name": "P", "category": "a\x07"}, 422, "category"},
			{"tags of the wrong type", "POST", projects, map[string]any{"name": "P", "tags": "web"}, 400, "tags"},
			{"unknown field", "POST", projects, map[string]any{"name": "P", "owner": 1}, 400, "owner"},

			{"patch: empty name", "PATCH", project, map[string]any{"name": ""}, 422, "name"},
			{"patch: access", "PATCH", project, map[string]any{"access": "closed"}, 422, "access"},
			{"patch: leader 0", "PATCH", project, map[string]any{"leader_id": 0}, 422, "leader_id"},
			{"patch: id as text", "PATCH", project, map[string]any{"leader_id": "7"}, 400, "leader_id"},
			{"member: owner role", "PUT", w.path("/projects/%d/members/%d", x.project, w.member.ID), map[string]any{"role": "owner"}, 422, "role"},
			{"member: no role", "PUT", w.path("/projects/%d/members/%d", x.project, w.member.ID), map[string]any{}, 422, "role"},
			{"member: unknown person", "PUT", w.path("/projects/%d/members/999999", x.project), map[string]any{"role": "member"}, 404, ""},
			{"member: not a member", "DELETE", w.path("/projects/%d/members/%d", x.project, w.member2.ID), nil, 404, ""},

			{"milestone: no name", "POST", w.path("/projects/%d/milestones", x.project), map[string]any{"due_on": "2026-01-05"}, 422, "name"},
			{"milestone: no day", "POST", w.path("/projects/%d/milestones", x.project), map[string]any{"name": "M"}, 422, "due_on"},
			{"list: visibility", "POST", w.path("/projects/%d/lists", x.project), map[string]any{"name": "L", "visibility": "public"}, 422, "visibility"},
			{"list: shared with nobody", "POST", w.path("/projects/%d/lists", x.project), map[string]any{"name": "L", "visibility": "clients"}, 422, "company_ids"},
			{"list: internal with companies", "POST", w.path("/projects/%d/lists", x.project), map[string]any{"name": "L", "company_ids": []int64{x.company}}, 422, "company_ids"},
			{"list: own company", "POST", w.path("/projects/%d/lists", x.project), map[string]any{"name": "L", "visibility": "clients", "company_ids": []int64{internalCo}}, 422, "company_ids"},
			{"list: milestone of another project", "POST", w.path("/projects/%d/lists", x.project), map[string]any{"name": "L", "milestone_id": otherMs}, 422, "milestone_id"},

			{"task: no list", "POST", tasks, map[string]any{"title": "T"}, 422, "list_id"},
			{"task: no title", "POST", tasks, map[string]any{"list_id": x.list, "title": ""}, 422, "title"},
			{"task: title of 501", "POST", tasks, map[string]any{"list_id": x.list, "title": strings.Repeat("t", 501)}, 422, "title"},
			{"task: title with a line break", "POST", tasks, map[string]any{"list_id": x.list, "title": "a\nb"}, 422, "title"},
			{"task: description of 20,001", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "description": strings.Repeat("d", 20001)}, 422, "description"},
			{"task: description with a NUL", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "description": "a\x00"}, 422, "description"},
			{"task: due before start", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "starts_on": "2026-05-05", "due_on": "2026-05-04"}, 422, "due_on"},
			{"task: priority", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "priority": "asap"}, 422, "priority"},
			{"task: same person twice", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "assignees": []map[string]any{{"user_id": x.user}, {"user_id": x.user}}}, 422, "assignees"},
			{"task: unknown person", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "assignees": []map[string]any{{"user_id": 999999}}}, 422, "assignees"},
			{"task: negative estimate", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "assignees": []map[string]any{{"user_id": x.user, "estimate_minutes": -1}}}, 422, "assignees"},
			{"task: estimate over a year", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "assignees": []map[string]any{{"user_id": x.user, "estimate_minutes": 525601}}}, 422, "assignees"},
			{"task: 21 people", "POST", tasks, map[string]any{"list_id": x.list, "title": "T", "assignees": twentyOne}, 422, "assignees"},
			{"task: list of another project", "POST", w.path("/projects/%d/tasks", other), map[string]any{"list_id": x.list, "title": "T"}, 422, "list_id"},
			{"task: huge id", "POST", tasks, `{"list_id": 99999999999999999999, "title": "T"}`, 400, "list_id"},

			{"patch task: status", "PATCH", task, map[string]any{"status": "closed"}, 422, "status"},
			{"patch task: progress -1", "PATCH", task, map[string]any{"progress": []map[string]any{{"user_id": x.user, "progress": -1}}}, 422, "progress"},
			{"patch task: progress of a stranger", "PATCH", task, map[string]any{"progress": []map[string]any{{"user_id": w.member2.ID, "progress": 5}}}, 422, "progress"},
			{"patch task: position", "PATCH", task, map[string]any{"position": -1}, 422, "position"},
			{"patch task: title", "PATCH", task, map[string]any{"title": " "}, 422, "title"},
			{"patch task: due before start", "PATCH", task, map[string]any{"starts_on": "2026-05-05", "due_on": "2026-05-01"}, 422, "due_on"},
			{"patch task: unknown custom status", "PATCH", task, map[string]any{"custom_status": "no-such-status"}, 422, "custom_status"},
			{"patch task: unknown label", "PATCH", task, map[string]any{"labels": []int64{999999}}, 422, "labels"},
			{"checklist: too long", "POST", w.path("/tasks/%d/checklist", x.task), map[string]any{"text": strings.Repeat("c", 501)}, 422, "text"},
			{"label: too long", "POST", w.path("/projects/%d/labels", x.project), map[string]any{"name": strings.Repeat("l", 51)}, 422, "name"},
			{"status: no base", "POST", w.path("/projects/%d/statuses", x.project), map[string]any{"name": "S"}, 422, "base"},

			{"dependency: none", "POST", w.path("/tasks/%d/dependencies", x.task), map[string]any{}, 422, "predecessor_id"},
			{"dependency: itself", "POST", w.path("/tasks/%d/dependencies", x.task), map[string]any{"predecessor_id": x.task}, 422, "predecessor_id"},
			{"dependency: unknown", "POST", w.path("/tasks/%d/dependencies", x.task), map[string]any{"predecessor_id": 999999}, 422, "predecessor_id"},
			{"dependency: cycle", "POST", w.path("/tasks/%d/dependencies", x.pred), map[string]any{"predecessor_id": x.task}, 422, "predecessor_id"},
			{"dependency: none to remove", "DELETE", w.path("/tasks/%d/dependencies/%d", x.pred, x.task), nil, 404, ""},
			{"comment: empty", "POST", w.path("/tasks/%d/comments", x.task), map[string]any{"body": ""}, 422, "body"},
			{"comment: 10,001", "POST", w.path("/tasks/%d/comments", x.task), map[string]any{"body": strings.Repeat("c", 10001)}, 422, "body"},
			{"comment: escape character", "POST", w.path("/tasks/%d/comments", x.task), map[string]any{"body": "a\x1bb"}, 422, "body"},

			{"list: limit 0", "GET", tasks + "?limit=0", nil, 422, "limit"},
			{"list: cursor", "GET", tasks + "?cursor=abc", nil, 422, "cursor"},
			{"list: status", "GET", tasks + "?status=open,later", nil, 422, "status"},
			{"list: assignee", "GET", tasks + "?assignee=bob", nil, 422, "assignee"},
			{"list: list id", "GET", tasks + "?list_id=-4", nil, 422, "list_id"},
			{"list: due_before", "GET", w.path("/my-tasks?due_before=2026-02-30"), nil, 422, "due_before"},
			{"projects: state", "GET", projects + "?state=deleted", nil, 422, "state"},
			{"path: id", "GET", w.path("/tasks/abc"), nil, 404, ""},
			{"path: huge id", "GET", w.path("/projects/99999999999999999999"), nil, 404, ""},
			{"path: negative id", "DELETE", w.path("/tasks/-1"), nil, 404, ""},
		}
		before := w.snapshot()
		for _, c := range cases {
			r := own.Do(c.method, c.path, c.body)
			wantField(t, c.name, r, c.status, c.field)
		}
		if after := w.snapshot(); after != before {
			t.Errorf("bad input wrote something:\n before %s\n after  %s", before, after)
		}
		// A PATCH that changes nothing writes nothing either.
		for _, p := range []string{project, task} {
			w.want(own.Patch(p, map[string]any{}), http.StatusOK)
			w.want(own.Patch(p, `null`), http.StatusOK)
		}
		w.want(own.Patch(task, map[string]any{"title": "T of " + w.acc.Slug}), http.StatusOK)
		if after := w.snapshot(); after != before {
			t.Errorf("empty patches wrote something:\n before %s\n after  %s", before, after)
		}
	})
}

// oddBodies are request bodies that no route of the module may accept.
var oddBodies = map[string]string{
	"array":          `[]`,
	"string":         `""`,
	"nothing":        ``,
	"number":         `12`,
	"true":           `true`,
	"nested arrays":  strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	"nested objects": strings.Repeat(`{"name":`, 5000) + `"x"` + strings.Repeat("}", 5000),
	"unknown field":  `{"unknown": 1}`,
	"huge number":    `{"list_id": 1e400, "predecessor_id": 1e400, "leader_id": 1e400, "role": 1e400, "body": 1e400, "name": 1e400}`,
	"wrong types":    `{"name": [], "title": {}, "list_id": "1", "role": 3, "body": false, "predecessor_id": "x"}`,
	"BOM":            "\ufeff{}",
	"two values":     `{} {}`,
	"truncated":      `{"name": "x`,
}

// oddValues go into every string field of a request.
var oddValues = map[string]string{
	"NUL":            "x\x00y",
	"invalid utf-8":  "\xff\xfe",
	"lone surrogate": "\xed\xa0\x80",
	"long":           strings.Repeat("é", 30000),
	"spaces":         "   ",
	"sql":            "' OR 1=1; --",
	"rtl override":   "\u202eabc",
	"percent":        "%_\\",
}

// TestOddRequestsNever500 throws odd bodies at every write route of the module (refused,
// nothing written), odd strings into every field of every documented body, and odd query and
// path values at every read route: no answer is a 5xx, every error is problem+json.
func TestOddRequestsNever500(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		x := fixture(t, w, w.acc)
		own := w.as(w.owner)
		answer := func(what string, r *testkit.Response) {
			t.Helper()
			if r.Status >= 500 {
				t.Errorf("%s: %d %s", what, r.Status, r.Body)
			}
			if r.Status >= 400 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s: a %d that is not problem+json: %.200s", what, r.Status, r.Body)
			}
			if !utf8.Valid(r.Body) && r.Header.Get("Content-Type") != "application/zip" {
				t.Errorf("%s: the answer is not UTF-8", what)
			}
		}
		routes := moduleRoutes(w.e)
		before := w.snapshot()
		n := 0
		for _, r := range routes {
			if r.Doc.Request == nil {
				continue // takes no body (archive, restore, star): nothing to refuse
			}
			path := x.fill(r.Path)
			for name, body := range oddBodies {
				n++
				res := own.Do(r.Method, path, body)
				answer(name+" -> "+r.Method+" "+path, res)
				if res.Status < 400 || res.Status >= 500 {
					t.Errorf("%s -> %s %s: %d, want a 4xx", name, r.Method, path, res.Status)
				}
			}
			h := http.Header{"Content-Type": {"text/plain"}}
			answer("text/plain -> "+path, own.Send(r.Method, path, h, strings.NewReader(`{}`)))
		}
		if after := w.snapshot(); after != before {
			t.Errorf("odd bodies wrote something:\n before %s\n after  %s", before, after)
		}
		for _, r := range routes {
			path := x.fill(r.Path)
			switch {
			case r.Doc.Request != nil:
				for name, v := range oddValues {
					n++
					answer(name+" in every field -> "+r.Method+" "+path, own.Do(r.Method, path, fillStrings(r.Doc.Request, v)))
				}
			case r.Method == http.MethodGet:
				params := []string{"limit", "cursor"}
				for _, q := range r.Doc.Query {
					params = append(params, q.Name)
				}
				for _, p := range params {
					for _, v := range []string{"%00", "%FF%FE", "%ED%A0%80", strings.Repeat("%C3%A9", 60), "-1", "1e3", "0", "%27%20OR%201%3D1", "me", "true"} {
						n++
						answer("?"+p+"="+v+" -> GET "+path, own.Get(path+"?"+p+"="+v))
					}
				}
			}
			if strings.Contains(r.Path, ":id") {
				for _, v := range []string{"0", "-1", "abc", "%00", strings.Repeat("9", 30), "1.5", "0x10"} {
					n++
					odd := x.fill(strings.Replace(r.Path, ":id", v, 1))
					answer("path "+odd, own.Do(r.Method, odd, x.body(r)))
				}
			}
		}
		if n < 300 {
			t.Errorf("only %d odd requests", n)
		}
	})
}

// fillStrings returns a JSON object for the request struct v with every string field set to s.
func fillStrings(v any, s string) map[string]any {
	out := map[string]any{}
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.String:
			out[name] = s
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String:
			out[name] = []string{s}
		}
	}
	return out
}
