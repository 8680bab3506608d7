package planning_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// planningWords are what a person reads and clicks on the way, in their language.
type planningWords struct {
	lang, email, password, signIn, nav, kind, first, last, send, sent, approveOf, approved,
	from, to, hours, find, workload string
	// holiday is the default kind of leave in the language.
	holiday string
}

var planningStory = []planningWords{
	{"en", "Email", "Password", "Sign in", "Planning", "Kind of leave", "First day", "Last day", "Send the request", "Your leave request is sent.",
		"Approve the leave of %s", "Leave approved.", "From", "To", "At least (hours)", "Find free people", "Workload", "Holiday"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Planning", "Type d’absence", "Premier jour", "Dernier jour", "Envoyer la demande", "Votre demande d’absence est envoyée.",
		"Valider l’absence de %s", "Absence validée.", "Du", "Au", "Au moins (heures)", "Trouver qui est libre", "Charge", "Congés"},
	{"ru", "Эл. почта", "Пароль", "Войти", "Планирование", "Вид отсутствия", "Первый день", "Последний день", "Отправить запрос", "Ваш запрос на отсутствие отправлен.",
		"Утвердить отсутствие: %s", "Отсутствие утверждено.", "С", "По", "Не менее (часов)", "Найти свободных", "Загрузка", "Отпуск"},
}

// TestBrowserPlanning: in English, French and Russian, a manager drags an allocation two days later on
// the timeline (saved through the API, the page drawn again), then down to their own row (the
// allocation reassigned), then onto a resource archived meanwhile (refused: the bar goes back,
// the reason is read out); a member requests leave, their
// manager approves it; the manager finds who is free in a week, and the heatmap shows it.
func TestBrowserPlanning(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range planningStory {
		t.Run(w.lang, func(t *testing.T) {
			o := newOffice(t, e)
			res := o.resourceOf(t, o.mem)
			al := o.created(t, e.As(o.mgr), "/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-01-04", "ends_on": "2027-01-06", "minutes_per_day": 240})
			mgrRes := o.resourceOf(t, o.mgr)
			o.created(t, e.As(o.mgr), "/allocations", map[string]any{"resource_id": mgrRes, "project_id": o.project, "starts_on": "2027-01-04", "ends_on": "2027-01-08", "percent": 50, "tentative": true})
			spare := o.created(t, e.As(o.mgr), "/resources", map[string]any{"kind": "equipment", "name": "Spare van"})
			login := func(u *testkit.User) *browser.Tab {
				tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
				tab.Go("/login")
				tab.Fill(w.email, u.Email)
				tab.Fill(w.password, u.Password)
				tab.Submit(w.signIn)
				return tab
			}
			mgr := login(o.mgr)
			mgr.Go("/" + o.acc.Slug)
			mgr.Nav(w.nav)
			mgr.Go("/" + o.acc.Slug + "/planning?from=2027-01-04&zoom=day")
			mgr.WantText("Website")
			mgr.Screenshot("planning-timeline-" + w.lang)
			browser.Evaluate[bool](mgr, "drag the bar", fmt.Sprintf(`(() => {
  const bar = document.querySelector('a.tl-bar[data-id="%d"]');
  const track = bar.parentElement.getBoundingClientRect();
  const box = bar.getBoundingClientRect();
  const x = box.left + 5, y = box.top + box.height / 2, dx = 2 * track.width / 14;
  const fire = (type, cx) => bar.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, clientX: cx, clientY: y, button: 0, pointerId: 1, isPrimary: true }));
  fire("pointerdown", x);
  for (let i = 1; i <= 4; i++) fire("pointermove", x + dx * i / 4);
  fire("pointerup", x + dx);
  bar.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
  return true;
})()`, al))
			mgr.WaitFor("the moved bar", fmt.Sprintf(`(() => { const b = document.querySelector('a.tl-bar[data-id="%d"]'); return !!b && b.dataset.start === "2027-01-06" && b.dataset.end === "2027-01-08"; })()`, al))
			var got struct {
				StartsOn string `json:"starts_on"`
				EndsOn   string `json:"ends_on"`
			}
			e.As(o.mgr).Get(o.base+"/allocations/"+itoa(al)).JSON(t, &got)
			if got.StartsOn != "2027-01-06" || got.EndsOn != "2027-01-08" {
				t.Errorf("after the drag: %+v", got)
			}

			// Down to the manager's row: the allocation is theirs now.
			dragToRow(mgr, al, mgrRes)
			mgr.WaitFor("the reassigned bar", fmt.Sprintf(`!!document.querySelector('#resource-%d a.tl-bar[data-id="%d"]')`, mgrRes, al))
			var moved struct {
				ResourceID int64 `json:"resource_id"`
			}
			e.As(o.mgr).Get(o.base+"/allocations/"+itoa(al)).JSON(t, &moved)
			if moved.ResourceID != mgrRes {
				t.Errorf("after the move to another row: resource %d, want %d", moved.ResourceID, mgrRes)
			}
			// A resource archived since the page was drawn: refused, the bar stays, the reason is said.
			if r := e.As(o.mgr).Patch(fmt.Sprintf("%s/resources/%d", o.base, spare), map[string]any{"archived": true}); r.Status != 200 {
				t.Fatalf("archive the van: %d %s", r.Status, r.Body)
			}
			dragToRow(mgr, al, spare)
			// The reason speaks the page's language (the API translates for the page's script).
			archived := map[string]string{"en": "is archived", "fr": "est archivée", "ru": "в архиве"}[w.lang]
			mgr.WaitFor("the refusal", `document.querySelector("[data-timeline-status]").dataset.kind === "error" && document.querySelector("[data-timeline-status]").textContent.includes(`+strconv.Quote(archived)+`)`)
			if !browser.Evaluate[bool](mgr, "the bar is back", fmt.Sprintf(`(() => { const b = document.querySelector('#resource-%d a.tl-bar[data-id="%d"]'); return !!b && b.style.transform === ""; })()`, mgrRes, al)) {
				t.Errorf("the refused bar did not go back")
			}
			mgr.Screenshot("planning-move-refused-" + w.lang)

			mem := login(o.mem)
			mem.Go("/" + o.acc.Slug + "/planning/absences")
			mem.Select(w.kind, w.holiday)
			mem.Fill(w.first, typed("2027-01-11"))
			mem.Fill(w.last, typed("2027-01-12"))
			mem.Submit(w.send)
			mem.WaitText(w.sent)
			mem.WantText("2027-01-11 – 2027-01-12")
			mem.Screenshot("planning-leave-requested-" + w.lang)

			mgr.Go("/" + o.acc.Slug + "/planning/absences")
			mgr.WantText(o.mem.Name)
			mgr.Screenshot("planning-leave-to-decide-" + w.lang)
			mgr.Submit(fmt.Sprintf(w.approveOf, o.mem.Name))
			mgr.WaitText(w.approved)

			mgr.Go("/" + o.acc.Slug + "/planning/availability")
			mgr.Fill(w.from, typed("2027-01-11"))
			mgr.Fill(w.to, typed("2027-01-15"))
			mgr.Fill(w.hours, "30")
			mgr.Submit(w.find)
			mgr.WantText(o.mgr.Name, "01-11", "01-15")
			if n := browser.Evaluate[int](mgr, "count the free", `document.querySelectorAll("#available tbody tr").length`); n < 1 {
				t.Errorf("%d free people listed", n)
			}
			// The member is away two days of that week: 24 h free, under 30 h.
			if browser.Evaluate[bool](mgr, "the member is not listed", fmt.Sprintf(`document.querySelector("#available").innerText.includes(%q)`, o.mem.Name)) {
				t.Errorf("the member on leave is listed as free for 30 h")
			}
			mgr.Screenshot("planning-availability-" + w.lang)
			mgr.Go("/" + o.acc.Slug + "/planning/workload?from=2027-01-04&to=2027-02-28")
			mgr.WantText(w.workload, o.mem.Name)
			mgr.Screenshot("planning-workload-" + w.lang)

			// The owner adds a kind of leave (once: the owner's profile is in English, which
			// comes before the browser's language).
			if w.lang != "en" {
				return
			}
			own := login(o.owner)
			own.Go("/" + o.acc.Slug + "/planning/leave-types")
			own.Fill("Name", "Volunteering")
			own.Submit("Add")
			own.WaitText("Kind of leave added.")
			if !browser.Evaluate[bool](own, "the new kind is listed", `[...document.querySelectorAll("#leave-types input[name=name]")].some(i => i.value === "Volunteering")`) {
				t.Errorf("the new kind of leave is not listed")
			}
			own.Screenshot("planning-leave-types-" + w.lang)
		})
	}
}

// typed is a day as typed in a date field: the browser shows it in its own locale's order
// (mm/dd/yyyy here, whatever the page's language), so the digits go in that order.
func typed(day string) string { return day[5:7] + day[8:10] + day[0:4] }

// dragToRow drags an allocation's bar with the pointer, straight down or up onto the row of
// another resource.
func dragToRow(tab *browser.Tab, id, resource int64) {
	browser.Evaluate[bool](tab, "drag the bar to another row", fmt.Sprintf(`(() => {
  const bar = document.querySelector('a.tl-bar[data-id="%d"]');
  const row = document.querySelector('#resource-%d .tl-track');
  bar.scrollIntoView({ block: "center" });
  const box = bar.getBoundingClientRect(), to = row.getBoundingClientRect();
  const x = box.left + 5, y = box.top + box.height / 2, ty = to.top + to.height / 2;
  const fire = (type, cy) => bar.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: cy, button: 0, pointerId: 1, isPrimary: true }));
  fire("pointerdown", y);
  for (let i = 1; i <= 4; i++) fire("pointermove", y + (ty - y) * i / 4);
  fire("pointerup", ty);
  bar.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
  return true;
})()`, id, resource))
}
