package projects_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/admin"
	"groupcamp/modules/projects"
)

// TestBrowserGanttAndCalendar moves tasks in the Gantt in a real Chromium: a manager drags a
// bar three days later (its successor follows, the chart is drawn again), drags a bar's right
// end (the due day alone), moves a focused bar with →, and sees a refused move put back with
// the reason. Then the month calendar, in English and in French. Screenshots go to
// $GROUPCAMP_SCREENSHOTS when set.
func TestBrowserGanttAndCalendar(t *testing.T) { onEachDB(t, browserGanttAndCalendar) }

func browserGanttAndCalendar(t *testing.T, kind string) {
	b := browser.Shared(t)
	mod := projects.New()
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{admin.New(), mod}})
	mod.Service().Now = func() time.Time { return time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC) }
	acc := e.NewAccount()
	manager := e.NewUser(acc, "manager")
	member := e.NewUser(acc, "member")
	api := e.As(manager)
	base := "/api/v1/" + acc.Slug
	pid := idOf(t, want(t, "project", api.Post(base+"/projects", map[string]any{"name": "Spring launch", "code": "SPR"}), http.StatusCreated))
	list := idOf(t, want(t, "list", api.Post(fmt.Sprintf("%s/projects/%d/lists", base, pid), map[string]any{"name": "Design"}), http.StatusCreated))
	task := func(title string, body map[string]any) int64 {
		body["list_id"], body["title"] = list, title
		return idOf(t, want(t, title, api.Post(fmt.Sprintf("%s/projects/%d/tasks", base, pid), body), http.StatusCreated))
	}
	wire := task("Wireframes", map[string]any{"starts_on": "2025-03-03", "due_on": "2025-03-07", "assignees": []map[string]any{{"user_id": member.ID}}})
	proto := task("Prototype", map[string]any{"starts_on": "2025-03-10", "due_on": "2025-03-14"})
	task("Copy review", map[string]any{"due_on": "2025-03-20"})
	shipped := task("Shipped brief", map[string]any{"starts_on": "2025-03-04", "due_on": "2025-03-05"})
	want(t, "done", api.Patch(fmt.Sprintf("%s/tasks/%d", base, shipped), map[string]any{"status": "done"}), http.StatusOK)
	want(t, "dependency", api.Post(fmt.Sprintf("%s/tasks/%d/dependencies", base, proto), map[string]any{"predecessor_id": wire}), http.StatusCreated)
	want(t, "milestone", api.Post(fmt.Sprintf("%s/projects/%d/milestones", base, pid), map[string]any{"name": "Beta", "due_on": "2025-03-21"}), http.StatusCreated)
	days := func(id int64) string {
		m := want(t, "task", api.Get(fmt.Sprintf("%s/tasks/%d", base, id)), http.StatusOK).Map()
		return fmt.Sprint(m["starts_on"], " ", m["due_on"])
	}
	waitDays := func(id int64, wantDays string) {
		t.Helper()
		got := ""
		for deadline := time.Now().Add(browser.Timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if got = days(id); got == wantDays {
				return
			}
		}
		t.Errorf("task %d: days %s, want %s", id, got, wantDays)
	}

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	tab.Go("/login")
	tab.Fill("Email", manager.Email)
	tab.Fill("Password", manager.Password)
	tab.Submit("Sign in")
	gantt := fmt.Sprintf("/%s/projects/%d/gantt?scale=day", acc.Slug, pid)
	tab.Go(gantt)
	tab.WantText("Wireframes", "Prototype")
	ganttReady(tab)
	tab.Screenshot("gantt-page")

	// drag presses the bar of task id at its middle (or its right end) and lets go dx pixels
	// further, as a mouse does (pointer events).
	drag := func(id int64, rightEnd bool, dx int) {
		t.Helper()
		browser.Evaluate[bool](tab, "drag a bar", fmt.Sprintf(`(() => {
  document.querySelector("[data-gantt-status]").textContent = "";
  const bar = document.querySelector('g[data-id="%d"] rect.bar');
  const box = bar.getBoundingClientRect();
  const x = %t ? box.right - 2 : box.left + box.width / 2, y = box.top + box.height / 2;
  const fire = (el, type, cx) => el.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, clientX: cx, clientY: y, button: 0, pointerId: 1, isPrimary: true }));
  fire(bar, "pointerdown", x);
  for (let i = 1; i <= 4; i++) fire(bar, "pointermove", x + %d * i / 4);
  fire(bar, "pointerup", x + %d);
  bar.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, clientX: x + %d, clientY: y }));
  return true;
})()`, id, rightEnd, dx, dx, dx))
	}

	// Three days later (24 px a day): both days move; the successor starts after the new due day.
	path := tab.Path()
	drag(wire, false, 3*24)
	tab.WaitText("Dates changed.")
	waitDays(wire, "2025-03-06 2025-03-10")
	waitDays(proto, "2025-03-11 2025-03-17")
	if p := tab.Path(); p != path {
		t.Errorf("the drag left the page for %s", p)
	}
	// The chart was drawn again: the successor's bar says its new days.
	if s := browser.Evaluate[string](tab, "read the successor's bar", fmt.Sprintf(`document.querySelector('g[data-id="%d"]').dataset.start`, proto)); s != "2025-03-11" {
		t.Errorf("after the move the successor's bar starts %s", s)
	}
	// The right end: the due day alone.
	drag(wire, true, 2*24)
	tab.WaitText("Dates changed.")
	waitDays(wire, "2025-03-06 2025-03-12")
	// The keyboard: → on the focused bar.
	browser.Evaluate[bool](tab, "press → on a bar", fmt.Sprintf(`(() => {
  document.querySelector("[data-gantt-status]").textContent = "";
  const a = document.querySelector('g[data-id="%d"] a.barlink');
  a.focus();
  a.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true, cancelable: true }));
  return true;
})()`, wire))
	tab.WaitText("Dates changed.")
	waitDays(wire, "2025-03-07 2025-03-13")
	if f := browser.Evaluate[string](tab, "read the focus", `(document.activeElement.closest("g[data-id]") || {dataset: {}}).dataset.id || ""`); f != fmt.Sprint(wire) {
		t.Errorf("after → the focus is on %q, want the moved bar", f)
	}
	tab.Screenshot("gantt-after-moves")
	// A refused move (the project is archived meanwhile): the bar goes back, the page says why.
	want(t, "archive", api.Post(fmt.Sprintf("%s/projects/%d/archive", base, pid), nil), http.StatusOK)
	drag(proto, false, 24)
	tab.WaitText("The task could not be moved")
	if tr := browser.Evaluate[string](tab, "read the bar's place", fmt.Sprintf(`document.querySelector('g[data-id="%d"]').getAttribute("transform") || ""`, proto)); tr != "" {
		t.Errorf("the refused bar stays moved: %q", tr)
	}
	// (→ moved Wireframes to the 13th: Prototype, after it, starts on the 14th.)
	if d := days(proto); d != "2025-03-14 2025-03-20" {
		t.Errorf("the refused move changed the task: %s", d)
	}
	tab.Screenshot("gantt-refused")
	want(t, "restore", api.Post(fmt.Sprintf("%s/projects/%d/restore", base, pid), nil), http.StatusOK)

	// Without the script's drag: a click on a bar opens its date form.
	tab.Go(gantt)
	browser.Evaluate[bool](tab, "click a bar", fmt.Sprintf(`(document.querySelector('g[data-id="%d"] a.barlink').dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true })), true)`, proto))
	tab.WaitText("Dates of Prototype")
	tab.Fill("Due", "03242025")
	tab.Submit("Save the dates")
	tab.WantText("The dates are changed.")
	waitDays(proto, "2025-03-14 2025-03-24")

	// A chart wider than the screen scrolls inside its frame; the page itself does not widen.
	task("Launch party", map[string]any{"starts_on": "2025-08-01", "due_on": "2025-08-29"})
	tab.Go(gantt)
	if v := browser.Evaluate[string](tab, "measure the frame", `(() => {
  const f = document.querySelector(".gantt-frame");
  return (f.scrollWidth > f.clientWidth + 500) + " " + (document.documentElement.scrollWidth <= window.innerWidth);
})()`); v != "true true" {
		t.Errorf("a wide chart: frame scrolls, page fits = %s", v)
	}
	tab.Screenshot("gantt-wide")

	// The month calendar, in English, then in French.
	cal := fmt.Sprintf("/%s/projects/%d/calendar?month=2025-03", acc.Slug, pid)
	tab.Go(cal)
	tab.WantText("March 2025", "Wireframes", "Beta", "Copy review")
	tab.Screenshot("calendar-en")
	fr := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr-FR,fr"})
	fr.Go("/login")
	fr.Fill("E-mail", member.Email)
	fr.Fill("Mot de passe", member.Password)
	fr.Submit("Se connecter")
	fr.Go(cal)
	fr.WantText("Mars 2025", "Wireframes", "Calendrier")
	fr.Screenshot("calendar-fr")
	fr.Go(fmt.Sprintf("/%s/my-calendar?month=2025-03", acc.Slug))
	fr.WantText("Mon calendrier", "Wireframes")
	fr.Screenshot("my-calendar-fr")
}
