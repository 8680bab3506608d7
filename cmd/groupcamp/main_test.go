package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/migrations"
)

// cleanEnv blanks every GROUPCAMP_* setting of the developer's shell for the test, so only
// flags decide.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GROUPCAMP_") && !strings.HasPrefix(k, "GROUPCAMP_TEST_") {
			t.Setenv(k, "")
		}
	}
}

// runCmd calls run as the binary would and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestVersion(t *testing.T) {
	code, out, errOut := runCmd(t, "version")
	if code != 0 || out != "groupcamp "+app.Version+"\n" || errOut != "" {
		t.Fatalf("version: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := runCmd(t, "help")
	if code != 0 || !strings.Contains(out, "groupcamp migrate up|status") {
		t.Errorf("help: exit %d, stdout %q", code, out)
	}
	// -h is the flag help of serve, the default command: it exits 0 without serving.
	cleanEnv(t)
	if code, _, _ := runCmd(t, "-h"); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, out, errOut := runCmd(t, "frobnicate")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if out != "" || !strings.Contains(errOut, `unknown command "frobnicate"`) || !strings.Contains(errOut, "usage:") {
		t.Fatalf("stdout %q, stderr %q", out, errOut)
	}
}

func TestBadConfigurationExitsTwoWithOneLine(t *testing.T) {
	cleanEnv(t)
	code, out, errOut := runCmd(t, "serve", "--signup", "maybe")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "GROUPCAMP_SIGNUP") || !strings.Contains(lines[0], `"maybe"`) {
		t.Fatalf("stderr must be one line naming GROUPCAMP_SIGNUP, got %q", errOut)
	}
	if out != "" {
		t.Fatalf("stdout %q", out)
	}

	// The same from the environment, and for the default command.
	t.Setenv("GROUPCAMP_LOG_LEVEL", "loud")
	code, _, errOut = runCmd(t)
	if code != 2 || !strings.Contains(errOut, "GROUPCAMP_LOG_LEVEL") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("env: exit %d, stderr %q", code, errOut)
	}
}

func TestServeRefusesATakenAddress(t *testing.T) {
	cleanEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, errOut := runCmd(t, "serve", "--addr", ln.Addr().String(), "--data-dir", t.TempDir(), "--log-level", "error")
	if code != 2 || !strings.Contains(errOut, "GROUPCAMP_ADDR") {
		t.Fatalf("exit %d, stderr %q; want 2 naming GROUPCAMP_ADDR", code, errOut)
	}
}

func TestMigrateUpThenStatus(t *testing.T) {
	cleanEnv(t)
	all, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range all.Sorted() {
		names = append(names, m.String())
	}
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			flags := []string{"--data-dir", dir}
			if kind == "postgres" {
				flags = append(flags, "--database-url", testkit.PostgresURL(t))
			}

			code, out, errOut := runCmd(t, append([]string{"migrate", "status"}, flags...)...)
			if code != 0 {
				t.Fatalf("status before up: exit %d: %s", code, errOut)
			}
			for _, n := range names {
				if !strings.Contains(out, "pending  "+n+"\n") {
					t.Errorf("status before up lacks %q:\n%s", "pending  "+n, out)
				}
			}

			code, out, errOut = runCmd(t, append([]string{"migrate", "up"}, flags...)...)
			if code != 0 {
				t.Fatalf("up: exit %d: %s", code, errOut)
			}
			want := ""
			for _, n := range names {
				want += "applied " + n + "\n"
			}
			if out != want {
				t.Fatalf("up printed:\n%s\nwant:\n%s", out, want)
			}

			code, out, _ = runCmd(t, append([]string{"migrate", "up"}, flags...)...)
			if code != 0 || out != "nothing to apply: the schema is up to date\n" {
				t.Fatalf("second up: exit %d, %q", code, out)
			}

			code, out, errOut = runCmd(t, append([]string{"migrate", "status"}, flags...)...)
			if code != 0 {
				t.Fatalf("status: exit %d: %s", code, errOut)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != len(names) {
				t.Fatalf("status has %d lines, want %d:\n%s", len(lines), len(names), out)
			}
			for i, n := range names {
				if lines[i] != "applied  "+n {
					t.Errorf("status line %d = %q, want %q", i, lines[i], "applied  "+n)
				}
			}
			if kind == "sqlite" {
				if _, err := os.Stat(filepath.Join(dir, "groupcamp.db")); err != nil {
					t.Errorf("the SQLite file is not in the data dir: %v", err)
				}
			}
		})
	}
}

func TestMigrateUsage(t *testing.T) {
	for _, args := range [][]string{{"migrate"}, {"migrate", "down"}} {
		code, _, errOut := runCmd(t, args...)
		if code != 2 || !strings.Contains(errOut, "usage: groupcamp migrate up|status") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestPlatformCommands(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	code, _, errOut := runCmd(t, "platform", "grant-role", "nobody@example.com", "support", "--data-dir", dir, "--log-level", "error")
	if code != 1 || !strings.Contains(errOut, "no user with this email") {
		t.Fatalf("unknown email: exit %d, stderr %q; want 1", code, errOut)
	}
	code, _, errOut = runCmd(t, "platform", "grant-role", "nobody@example.com", "god", "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "must be support, partner or platform_admin") {
		t.Fatalf("bad role: exit %d, stderr %q; want 1", code, errOut)
	}
	code, _, errOut = runCmd(t, "platform", "manage", "nobody@example.com", "some-slug", "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "no user with this email") {
		t.Fatalf("manage, unknown partner: exit %d, stderr %q; want 1", code, errOut)
	}
	for _, args := range [][]string{{"platform"}, {"platform", "grant-role", "x@example.com"}, {"platform", "promote", "a", "b"}} {
		if code, _, _ := runCmd(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestBinaryStartsAndStopsGracefully builds the real binary, starts it on an empty data dir,
// waits until /readyz answers 200 and then sends SIGTERM: it must exit 0 within 10 s.
func TestBinaryStartsAndStopsGracefully(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH to build the binary")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "groupcamp")
	build := exec.Command(goBin, "build", "-o", bin, "-ldflags", "-X groupcamp/core/app.Version=test-1.2.3", ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	out, err := exec.Command(bin, "version").Output()
	if err != nil || string(out) != "groupcamp test-1.2.3\n" {
		t.Fatalf("version of the built binary: %q, %v", out, err)
	}

	addr := freeAddr(t)
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data-dir", filepath.Join(tmp, "data"))
	cmd.Env = envWithoutGroupCamp()
	cmd.Stderr = &stderr
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("the server exited before it was ready: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 20 s\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("time to ready (process start to /readyz 200, empty data dir): %v", time.Since(started).Round(time.Millisecond))

	resp, err := client.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %v %v", resp, err)
	}
	rid := resp.Header.Get("X-Request-ID")
	resp.Body.Close()
	if rid == "" {
		t.Error("responses must carry X-Request-ID")
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stopAsked := time.Now()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v, want status 0\n%s", err, stderr.String())
		}
		t.Logf("stopped %v after SIGTERM", time.Since(stopAsked).Round(time.Millisecond))
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM\n%s", stderr.String())
	}

	// Every log line is JSON; the lifecycle and the request are in it.
	var msgs []string
	sawRequest := false
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		msg, _ := rec["msg"].(string)
		msgs = append(msgs, msg)
		if msg == "request" && rec["request_id"] == rid && rec["route"] == "/healthz" {
			sawRequest = true
		}
	}
	joined := strings.Join(msgs, ",")
	for _, want := range []string{"migrations applied", "groupcamp ready", "shutting down", "stopped"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %q in the log: %v", want, msgs)
		}
	}
	if !sawRequest {
		t.Errorf("no request log line with request_id %q:\n%s", rid, stderr.String())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		t.Fatal(err)
	}
	return addr
}

func envWithoutGroupCamp() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GROUPCAMP_") {
			env = append(env, kv)
		}
	}
	return env
}

// TestSearchReindex: `search reindex --all` rebuilds the (here empty) data dir's index; an
// unknown slug is an error, a missing argument a usage error.
func TestSearchReindex(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "search", "reindex", "--all", "--data-dir", dir, "--log-level", "error")
	if code != 0 || !strings.Contains(out, "indexed 0 documents") {
		t.Fatalf("reindex --all: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = runCmd(t, "search", "reindex", "no-such-account", "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, `no account "no-such-account"`) {
		t.Fatalf("unknown slug: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCmd(t, "search"); code != 2 {
		t.Errorf("search: exit %d, want 2", code)
	}
}
