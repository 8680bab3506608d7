package load

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of a run; -json prints it as is, for CI to compare runs.
type Report struct {
	StartedAt   time.Time `json:"started_at"`
	Target      string    `json:"target"`             // the server's URL
	Mode        string    `json:"mode"`               // "in-process" or "external"
	Database    string    `json:"database,omitempty"` // in-process: sqlite or postgres
	Role        string    `json:"role"`
	Concurrency int       `json:"concurrency"`
	CPUs        int       `json:"cpus"`
	// WarmupSeconds were run first and not measured; DurationSeconds is the measured time.
	WarmupSeconds   float64          `json:"warmup_seconds"`
	DurationSeconds float64          `json:"duration_seconds"`
	Seed            SeedReport       `json:"seed"`
	Scenarios       []ScenarioReport `json:"scenarios"`
	Total           ScenarioReport   `json:"total"`
	// Server is the server's memory at the end, and its peak (in-process: of this whole
	// process, load driver included, from the end of the seed; external: the -pid process,
	// from its start); nil when unknown.
	Server *Memory `json:"server_memory,omitempty"`
	// CPU is what the server used during the measured time (in-process: this whole process,
	// load driver included; external: the -pid process); nil when unknown.
	CPU *CPUUse `json:"cpu,omitempty"`
	// LoadAverage is the machine's 1-minute load average at the end: well above CPUs means
	// other processes competed for the CPU and the figures are low.
	LoadAverage float64 `json:"load_average,omitempty"`
}

// CPUUse is the CPU a process spent during the measured time. PerRequestMicros hardly
// depends on how busy the machine was, unlike req/s: compare it between runs on a shared
// machine.
type CPUUse struct {
	Seconds          float64 `json:"seconds"`            // CPU-seconds, user and system
	Cores            float64 `json:"cores"`              // Seconds per second of wall time
	PerRequestMicros float64 `json:"per_request_micros"` // Seconds per request, in µs
}

// SeedReport says what was seeded and how long it took.
type SeedReport struct {
	Slug    string  `json:"slug"`
	People  int     `json:"people"`
	Teams   int     `json:"teams"`
	Size    Size    `json:"size"`
	Seconds float64 `json:"seconds"`
	// SettleSeconds is how long the seed's background work (events, tasks) took to finish
	// after it; the measurement starts after (in-process only).
	SettleSeconds float64 `json:"settle_seconds,omitempty"`
	// Owner and Password let a person sign in to look at a seeded account (-seed-only).
	Owner    string `json:"owner,omitempty"`
	Password string `json:"password,omitempty"`
}

// ScenarioReport is one row of the report. Latencies are in milliseconds, measured from
// sending a request to reading the last byte of its answer; errors are non-2xx answers,
// transport errors and failed checks, counted by kind ("500", "transport", "check").
type ScenarioReport struct {
	Name         string            `json:"name"`
	Endpoint     string            `json:"endpoint,omitempty"`
	Role         string            `json:"role,omitempty"`
	Weight       int               `json:"weight,omitempty"`
	Requests     uint64            `json:"requests"`
	RPS          float64           `json:"rps"`
	Errors       uint64            `json:"errors"`
	ErrorsByKind map[string]uint64 `json:"errors_by_kind,omitempty"`
	ErrorSamples []string          `json:"error_samples,omitempty"`
	MeanMs       float64           `json:"mean_ms"`
	P50Ms        float64           `json:"p50_ms"`
	P95Ms        float64           `json:"p95_ms"`
	P99Ms        float64           `json:"p99_ms"`
	MaxMs        float64           `json:"max_ms"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func rowOf(name string, s *scenarioStats, elapsed time.Duration) ScenarioReport {
	h := &s.hist
	r := ScenarioReport{Name: name, Requests: h.Count(), Errors: s.errors, ErrorSamples: s.samples,
		MeanMs: ms(h.Mean()), P50Ms: ms(h.Quantile(0.50)), P95Ms: ms(h.Quantile(0.95)), P99Ms: ms(h.Quantile(0.99)), MaxMs: ms(h.Max())}
	if len(s.byKind) > 0 {
		r.ErrorsByKind = s.byKind
	}
	if elapsed > 0 {
		r.RPS = float64(h.Count()) / elapsed.Seconds()
	}
	return r
}

// fill adds the rows of a drive to the report.
func (r *Report) fill(mix []mixEntry, res driveResult) {
	r.DurationSeconds = res.elapsed.Seconds()
	var total scenarioStats
	for i, m := range mix {
		s := &res.stats[i]
		row := rowOf(m.Name, s, res.elapsed)
		row.Endpoint, row.Role, row.Weight = m.Endpoint, m.Role, m.weight
		if row.Role == "" {
			row.Role = r.Role
		}
		r.Scenarios = append(r.Scenarios, row)
		total.merge(s)
	}
	// The total's samples would repeat the rows': keep its counts only.
	total.samples = nil
	r.Total = rowOf("total", &total, res.elapsed)
}

// WriteJSON prints the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText prints the report as a table for people.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "target   %s (%s", r.Target, r.Mode)
	if r.Database != "" {
		fmt.Fprintf(w, ", %s", r.Database)
	}
	fmt.Fprintf(w, "), %d CPUs", r.CPUs)
	if r.LoadAverage > 0 {
		fmt.Fprintf(w, ", load average %.1f at the end", r.LoadAverage)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "seed     account %s: %d people, %d teams (size: users %d, projects %d, tasks %d) in %.1fs",
		r.Seed.Slug, r.Seed.People, r.Seed.Teams, r.Seed.Size.Users, r.Seed.Size.Projects, r.Seed.Size.Tasks, r.Seed.Seconds)
	if r.Seed.SettleSeconds > 0 {
		fmt.Fprintf(w, ", its background work %.1fs more", r.Seed.SettleSeconds)
	}
	fmt.Fprintln(w)
	if r.Seed.Password != "" {
		fmt.Fprintf(w, "sign in  %s / %s\n", r.Seed.Owner, r.Seed.Password)
	}
	if len(r.Scenarios) == 0 {
		return
	}
	fmt.Fprintf(w, "load     %.1fs measured (after %.1fs warm-up) at concurrency %d as %s\n\n",
		r.DurationSeconds, r.WarmupSeconds, r.Concurrency, r.Role)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tas\trequests\treq/s\terrors\tp50 ms\tp95 ms\tp99 ms\tmax ms\t\tendpoint")
	row := func(s ScenarioReport) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t\t%s\n",
			s.Name, s.Role, s.Requests, s.RPS, s.Errors, s.P50Ms, s.P95Ms, s.P99Ms, s.MaxMs, s.Endpoint)
	}
	for _, s := range r.Scenarios {
		row(s)
	}
	row(r.Total)
	tw.Flush()
	for _, s := range r.Scenarios {
		if s.Errors == 0 {
			continue
		}
		var kinds []string
		for _, k := range slices.Sorted(maps.Keys(s.ErrorsByKind)) {
			kinds = append(kinds, fmt.Sprintf("%s×%d", k, s.ErrorsByKind[k]))
		}
		fmt.Fprintf(w, "\nerrors of %s: %s\n", s.Name, strings.Join(kinds, ", "))
		for _, m := range s.ErrorSamples {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
	if c := r.CPU; c != nil {
		what := "server"
		if r.Mode == "in-process" {
			what = "process (server and load driver)"
		}
		fmt.Fprintf(w, "\ncpu      %s used %.2f of %d CPUs: %.0f µs of CPU per request\n", what, c.Cores, r.CPUs, c.PerRequestMicros)
	}
	if m := r.Server; m != nil {
		what := "server"
		if r.Mode == "in-process" {
			what = "process (server and load driver; peak since the seed)"
		}
		fmt.Fprintf(w, "memory   %s RSS %.1f MB at the end, peak %.1f MB", what, mb(m.RSSBytes), mb(m.HWMBytes))
		if m.GoHeldBytes > 0 {
			fmt.Fprintf(w, "; Go runtime %.1f MB of it (heap in use %.1f MB)", mb(m.GoHeldBytes), mb(m.GoHeapBytes))
		}
		fmt.Fprintln(w)
	}
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }
