package sso_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	"groupcamp/modules/sso"
)

// TestLoad runs the module's load in-process, briefly and small, beside the core's (whose
// sign-ins pay the module's rule): the module's scenario shows requests and no errors.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2 s load run")
	}
	mod := sso.New()
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: 2 * time.Second, Warmup: 200 * time.Millisecond, Concurrency: 4,
		Size: load.Size{Users: 8, Projects: 1, Tasks: 1}, Progress: &progress, DataDir: t.TempDir(),
		AppModules: []app.Module{mod}, Modules: []load.Module{load.Core(), mod.Load()},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	seen := false
	for _, s := range rep.Scenarios {
		if s.Name == "sso.settings" {
			seen = true
			if s.Requests == 0 || s.Errors > 0 {
				t.Errorf("%s: %d requests, %d errors %v: %q", s.Name, s.Requests, s.Errors, s.ErrorsByKind, s.ErrorSamples)
			}
		}
	}
	if !seen {
		t.Error("sso.settings is not in the report")
	}
}
