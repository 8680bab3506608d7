package ical_test

import (
	"context"
	"net/http"
	"testing"

	"groupcamp/core/testkit"
)

// BenchmarkFeed measures, on every test database, a feed fetched over HTTP by a person with
// 500 open tasks due in the window (and as many of a colleague's beside them in the account,
// which the query must skip): what a calendar application polls every hour per subscriber.
func BenchmarkFeed(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			o := newOffice(b, e)
			for i := range 500 {
				o.task(b, o.project, "Review section "+itoa(i), today().AddDate(0, 0, i%300), o.mem)
				o.task(b, o.project, "Colleague's "+itoa(i), today().AddDate(0, 0, i%300), o.owner)
			}
			e.Settle() // the seed's events are delivered before the clock runs
			// A fresh schema has no statistics: PostgreSQL's planner then takes every table for
			// one row and nests loops over the person's 500 assignments (~600 ms a feed). A
			// running database has them (autovacuum); the benchmark measures that state.
			for _, table := range []string{"tasks", "task_assignees", "projects"} {
				if _, err := e.App.DB.ExecContext(context.Background(), "ANALYZE "+table); err != nil {
					b.Fatal(err)
				}
			}
			path := feedURL(b, e, o.mem)
			if n := len(feed(b, e, path).Events()); n != 500 {
				b.Fatalf("%d events, want 500", n)
			}
			c := e.Anonymous()
			b.ReportAllocs()
			size := 0
			cpu := testkit.CPUTime()
			for b.Loop() {
				r := c.Get(path)
				if r.Status != http.StatusOK {
					b.Fatalf("feed: %d", r.Status)
				}
				size = len(r.Body)
			}
			b.ReportMetric(float64((testkit.CPUTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(size), "bytes/feed")
		})
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
