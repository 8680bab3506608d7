package projects_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	"groupcamp/modules/projects"
)

// TestLoad runs the module's load in-process, briefly and small, as `go tool task load` does:
// the seed goes through the service, and every scenario of the module must show requests and
// no errors.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2 s load run")
	}
	mod := projects.New()
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: 2 * time.Second, Warmup: 200 * time.Millisecond, Concurrency: 4,
		Size: load.Size{Users: 8, Projects: 3, Tasks: 300}, Progress: &progress, DataDir: t.TempDir(),
		AppModules: []app.Module{mod}, Modules: []load.Module{load.Core(), mod.Load()},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	seen := map[string]bool{}
	for _, s := range rep.Scenarios {
		seen[s.Name] = true
		if s.Requests == 0 || s.Errors > 0 {
			t.Errorf("%s: %d requests, %d errors %v: %q", s.Name, s.Requests, s.Errors, s.ErrorsByKind, s.ErrorSamples)
		}
	}
	for _, s := range mod.Load().Scenarios {
		if !seen[s.Name] {
			t.Errorf("%s: not in the report", s.Name)
		}
	}
}

// TestLoadAgainstAServer seeds a running server through the API (-url) and drives the module's
// scenarios for a second.
func TestLoadAgainstAServer(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run")
	}
	e, _ := start(t, "sqlite")
	mod := projects.New()
	rep, err := load.Run(context.Background(), load.Options{URL: e.URL, Duration: time.Second, Concurrency: 2,
		Size: load.Size{Users: 6, Projects: 2, Tasks: 20}, Modules: []load.Module{load.Core(), mod.Load()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Scenarios {
		if s.Errors > 0 {
			t.Errorf("%s: %d errors %q", s.Name, s.Errors, s.ErrorSamples)
		}
	}
	if n := e.Count("tasks"); n < 20 {
		t.Errorf("%d tasks seeded through the API", n)
	}
}
