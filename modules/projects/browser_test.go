package projects_test

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/admin"
	"groupcamp/modules/projects"
)

func TestMain(m *testing.M) {
	code := m.Run()
	browser.Close()
	testkit.StopShared()
	os.Exit(code)
}

// TestBrowserPlanAProject walks the story in a real Chromium (JavaScript on): a
// manager signs in, creates a project from the projects page, adds a list and tasks with
// the list page's forms, opens the board and presses a card's "→" (kanban.js moves it with a fetch,
// no page load), drags another card to "Done", and opens the Gantt chart, drawn in the page.
// Screenshots go to $GROUPCAMP_SCREENSHOTS when set.
func TestBrowserPlanAProject(t *testing.T) { onEachDB(t, browserPlanAProject) }

func browserPlanAProject(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{admin.New(), projects.New()}})
	acc := e.NewAccount()
	manager := e.NewUser(acc, "manager")
	api := e.As(manager)
	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})

	tab.Go("/login")
	tab.Fill("Email", manager.Email)
	tab.Fill("Password", manager.Password)
	tab.Submit("Sign in")
	if p := tab.Path(); p != "/"+acc.Slug {
		t.Fatalf("after sign-in the manager is at %s\n%s", p, tab.Text())
	}

	// A project, from the projects page's "New project".
	tab.Nav("Projects")
	tab.Follow("New project")
	tab.Fill("Name", "Spring launch")
	tab.Fill("Code", "SPR")
	tab.Submit("Create the project")
	tab.WantText("The project is created.", "Spring launch")
	base := tab.Path()
	if _, err := strconv.ParseInt(strings.TrimPrefix(base, "/"+acc.Slug+"/projects/"), 10, 64); err != nil {
		t.Fatalf("after creating the project the manager is at %s", base)
	}
	// A list, then tasks in it, from the list page's forms.
	tab.Follow("List")
	tab.Fill("List name", "Launch")
	tab.Submit("Add the list")
	tab.WantText("The list is added.", "Add a task")
	for i, title := range []string{"Write the brief", "Book the venue", "Print the flyers"} {
		tab.Fill("Title", title)
		tab.Select("List", "Launch")
		// A date input takes what a person types in the page's format (en: mm/dd/yyyy).
		tab.Fill("Due", time.Now().AddDate(0, 0, 3+4*i).Format("01022006"))
		tab.Submit("Add")
		tab.WantText("The task is added.", title)
	}
	if n := browser.Evaluate[int](tab, "count the due dates", `document.querySelectorAll(".tasks-table td.due[data-sort^='20']").length`); n != 3 {
		t.Errorf("%d tasks of 3 have a due date in the list:\n%s", n, tab.Text())
	}
	tab.Screenshot("project-tasks")
	tab.Go("/" + acc.Slug + "/projects")
	tab.WantText("Spring launch", "SPR")
	tab.Screenshot("projects-list")

	// The board: "→" on a card moves it to "In progress" without a page load.
	tab.Go(base + "/board")
	tab.WantText("Open\n3", "Write the brief", "Book the venue", "Print the flyers")
	boardReady(tab)
	brief := taskOnBoard(t, tab, "Write the brief")
	marker := browser.Evaluate[bool](tab, "mark the page", `(window.__sameBoard = true)`)
	tab.ClickIn(fmt.Sprintf(`[data-task="%d"]`, brief), "Move to the next column")
	tab.WaitText("Card moved.")
	if col := columnOf(t, tab, brief); col != projects.StatusInProgress {
		t.Errorf("after →, the card is in the column %q", col)
	}
	if !marker || !browser.Evaluate[bool](tab, "check the page stayed", `window.__sameBoard === true`) {
		t.Errorf("pressing → loaded another page")
	}
	waitStatus(t, api, acc.Slug, brief, projects.StatusInProgress)
	tab.WantText("In progress\n1", "Open\n2")
	tab.Screenshot("board-after-move")

	// Drag and drop: "Book the venue" onto the "Done" column (HTML5 DnD events, as a mouse
	// drag fires them).
	venue := taskOnBoard(t, tab, "Book the venue")
	browser.Evaluate[bool](tab, "drag a card", fmt.Sprintf(`(() => {
  document.querySelector("[data-board-status]").textContent = "";
  const card = document.querySelector('[data-task="%d"]');
  const col = document.querySelector('[data-status="done"] [data-cards]');
  const dt = new DataTransfer();
  const fire = (el, type) => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  fire(card, "dragstart"); fire(col, "dragenter"); fire(col, "dragover"); fire(col, "drop"); fire(card, "dragend");
  return true;
})()`, venue))
	tab.WaitText("Card moved.")
	if col := columnOf(t, tab, venue); col != projects.StatusDone {
		t.Errorf("after the drop, the card is in the column %q", col)
	}
	waitStatus(t, api, acc.Slug, venue, projects.StatusDone)
	// Its buttons follow the column: at the end, "→" is hidden and "←" goes back to In progress.
	if v := browser.Evaluate[string](tab, "read the card's buttons", fmt.Sprintf(
		`(() => { const c = document.querySelector('[data-task="%d"]'); return c.querySelector('[data-dir="prev"]').value + "|" + c.querySelector('[data-dir="next"]').hidden; })()`, venue)); v != "in_progress|true" {
		t.Errorf("the dropped card's buttons: %s", v)
	}
	// A page load shows the same board.
	tab.Go(base + "/board")
	tab.WantText("Open\n1", "In progress\n1", "Done\n1")
	tab.Screenshot("board-after-drop")

	// The Gantt chart: drawn in the page (the same SVG as gantt.svg, which stays the download).
	tab.Follow("Gantt")
	if n := browser.Evaluate[int](tab, "count the chart's bars", `document.querySelectorAll(".gantt-frame svg.gantt g[data-id]").length`); n != 3 {
		t.Errorf("the Gantt chart draws %d task bars, want 3", n)
	}
	if href := browser.Evaluate[string](tab, "read the download link", `document.querySelector(".gantt-tools a[download]").getAttribute("href")`); !strings.Contains(href, "gantt.svg") {
		t.Errorf("the download is %q", href)
	}
	tab.Screenshot("gantt")
}

// boardReady waits until kanban.js has attached its handlers to the board (it marks the board
// data-kanban-ready), so that a press of a card's button is the script's move, not the form's.
func boardReady(tab *browser.Tab) {
	tab.WaitFor("the board's script (data-kanban-ready)", `document.querySelector("[data-board][data-kanban-ready]")`)
}

// ganttReady waits until gantt.js has attached its handlers to the chart (data-gantt-ready).
func ganttReady(tab *browser.Tab) {
	tab.WaitFor("the chart's script (data-gantt-ready)", `document.querySelector("[data-gantt][data-gantt-ready]")`)
}

// taskOnBoard is the id of the card titled title.
func taskOnBoard(t *testing.T, tab *browser.Tab, title string) int64 {
	t.Helper()
	id := browser.Evaluate[string](tab, "find the card "+title, fmt.Sprintf(`(() => {
  const a = Array.from(document.querySelectorAll("[data-task] a.title")).find((a) => a.textContent === %q);
  return a ? a.closest("[data-task]").dataset.task : "";
})()`, title))
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("no card reads %q on the board:\n%s", title, tab.Text())
	}
	return n
}

// columnOf is the status of the column that holds the card of task id.
func columnOf(t *testing.T, tab *browser.Tab, id int64) string {
	t.Helper()
	return browser.Evaluate[string](tab, "find the card's column", fmt.Sprintf(
		`(() => { const c = document.querySelector('[data-task="%d"]'); return c ? c.closest("[data-status]").dataset.status : ""; })()`, id))
}

// waitStatus waits until the API reports the task's status as want: the board's fetch has
// landed.
func waitStatus(t *testing.T, api *testkit.Client, slug string, id int64, want string) {
	t.Helper()
	var got any
	for deadline := time.Now().Add(browser.Timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		r := api.Get(fmt.Sprintf("/api/v1/%s/tasks/%d", slug, id))
		if r.Status != http.StatusOK {
			t.Fatalf("task %d: %d %s", id, r.Status, r.Body)
		}
		if got = r.Map()["status"]; got == want {
			return
		}
	}
	t.Errorf("task %d: status %v through the API, want %s", id, got, want)
}
