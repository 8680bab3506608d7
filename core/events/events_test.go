package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/uptrace/bun"

	"groupcamp/core/audit"
	"groupcamp/core/events"
	"groupcamp/core/testkit"
	"groupcamp/jobs"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// effects counts, in the database, what subscribers did: the effect of an event is one row.
func effects(t testing.TB, d *bun.DB, key string) int {
	n, err := d.NewSelect().TableExpr("audit_events").Where("action = ?", key).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// subscribe makes a subscriber whose effect is an audit row with action = "effect:"+event type.
func subscribe(bus *events.Bus, typ string) {
	bus.On(typ, "test.effect", func(ctx context.Context, tx bun.Tx, ev *events.Event) error {
		return audit.Record(ctx, tx, nil, 0, "effect:"+ev.Type, string(ev.Payload), nil)
	})
}

func start(t testing.TB, s *testkit.Stack, bus *events.Bus) {
	reg := jobs.NewRegistry()
	bus.Register(reg)
	w, err := jobs.StartWorker(s.Broker, reg, quiet, jobs.WorkerOptions{Concurrency: 16, PollInterval: 20 * time.Millisecond, RetryDelay: func(int, error, *asynq.Task) time.Duration { return 10 * time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { bus.RunRelay(ctx, 20*time.Millisecond); close(done) }()
	t.Cleanup(func() { cancel(); <-done; w.Shutdown() })
}

func emit(t testing.TB, d *bun.DB, typ string, payload any) {
	if err := d.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := events.Emit(ctx, tx, 0, typ, payload)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	// A ceiling, not a speed check: 2,500 events under the race detector on a busy 2-core
	// machine took more than 20 s.
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCommitToHandlerOnce(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			subscribe(bus, "task.created")
			start(t, s, bus)
			emit(t, s.DB, "task.created", map[string]int{"task_id": 7})
			// A rolled-back transaction emits nothing.
			_ = s.DB.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
				if _, err := events.Emit(ctx, tx, 0, "task.created", map[string]int{"task_id": 8}); err != nil {
					return err
				}
				return errors.New("the service failed after emitting")
			})
			bus.Notify()
			waitFor(t, "the effect", func() bool { return effects(t, s.DB, "effect:task.created") == 1 })
			time.Sleep(300 * time.Millisecond)
			if n := effects(t, s.DB, "effect:task.created"); n != 1 {
				t.Errorf("effects = %d, want 1", n)
			}
		})
	}
}

func TestBrokerDownEventsWaitThenArrive(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			down, err := jobs.Open("redis://127.0.0.1:1/0") // nothing listens there
			if err != nil {
				t.Fatal(err)
			}
			defer down.Close()
			bus := events.NewBus(s.DB, down, quiet)
			subscribe(bus, "comment.added")
			for i := 0; i < 25; i++ {
				emit(t, s.DB, "comment.added", map[string]int{"n": i})
			}
			if _, err := bus.RelayOnce(context.Background(), 500); err == nil {
				t.Fatal("relaying to a dead broker must fail")
			}
			if n, _ := bus.Pending(context.Background()); n != 25 {
				t.Fatalf("pending = %d, want 25 waiting in the outbox", n)
			}
			// The broker comes back (here: the working one).
			bus.Broker = s.Broker
			start(t, s, bus)
			waitFor(t, "all 25 effects", func() bool { return effects(t, s.DB, "effect:comment.added") == 25 })
			if n, _ := bus.Pending(context.Background()); n != 0 {
				t.Errorf("pending after recovery = %d", n)
			}
		})
	}
}

func TestSameRowRelayedTwiceIsOneTask(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			subscribe(bus, "task.completed")
			emit(t, s.DB, "task.completed", map[string]int{"task_id": 1})
			ctx := context.Background()
			if n, err := bus.RelayOnce(ctx, 10); err != nil || n != 1 {
				t.Fatalf("first relay: %d %v", n, err)
			}
			// A crash between enqueueing and marking sent: the row is relayed again.
			if _, err := s.DB.NewUpdate().TableExpr("outbox").Set("sent_at = NULL").Where("1 = 1").Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if n, err := bus.RelayOnce(ctx, 10); err != nil || n != 1 {
				t.Fatalf("second relay: %d %v", n, err)
			}
			pending, err := s.Broker.Inspector.ListPendingTasks(s.Broker.Queue(jobs.Default))
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) != 1 {
				t.Fatalf("tasks = %d, want 1", len(pending))
			}
			start(t, s, bus)
			waitFor(t, "the effect", func() bool { return effects(t, s.DB, "effect:task.completed") == 1 })
			// A duplicate delivery of the same event (at-least-once broker) changes nothing.
			var ev events.Event
			if err := s.DB.NewSelect().Model(&ev).Limit(1).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			payload, _ := json.Marshal(&ev)
			if err := s.Broker.Enqueue(ctx, jobs.Default, events.TaskType, payload); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the duplicate to be consumed", func() bool {
				p, _ := s.Broker.Inspector.ListPendingTasks(s.Broker.Queue(jobs.Default))
				a, _ := s.Broker.Inspector.ListActiveTasks(s.Broker.Queue(jobs.Default))
				return len(p)+len(a) == 0
			})
			time.Sleep(100 * time.Millisecond)
			if n := effects(t, s.DB, "effect:task.completed"); n != 1 {
				t.Errorf("effects = %d, want 1", n)
			}
		})
	}
}

func TestFailingSubscriberRetriesWithoutRepeatingOthers(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			subscribe(bus, "project.archived")
			var mu sync.Mutex
			fails := 2
			bus.On("project.archived", "test.flaky", func(ctx context.Context, tx bun.Tx, ev *events.Event) error {
				mu.Lock()
				defer mu.Unlock()
				if fails > 0 {
					fails--
					return errors.New("not yet")
				}
				return audit.Record(ctx, tx, nil, 0, "flaky-done", "", nil)
			})
			start(t, s, bus)
			emit(t, s.DB, "project.archived", map[string]int{"project_id": 3})
			waitFor(t, "the flaky subscriber", func() bool { return effects(t, s.DB, "flaky-done") == 1 })
			if n := effects(t, s.DB, "effect:project.archived"); n != 1 {
				t.Errorf("the healthy subscriber ran %d times, want 1", n)
			}
		})
	}
}

// BenchmarkEventsEndToEnd measures commit -> outbox -> broker -> handler: events per second
// and the latency from commit to handler (p50, p99).
func BenchmarkEventsEndToEnd(b *testing.B) {
	for _, s := range testkit.Stacks(b) {
		b.Run(s.Name, func(b *testing.B) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			var mu sync.Mutex
			var lat []time.Duration
			done := make(chan struct{}, b.N)
			bus.On("bench", "bench.handler", func(ctx context.Context, tx bun.Tx, ev *events.Event) error {
				var at time.Time
				_ = ev.Decode(&at)
				mu.Lock()
				lat = append(lat, time.Since(at))
				mu.Unlock()
				done <- struct{}{}
				return nil
			})
			start(b, s, bus)
			b.ResetTimer()
			t0 := time.Now()
			var wg sync.WaitGroup
			per := (b.N + 3) / 4
			for w := 0; w < 4; w++ { // four concurrent "services" committing
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := w * per; i < min(b.N, (w+1)*per); i++ {
						emit(b, s.DB, "bench", time.Now())
						bus.Notify()
					}
				}(w)
			}
			for i := 0; i < b.N; i++ {
				<-done
			}
			wg.Wait()
			elapsed := time.Since(t0)
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
		})
	}
}

// A worker stopped in the middle of a subscriber: its transaction rolls back, the task goes
// back to the queue, the next worker delivers it, and the effect happens once.
func TestWorkerStoppedMidHandler(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			started := make(chan struct{}, 10)
			var mu sync.Mutex
			first := true
			bus.On("invoice.sent", "test.slow", func(ctx context.Context, tx bun.Tx, ev *events.Event) error {
				if err := audit.Record(ctx, tx, nil, 0, "effect:invoice.sent", "", nil); err != nil {
					return err
				}
				mu.Lock()
				interrupt := first
				first = false
				mu.Unlock()
				if interrupt {
					started <- struct{}{}
					<-ctx.Done() // the shutdown interrupts this run after its write
					return ctx.Err()
				}
				return nil
			})
			reg := jobs.NewRegistry()
			bus.Register(reg)
			fastRetry := func(int, error, *asynq.Task) time.Duration { return 10 * time.Millisecond }
			emit(t, s.DB, "invoice.sent", map[string]int{"invoice_id": 9})
			if _, err := bus.RelayOnce(context.Background(), 10); err != nil {
				t.Fatal(err)
			}
			// The worker starts after the relay marked the event sent: on SQLite the handler's
			// transaction holds the one write lock until the shutdown, and the relay's mark
			// would wait behind it.
			w1, err := jobs.StartWorker(s.Broker, reg, quiet, jobs.WorkerOptions{RetryDelay: fastRetry, ShutdownTimeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			<-started
			w1.Shutdown()
			if n := effects(t, s.DB, "effect:invoice.sent"); n != 0 {
				t.Fatalf("the interrupted run's write survived: %d", n)
			}
			w2, err := jobs.StartWorker(s.Broker, reg, quiet, jobs.WorkerOptions{RetryDelay: fastRetry})
			if err != nil {
				t.Fatal(err)
			}
			defer w2.Shutdown()
			waitFor(t, "the second delivery", func() bool { return effects(t, s.DB, "effect:invoice.sent") == 1 })
			time.Sleep(300 * time.Millisecond)
			if n := effects(t, s.DB, "effect:invoice.sent"); n != 1 {
				t.Errorf("effects = %d, want 1", n)
			}
		})
	}
}

// BenchmarkEventLatency measures the added latency from commit to handler when the system is
// not saturated: one event at a time, each handled before the next is committed.
func BenchmarkEventLatency(b *testing.B) {
	for _, s := range testkit.Stacks(b) {
		b.Run(s.Name, func(b *testing.B) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			handled := make(chan time.Duration, 1)
			bus.On("bench", "bench.latency", func(ctx context.Context, tx bun.Tx, ev *events.Event) error {
				var at time.Time
				_ = ev.Decode(&at)
				handled <- time.Since(at)
				return nil
			})
			start(b, s, bus)
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				emit(b, s.DB, "bench", time.Now())
				bus.Notify()
				lat = append(lat, <-handled)
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
		})
	}
}

// A burst of events waits in the outbox, not in the broker: the relay keeps at most
// MaxWaiting dispatch tasks waiting, and moves the rest as workers take them.
func TestRelayKeepsBrokerQueueShort(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			bus.MaxWaiting = 5
			subscribe(bus, "burst")
			for i := 0; i < 20; i++ {
				emit(t, s.DB, "burst", map[string]int{"n": i})
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { bus.RunRelay(ctx, 10*time.Millisecond); close(done) }()
			waitFor(t, "the relay to fill the queue", func() bool { n, _ := s.Broker.Waiting(ctx, jobs.Default); return n == 5 })
			time.Sleep(100 * time.Millisecond) // several relay rounds: none adds more
			if n, _ := s.Broker.Waiting(ctx, jobs.Default); n != 5 {
				t.Errorf("waiting in the broker: %d, want 5", n)
			}
			if n, _ := bus.Pending(ctx); n != 15 {
				t.Errorf("waiting in the outbox: %d, want 15", n)
			}
			cancel()
			<-done
			// With workers, everything arrives, once.
			start(t, s, bus)
			waitFor(t, "every effect", func() bool { return effects(t, s.DB, "effect:burst") == 20 })
		})
	}
}

// Delivered events leave the outbox after Retention, with their receipts; events still
// waiting for the relay stay, however old.
func TestPurgeOldEvents(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			subscribe(bus, "old")
			for i := 0; i < 3; i++ {
				emit(t, s.DB, "old", map[string]int{"n": i})
			}
			start(t, s, bus)
			waitFor(t, "the effects", func() bool { return effects(t, s.DB, "effect:old") == 3 })
			ctx := context.Background()
			var ids []int64
			if err := s.DB.NewSelect().Model((*events.Event)(nil)).Column("id").OrderExpr("id").Scan(ctx, &ids); err != nil || len(ids) != 3 {
				t.Fatalf("events: %v %v", ids, err)
			}
			// The first was delivered 31 days ago, the second yesterday; the third never left.
			long := time.Now().Add(-events.Retention - 24*time.Hour)
			for id, at := range map[int64]any{ids[0]: long, ids[1]: time.Now().Add(-24 * time.Hour), ids[2]: nil} {
				if _, err := s.DB.NewUpdate().Model((*events.Event)(nil)).Set("sent_at = ?", at).Set("created_at = ?", long).Where("id = ?", id).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}
			n, err := bus.Purge(ctx, time.Now().Add(-events.Retention))
			if err != nil || n != 1 {
				t.Fatalf("purged %d, %v; want 1", n, err)
			}
			var left []int64
			if err := s.DB.NewSelect().Model((*events.Event)(nil)).Column("id").OrderExpr("id").Scan(ctx, &left); err != nil {
				t.Fatal(err)
			}
			if len(left) != 2 || left[0] != ids[1] || left[1] != ids[2] {
				t.Errorf("left after the purge: %v of %v", left, ids)
			}
			if n, err := s.DB.NewSelect().TableExpr("event_receipts").Where("event_id = ?", ids[0]).Count(ctx); err != nil || n != 0 {
				t.Errorf("receipts of the purged event: %d %v", n, err)
			}
		})
	}
}

// Inline (the embedded broker): the relay delivers each event itself — no task in the broker
// — and hands the broker only what failed, which its workers retry; every subscriber's
// effect still happens once.
func TestInlineDelivery(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			bus.Inline = true
			subscribe(bus, "task.created")
			var mu sync.Mutex
			fails := 1
			bus.On("task.created", "test.flaky", func(ctx context.Context, tx bun.Tx, ev *events.Event) error {
				mu.Lock()
				defer mu.Unlock()
				if fails > 0 {
					fails--
					return errors.New("not yet")
				}
				return audit.Record(ctx, tx, nil, 0, "flaky-done", "", nil)
			})
			// A subscriber's own events carry their cause's depth (automation cuts chains by it).
			bus.On("task.created", "test.cause", func(ctx context.Context, tx bun.Tx, ev *events.Event) error {
				_, err := events.Emit(ctx, tx, 0, "task.followed", nil)
				return err
			})
			for i := 0; i < 40; i++ { // more than one inline batch
				emit(t, s.DB, "task.created", map[string]int{"task_id": i})
			}
			ctx := context.Background()
			if n, err := bus.RelayOnce(ctx, 100); err != nil || n != 40 {
				t.Fatalf("relay: %d, %v", n, err)
			}
			// Delivered in the relay: every healthy effect, before any worker runs.
			if n := effects(t, s.DB, "effect:task.created"); n != 40 {
				t.Errorf("effects after the inline relay: %d, want 40", n)
			}
			if n := effects(t, s.DB, "flaky-done"); n != 39 {
				t.Errorf("flaky effects after the inline relay: %d, want 39", n)
			}
			var depths []int
			if err := s.DB.NewSelect().Model((*events.Event)(nil)).Column("depth").Where("type = ?", "task.followed").Scan(ctx, &depths); err != nil {
				t.Fatal(err)
			}
			if len(depths) != 40 || slices.ContainsFunc(depths, func(d int) bool { return d != 1 }) {
				t.Errorf("depths of the subscribers' events: %v, want forty 1s", depths)
			}
			if n, _ := bus.Pending(ctx); n != 40 {
				t.Errorf("events left unsent in the outbox: %d, want only the 40 the subscribers emitted (the failed one is the broker's now)", n)
			}
			if n, _ := s.Broker.Waiting(ctx, jobs.Default); n != 1 {
				t.Errorf("tasks in the broker: %d, want the one failed event", n)
			}
			start(t, s, bus)
			waitFor(t, "the retry", func() bool { return effects(t, s.DB, "flaky-done") == 40 })
			if n := effects(t, s.DB, "effect:task.created"); n != 40 {
				t.Errorf("healthy effects after the retry: %d, want 40", n)
			}
		})
	}
}

// EmitAll writes many events in order, with the actor, in the caller's transaction, and each
// is delivered like one emitted alone.
func TestEmitAll(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			subscribe(bus, "bulk")
			batch := make([]events.Pending, 2500) // more than one insert's worth
			for i := range batch {
				batch[i] = events.Pending{Type: "bulk", Payload: map[string]int{"n": i}}
			}
			ctx := context.Background()
			if err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return events.EmitAll(ctx, tx, 7, 42, batch)
			}); err != nil {
				t.Fatal(err)
			}
			var rows []events.Event
			if err := s.DB.NewSelect().Model(&rows).OrderExpr("id").Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(batch) {
				t.Fatalf("%d rows, want %d", len(rows), len(batch))
			}
			for i, r := range [...]events.Event{rows[0], rows[len(rows)-1]} {
				n := []int{0, len(batch) - 1}[i]
				if r.AccountID != 7 || r.ActorID == nil || *r.ActorID != 42 || string(r.Payload) != fmt.Sprintf(`{"n":%d}`, n) {
					t.Errorf("row %d: account %d actor %v payload %s", n, r.AccountID, r.ActorID, r.Payload)
				}
			}
			start(t, s, bus)
			waitFor(t, "every effect", func() bool { return effects(t, s.DB, "effect:bulk") == len(batch) })
		})
	}
}

// A batch subscriber gets the events of an inline batch in one call, each once (its
// receipts); when the batch fails, each of its events is retried alone through the broker.
func TestBatchSubscriber(t *testing.T) {
	for _, s := range testkit.Stacks(t) {
		t.Run(s.Name, func(t *testing.T) {
			bus := events.NewBus(s.DB, s.Broker, quiet)
			bus.Inline = true
			subscribe(bus, "task.created")
			var mu sync.Mutex
			var calls []int // the size of each call
			failOn := -1    // the task_id whose batch fails once
			bus.OnBatch("task.created", "test.batch", func(ctx context.Context, tx bun.Tx, evs []*events.Event) error {
				mu.Lock()
				defer mu.Unlock()
				calls = append(calls, len(evs))
				for _, ev := range evs {
					var p struct {
						TaskID int `json:"task_id"`
					}
					if err := ev.Decode(&p); err != nil {
						return err
					}
					if p.TaskID == failOn {
						failOn = -1
						return errors.New("not yet")
					}
					if err := audit.Record(ctx, tx, nil, 0, "batch-done", fmt.Sprint(p.TaskID), nil); err != nil {
						return err
					}
				}
				return nil
			})
			ctx := context.Background()
			for i := 0; i < 40; i++ { // two inline batches: 32 and 8
				emit(t, s.DB, "task.created", map[string]int{"task_id": i})
			}
			if n, err := bus.RelayOnce(ctx, 100); err != nil || n != 40 {
				t.Fatalf("relay: %d, %v", n, err)
			}
			if !slices.Equal(calls, []int{32, 8}) {
				t.Errorf("batch calls: %v, want [32 8]", calls)
			}
			if n := effects(t, s.DB, "batch-done"); n != 40 {
				t.Errorf("batch effects: %d, want 40", n)
			}
			// A redelivered event (its receipt is there) is not handed to the batch again.
			var one events.Event
			if err := s.DB.NewSelect().Model(&one).OrderExpr("id").Limit(1).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DB.NewUpdate().Model((*events.Event)(nil)).Set("sent_at = NULL").Where("id = ?", one.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			calls = nil
			if n, err := bus.RelayOnce(ctx, 100); err != nil || n != 1 {
				t.Fatalf("relay again: %d, %v", n, err)
			}
			if len(calls) != 0 || effects(t, s.DB, "batch-done") != 40 {
				t.Errorf("a handled event was handed again: calls %v, effects %d", calls, effects(t, s.DB, "batch-done"))
			}

			// A failing batch: its effects roll back, the others' stay, and each of its events
			// comes back alone from the broker.
			mu.Lock()
			failOn, calls = 45, nil
			mu.Unlock()
			for i := 40; i < 50; i++ {
				emit(t, s.DB, "task.created", map[string]int{"task_id": i})
			}
			if n, err := bus.RelayOnce(ctx, 100); err != nil || n != 10 {
				t.Fatalf("relay of the failing batch: %d, %v", n, err)
			}
			if n := effects(t, s.DB, "batch-done"); n != 40 {
				t.Errorf("effects of a failed batch stayed: %d, want 40", n)
			}
			if n := effects(t, s.DB, "effect:task.created"); n != 50 {
				t.Errorf("the per-event subscriber's effects: %d, want 50 (the batch's failure is its own)", n)
			}
			if n, _ := s.Broker.Waiting(ctx, jobs.Default); n != 10 {
				t.Errorf("tasks in the broker: %d, want the failed batch's 10 events", n)
			}
			start(t, s, bus)
			waitFor(t, "the retries", func() bool { return effects(t, s.DB, "batch-done") == 50 })
			mu.Lock()
			defer mu.Unlock()
			for _, n := range calls[1:] {
				if n != 1 {
					t.Errorf("retried calls: %v, want one event each after the failed batch", calls)
					break
				}
			}
		})
	}
}
