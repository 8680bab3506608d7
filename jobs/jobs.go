// Package jobs is GroupCamp's background work on asynq. With GROUPCAMP_REDIS_URL set it
// uses that Redis; without it, an in-process Redis-compatible broker (miniredis) so that the
// one run command still runs everything.
//
// Modules register task handlers and periodic schedules on a Registry. Three queues with
// weights: critical (6), default (3), low (1). Failed tasks retry with exponential backoff and
// end in asynq's archive ("dead" list) after their last retry, where platform support sees
// them with their error and can retry them.
//
// Periodic work is enqueued by every instance's Scheduler, with a task id made of the task
// type and the tick's time: Redis refuses the duplicates, so each tick runs once however many
// `serve` instances are up.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Queues and their weights.
const (
	Critical = "critical"
	Default  = "default"
	Low      = "low"
)

// Weights are the queue priorities the worker uses.
var Weights = map[string]int{Critical: 6, Default: 3, Low: 1}

// Handler runs one task. It must honour ctx (cancelled at shutdown) and be idempotent: a task
// may run again after a crash.
type Handler func(ctx context.Context, payload []byte) error

// Schedule is periodic work: a cron spec ("*/5 * * * *", "@hourly") and the task it enqueues.
type Schedule struct {
	Cron    string
	Type    string
	Payload []byte
	Queue   string
}

// Registry collects handlers and schedules.
type Registry struct {
	handlers  map[string]Handler
	schedules []Schedule
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{handlers: map[string]Handler{}} }

// Handle registers the handler of a task type.
func (r *Registry) Handle(taskType string, h Handler) {
	if _, dup := r.handlers[taskType]; dup {
		panic("jobs: task type registered twice: " + taskType)
	}
	r.handlers[taskType] = h
}

// Every registers periodic work.
func (r *Registry) Every(cron, taskType string, payload []byte, queue string) {
	if queue == "" {
		queue = Default
	}
	r.schedules = append(r.schedules, Schedule{Cron: cron, Type: taskType, Payload: payload, Queue: queue})
}

// Types lists the registered task types.
func (r *Registry) Types() []string {
	out := make([]string, 0, len(r.handlers))
	for t := range r.handlers {
		out = append(out, t)
	}
	return out
}

// Broker is the connection to Redis (real or embedded) with asynq's client and inspector.
type Broker struct {
	Redis     redis.UniversalClient
	Client    *asynq.Client
	Inspector *asynq.Inspector
	Embedded  *miniredis.Miniredis // nil with a real Redis
	// Namespace prefixes queue names, so that several Apps (tests, staging beside
	// production) can share one Redis without taking each other's tasks.
	Namespace string

	opt     *redis.Options // each worker dials its own client with these
	mu      sync.Mutex
	workers map[*Worker]struct{} // running, shut down by Close if still there
}

// Queue is the broker's name of a queue.
func (b *Broker) Queue(name string) string {
	if b.Namespace == "" {
		return name
	}
	return b.Namespace + ":" + name
}

// Queues lists the broker's queue names with their weights.
func (b *Broker) Queues() map[string]int {
	out := make(map[string]int, len(Weights))
	for q, w := range Weights {
		out[b.Queue(q)] = w
	}
	return out
}

// Open connects to redisURL, or starts the embedded broker when it is empty.
func Open(redisURL string) (*Broker, error) {
	b := &Broker{}
	var opt *redis.Options
	if redisURL == "" {
		m, err := miniredis.Run()
		if err != nil {
			return nil, fmt.Errorf("jobs: embedded broker: %w", err)
		}
		b.Embedded = m
		opt = &redis.Options{Addr: m.Addr()}
	} else {
		var err error
		if opt, err = redis.ParseURL(redisURL); err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 2*time.Second, 5*time.Second, 5*time.Second
	b.opt = opt
	b.Redis = redis.NewClient(opt)
	b.Client = asynq.NewClientFromRedisClient(b.Redis)
	b.Inspector = asynq.NewInspectorFromRedisClient(b.Redis)
	return b, nil
}

// Ping checks the broker answers.
func (b *Broker) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return b.Redis.Ping(ctx).Err()
}

// Close shuts down the workers still running on the broker, then releases the connections
// and stops the embedded broker.
func (b *Broker) Close() error {
	b.mu.Lock()
	running := make([]*Worker, 0, len(b.workers))
	for w := range b.workers {
		running = append(running, w)
	}
	b.mu.Unlock()
	for _, w := range running {
		w.Shutdown()
	}
	err := b.Redis.Close()
	if b.Embedded != nil {
		b.Embedded.Close()
	}
	return err
}

// Waiting counts the tasks waiting to run in a queue (Default when queue is ""): one LLEN
// of the queue's pending list, cheap enough to ask before each enqueue batch. The key is
// asynq's ("asynq:{queue}:pending"), which its inspector reads the same way.
func (b *Broker) Waiting(ctx context.Context, queue string) (int, error) {
	if queue == "" {
		queue = Default
	}
	n, err := b.Redis.LLen(ctx, "asynq:{"+b.Queue(queue)+"}:pending").Result()
	return int(n), err
}

// ErrDuplicate is returned by EnqueueOnce when the task id exists already.
var ErrDuplicate = errors.New("jobs: task already enqueued")

// Enqueue adds a task to a queue (Default when queue is "").
func (b *Broker) Enqueue(ctx context.Context, queue, taskType string, payload []byte, opts ...asynq.Option) error {
	if queue == "" {
		queue = Default
	}
	opts = append(opts, asynq.Queue(b.Queue(queue)))
	_, err := b.Client.EnqueueContext(ctx, asynq.NewTask(taskType, payload), opts...)
	return err
}

// EnqueueOnce adds a task whose id is unique while it waits or runs, and for retention after
// it finished: a second call with the same id returns ErrDuplicate and enqueues nothing.
//
// The embedded broker keeps no finished task: it lives in this process's memory, where a
// burst of work (a seed of 20,000 tasks makes 40,000 events) would otherwise hold every
// finished task's payload for the whole window — most of the server's memory. Nothing needs
// them there: only this process enqueues into it, a task waiting or running still refuses
// its duplicate, and what a task does happens once anyway (event receipts, mail deliveries).
func (b *Broker) EnqueueOnce(ctx context.Context, queue, id, taskType string, payload []byte, retention time.Duration, opts ...asynq.Option) error {
	if queue == "" {
		queue = Default
	}
	if b.Embedded != nil {
		retention = 0
	}
	opts = append(opts, asynq.TaskID(id), asynq.Retention(retention), asynq.Queue(b.Queue(queue)))
	_, err := b.Client.EnqueueContext(ctx, asynq.NewTask(taskType, payload), opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return ErrDuplicate
	}
	return err
}

// WorkerOptions tune a worker.
type WorkerOptions struct {
	Concurrency     int
	ShutdownTimeout time.Duration
	// RetryDelay overrides the backoff (tests make it fast).
	RetryDelay func(n int, err error, t *asynq.Task) time.Duration
	// PollInterval is how often an idle worker looks for new tasks (default 100 ms): it
	// bounds the latency of a task enqueued into empty queues.
	PollInterval time.Duration
}

// Worker processes tasks.
//
// It holds its own Redis client rather than the broker's: asynq's cancellation subscriber
// dereferences a nil message when its pub/sub channel closes, which a closed client causes,
// so the client under a running server must be one that only the server's own shutdown
// closes (asynq closes a client it was not handed as shared, after its goroutines ended).
type Worker struct {
	srv    *asynq.Server
	broker *Broker
	once   sync.Once
}

// Backoff is the default retry delay: exponential from 5 s, capped at 1 h, with jitter.
func Backoff(n int, _ error, _ *asynq.Task) time.Duration {
	d := 5 * time.Second * time.Duration(math.Pow(2, float64(min(n, 10))))
	d = min(d, time.Hour)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// StartWorker runs the registry's handlers on the broker until Shutdown.
func StartWorker(b *Broker, reg *Registry, log *slog.Logger, o WorkerOptions) (*Worker, error) {
	if o.Concurrency == 0 {
		o.Concurrency = 10
	}
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = 10 * time.Second
	}
	if o.RetryDelay == nil {
		o.RetryDelay = Backoff
	}
	if o.PollInterval == 0 {
		o.PollInterval = 100 * time.Millisecond
	}
	srv := asynq.NewServer(ownClient{b.opt}, asynq.Config{
		Concurrency:     o.Concurrency,
		Queues:          b.Queues(),
		ShutdownTimeout: o.ShutdownTimeout,
		RetryDelayFunc:  o.RetryDelay,
		Logger:          asynqLogger{log},
		LogLevel:        asynq.WarnLevel,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			retried, _ := asynq.GetRetryCount(ctx)
			maxRetry, _ := asynq.GetMaxRetry(ctx)
			log.Warn("task failed", "type", t.Type(), "err", err, "retry", retried, "max_retry", maxRetry)
		}),
		TaskCheckInterval:        o.PollInterval,
		DelayedTaskCheckInterval: 20 * o.PollInterval,
	})
	mux := asynq.NewServeMux()
	for typ, h := range reg.handlers {
		h := h
		mux.HandleFunc(typ, func(ctx context.Context, t *asynq.Task) error { return h(ctx, t.Payload()) })
	}
	if err := srv.Start(mux); err != nil {
		return nil, fmt.Errorf("jobs: worker: %w", err)
	}
	w := &Worker{srv: srv, broker: b}
	b.mu.Lock()
	if b.workers == nil {
		b.workers = map[*Worker]struct{}{}
	}
	b.workers[w] = struct{}{}
	b.mu.Unlock()
	return w, nil
}

// ownClient hands asynq a client of its own, dialled with the broker's options.
type ownClient struct{ opt *redis.Options }

func (o ownClient) MakeRedisClient() any {
	opt := *o.opt
	return redis.NewClient(&opt)
}

// Shutdown lets running handlers finish (up to the shutdown timeout); unfinished tasks go
// back to their queue and run again later. A second call does nothing.
func (w *Worker) Shutdown() {
	w.once.Do(func() {
		w.srv.Shutdown()
		w.broker.mu.Lock()
		delete(w.broker.workers, w)
		w.broker.mu.Unlock()
	})
}

type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
