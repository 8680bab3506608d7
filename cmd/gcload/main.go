// Command gcload is GroupCamp's load tool: it seeds an account and drives a mix of API
// requests at a given concurrency for a given time, then prints req/s, errors and latency
// percentiles per scenario (or JSON with -json). Without -url it starts the server in this
// process on a temporary SQLite data dir, exactly as `groupcamp serve` would run it.
//
//	go tool task load -- -duration 20s -concurrency 16
//	go run ./cmd/gcload -scenarios teams.create -concurrency 16
//	go run ./cmd/gcload -url http://127.0.0.1:8080 -pid $(pgrep -n groupcamp)
//
// Exit status: 0 when every request succeeded, 1 when some failed, 2 for bad flags or a run
// that could not happen. The package groupcamp/core/load documents how modules add scenarios.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
	"text/tabwriter"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/load"
	allmodules "groupcamp/modules"
)

// loader is a module that contributes to the load: a seed and scenarios.
type loader interface{ Load() load.Module }

// modules returns the modules of the in-process server — modules.All, the list cmd/groupcamp
// runs, so the server measured is the one shipped — and what they contribute to the load, in
// seed order (core first). A module seeds through the service of the instance the App
// registers, hence the same values in both lists.
func modules() ([]app.Module, []load.Module) {
	all := allmodules.All()
	loads := []load.Module{load.Core()}
	for _, m := range all {
		if l, ok := m.(loader); ok {
			loads = append(loads, l.Load())
		}
	}
	return all, loads
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gcload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o load.Options
	fs.StringVar(&o.URL, "url", "", "load a running server at this URL (default: start one in-process on a temporary SQLite data dir)")
	fs.IntVar(&o.PID, "pid", 0, "with -url: the server's process id, to report its memory")
	fs.StringVar(&o.DataDir, "data-dir", "", "in-process: the server's data dir (default: a temporary one, removed at the end)")
	fs.StringVar(&o.ServerLogLevel, "server-log", "warn", "in-process: the server's log level, to stderr (info logs every request)")
	fs.DurationVar(&o.Duration, "duration", load.DefaultDuration, "how long to measure")
	fs.DurationVar(&o.Warmup, "warmup", load.DefaultWarmup, "how long to run before measuring (not counted)")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "concurrent workers, each issuing requests back to back")
	fs.IntVar(&o.Size.Users, "users", 20, "people in the seeded account (at least 5)")
	fs.IntVar(&o.Size.Projects, "projects", 50, "projects to seed (modules that have them)")
	fs.IntVar(&o.Size.Tasks, "tasks", 20000, "tasks to seed (modules that have them)")
	fs.BoolVar(&o.SeedOnly, "seed-only", false, "seed, print the seed and stop (with -url: how to sign in to the seeded account)")
	fs.StringVar(&o.Scenarios, "scenarios", "", `the mix, "name=weight,..." (a name alone: its default weight); default: every scenario at its default weight`)
	fs.StringVar(&o.Role, "role", "manager", "the role the load authenticates as (scenarios that need more name their role)")
	jsonOut := fs.Bool("json", false, "print the report as JSON on stdout (the table goes to stderr)")
	list := fs.Bool("list", false, "list the scenarios and stop")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured run to this file (in-process: server and driver)")
	blockProfile := fs.String("blockprofile", "", "write a profile of where goroutines waited (locks, channels, the DB pool) to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile at the end of the measured run to this file (in-process: what the server holds)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gcload: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *list {
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "scenario\tweight\tas\tendpoint")
		_, loadModules := modules()
		for _, s := range load.Scenarios(loadModules) {
			role := s.Role
			if role == "" {
				role = "-role"
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", s.Name, s.Weight, role, s.Endpoint)
		}
		tw.Flush()
		return 0
	}
	o.AppModules, o.Modules = modules()
	o.Progress, o.ServerLog = stderr, stderr
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *cpuProfile != "" || *blockProfile != "" || *memProfile != "" {
		o.Profile = profiler(*cpuProfile, *blockProfile, *memProfile, stderr)
	}
	rep, err := load.Run(ctx, o)
	if err != nil {
		fmt.Fprintln(stderr, "gcload:", err)
		return 2
	}
	if *jsonOut {
		rep.WriteText(stderr)
		if err := rep.WriteJSON(stdout); err != nil {
			fmt.Fprintln(stderr, "gcload:", err)
			return 2
		}
	} else {
		rep.WriteText(stdout)
	}
	if rep.Total.Errors > 0 {
		return 1
	}
	return 0
}

// profiler returns the hook that profiles the measured part of the run (not the seed).
func profiler(cpuPath, blockPath, memPath string, stderr io.Writer) func() func() {
	return func() func() {
		var cpu *os.File
		if cpuPath != "" {
			f, err := os.Create(cpuPath)
			if err == nil {
				err = pprof.StartCPUProfile(f)
			}
			if err != nil {
				fmt.Fprintln(stderr, "gcload: cpu profile:", err)
			} else {
				cpu = f
			}
		}
		if blockPath != "" {
			runtime.SetBlockProfileRate(int(10 * time.Microsecond))
		}
		return func() {
			if cpu != nil {
				pprof.StopCPUProfile()
				cpu.Close()
			}
			if blockPath != "" {
				runtime.SetBlockProfileRate(0)
				f, err := os.Create(blockPath)
				if err == nil {
					err = pprof.Lookup("block").WriteTo(f, 0)
					f.Close()
				}
				if err != nil {
					fmt.Fprintln(stderr, "gcload: block profile:", err)
				}
			}
			if memPath != "" {
				runtime.GC() // the profile then shows what is live, not what awaits collection
				f, err := os.Create(memPath)
				if err == nil {
					err = pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
				if err != nil {
					fmt.Fprintln(stderr, "gcload: heap profile:", err)
				}
			}
		}
	}
}
