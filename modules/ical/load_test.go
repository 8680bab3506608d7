package ical_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	"groupcamp/modules/ical"
	"groupcamp/modules/projects"
)

// TestLoad runs the module's load in-process, briefly and small, as `go tool task load` does:
// the feed scenario must show requests and no errors.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2 s load run")
	}
	proj, mod := projects.New(), ical.New()
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: 2 * time.Second, Warmup: 200 * time.Millisecond, Concurrency: 4,
		Size: load.Size{Users: 6, Projects: 2, Tasks: 20}, Progress: &progress, DataDir: t.TempDir(),
		AppModules: []app.Module{proj, mod}, Modules: []load.Module{load.Core(), proj.Load(), mod.Load()},
		Scenarios: "ical.feed",
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	for _, s := range rep.Scenarios {
		if s.Name == "ical.feed" && s.Requests > 0 && s.Errors == 0 {
			t.Logf("ical.feed: %d requests, %.0f req/s, p50 %.1f ms, p95 %.1f ms", s.Requests, s.RPS, s.P50Ms, s.P95Ms)
			return
		}
		t.Errorf("%s: %d requests, %d errors %v: %q", s.Name, s.Requests, s.Errors, s.ErrorsByKind, s.ErrorSamples)
	}
	t.Fatal("ical.feed is not in the report")
}
