package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// brokers returns the embedded broker and, when GROUPCAMP_TEST_REDIS_URL is set, the real
// Redis, each with its own namespace.
func brokers(t *testing.T) map[string]*Broker {
	out := map[string]*Broker{}
	urls := map[string]string{"embedded": ""}
	if u := os.Getenv("GROUPCAMP_TEST_REDIS_URL"); u != "" {
		urls["redis"] = u
	}
	for name, u := range urls {
		b, err := Open(u)
		if err != nil {
			t.Fatal(err)
		}
		ns := make([]byte, 6)
		_, _ = rand.Read(ns)
		b.Namespace = "test-" + hex.EncodeToString(ns)
		t.Cleanup(func() { b.Close() })
		out[name] = b
	}
	return out
}

func fast(int, error, *asynq.Task) time.Duration { return 10 * time.Millisecond }

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEnqueueAndHandle(t *testing.T) {
	for name, b := range brokers(t) {
		t.Run(name, func(t *testing.T) {
			var got atomic.Value
			reg := NewRegistry()
			reg.Handle("greet", func(ctx context.Context, p []byte) error { got.Store(string(p)); return nil })
			w, err := StartWorker(b, reg, quiet, WorkerOptions{RetryDelay: fast, PollInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Shutdown()
			if err := b.Enqueue(context.Background(), Critical, "greet", []byte("hello")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the handler", func() bool { return got.Load() == "hello" })
		})
	}
}

func TestFailingTaskEndsInDeadListAndRetries(t *testing.T) {
	for name, b := range brokers(t) {
		t.Run(name, func(t *testing.T) {
			var calls atomic.Int32
			var heal atomic.Bool
			reg := NewRegistry()
			reg.Handle("flaky", func(ctx context.Context, p []byte) error {
				calls.Add(1)
				if heal.Load() {
					return nil
				}
				return errors.New("the printer is on fire")
			})
			w, err := StartWorker(b, reg, quiet, WorkerOptions{RetryDelay: fast, PollInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Shutdown()
			if err := b.Enqueue(context.Background(), Default, "flaky", nil, asynq.MaxRetry(2)); err != nil {
				t.Fatal(err)
			}
			var dead []DeadTask
			waitFor(t, "the dead list", func() bool { dead, _ = b.Dead(10); return len(dead) == 1 })
			if calls.Load() != 3 {
				t.Errorf("runs = %d, want 3 (1 + 2 retries)", calls.Load())
			}
			if dead[0].Type != "flaky" || dead[0].Error != "the printer is on fire" || dead[0].Queue != Default {
				t.Errorf("dead = %+v", dead[0])
			}
			heal.Store(true)
			if err := b.RetryDead(dead[0].Queue, dead[0].ID); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the retried task", func() bool { return calls.Load() == 4 })
			waitFor(t, "an empty dead list", func() bool { d, _ := b.Dead(10); return len(d) == 0 })
		})
	}
}

func TestPeriodicTickEnqueuedOnceAcrossInstances(t *testing.T) {
	for name, b := range brokers(t) {
		t.Run(name, func(t *testing.T) {
			reg := NewRegistry()
			reg.Every("*/5 * * * *", "digest", nil, Low)
			at := time.Date(2026, 11, 29, 10, 5, 0, 0, time.UTC)
			// Two serve instances share the broker: both schedulers fire the same tick.
			for i := 0; i < 2; i++ {
				s, err := NewScheduler(b, reg, quiet)
				if err != nil {
					t.Fatal(err)
				}
				s.Tick(context.Background(), reg.schedules[0], at)
			}
			infos, err := b.Inspector.ListPendingTasks(b.Queue(Low))
			if err != nil {
				t.Fatal(err)
			}
			if len(infos) != 1 {
				t.Fatalf("pending = %d, want 1", len(infos))
			}
		})
	}
	if _, err := NewScheduler(nil, func() *Registry { r := NewRegistry(); r.Every("not a cron", "x", nil, ""); return r }(), quiet); err == nil {
		t.Error("a bad cron spec must fail at start")
	}
}

// A worker stopped in the middle of a handler: the task goes back to the queue and runs
// again under the next worker; its effect (recorded only on completion) happens once.
func TestStoppedWorkerRequeuesTask(t *testing.T) {
	for name, b := range brokers(t) {
		t.Run(name, func(t *testing.T) {
			var started, effects atomic.Int32
			reg := NewRegistry()
			reg.Handle("slow", func(ctx context.Context, p []byte) error {
				if started.Add(1) == 1 {
					<-ctx.Done() // the first run is interrupted by the shutdown
					return ctx.Err()
				}
				effects.Add(1)
				return nil
			})
			w1, err := StartWorker(b, reg, quiet, WorkerOptions{RetryDelay: fast, ShutdownTimeout: 100 * time.Millisecond, PollInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := b.Enqueue(context.Background(), Default, "slow", nil); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the first run", func() bool { return started.Load() == 1 })
			w1.Shutdown()
			w2, err := StartWorker(b, reg, quiet, WorkerOptions{RetryDelay: fast, PollInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer w2.Shutdown()
			waitFor(t, "the second run", func() bool { return effects.Load() == 1 })
			time.Sleep(200 * time.Millisecond)
			if effects.Load() != 1 {
				t.Errorf("effects = %d, want 1", effects.Load())
			}
		})
	}
}
