package intranet_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	"groupcamp/modules/intranet"
)

// TestLoad runs the module's load in-process, briefly and small: every scenario of the module
// shows requests and no errors.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2 s load run")
	}
	mod := intranet.New()
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: 2 * time.Second, Warmup: 200 * time.Millisecond, Concurrency: 4,
		Size: load.Size{Users: 8, Projects: 1, Tasks: 1}, Progress: &progress, DataDir: t.TempDir(),
		AppModules: []app.Module{mod}, Modules: []load.Module{load.Core(), mod.Load()},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	seen := map[string]bool{}
	for _, s := range rep.Scenarios {
		seen[s.Name] = true
		if !strings.HasPrefix(s.Name, "intranet.") {
			continue
		}
		t.Logf("%s: %d requests, p50 %.1f ms, p95 %.1f ms", s.Name, s.Requests, s.P50Ms, s.P95Ms)
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
