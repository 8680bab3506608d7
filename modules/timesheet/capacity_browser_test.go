package timesheet_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserCapacity: an administrator creates a part-time profile with a cap of 4 hours a
// day from the Capacity page and gives it to a member on their page; the member types more
// than the cap in the grid and reads the message naming it; once the account counts in days,
// the grid shows the member's 4 hours as "0.5 d".
func TestBrowserCapacity(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	o := newOffice(t, e)
	login := func(u *testkit.User) *browser.Tab {
		tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
		tab.Go("/login")
		tab.Fill("Email", u.Email)
		tab.Fill("Password", u.Password)
		tab.Submit("Sign in")
		return tab
	}

	admin := login(o.owner)
	admin.Go("/" + o.acc.Slug)
	admin.Nav("Capacity")
	admin.WantText("Full time", "Default")
	admin.Fill("Name", "Part time")
	admin.Fill("Fri", "4")
	admin.Fill("Most hours one may enter in a day", "4")
	admin.Submit("Add the profile")
	admin.WaitText("The capacity profile is added.", "Part time")
	admin.Screenshot("capacity-profiles")
	admin.Follow("Part time")
	admin.WantText("36 h a week", "Archive the profile")
	admin.Fill("Most hours one may enter in a week", "30")
	admin.Submit("Save")
	admin.WaitText("The capacity profile is saved.")
	admin.Screenshot("capacity-profile")

	admin.Go(fmt.Sprintf("/%s/people/%d", o.acc.Slug, o.mem.ID))
	admin.Select("Capacity profile", "Part time")
	browser.Evaluate[bool](admin, "set the first day", `(document.getElementById("f-starts_on").value = "2026-11-30") !== ""`)
	admin.Submit("Save the capacity")
	admin.WaitText("The capacity is saved.")
	if got := admin.TextOf("current-profile"); got != "Part time" {
		t.Errorf("the person's profile reads %q", got)
	}
	admin.WantText("2026-11-30")
	admin.Screenshot("capacity-person")

	week := fmt.Sprintf("/%s/timesheet/%d/2026-W49", o.acc.Slug, o.mem.ID)
	mem := login(o.mem)
	mem.Go(week)
	mem.WantText("Capacity profile: Part time", "at most 4:00 a day")
	mem.Select("Row to add", "Website")
	mem.Submit("Add the row")
	mem.WaitFor("the grid's script", `document.querySelector("table.timegrid input.cell")`)
	mem.Fill("Website · 2026-11-30", "5h"+kb.Enter)
	mem.WaitText(`The capacity profile "Part time" allows at most 4 h on a day; 0 min are already logged`)
	mem.Screenshot("capacity-cap-refused")
	mem.Fill("Website · 2026-11-30", "4h"+kb.Enter)
	mem.WaitText("The week is saved.", "reaches the cap of 4:00 a day")

	if r := e.As(o.owner).Patch(o.base+"/account", map[string]any{"time_unit": "days"}); r.Status != http.StatusOK {
		t.Fatalf("days: %d %s", r.Status, r.Body)
	}
	mem.Go(week)
	mem.WantText("0.5 d", "4.5 d left to log this week")
	if v := browser.Evaluate[string](mem, "read Monday's cell", `document.querySelector("table.timegrid input.cell").value`); v != "0.5 d" {
		t.Errorf("Monday's cell reads %q, want 0.5 d", v)
	}
	mem.Screenshot("capacity-days")
}

// TestBrowserCapacityRu: the same story in Russian, with the job roles: an administrator adds a
// role, archives it from the Capacity page (a confirmation first) and restores it; a member of
// an account that counts in days over the day cap reads the refusal in days, in Russian.
func TestBrowserCapacityRu(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	o := newOffice(t, e)
	partTime(t, o, 240, 0)
	// Both read Russian: their profiles say so (the owner's sign-up chose English).
	if _, err := e.App.DB.NewUpdate().Table("users").Set("locale = 'ru'").Where("id IN (?, ?)", o.owner.ID, o.mem.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	login := func(u *testkit.User) *browser.Tab {
		tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "ru", Shots: shots})
		tab.Go("/login")
		tab.Fill("Эл. почта", u.Email)
		tab.Fill("Пароль", u.Password)
		tab.Submit("Войти")
		return tab
	}
	admin := login(o.owner)
	admin.Go("/" + o.acc.Slug + "/capacity")
	admin.WantText("Загрузка", "Part time")
	admin.Fill("Должность", "Аналитик")
	admin.Fill("Себестоимость часа", "50")
	admin.Fill("Ставка для клиента за час", "110")
	admin.Submit("Добавить должность")
	admin.WaitText("Должность добавлена.", "Аналитик")
	browser.Evaluate[bool](admin, "accept confirmations", `window.confirm = (m) => { window.asked = m; return true; }; true`)
	admin.Submit("В архив")
	admin.WaitText("Должность перенесена в архив.", "В архиве")
	admin.Screenshot("capacity-role-archived-ru")
	admin.Submit("Восстановить")
	admin.WaitText("Должность восстановлена.")
	if got := admin.Text(); strings.Contains(got, "В архиве") {
		t.Errorf("the restored role still reads archived")
	}

	if r := e.As(o.owner).Patch(o.base+"/account", map[string]any{"time_unit": "days"}); r.Status != http.StatusOK {
		t.Fatalf("days: %d %s", r.Status, r.Body)
	}
	mem := login(o.mem)
	mem.Go(fmt.Sprintf("/%s/timesheet/%d/2026-W49", o.acc.Slug, o.mem.ID))
	mem.Select("Добавить строку", "Website")
	mem.Submit("Добавить")
	mem.WaitFor("the grid's script", `document.querySelector("table.timegrid input.cell")`)
	mem.Fill("Website · 2026-11-30", "0.75"+kb.Enter)
	mem.WaitText(`Профиль загрузки "Part time" допускает не больше 0.5 d в день; уже учтено 0 d`)
	mem.Screenshot("capacity-cap-days-ru")
}
