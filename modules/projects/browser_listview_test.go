package projects_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/projects"
)

// TestBrowserListView walks issue 11's story in Russian, then in English: a member reads the
// tasks grouped by list, folds a group away, ticks a task done from its line, adds a task
// with an assignee and a due day from the quick add, and sorts by priority — by the table's
// header (JavaScript) and by the Order choice (a plain form).
func TestBrowserListView(t *testing.T) { onEachDB(t, browserListView) }

func browserListView(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{projects.New()}})
	acc := e.NewAccount()
	member := e.NewUser(acc, "member")
	api := e.As(acc.Owner)
	base := "/api/v1/" + acc.Slug
	r := api.Post(base+"/projects", map[string]any{"name": "Выставка"})
	want(t, "project", r, http.StatusCreated)
	pid := int64(r.Map()["id"].(float64))
	path := func(p string) string { return fmt.Sprintf("%s/projects/%d%s", base, pid, p) }
	want(t, "member joins", api.Put(path(fmt.Sprintf("/members/%d", member.ID)), map[string]any{"role": "member"}), http.StatusOK)
	list := func(name string) int64 {
		r := api.Post(path("/lists"), map[string]any{"name": name})
		want(t, "list", r, http.StatusCreated)
		return int64(r.Map()["id"].(float64))
	}
	stand, print := list("Стенд"), list("Печать")
	for _, x := range []struct {
		list        int64
		title, prio string
		starts, due string
	}{
		{stand, "Забронировать стенд", "low", "2030-01-06", "2030-01-10"},
		{stand, "Собрать стенд", "urgent", "", "2030-01-13"},
		{print, "Напечатать листовки", "high", "", ""},
	} {
		want(t, "task", api.Post(path("/tasks"), map[string]any{"list_id": x.list, "title": x.title, "priority": x.prio, "starts_on": x.starts, "due_on": x.due}), http.StatusCreated)
	}

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "ru"})
	tab.Go("/login")
	tab.Fill("Эл. почта", member.Email)
	tab.Fill("Пароль", member.Password)
	tab.Submit("Войти")
	tab.Go(fmt.Sprintf("/%s/projects/%d/tasks", acc.Slug, pid))
	tab.WantText("Стенд", "Печать", "Забронировать стенд", "Срочно", "Низкий приоритет")
	tab.Screenshot("listview-ru")

	// Fold the print list away: its task is hidden, the others stay.
	if browser.Evaluate[bool](tab, "fold a group", fmt.Sprintf(`(() => { const d = document.querySelector("#list-%d"); d.querySelector("summary").click(); return d.open; })()`, print)) {
		t.Errorf("a click on a group's name does not fold it")
	}
	if browser.Evaluate[bool](tab, "is the folded task visible", `Array.from(document.querySelectorAll(".titlecell a")).some((a) => a.textContent === "Напечатать листовки" && a.checkVisibility())`) {
		t.Errorf("a folded group still shows its task")
	}

	// Tick a task done from its line.
	tab.Submit("Отметить «Забронировать стенд» как выполненную")
	tab.WantText("Задача выполнена.")
	if !browser.Evaluate[bool](tab, "find the reopen tick", `!!Array.from(document.querySelectorAll("button.tick")).find((b) => b.getAttribute("aria-label") === "Снова открыть «Забронировать стенд»")`) {
		t.Errorf("the ticked task offers no reopen")
	}

	// The quick add: a title, a list, an assignee, a due day (typed in the browser's own
	// format, mm/dd/yyyy here).
	tab.Fill("Название", "Заказать бейджи")
	tab.Select("Список", "Стенд")
	tab.Select("Назначить", member.Name)
	tab.Fill("Срок", "02012030")
	tab.Submit("Добавить")
	tab.WantText("Задача добавлена.", "Заказать бейджи", member.Name)

	// Sort the stand's table by priority with its header (no page load).
	order := func() string {
		return browser.Evaluate[string](tab, "read the stand's order", fmt.Sprintf(`Array.from(document.querySelectorAll("#tasks-list-%d .titlecell a")).map((a) => a.textContent).join("|")`, stand))
	}
	browser.Evaluate[bool](tab, "sort by priority", fmt.Sprintf(`(() => { const b = Array.from(document.querySelectorAll("#tasks-list-%d thead button.sort")).find((b) => b.textContent.trim() === "Приоритет"); b.click(); return true; })()`, stand))
	if got := order(); !strings.HasPrefix(got, "Собрать стенд|") {
		t.Errorf("sorted by priority (urgent first): %s", got)
	}
	tab.Screenshot("listview-sorted-ru")

	// In English: the Order choice sorts on the server; no grouping shows one table.
	en := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	en.Go("/login")
	en.Fill("Email", acc.Owner.Email)
	en.Fill("Password", acc.Owner.Password)
	en.Submit("Sign in")
	en.Go(fmt.Sprintf("/%s/projects/%d/tasks", acc.Slug, pid))
	en.Select("Order", "Due day")
	en.Select("Group by", "No grouping")
	en.Submit("Filter")
	got := browser.Evaluate[string](en, "read the order", `Array.from(document.querySelectorAll("#tasks-table .titlecell a")).map((a) => a.textContent).join("|")`)
	if got != "Забронировать стенд|Собрать стенд|Заказать бейджи|Напечатать листовки" {
		t.Errorf("sorted by due day: %s", got)
	}
	en.Screenshot("listview-flat-en")
}
