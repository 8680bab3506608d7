package gcapi_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	"groupcamp/modules/gcapi"
	"groupcamp/modules/projects"
	"groupcamp/modules/timesheet"
)

// TestLoad runs the module's load in-process, briefly and small, beside projects and timesheet
// (whose ports it reads): the signed scenario shows requests and no errors.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2 s load run")
	}
	pr, ts, mod := projects.New(), timesheet.New(), gcapi.New()
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: 2 * time.Second, Warmup: 200 * time.Millisecond, Concurrency: 4,
		Size: load.Size{Users: 8, Projects: 1, Tasks: 5}, Progress: &progress, DataDir: t.TempDir(),
		AppModules: []app.Module{pr, ts, mod}, Modules: []load.Module{load.Core(), pr.Load(), mod.Load()},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	seen := false
	for _, s := range rep.Scenarios {
		if !strings.HasPrefix(s.Name, "gcapi.") {
			continue
		}
		seen = true
		if s.Requests == 0 || s.Errors > 0 {
			t.Errorf("%s: %d requests, %d errors %v: %q", s.Name, s.Requests, s.Errors, s.ErrorsByKind, s.ErrorSamples)
		}
		t.Logf("%s: %d requests, %.0f req/s", s.Name, s.Requests, float64(s.Requests)/2)
	}
	if !seen {
		t.Error("gcapi.task: not in the report")
	}
}
