package projects_test

import (
	"fmt"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/projects"
)

// TestBrowserTaskDetails walks task details in a real Chromium (JavaScript on): a manager
// adds a custom status from the Workflow page, sees it as a board column between In progress
// and Done, moves a card into it with the card's "→" (kanban.js, no page load), then opens
// the task and ticks its checklist and chooses its labels with the page's forms.
// Screenshots go to $GROUPCAMP_SCREENSHOTS when set.
func TestBrowserTaskDetails(t *testing.T) { onEachDB(t, browserTaskDetails) }

func browserTaskDetails(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{projects.New()}})
	acc := e.NewAccount()
	manager := e.NewUser(acc, "manager")
	api := e.As(manager)
	path := func(f string, a ...any) string { return "/api/v1/" + acc.Slug + fmt.Sprintf(f, a...) }
	pid := idOf(t, want(t, "project", api.Post(path("/projects"), map[string]any{"name": "Website relaunch", "code": "WEB"}), 201))
	list := idOf(t, want(t, "list", api.Post(path("/projects/%d/lists", pid), map[string]any{"name": "Launch"}), 201))
	bug := idOf(t, want(t, "label", api.Post(path("/projects/%d/labels", pid), map[string]any{"name": "Bug", "color": "red"}), 201))
	want(t, "label", api.Post(path("/projects/%d/labels", pid), map[string]any{"name": "Design", "color": "purple"}), 201)
	want(t, "status", api.Post(path("/projects/%d/statuses", pid), map[string]any{"name": "Backlog", "base": "open", "color": "gray"}), 201)
	var copy int64
	for i, title := range []string{"Write the copy", "Shoot the photos", "Fix the footer"} {
		body := map[string]any{"list_id": list, "title": title, "due_on": fmt.Sprintf("2030-05-%02d", 10+i)}
		if i == 2 {
			body["labels"] = []int64{bug}
			body["custom_status"] = "backlog"
		}
		id := idOf(t, want(t, "task", api.Post(path("/projects/%d/tasks", pid), body), 201))
		if i == 0 {
			copy = id
		}
	}
	want(t, "in progress", api.Patch(path("/tasks/%d", copy), map[string]any{"status": "in_progress", "labels": []int64{bug}}), 200)
	for _, s := range []string{"Outline", "First draft", "Proofread"} {
		want(t, "item", api.Post(path("/tasks/%d/checklist", copy), map[string]any{"text": s}), 201)
	}

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	tab.Go("/login")
	tab.Fill("Email", manager.Email)
	tab.Fill("Password", manager.Password)
	tab.Submit("Sign in")

	// The Workflow page: a status "Review" that counts as In progress.
	base := fmt.Sprintf("/%s/projects/%d", acc.Slug, pid)
	tab.Go(base + "/board")
	tab.Follow("Workflow")
	tab.Fill("Status name", "Review")
	tab.Select("Counts as", "In progress")
	tab.Select("Status colour", "Purple")
	tab.Submit("Add the status")
	tab.WantText("The status is added.", "Review", "Backlog")
	tab.Screenshot("workflow")

	// The board: Open, Backlog, In progress, Review, Done; "→" moves the card into Review.
	tab.Follow("Board")
	tab.WantText("Backlog\n1", "Review\n0", "0/3")
	boardReady(tab)
	tab.ClickIn(fmt.Sprintf(`[data-task="%d"]`, copy), "Move to the next column")
	tab.WaitText("Card moved.")
	if col := columnOf(t, tab, copy); col != "review" {
		t.Errorf("after →, the card is in the column %q", col)
	}
	for deadline := 0; deadline < 100; deadline++ {
		if api.Get(path("/tasks/%d", copy)).Map()["custom_status"] == "review" {
			break
		}
		if deadline == 99 {
			t.Errorf("the move did not reach the server")
		}
	}
	tab.Go(base + "/board")
	tab.WantText("Review\n1", "0/3")
	tab.Screenshot("board-custom-column")

	// The task page: tick two items, add one, choose the labels.
	tab.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, copy))
	tab.Submit("Tick “Outline”")
	tab.WantText("The checklist is updated.")
	tab.Submit("Tick “First draft”")
	tab.Fill("New item", "Publish")
	tab.Submit("Add to the checklist")
	tab.WantText("The item is added to the checklist.", "Publish", "2/4")
	tab.Check("Design")
	tab.Submit("Save the labels")
	tab.WantText("The labels are saved.")
	got := api.Get(path("/tasks/%d", copy)).Map()
	if ls, _ := got["labels"].([]any); len(ls) != 2 || num(got["checklist_done"]) != 2 || num(got["checklist_total"]) != 4 {
		t.Errorf("after the task page's forms: labels %v, checklist %v/%v", got["labels"], got["checklist_done"], got["checklist_total"])
	}
	tab.Screenshot("task-details")
}
