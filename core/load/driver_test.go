package load

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestChooseMix(t *testing.T) {
	noop := func(context.Context, *Worker) error { return nil }
	mods := []Module{{Name: "a", Scenarios: []Scenario{{Name: "x", Weight: 3, Run: noop}, {Name: "y", Weight: 0, Run: noop}}},
		{Name: "b", Scenarios: []Scenario{{Name: "z", Weight: 1, Run: noop}}}}
	weights := func(mix []mixEntry) string {
		var parts []string
		for _, m := range mix {
			parts = append(parts, m.Name+"="+string(rune('0'+m.weight)))
		}
		return strings.Join(parts, ",")
	}
	for _, c := range []struct{ spec, want, err string }{
		{"", "x=3,z=1", ""},
		{"y", "y=1", ""},
		{"z=5, x", "z=5,x=3", ""},
		{"x=0,z", "z=1", ""},
		{"nope", "", `unknown scenario "nope"; known: x, y, z`},
		{"x=-1", "", "weight must be"},
		{"x,x", "", "named twice"},
		{"x=0", "", "no scenario to run"},
	} {
		mix, err := chooseMix(mods, c.spec)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.spec, err, c.err)
			}
			continue
		}
		if err != nil || weights(mix) != c.want {
			t.Errorf("%q: %s, %v; want %s", c.spec, weights(mix), err, c.want)
		}
	}
	if _, err := chooseMix(append(mods, Module{Name: "c", Scenarios: []Scenario{{Name: "x", Run: noop}}}), ""); err == nil {
		t.Error("a scenario name declared twice is refused")
	}
}

func TestPickerFollowsWeights(t *testing.T) {
	p := newPicker([]mixEntry{{weight: 2}, {weight: 3}, {weight: 1}})
	var got [3]int
	for r := range p.total {
		got[p.pick(r)]++
	}
	if got != [3]int{2, 3, 1} {
		t.Fatalf("draws per scenario over every r: %v, want [2 3 1]", got)
	}
}

// TestDrive runs the driver against a stub server: requests are counted and timed per
// scenario, non-2xx answers, transport errors and failed checks are errors with samples, the
// right token goes with each scenario, and the warm-up is not counted.
func TestDrive(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		switch r.URL.Path {
		case "/ok":
			if r.Header.Get("Authorization") != "Bearer tok-manager" {
				http.Error(w, "wrong token "+r.Header.Get("Authorization"), http.StatusUnauthorized)
				return
			}
			time.Sleep(2 * time.Millisecond)
			w.Write([]byte(`{"items":[{"id":1}]}`))
		case "/admin":
			if r.Header.Get("Authorization") != "Bearer tok-admin" {
				http.Error(w, "wrong token", http.StatusUnauthorized)
				return
			}
			w.Write([]byte(`{}`))
		default:
			http.Error(w, `{"title":"boom"}`, http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	env := &Env{BaseURL: srv.URL, RunID: "test", Role: "manager", People: []Person{
		{Role: "owner", Token: "tok-owner"}, {Role: "admin", Token: "tok-admin"}, {Role: "manager", Token: "tok-manager"}}}
	mix := []mixEntry{
		{Scenario{Name: "ok", Run: func(ctx context.Context, w *Worker) error {
			r, err := w.Get(ctx, "/ok")
			if err != nil {
				return err
			}
			return expectItems(r)
		}}, 3},
		{Scenario{Name: "admin", Role: "admin", Run: func(ctx context.Context, w *Worker) error {
			_, err := w.Post(ctx, "/admin", map[string]string{"name": w.Unique("x")})
			return err
		}}, 1},
		{Scenario{Name: "fails", Run: func(ctx context.Context, w *Worker) error {
			_, err := w.Get(ctx, "/fail")
			return err // already counted: must not count twice
		}}, 1},
		{Scenario{Name: "check", Run: func(ctx context.Context, w *Worker) error {
			if _, err := w.Get(ctx, "/ok"); err != nil {
				return err
			}
			return errors.New("bad body")
		}}, 1},
	}
	client := newClient(4)
	defer client.CloseIdleConnections()
	res := drive(context.Background(), driveConfig{env: env, client: client, mix: mix, concurrency: 4,
		warmup: 100 * time.Millisecond, duration: 400 * time.Millisecond, seed: 1})

	var counted uint64
	for i, m := range mix {
		s := &res.stats[i]
		counted += s.hist.Count()
		if s.hist.Count() == 0 || s.calls != s.hist.Count() {
			t.Errorf("%s: %d requests for %d calls", m.Name, s.hist.Count(), s.calls)
		}
		wantErrors := map[string]uint64{}
		switch m.Name {
		case "fails":
			wantErrors["500"] = s.calls
		case "check":
			wantErrors["check"] = s.calls
		}
		if s.errors != wantErrors["500"]+wantErrors["check"] || len(s.byKind) != len(wantErrors) || s.byKind["500"] != wantErrors["500"] || s.byKind["check"] != wantErrors["check"] {
			t.Errorf("%s: errors %d by kind %v, want %v", m.Name, s.errors, s.byKind, wantErrors)
		}
		if s.errors > 0 && (len(s.samples) == 0 || len(s.samples) > maxSamples) {
			t.Errorf("%s: %d samples", m.Name, len(s.samples))
		}
	}
	if !strings.Contains(res.stats[2].samples[0], "500") || !strings.Contains(res.stats[3].samples[0], "bad body") {
		t.Errorf("samples: %q %q", res.stats[2].samples, res.stats[3].samples)
	}
	if ok := &res.stats[0].hist; ok.Quantile(0.5) < 2*time.Millisecond {
		t.Errorf("p50 of a 2 ms handler: %v", ok.Quantile(0.5))
	}
	if int64(counted) >= served.Load() {
		t.Errorf("%d requests counted of %d served: the warm-up's should not count", counted, served.Load())
	}
	if res.elapsed < 400*time.Millisecond || res.elapsed > 2*time.Second {
		t.Errorf("measured time %v for a 400 ms run", res.elapsed)
	}

	rep := &Report{Role: "manager"}
	rep.fill(mix, res)
	if rep.Total.Requests != counted || rep.Total.Errors != res.stats[2].errors+res.stats[3].errors || rep.Total.RPS <= 0 {
		t.Errorf("total row: %+v", rep.Total)
	}
	if rep.Scenarios[1].Role != "admin" || rep.Scenarios[0].Role != "manager" {
		t.Errorf("roles in the report: %q %q", rep.Scenarios[0].Role, rep.Scenarios[1].Role)
	}
}

func TestTransportErrorsCount(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	env := &Env{BaseURL: url, RunID: "t", Role: "manager"}
	mix := []mixEntry{{Scenario{Name: "down", Run: func(ctx context.Context, w *Worker) error {
		_, err := w.Get(ctx, "/")
		return err
	}}, 1}}
	client := newClient(1)
	res := drive(context.Background(), driveConfig{env: env, client: client, mix: mix, concurrency: 1, duration: 50 * time.Millisecond})
	if s := res.stats[0]; s.errors == 0 || s.byKind["transport"] != s.errors {
		t.Fatalf("errors %d by kind %v", s.errors, s.byKind)
	}
}

func TestReadMemory(t *testing.T) {
	m, err := readMemory(0)
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if m.RSSBytes < 1<<20 || m.HWMBytes < m.RSSBytes {
		t.Fatalf("memory %+v", m)
	}
	// Spin until the process's CPU time moves (it counts in clock ticks, and a busy machine
	// may give this process little CPU in any given 50 ms), within a generous deadline.
	before, err := cpuTime(0)
	after, err2 := before, error(nil)
	for end := time.Now().Add(10 * time.Second); err == nil && err2 == nil && after <= before && time.Now().Before(end); {
		for spin := time.Now().Add(10 * time.Millisecond); time.Now().Before(spin); {
		}
		after, err2 = cpuTime(0)
	}
	if err != nil || err2 != nil || after <= before {
		t.Fatalf("cpu time %v -> %v (%v, %v) across 10 s of spinning", before, after, err, err2)
	}
}
