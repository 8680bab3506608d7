package gantt

import (
	"bufio"
	"io"
	"strconv"
	"testing"
)

// benchChart: 1,000 tasks in 50 lists, 20 milestones, 800 links, 6 months, week scale — the
// size the projects module promises to draw in under 40 ms.
func benchChart() Chart {
	start := day(2025, 1, 6)
	c := Chart{Title: "Benchmark", From: start, To: start.AddDate(0, 6, -1), Scale: Week,
		Today: start.AddDate(0, 2, 10), Lang: "en"}
	task := 0
	ms := 0
	for l := 0; l < 50; l++ {
		c.Rows = append(c.Rows, Row{ID: "l" + strconv.Itoa(l), Kind: List, Label: "List " + strconv.Itoa(l)})
		for k := 0; k < 20; k++ {
			s := start.AddDate(0, 0, (task*7)%170)
			c.Rows = append(c.Rows, Row{
				ID: "t" + strconv.Itoa(task), Label: "Task number " + strconv.Itoa(task) + " with a fairly long label that gets cut",
				Start: s, End: s.AddDate(0, 0, 3+task%15), Progress: (task * 13) % 101,
				Late: task%17 == 0, Done: task%11 == 0, Indent: 1, Href: "/acme/projects/1/tasks/" + strconv.Itoa(task),
			})
			task++
		}
		if l%5 < 2 && ms < 20 {
			c.Rows = append(c.Rows, Row{ID: "m" + strconv.Itoa(ms), Kind: Milestone, Label: "Milestone " + strconv.Itoa(ms),
				Start: start.AddDate(0, 0, 9*ms), Indent: 1})
			ms++
		}
	}
	for i := 0; i < 800; i++ {
		a := (i * 7) % 1000
		b := (a + 1 + i%5) % 1000
		c.Links = append(c.Links, Link{From: "t" + strconv.Itoa(a), To: "t" + strconv.Itoa(b)})
	}
	return c
}

func BenchmarkRender1000(b *testing.B) {
	c := benchChart()
	w := bufio.NewWriterSize(io.Discard, 64<<10)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Render(w, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender5000Day: the limits together — 5,000 rows over 3 years at the day scale.
func BenchmarkRender5000Day(b *testing.B) {
	c := benchChart()
	for len(c.Rows) < MaxRows {
		c.Rows = append(c.Rows, c.Rows[:min(len(c.Rows), MaxRows-len(c.Rows))]...)
	}
	c.Scale, c.To = Day, c.From.AddDate(3, 0, 0)
	w := bufio.NewWriterSize(io.Discard, 64<<10)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Render(w, c); err != nil {
			b.Fatal(err)
		}
	}
}
