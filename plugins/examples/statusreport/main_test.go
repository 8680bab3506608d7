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
