package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/config"
	"groupcamp/core/obs"
)

// server is an App started in this process, as `groupcamp serve` starts it: the same config
// loading, migrations, embedded broker and background work, on a loopback port.
type server struct {
	App     *app.App
	URL     string
	DB      string // "sqlite" or "postgres"
	stop    context.CancelFunc
	done    chan error
	tempDir string // removed at the end; empty when the caller chose the data dir
}

// startServer boots an App on a free loopback port. dataDir empty: a temporary directory,
// removed by close. The database is SQLite in the data dir unless GROUPCAMP_DATABASE_URL says
// otherwise, and the broker embedded unless GROUPCAMP_REDIS_URL is set: so the same tool
// measures PostgreSQL and Redis. No other GROUPCAMP_* variable is read (a developer's SMTP
// server must not receive the seed's invitations).
func startServer(dataDir, logLevel string, logOut io.Writer, modules []app.Module) (*server, error) {
	s := &server{}
	if dataDir == "" {
		dir, err := os.MkdirTemp("", "gcload-")
		if err != nil {
			return nil, err
		}
		dataDir, s.tempDir = dir, dir
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.cleanup()
		return nil, err
	}
	env := map[string]string{
		"GROUPCAMP_DATA_DIR":     dataDir,
		"GROUPCAMP_ADDR":         ln.Addr().String(),
		"GROUPCAMP_BASE_URL":     "http://" + ln.Addr().String(),
		"GROUPCAMP_LOG_LEVEL":    logLevel,
		"GROUPCAMP_DATABASE_URL": os.Getenv("GROUPCAMP_DATABASE_URL"),
		"GROUPCAMP_REDIS_URL":    os.Getenv("GROUPCAMP_REDIS_URL"),
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		ln.Close()
		s.cleanup()
		return nil, fmt.Errorf("configuration: %w", err)
	}
	a, err := app.New(cfg, app.Options{Logger: obs.NewLogger(logOut, cfg.LogLevel)}, modules...)
	if err != nil {
		ln.Close()
		s.cleanup()
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	s.App, s.URL, s.stop, s.done = a, "http://"+ln.Addr().String(), stop, make(chan error, 1)
	s.DB = "sqlite"
	if cfg.IsPostgres() {
		s.DB = "postgres"
	}
	go func() { s.done <- a.Serve(ctx, ln, 10*time.Second) }()
	return s, nil
}

// close stops the server gracefully, releases the database and removes a temporary data dir.
func (s *server) close() error {
	s.stop()
	err := <-s.done
	if cerr := s.App.Close(); err == nil {
		err = cerr
	}
	s.cleanup()
	return err
}

func (s *server) cleanup() {
	if s.tempDir != "" {
		_ = os.RemoveAll(s.tempDir)
	}
}

// Memory is a process's resident memory from /proc/PID/status.
type Memory struct {
	PID      int   `json:"pid"`
	RSSBytes int64 `json:"rss_bytes"`  // VmRSS: resident now
	HWMBytes int64 `json:"peak_bytes"` // VmHWM: the peak resident size
	// In-process only: what the Go runtime holds of it (heap in use, and everything it has
	// taken from the OS, less what it gave back); the rest of RSS is the program's code and
	// memory outside the Go heap (SQLite's page cache is allocated by its C runtime).
	GoHeapBytes int64 `json:"go_heap_bytes,omitempty"`
	GoHeldBytes int64 `json:"go_held_bytes,omitempty"`
}

// readMemory reads VmRSS and VmHWM of pid (0: this process).
func readMemory(pid int) (Memory, error) {
	path := filepath.Join("/proc", "self", "status")
	if pid > 0 {
		path = filepath.Join("/proc", strconv.Itoa(pid), "status")
	} else {
		pid = os.Getpid()
	}
	f, err := os.Open(path)
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	m := Memory{PID: pid}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch key {
		case "VmRSS":
			dst = &m.RSSBytes
		case "VmHWM":
			dst = &m.HWMBytes
		default:
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return m, fmt.Errorf("%s: %s: %w", path, key, err)
		}
		*dst = kb * 1024
	}
	if m.RSSBytes == 0 {
		return m, fmt.Errorf("%s: no VmRSS", path)
	}
	if pid == os.Getpid() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		m.GoHeapBytes, m.GoHeldBytes = int64(ms.HeapInuse), int64(ms.Sys-ms.HeapReleased)
	}
	return m, sc.Err()
}

// resetPeakMemory restarts this process's VmHWM from its current RSS (Linux: writing 5 to
// clear_refs); where that is not possible the peak keeps counting from the start.
func resetPeakMemory() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// cpuTime is the CPU time (user and system) pid has used so far (0: this process), from
// /proc/PID/stat, whose fields 14 and 15 count clock ticks of 1/100 s (USER_HZ on Linux).
func cpuTime(pid int) (time.Duration, error) {
	path := "/proc/self/stat"
	if pid > 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/stat"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	// The command name, field 2, may hold spaces: count fields after its closing parenthesis.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("%s: too few fields", path)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%s: bad times", path)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// loadAverage is the machine's 1-minute load average (0 when unknown).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _, _ := strings.Cut(string(b), " ")
	v, _ := strconv.ParseFloat(f, 64)
	return v
}

// settle waits until the background work the seed caused is done — every event relayed and
// no task pending or running in the job queues — so that it does not run during the
// measurement (20,000 seeded tasks are 20,000 events for the subscribers). It gives up after
// max, saying so: the figures then include that work. Tasks scheduled for later and retries
// in backoff do not count.
func (s *server) settle(ctx context.Context, max time.Duration, progress func(string, ...any)) time.Duration {
	start := time.Now()
	quiet := 0
	for last := time.Now(); ctx.Err() == nil; {
		busy, err := s.backlog(ctx)
		if err != nil {
			progress("settle: %v", err)
			return time.Since(start)
		}
		if busy == 0 {
			// Twice in a row: a relayed event may have just become a task.
			if quiet++; quiet == 2 {
				return time.Since(start)
			}
		} else {
			quiet = 0
		}
		if time.Since(start) > max {
			progress("background work still has %d items after %s; measuring anyway", busy, max)
			return time.Since(start)
		}
		if time.Since(last) > 5*time.Second {
			progress("waiting for background work: %d events and tasks left", busy)
			last = time.Now()
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	return time.Since(start)
}

// backlog counts events not yet relayed and tasks pending or running.
func (s *server) backlog(ctx context.Context) (int, error) {
	n, err := s.App.Events.Pending(ctx)
	if err != nil {
		return 0, err
	}
	for q := range s.App.Jobs.Queues() {
		info, err := s.App.Jobs.Inspector.GetQueueInfo(q)
		if err != nil {
			continue // a queue nothing was ever put in does not exist yet
		}
		n += info.Pending + info.Active
	}
	return n, nil
}
