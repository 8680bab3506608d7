package gantt

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sampleChart is a small realistic project: what a project manager would print.
func sampleChart() Chart {
	return Chart{
		Title: "Website relaunch — Acme & Co.",
		Scale: Week,
		From:  day(2025, 3, 1),
		To:    day(2025, 6, 30),
		Today: day(2025, 4, 16),
		Lang:  "en",
		Rows: []Row{
			{ID: "l1", Kind: List, Label: "Discovery", Indent: 0},
			{ID: "t1", Label: "Stakeholder interviews", Start: day(2025, 3, 3), End: day(2025, 3, 14), Progress: 100, Done: true, Indent: 1, Href: "/acme/projects/7/tasks/1"},
			{ID: "t2", Label: "Audit of the current site, analytics & SEO <baseline>", Start: day(2025, 3, 10), End: day(2025, 3, 21), Progress: 100, Done: true, Indent: 1},
			{ID: "m1", Kind: Milestone, Label: "Brief signed off", Start: day(2025, 3, 24), Indent: 1, Done: true},
			{ID: "l2", Kind: List, Label: "Design", Indent: 0},
			{ID: "t3", Label: "Wireframes", Start: day(2025, 3, 24), End: day(2025, 4, 11), Progress: 80, Late: true, Indent: 1, Note: "Léa · 32 h / 40 h"},
			{ID: "t4", Label: "Visual design — home, product pages, checkout and the account area", Start: day(2025, 4, 7), End: day(2025, 4, 30), Progress: 35, Indent: 1},
			{ID: "t5", Label: "Design review 👩‍💻", Start: day(2025, 5, 2), End: day(2025, 5, 6), Indent: 1},
			{ID: "m2", Kind: Milestone, Label: "Design approved", Start: day(2025, 5, 7), Indent: 1},
			{ID: "l3", Kind: List, Label: "Build", Indent: 0},
			{ID: "t6", Label: "Front-end components", Start: day(2025, 4, 28), End: day(2025, 5, 30), Progress: 10, Indent: 1},
			{ID: "t7", Label: "CMS integration", Start: day(2025, 5, 12), End: day(2025, 6, 13), Indent: 1},
			{ID: "t8", Label: "תרגום לעברית", Start: day(2025, 5, 19), End: day(2025, 6, 6), Indent: 1},
			{ID: "t9", Label: "Content migration", Start: day(2025, 5, 26), End: day(2025, 6, 20), Indent: 1},
			{ID: "l4", Kind: List, Label: "Launch", Indent: 0},
			{ID: "t10", Label: "QA & accessibility", Start: day(2025, 6, 9), End: day(2025, 6, 24), Indent: 1},
			{ID: "t11", Label: "Training for editors", Start: day(2025, 6, 16), End: day(2025, 6, 20), Indent: 1},
			{ID: "m3", Kind: Milestone, Label: "Go live", Start: day(2025, 6, 26), Indent: 1},
			{ID: "t12", Label: "Post-launch support", Start: day(2025, 6, 27), End: day(2025, 7, 25), Indent: 1},
			{ID: "t13", Label: "Unscheduled: newsletter templates", Indent: 1},
		},
		Links: []Link{
			{"t1", "m1"}, {"t2", "m1"}, {"m1", "t3"}, {"t3", "t4"}, {"t4", "t5"}, {"t5", "m2"},
			{"m2", "t7"}, {"t6", "t7"}, {"t7", "t9"}, {"t9", "t10"}, {"t10", "m3"}, {"m3", "t12"},
			{"t4", "t6"},
		},
	}
}

// TestWriteSample renders sample charts into $GANTT_SAMPLE_DIR, for looking at them
// (rsvg-convert -o sample.png sample.svg). Skipped unless the variable is set.
func TestWriteSample(t *testing.T) {
	dir := os.Getenv("GANTT_SAMPLE_DIR")
	if dir == "" {
		t.Skip("GANTT_SAMPLE_DIR not set")
	}
	write := func(name string, c Chart) {
		var b bytes.Buffer
		if err := Render(&b, c); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := sampleChart()
	write("gantt-sample.svg", c)
	d := c
	d.Scale, d.From, d.To, d.Lang = Day, day(2025, 3, 20), day(2025, 4, 20), "fr"
	write("gantt-day-fr.svg", d)
	m := c
	m.Scale, m.From, m.To, m.Lang = Month, time.Time{}, time.Time{}, "ru"
	write("gantt-month-ru.svg", m)
	write("gantt-empty.svg", Chart{Title: "Empty project"})
	write("gantt-bench.svg", benchChart())
	write("gantt-torture.svg", tortureChart())
}

// tortureChart: hostile labels, a long right-to-left label, edge clipping, a short range.
func tortureChart() Chart {
	long := strings.Repeat("Très long libellé de tâche, ", 18)[:500]
	return Chart{
		Title: long,
		From:  day(2025, 3, 10), To: day(2025, 3, 23), Today: day(2025, 3, 10), Lang: "fr",
		Rows: []Row{
			{ID: "a", Label: `<script>alert("x")</script> & 'quotes'`, Start: day(2025, 3, 1), End: day(2025, 3, 12), Progress: 50},
			{ID: "b", Label: "emoji 👩‍💻👨‍👩‍👧‍👦🇫🇷🇩🇪 mix " + long, Start: day(2025, 3, 20), End: day(2025, 4, 2), Late: true, Progress: 20},
			{ID: "c", Label: "مشروع إعادة تصميم الموقع الإلكتروني مع ترجمة كاملة للمحتوى", Start: day(2025, 3, 12), End: day(2025, 3, 14)},
			{ID: "d", Kind: Milestone, Label: "\x00bad\xffutf8\u2028", Start: day(2025, 3, 9)},
			{ID: "e", Kind: Milestone, Label: "Jalon", Start: day(2025, 3, 10), Late: true},
			{ID: "f", Label: "Hors fenêtre", Start: day(2025, 5, 1), End: day(2025, 5, 3)},
			{ID: "g", Label: "Ш", Indent: 40, Start: day(2025, 3, 17), End: day(2025, 3, 17), Href: "javascript:alert(1)"},
		},
		Links: []Link{{"a", "c"}, {"c", "b"}, {"b", "g"}, {"d", "e"}, {"e", "a"}, {"a", "a"}, {"zz", "a"}},
	}
}
