package gantt

import (
	"strings"
	"testing"
	"time"
)

// The hooks of gantt.js: with Chart.Script, the root says where the days are and each task
// bar says which task it is and its days, so that a script can turn a drag in pixels into
// days without knowing the layout; without it, the download carries none of them.
func TestScriptAttributes(t *testing.T) {
	c := Chart{
		From: day(2025, 3, 3), To: day(2025, 3, 16), Scale: Day, Script: true,
		Rows: []Row{
			{ID: "l1", Kind: List, Label: "List"},
			{ID: "7", Label: "both", Start: day(2025, 3, 4), End: day(2025, 3, 6), Indent: 1},
			{ID: "8", Label: "due only", End: day(2025, 3, 10), Indent: 1},
			{ID: `9"><x`, Label: "start only", Start: day(2025, 3, 12), Indent: 1},
			{ID: "10", Label: "undated", Indent: 1},
			{ID: "m1", Kind: Milestone, Label: "m", Start: day(2025, 3, 14)},
		},
	}
	d := render(t, c)
	checkInvariants(t, d)
	root := d.root.attr
	if root["data-from"] != "2025-03-03" || root["data-to"] != "2025-03-16" || root["data-ppd"] != "24" || root["data-left"] != "280" {
		t.Fatalf("root data: %v", root)
	}
	var got []string
	for _, g := range d.find("g", "task") {
		if id, ok := g.attr["data-id"]; ok {
			got = append(got, id+"|"+g.attr["data-start"]+"|"+g.attr["data-end"])
		}
	}
	want := []string{"7|2025-03-04|2025-03-06", "8||2025-03-10", `9"><x|2025-03-12|`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("bars: %q, want %q", got, want)
	}
	for _, cls := range []string{"list", "milestone"} {
		for _, g := range d.find("g", cls) {
			if _, ok := g.attr["data-id"]; ok {
				t.Errorf("a %s carries data-id", cls)
			}
		}
	}
	// The bar of "7" starts where data-left + (start - from) * ppd says.
	bar := d.find("rect", "bar")[0]
	if bar.attr["x"] != "304.5" {
		t.Fatalf("bar x %s, want 280 + 1*24 (+.5)", bar.attr["x"])
	}
	// Week and month scales say their own pixels per day.
	for s, ppd := range map[Scale]string{Week: "6", Month: "3"} {
		c.Scale = s
		if got := render(t, c).root.attr["data-ppd"]; got != ppd {
			t.Errorf("scale %d: data-ppd %s, want %s", s, got, ppd)
		}
	}
	c.Script = false
	if raw := render(t, c).raw; strings.Contains(raw, "data-") {
		t.Fatalf("data attributes without Script: %.300s", raw[strings.Index(raw, "data-")-100:])
	}
}

// BarHref makes a task's bar a link (the date form), filtered like Href; milestones and lists
// have none.
func TestBarHref(t *testing.T) {
	d := render(t, Chart{From: day(2025, 3, 3), To: day(2025, 3, 16), Rows: []Row{
		{ID: "1", Label: "a", Start: day(2025, 3, 4), End: day(2025, 3, 6), BarHref: "/acme/tasks/1/dates?back=/acme/projects/1/gantt&x=1"},
		{ID: "2", Label: "b", Start: day(2025, 3, 4), BarHref: "javascript:alert(1)"},
		{ID: "3", Kind: Milestone, Label: "m", Start: day(2025, 3, 5), BarHref: "/acme/x"},
	}})
	checkInvariants(t, d)
	links := d.find("a", "barlink")
	if len(links) != 1 || links[0].attr["href"] != "/acme/tasks/1/dates?back=/acme/projects/1/gantt&x=1" {
		t.Fatalf("bar links: %v", links)
	}
	bars := d.find("rect", "bar")
	if !bars[0].under("barlink") || bars[1].under("barlink") {
		t.Fatal("the link does not hold the first bar alone")
	}
}

// A today outside the range draws no line but points at the edge it lies beyond, in the
// chart's language.
func TestTodayOutsideRange(t *testing.T) {
	c := Chart{From: day(2025, 3, 1), To: day(2025, 3, 31), Scale: Day,
		Rows: []Row{{Label: "a", Start: day(2025, 3, 3), End: day(2025, 3, 5)}}}
	for _, tc := range []struct {
		today      [3]int
		lang, text string
		anchor     string
	}{
		{[3]int{2025, 2, 28}, "en", "← Today", "start"},
		{[3]int{2025, 4, 1}, "en", "Today →", "end"},
		{[3]int{2030, 1, 1}, "fr", "Aujourd’hui →", "end"},
		{[3]int{2020, 1, 1}, "ru", "← Сегодня", "start"},
	} {
		c.Today, c.Lang = day(tc.today[0], time.Month(tc.today[1]), tc.today[2]), tc.lang
		d := render(t, c)
		checkInvariants(t, d)
		if len(d.find("g", "today")) != 0 {
			t.Errorf("%v: a today line outside the range", tc.today)
		}
		m := d.find("text", "today-edge")
		if len(m) != 1 || m[0].text != tc.text || m[0].attr["text-anchor"] != tc.anchor {
			t.Errorf("%v: marker %v", tc.today, m)
			continue
		}
		// At the edge of the timeline: label column 280, 31 days of 24 px.
		if x := m[0].attr["x"]; (tc.anchor == "start" && x != "284") || (tc.anchor == "end" && x != "1020") {
			t.Errorf("%v: marker at x=%s", tc.today, x)
		}
	}
	c.Today = day(2025, 3, 11)
	if d := render(t, c); len(d.find("text", "today-edge")) != 0 || len(d.find("g", "today")) != 1 {
		t.Error("today inside the range: want the line and no marker")
	}
}
