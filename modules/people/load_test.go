package people_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	"groupcamp/modules/people"
)

// TestLoad runs the module's load in-process, briefly and small: its scenario shows requests
// and no errors.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2 s load run")
	}
	mod := people.New()
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: 2 * time.Second, Warmup: 200 * time.Millisecond, Concurrency: 2,
		Size: load.Size{Users: 5, Projects: 1, Tasks: 1}, Progress: &progress, DataDir: t.TempDir(),
		AppModules: []app.Module{mod}, Modules: []load.Module{load.Core(), mod.Load()},
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	for _, s := range rep.Scenarios {
		if s.Name == "people.import.preview" {
			if s.Requests == 0 || s.Errors > 0 {
				t.Fatalf("%s: %d requests, %d errors %v: %q", s.Name, s.Requests, s.Errors, s.ErrorsByKind, s.ErrorSamples)
			}
			t.Logf("%s: %d requests", s.Name, s.Requests)
			return
		}
	}
	t.Fatal("people.import.preview: not in the report")
}
