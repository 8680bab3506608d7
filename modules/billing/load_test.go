package billing_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	"groupcamp/modules/billing"
	"groupcamp/modules/projects"
)

// TestLoad runs the module's load in-process, briefly and small, beside the projects' (whose
// creations pass the quota check of the seeded plan): every billing scenario shows requests
// and no errors, and the projects' creations none either.
func TestLoad(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a 2 s load run")
	}
	mod, pr := billing.New(), projects.New()
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: 2 * time.Second, Warmup: 200 * time.Millisecond, Concurrency: 4,
		Size: load.Size{Users: 8, Projects: 1, Tasks: 1}, Progress: &progress, DataDir: t.TempDir(),
		AppModules: []app.Module{pr, mod}, Modules: []load.Module{load.Core(), pr.Load(), mod.Load()},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	seen := map[string]bool{}
	for _, s := range rep.Scenarios {
		seen[s.Name] = true
		t.Logf("%s: %d requests, p50 %.2f ms, p95 %.2f ms", s.Name, s.Requests, s.P50Ms, s.P95Ms)
		if !strings.HasPrefix(s.Name, "billing.") && !strings.HasPrefix(s.Name, "projects.create") {
			continue
		}
		if s.Errors > 0 || (strings.HasPrefix(s.Name, "billing.") && s.Requests == 0) {
			t.Errorf("%s: %d requests, %d errors %v: %q", s.Name, s.Requests, s.Errors, s.ErrorsByKind, s.ErrorSamples)
		}
	}
	for _, s := range mod.Load().Scenarios {
		if !seen[s.Name] {
			t.Errorf("%s: not in the report", s.Name)
		}
	}
}
