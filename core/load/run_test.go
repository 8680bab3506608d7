package load_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"groupcamp/core/load"
	"groupcamp/core/testkit"
)

// checkReport fails unless every scenario of the default mix got requests and none failed.
func checkReport(t *testing.T, rep *load.Report) {
	t.Helper()
	want := map[string]bool{}
	for _, s := range load.Core().Scenarios {
		want[s.Name] = true
	}
	for _, s := range rep.Scenarios {
		delete(want, s.Name)
		if s.Requests == 0 {
			t.Errorf("%s: no requests", s.Name)
		}
		if s.Errors > 0 {
			t.Errorf("%s: %d errors %v: %q", s.Name, s.Errors, s.ErrorsByKind, s.ErrorSamples)
		}
		if s.P50Ms <= 0 || s.P99Ms < s.P50Ms || s.MaxMs < s.P99Ms {
			t.Errorf("%s: percentiles p50 %.2f p99 %.2f max %.2f", s.Name, s.P50Ms, s.P99Ms, s.MaxMs)
		}
	}
	for name := range want {
		t.Errorf("%s: not in the report", name)
	}
	if rep.Total.Errors != 0 || rep.Total.Requests == 0 {
		t.Errorf("total: %+v", rep.Total)
	}
}

// TestInProcess runs the tool as `go tool task load` does, briefly and small: the App starts
// in-process, the seed goes through the services, and every core scenario must succeed.
func TestInProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2 s load run")
	}
	var progress bytes.Buffer
	rep, err := load.Run(context.Background(), load.Options{
		Duration: 2 * time.Second, Warmup: 200 * time.Millisecond, Concurrency: 4,
		Size: load.Size{Users: 6}, Progress: &progress, DataDir: t.TempDir(),
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	checkReport(t, rep)
	if rep.Mode != "in-process" || rep.Database == "" || rep.Seed.People != 6 || rep.Seed.Teams != 1 || rep.Role != "manager" {
		t.Errorf("report header: %+v", rep)
	}
	if rep.Server == nil || rep.Server.RSSBytes == 0 {
		t.Error("no memory reported for the in-process server")
	}
	if rep.CPU == nil || rep.CPU.Seconds <= 0 || rep.CPU.PerRequestMicros <= 0 {
		t.Errorf("no CPU use reported for the in-process server: %+v", rep.CPU)
	}
	var text, js bytes.Buffer
	rep.WriteText(&text)
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"teams.create", "p99 ms", "total", "memory"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("the table lacks %q:\n%s", s, text.String())
		}
	}
	var back load.Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Scenarios) != len(rep.Scenarios) || back.Total.Requests != rep.Total.Requests {
		t.Errorf("JSON round trip: %v\n%s", err, js.String())
	}
}

// TestExternalServer loads a server that runs elsewhere (-url): the seed goes through the API.
func TestExternalServer(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run")
	}
	e := testkit.Start(t, "sqlite", testkit.Options{})
	rep, err := load.Run(context.Background(), load.Options{URL: e.URL, Duration: time.Second, Concurrency: 2, Size: load.Size{Users: 5}})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep)
	if rep.Mode != "external" || rep.Server != nil || rep.CPU != nil {
		t.Errorf("report header: %+v", rep)
	}
	// Seeding again against the same server makes a new account, with names of its own.
	again, err := load.Run(context.Background(), load.Options{URL: e.URL, SeedOnly: true, Size: load.Size{Users: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if again.Seed.Slug == rep.Seed.Slug || again.Seed.Password == "" || len(again.Scenarios) != 0 {
		t.Errorf("second seed: %+v", again.Seed)
	}
}

func TestBadOptions(t *testing.T) {
	for _, c := range []struct {
		o    load.Options
		want string
	}{
		{load.Options{Role: "boss"}, "-role"},
		{load.Options{Size: load.Size{Users: 3}}, "-users"},
		{load.Options{Scenarios: "nope"}, "unknown scenario"},
		{load.Options{Concurrency: -1}, "-concurrency"},
	} {
		if _, err := load.Run(context.Background(), c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error about %s", c.o, err, c.want)
		}
	}
}
