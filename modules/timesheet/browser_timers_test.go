package timesheet_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserTimers: a member adds a row and starts a timer from it, stops it and sees its
// time in the week; a timer left running overnight is not logged until they say when they
// stopped; they submit the week. The owner sets a period lock in the timesheet settings and
// the member's grid shows it. The project's leader, a manager in the member's team, opens the
// team view and approves the submitted week from it.
func TestBrowserTimers(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	clk := ownClock(t, e, time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)) // a Tuesday of 2026-W50
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	o := newOffice(t, e)
	o.team(t, "Studio", o.lead, o.mem)
	login := func(u *testkit.User) *browser.Tab {
		tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
		tab.Go("/login")
		tab.Fill("Email", u.Email)
		tab.Fill("Password", u.Password)
		tab.Submit("Sign in")
		return tab
	}
	grid := "/" + o.acc.Slug + "/timesheet"
	tab := login(o.mem)
	tab.Go(grid)
	tab.Select("Row to add", "Website")
	tab.Submit("Add the row")
	tab.WaitFor("the grid's script", `document.querySelector("table.timegrid input.cell")`)

	tab.Submit("Start a timer on Website")
	tab.WaitText("The timer is running.", "Timer running on Website")
	clk.set(time.Date(2026, 12, 8, 9, 50, 0, 0, time.UTC))
	tab.Go(grid)
	tab.Screenshot("timesheet-timer-running")
	tab.Submit("Stop the timer")
	tab.WaitText("The timer is stopped and its time logged.")
	if got := tab.TextOf("week-total"); got != "0:50" {
		t.Errorf("after the stop the week reads %q, want 0:50", got)
	}

	// Overnight: started at 17:20, seen the next morning.
	clk.set(time.Date(2026, 12, 8, 17, 20, 0, 0, time.UTC))
	tab.Go(grid)
	tab.Submit("Start a timer on Website")
	tab.WaitText("The timer is running.")
	clk.set(time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC))
	tab.Go(grid)
	tab.WantText("Your timer is still running", "has been running since", "When did you stop?")
	tab.Screenshot("timesheet-timer-overnight")
	browser.Evaluate[bool](tab, "type the stop time", `(() => { document.getElementById("timer-stopped-at").value = "18:05"; return true; })()`)
	tab.Submit("Log the time until then")
	tab.WaitText("The timer is stopped and its time logged.")
	if got := tab.TextOf("week-total"); got != "1:35" {
		t.Errorf("after the overnight stop the week reads %q, want 1:35 (0:50 + 0:45)", got)
	}
	tab.Submit("Submit the week")
	tab.WaitText("The week is submitted for approval.")

	// The owner closes everything before Tuesday 2026-12-08.
	owner := login(o.owner)
	owner.Go(grid)
	owner.Follow("Timesheet settings")
	owner.WantText("Timesheet settings", "No period is locked.")
	browser.Evaluate[bool](owner, "pick the day", `(() => { document.getElementById("locked-before").value = "2026-12-08"; window.confirm = () => true; return true; })()`)
	owner.Submit("Save the lock")
	owner.WaitText("The period lock is saved.", "Time before 2026-12-08 is locked.")
	owner.Screenshot("timesheet-settings-lock")
	tab.Go(grid)
	tab.WantText("Time before 2026-12-08 is locked: those days cannot change.")

	// The leader approves the week from the team view.
	lead := login(o.lead)
	lead.Go(grid)
	lead.Follow("Team")
	lead.WantText("Team timesheets", o.mem.Name, "1:35", "Submitted")
	lead.Screenshot("timesheet-team")
	lead.Submit(fmt.Sprintf("Approve the week of %s", o.mem.Name))
	lead.WaitText("The week is approved and locked.")
	if got := lead.TextOf(fmt.Sprintf("team-%d", o.mem.ID)); !strings.Contains(got, "Approved") {
		t.Errorf("the member's row after approval reads %q", got)
	}
	tab.Go(grid)
	tab.WantText("Approved", "This week is locked")
}
