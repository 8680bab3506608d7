package load

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/app"
)

// Defaults of a run.
const (
	DefaultDuration = 20 * time.Second
	// DefaultWarmup lets connections open, caches fill and the runtime size its heap before
	// the clock starts, so that a short run's p99 is not its first second.
	DefaultWarmup = 2 * time.Second
)

// Options are the settings of one run (cmd/gcload maps its flags onto them).
type Options struct {
	// URL of a running server; empty starts one in this process.
	URL string
	// PID of the server behind URL, to report its memory (in-process: always reported).
	PID int
	// DataDir of the in-process server; empty: a temporary directory, removed at the end.
	DataDir string
	// ServerLogLevel of the in-process server (default warn: a line per request at info would
	// cost the measurement more than the requests).
	ServerLogLevel string
	ServerLog      io.Writer // where its log goes (default: discarded)
	Progress       io.Writer // seed and run progress lines (default: discarded)

	Duration    time.Duration // measured time (default 20s)
	Warmup      time.Duration // run before measuring, not counted
	Concurrency int           // workers (default 16)
	Size        Size          // default: 20 people, 50 projects, 20,000 tasks
	SeedOnly    bool          // seed, report the seed, do not drive load
	Scenarios   string        // the mix, "name=weight,..."; empty: the default weights
	Role        string        // the role the load authenticates as (default manager)

	// Profile, when set, is called as the warm-up ends and the function it returns when the
	// measured run does (cmd/gcload starts and stops pprof profiles with it).
	Profile func() (stop func())

	// AppModules are the business modules of the in-process App: the ones `groupcamp serve`
	// runs, so the server measured is the server shipped.
	AppModules []app.Module
	// Modules contribute seeds and scenarios; Core() is always there (added when missing).
	Modules []Module
}

func (o *Options) defaults() error {
	if o.Duration == 0 {
		o.Duration = DefaultDuration
	}
	if o.Concurrency == 0 {
		o.Concurrency = 16
	}
	if o.Size == (Size{}) {
		o.Size = Size{Users: 20, Projects: 50, Tasks: 20000}
	}
	if o.Role == "" {
		o.Role = actor.RoleManager
	}
	if o.ServerLogLevel == "" {
		o.ServerLogLevel = "warn"
	}
	if o.ServerLog == nil {
		o.ServerLog = io.Discard
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	switch {
	case o.Duration < 0 || o.Warmup < 0:
		return errors.New("-duration and -warmup must not be negative")
	case o.Concurrency < 1 || o.Concurrency > 10000:
		return errors.New("-concurrency must be 1 to 10000")
	case o.Size.Users < 5:
		return errors.New("-users must be at least 5 (one of each role)")
	case o.Size.Projects < 0 || o.Size.Tasks < 0:
		return errors.New("-projects and -tasks must not be negative")
	case !slices.Contains(actor.Roles, o.Role):
		return fmt.Errorf("-role must be one of %s", strings.Join(actor.Roles, ", "))
	}
	hasCore := slices.ContainsFunc(o.Modules, func(m Module) bool { return m.Name == "core" })
	if !hasCore {
		o.Modules = append([]Module{Core()}, o.Modules...)
	}
	return nil
}

// Scenarios lists every scenario the modules declare, for -list.
func Scenarios(modules []Module) []Scenario {
	var out []Scenario
	if !slices.ContainsFunc(modules, func(m Module) bool { return m.Name == "core" }) {
		modules = append([]Module{Core()}, modules...)
	}
	for _, m := range modules {
		out = append(out, m.Scenarios...)
	}
	return out
}

// Run seeds an account and drives the mix against it, then reports. It returns the report
// even when requests failed (see Report.Total.Errors); an error means the run itself could
// not happen (bad options, a server that does not start, a seed that fails).
func Run(ctx context.Context, o Options) (*Report, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	mix, err := chooseMix(o.Modules, o.Scenarios)
	if err != nil {
		return nil, err
	}
	client := newClient(o.Concurrency)
	defer client.CloseIdleConnections()
	rep := &Report{StartedAt: time.Now().UTC().Truncate(time.Second), Role: o.Role, Concurrency: o.Concurrency,
		CPUs: runtime.NumCPU(), WarmupSeconds: o.Warmup.Seconds(), Mode: "external", Target: strings.TrimRight(o.URL, "/")}
	env := &Env{BaseURL: rep.Target, RunID: runID(), Size: o.Size, Role: o.Role, http: client, progress: o.Progress}
	var srv *server
	if o.URL == "" {
		if srv, err = startServer(o.DataDir, o.ServerLogLevel, o.ServerLog, o.AppModules); err != nil {
			return nil, fmt.Errorf("start the server: %w", err)
		}
		defer func() {
			// Idle keep-alive connections would hold the graceful shutdown for its whole grace.
			client.CloseIdleConnections()
			srv.close()
		}()
		rep.Mode, rep.Target, rep.Database = "in-process", srv.URL, srv.DB
		env.BaseURL, env.App = srv.URL, srv.App
	}

	began := time.Now()
	env.Progressf("seeding account load-%s at %s (%d people)", env.RunID, env.BaseURL, o.Size.Users)
	if err := seedCore(ctx, env); err != nil {
		return nil, fmt.Errorf("seed core: %w", err)
	}
	for _, m := range o.Modules {
		if m.Seed == nil {
			continue
		}
		t := time.Now()
		if err := m.Seed(ctx, env); err != nil {
			return nil, fmt.Errorf("seed %s: %w", m.Name, err)
		}
		env.Progressf("seeded %s in %.1fs", m.Name, time.Since(t).Seconds())
	}
	rep.Seed = SeedReport{Slug: env.Slug, People: len(env.People), Teams: len(env.Teams), Size: o.Size, Seconds: time.Since(began).Seconds()}
	if o.SeedOnly {
		if srv == nil {
			rep.Seed.Owner, rep.Seed.Password = env.People[0].Email, env.People[0].Password
		}
		return rep, nil
	}
	if srv != nil {
		rep.Seed.SettleSeconds = srv.settle(ctx, 5*time.Minute, env.Progressf).Seconds()
		// The seed's garbage — argon2 hashes of 19 MiB each — is no part of the server's
		// working set: hand it back to the OS, and restart the peak from here, so that the
		// memory reported is the load's.
		debug.FreeOSMemory()
		resetPeakMemory()
	}
	settled := ""
	if srv != nil {
		settled = fmt.Sprintf(" (its background work %.1fs more)", rep.Seed.SettleSeconds)
	}
	env.Progressf("seeded in %.1fs%s; driving %d workers for %s (+%s warm-up)", rep.Seed.Seconds, settled, o.Concurrency, o.Duration, o.Warmup)

	// The CPU clock is read when the warm-up ends and when the run does.
	cpuPID := -1 // unknown
	if srv != nil {
		cpuPID = 0
	} else if o.PID > 0 {
		cpuPID = o.PID
	}
	var cpuSpent time.Duration
	cpuOK := false
	measure := func() func() {
		var stopProfile func()
		if o.Profile != nil {
			stopProfile = o.Profile()
		}
		before, err := cpuTime(cpuPID)
		return func() {
			after, err2 := cpuTime(cpuPID)
			cpuSpent, cpuOK = after-before, cpuPID >= 0 && err == nil && err2 == nil
			if stopProfile != nil {
				stopProfile()
			}
		}
	}
	res := drive(ctx, driveConfig{env: env, client: client, mix: mix, concurrency: o.Concurrency,
		warmup: o.Warmup, duration: o.Duration, measure: measure, seed: binary.LittleEndian.Uint64(randBytes(8))})
	rep.fill(mix, res)
	rep.LoadAverage = loadAverage()
	if cpuOK {
		spent := cpuSpent.Seconds()
		rep.CPU = &CPUUse{Seconds: spent, Cores: spent / res.elapsed.Seconds()}
		if n := rep.Total.Requests; n > 0 {
			rep.CPU.PerRequestMicros = spent / float64(n) * 1e6
		}
	}
	switch {
	case srv != nil:
		if m, err := readMemory(0); err == nil {
			rep.Server = &m
		}
	case o.PID > 0:
		m, err := readMemory(o.PID)
		if err != nil {
			env.Progressf("memory of pid %d: %v", o.PID, err)
		} else {
			rep.Server = &m
		}
	}
	return rep, nil
}

// runID is 8 hex characters: unique enough between runs against one server, short enough
// for slugs and names.
func runID() string { return hex.EncodeToString(randBytes(4)) }

func randBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
