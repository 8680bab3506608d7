package host_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	"groupcamp/plugins/host"
)

// TestLoad runs the module's load in-process, briefly and small: its scenario shows requests
// and no errors.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 1 s load run")
	}
	t.Parallel()
	mod := host.New()
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: time.Second, Warmup: 200 * time.Millisecond, Concurrency: 4,
		Size: load.Size{Users: 8, Projects: 1, Tasks: 1}, Progress: &progress, DataDir: t.TempDir(),
		AppModules: []app.Module{mod}, Modules: []load.Module{load.Core(), mod.Load()},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	found := false
	for _, s := range rep.Scenarios {
		if !strings.HasPrefix(s.Name, "plugins.") {
			continue
		}
		found = true
		t.Logf("%s: %d requests, %.0f req/s, p99 %.1f ms", s.Name, s.Requests, s.RPS, s.P99Ms)
		if s.Requests == 0 || s.Errors > 0 {
			t.Errorf("%s: %d requests, %d errors %v: %q", s.Name, s.Requests, s.Errors, s.ErrorsByKind, s.ErrorSamples)
		}
	}
	if !found {
		t.Error("plugins.list is not in the report")
	}
}
