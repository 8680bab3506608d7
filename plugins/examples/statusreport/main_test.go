package main

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"groupcamp/plugins/sdk"
	"groupcamp/plugins/sdk/sdktest"
)

// The partner's way of testing a plugin: sdktest serves it in-process over the real gRPC glue
// against a fake host.
func TestSectionShowsProgressPerMilestone(t *testing.T) {
	h := sdktest.New(t, New())
	h.Host.Projects = []sdk.Project{{ID: 1, Name: "Website", Active: true}, {ID: 2, Name: "Old", Active: false}}
	h.Host.Milestones = []sdk.Milestone{{ID: 7, ProjectID: 1, Name: "Launch", DueOn: "2027-01-15"}}
	h.Host.Tasks = []sdk.Task{
		{ID: 1, ProjectID: 1, Title: "Design", Status: "done", MilestoneID: 7},
		{ID: 2, ProjectID: 1, Title: "Build", Status: "open", MilestoneID: 7},
		{ID: 3, ProjectID: 1, Title: "Chores", Status: "done"},
	}
	html, err := h.Section(sdktest.Call(1, "acme"), "status")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Website", "Launch", "1/2", "No milestone", "1/1"} {
		if !strings.Contains(html, want) {
			t.Errorf("section lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "Old") {
		t.Errorf("an archived project is reported:\n%s", html)
	}
}

func TestSectionWithoutGrantFails(t *testing.T) {
	h := sdktest.New(t, New())
	h.Host.Denied = map[string]bool{sdk.CapTasksRead: true}
	h.Host.Projects = []sdk.Project{{ID: 1, Name: "Website", Active: true}}
	_, err := h.Section(sdktest.Call(1, "acme"), "status")
	if status.Code(err) != codes.PermissionDenied {
		t.Fatalf("got %v, want PermissionDenied", err)
	}
}

// The rest of the Host API through the fake host: files, people, a comment, a notification,
// and the fake host's refusals passed on as HTTP statuses.
func TestHostAPIEndpoints(t *testing.T) {
	h := sdktest.New(t, New())
	h.Host.Tasks = []sdk.Task{{ID: 5, ProjectID: 1, Title: "Design"}}
	h.Host.Files = []sdk.File{{ID: 9, Name: "brief.txt", Size: 5, MIME: "text/plain", Version: 1}}
	h.Host.Content = map[int64][]byte{9: []byte("hello")}
	h.Host.People = []sdk.Person{{ID: 3, Name: "Ada", Role: "member", Active: true}}
	call := sdktest.Call(1, "acme")
	get := func(path, query string) sdk.Response {
		t.Helper()
		res, err := h.HTTP(call, sdk.Request{Method: "GET", Path: path, Query: query})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return res
	}
	if r := get("/files.json", "project=1"); r.Status != 200 || !strings.Contains(string(r.Body), `"Name":"brief.txt"`) {
		t.Fatalf("files: %d %s", r.Status, r.Body)
	}
	if r := get("/file", "id=9"); r.Status != 200 || string(r.Body) != "hello" || r.Header["Content-Type"] != "text/plain" {
		t.Fatalf("file: %d %v %s", r.Status, r.Header, r.Body)
	}
	if r := get("/file", "id=8"); r.Status != 404 {
		t.Fatalf("no such file: %d", r.Status)
	}
	if r := get("/people.json", ""); r.Status != 200 || !strings.Contains(string(r.Body), `"Name":"Ada"`) {
		t.Fatalf("people: %d %s", r.Status, r.Body)
	}
	post := func(path, body string) sdk.Response {
		t.Helper()
		res, err := h.HTTP(call, sdk.Request{Method: "POST", Path: path, Body: []byte(body)})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return res
	}
	if r := post("/comment", `{"task_id":5,"body":"Deployed"}`); r.Status != 200 || len(h.Host.Comments) != 1 || h.Host.Comments[0].Body != "Deployed" {
		t.Fatalf("comment: %d %s %+v", r.Status, r.Body, h.Host.Comments)
	}
	if r := post("/comment", `{"task_id":6,"body":"x"}`); r.Status != 404 {
		t.Fatalf("comment on no task: %d", r.Status)
	}
	if r := post("/notify", `{"person_id":3,"text":"Build green","path":"/tasks/5"}`); r.Status != 200 || len(h.Host.Notices) != 1 || h.Host.Notices[0].Path != "/tasks/5" {
		t.Fatalf("notify: %d %s %+v", r.Status, r.Body, h.Host.Notices)
	}
	h.Host.Denied = map[string]bool{sdk.CapNotificationsWrite: true}
	if r := post("/notify", `{"person_id":3,"text":"again"}`); r.Status != 403 || len(h.Host.Notices) != 1 {
		t.Fatalf("notify without the grant: %d", r.Status)
	}
}
