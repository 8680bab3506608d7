package files_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserTaskAttachments: a member opens a task's page (no attachments yet), attaches two
// files with the keyboard-usable control (a label and a file input, a progress bar per file),
// sees them listed with their size and the image's thumbnail, downloads one, and removes the
// other after confirming.
func TestBrowserTaskAttachments(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	o := newOffice(t, e)
	mem := e.As(o.mem)
	list := o.created(t, mem, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Launch"})
	task := o.created(t, mem, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Write the brief"})
	dir := t.TempDir()
	write := func(name string, content []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
	tab.Go("/login")
	tab.Fill("Email", o.mem.Email)
	tab.Fill("Password", o.mem.Password)
	tab.Submit("Sign in")
	tab.Go(fmt.Sprintf("/%s/tasks/%d", o.acc.Slug, task))
	tab.WantText("0 attachments", "No files attached yet.")
	tab.Upload("Attach files", write("brief.txt", []byte("the brief")), write("mockup.png", pngOf(t, 120, 80)))
	tab.Click("Upload")
	tab.WaitFor("the page lists them", `document.querySelectorAll("#attachments ul.attachments li").length === 2`)
	tab.WantText("2 attachments", "brief.txt", "mockup.png", "9 B")
	tab.WaitFor("the thumbnail", `[...document.querySelectorAll("#attachments img.thumb")].some(i => i.complete && i.naturalWidth > 0)`)
	tab.Screenshot("task-attachments")
	got := browser.Evaluate[string](tab, "download", `(() => { const a = [...document.querySelectorAll("#attachments a")].find(a => a.textContent === "brief.txt"); const x = new XMLHttpRequest(); x.open("GET", a.href, false); x.send(); return x.status + " " + x.responseText; })()`)
	if got != "200 the brief" {
		t.Errorf("download: %q", got)
	}
	browser.Evaluate[bool](tab, "accept the confirmation", `window.confirm = () => true; true`)
	browser.Evaluate[bool](tab, "remove the brief", `document.querySelector("#attachments li button[data-remove]").click(); true`)
	tab.WaitFor("the line goes", `document.querySelectorAll("#attachments ul.attachments li").length === 1`)
	tab.Go(tab.Path())
	tab.WantText("1 attachment")
}
