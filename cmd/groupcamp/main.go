// Command groupcamp is the whole product in one binary:
//
//	groupcamp [serve]                              run the web server (the default)
//	groupcamp worker                               run background work only (needs Redis)
//	groupcamp migrate up|status                    apply or list schema migrations
//	groupcamp platform grant-role EMAIL support|partner|platform_admin
//	groupcamp platform manage PARTNER_EMAIL SLUG   make a partner the manager of an account
//	groupcamp version
//
// Configuration comes from GROUPCAMP_* variables and flags (see -h); a bad value stops the
// program with one line naming the variable and exit status 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/config"
	"groupcamp/core/db"
	"groupcamp/core/obs"
	"groupcamp/migrations"
	allmodules "groupcamp/modules"
)

// modules lists the modules this binary runs: the one list of modules.All, explicit (no init
// side effects).
func modules() []app.Module { return allmodules.All() }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, stderr)
	case "worker":
		return worker(args, stderr)
	case "migrate":
		return migrate(args, stdout, stderr)
	case "platform":
		return platform(args, stdout, stderr)
	case "search":
		return searchCmd(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "groupcamp", app.Version)
		return 0
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "groupcamp: unknown command %q\n", cmd)
		usage(stderr)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  groupcamp [serve] [flags]
  groupcamp worker [flags]
  groupcamp migrate up|status [flags]
  groupcamp platform grant-role EMAIL support|partner|platform_admin [flags]
  groupcamp platform manage PARTNER_EMAIL SLUG [flags]
  groupcamp search reindex SLUG|--all [flags]
  groupcamp version
Flags and GROUPCAMP_* variables: groupcamp serve -h
`)
}

// loadConfig parses flags after the positional arguments; a bad value exits 2.
func loadConfig(args []string, stderr io.Writer) (*config.Config, int) {
	cfg, err := config.Load(args, nil)
	if errors.Is(err, flag.ErrHelp) {
		return nil, 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp: configuration:", err)
		return nil, 2
	}
	return cfg, -1
}

func serve(args []string, stderr io.Writer) int {
	cfg, code := loadConfig(args, stderr)
	if cfg == nil {
		return code
	}
	started := time.Now()
	log := obs.NewLogger(stderr, cfg.LogLevel)
	a, err := app.New(cfg, app.Options{Logger: log}, modules()...)
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp:", err)
		return 1
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		fmt.Fprintf(stderr, "groupcamp: GROUPCAMP_ADDR: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log.Info("groupcamp ready", "version", app.Version, "url", cfg.BaseURL, "addr", ln.Addr().String(),
		"database", dbKind(cfg), "startup_ms", time.Since(started).Milliseconds())
	if err := a.Serve(ctx, ln, 15*time.Second); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// worker runs the task handlers, the periodic scheduler and the event relay without the web
// server, for scale-out beside `serve` instances on a shared Redis and database.
func worker(args []string, stderr io.Writer) int {
	cfg, code := loadConfig(args, stderr)
	if cfg == nil {
		return code
	}
	if cfg.RedisURL == "" {
		fmt.Fprintln(stderr, "groupcamp: configuration: GROUPCAMP_REDIS_URL: a separate worker needs a shared Redis (serve runs its own worker otherwise)")
		return 2
	}
	log := obs.NewLogger(stderr, cfg.LogLevel)
	a, err := app.New(cfg, app.Options{Logger: log}, modules()...)
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp:", err)
		return 1
	}
	defer a.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log.Info("groupcamp worker ready", "version", app.Version, "database", dbKind(cfg))
	if err := a.RunBackground(ctx); err != nil {
		log.Error("worker stopped", "err", err)
		return 1
	}
	log.Info("worker stopped")
	return 0
}

func dbKind(cfg *config.Config) string {
	if cfg.IsPostgres() {
		return "postgres"
	}
	return "sqlite"
}

func migrate(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		fmt.Fprintln(stderr, "usage: groupcamp migrate up|status [flags]")
		return 2
	}
	sub := args[0]
	cfg, code := loadConfig(args[1:], stderr)
	if cfg == nil {
		return code
	}
	if err := cfg.EnsureDataDir(); err != nil {
		fmt.Fprintln(stderr, "groupcamp:", err)
		return 2
	}
	d, err := db.Open(cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp: database:", err)
		return 1
	}
	defer d.Close()
	ctx := context.Background()
	if sub == "up" {
		applied, err := migrations.Up(ctx, d)
		for _, n := range applied {
			fmt.Fprintln(stdout, "applied", n)
		}
		if err != nil {
			fmt.Fprintln(stderr, "groupcamp:", err)
			return 1
		}
		if len(applied) == 0 {
			fmt.Fprintln(stdout, "nothing to apply: the schema is up to date")
		}
		return 0
	}
	list, err := migrations.List(ctx, d)
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp:", err)
		return 1
	}
	for _, m := range list {
		state := "pending"
		if m.Applied {
			state = "applied"
		}
		fmt.Fprintf(stdout, "%-8s %s\n", state, m.Name)
	}
	return 0
}

func platform(args []string, stdout, stderr io.Writer) int {
	if len(args) < 3 || (args[0] != "grant-role" && args[0] != "manage") {
		fmt.Fprintln(stderr, "usage: groupcamp platform grant-role EMAIL support|partner|platform_admin | platform manage PARTNER_EMAIL SLUG")
		return 2
	}
	cfg, code := loadConfig(args[3:], stderr)
	if cfg == nil {
		return code
	}
	cfg.LogLevel = "warn"
	a, err := app.New(cfg, app.Options{Logger: obs.NewLogger(stderr, "warn")})
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp:", err)
		return 1
	}
	defer a.Close()
	ctx := context.Background()
	switch args[0] {
	case "grant-role":
		err = a.Identity.GrantPlatformRole(ctx, args[1], args[2])
	case "manage":
		err = a.Identity.SetPartner(ctx, args[1], args[2])
	}
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp:", err)
		return 1
	}
	fmt.Fprintln(stdout, "done")
	return 0
}

// searchCmd rebuilds the search index of one account, or of all, from the modules' documents
// (core/search.Reindex): after a restore, or when a module starts feeding the search.
func searchCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 || args[0] != "reindex" {
		fmt.Fprintln(stderr, "usage: groupcamp search reindex SLUG|--all")
		return 2
	}
	cfg, code := loadConfig(args[2:], stderr)
	if cfg == nil {
		return code
	}
	cfg.LogLevel = "warn"
	a, err := app.New(cfg, app.Options{Logger: obs.NewLogger(stderr, "warn"), NoBackground: true}, modules()...)
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp:", err)
		return 1
	}
	defer a.Close()
	ctx := context.Background()
	var n int
	if args[1] == "--all" {
		n, err = a.Search.ReindexAll(ctx)
	} else {
		n, err = a.Search.ReindexSlug(ctx, args[1])
	}
	if err != nil {
		fmt.Fprintln(stderr, "groupcamp:", err)
		return 1
	}
	fmt.Fprintf(stdout, "indexed %d documents\n", n)
	return 0
}
