package app

import (
	"context"
	"fmt"
	"time"

	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/jobs"
)

// openBackground connects the job broker (Redis, or the embedded one) and prepares the task
// registry and the event bus; modules add their handlers during Register.
func (a *App) openBackground(namespace string) error {
	b, err := jobs.Open(a.Config.RedisURL)
	if err != nil {
		return fmt.Errorf("GROUPCAMP_REDIS_URL: %w", err)
	}
	b.Namespace = namespace
	a.Jobs = b
	a.Tasks = jobs.NewRegistry()
	a.Events = events.NewBus(a.DB, b, a.Log)
	a.Events.Inline = b.Embedded != nil // see events.Bus.Inline
	a.Events.Register(a.Tasks)
	// The relay wakes as soon as events are committed to the outbox by this process, instead
	// of polling for them; its poll (RunBackground) is only for other processes' events.
	db.Watch(a.DB, a.Events.Notify, "outbox")
	return nil
}

// RunBackground runs the worker, the periodic scheduler and the event relay until ctx ends,
// then stops them: running handlers get the worker's shutdown timeout to finish, and what
// does not finish goes back to its queue.
func (a *App) RunBackground(ctx context.Context) error {
	// An idle worker polls its queues (asynq has no blocking pop), every JobPoll: once a
	// second by default, so an idle server wakes no more than once a second (issue 12).
	// Against the embedded broker each poll runs asynq's Lua scripts in this process
	// (miniredis interprets them): at 25 ms an idle server burned 8% of a core, at 200 ms
	// under 2%. The cost is the latency of a job enqueued into an idle server — up to a
	// poll and a half (asynq sleeps poll/2 plus up to poll of jitter); events do not wait for
	// it on the embedded broker, which delivers them in process (events.Bus.Inline). Tests
	// poll faster (testkit).
	poll := a.Config.JobPoll
	if poll <= 0 {
		poll = time.Second
	}
	w, err := jobs.StartWorker(a.Jobs, a.Tasks, a.Log, jobs.WorkerOptions{PollInterval: poll})
	if err != nil {
		return err
	}
	sched, err := jobs.NewScheduler(a.Jobs, a.Tasks, a.Log)
	if err != nil {
		w.Shutdown()
		return err
	}
	done := make(chan struct{}, 2)
	go func() { sched.Run(ctx); done <- struct{}{} }()
	// The relay is woken by this process's commits to the outbox (openBackground); it polls
	// once a second for what other processes (`serve` beside a `worker`) commit. It used to
	// poll ten times a second, a good part of an idle server's CPU.
	go func() { a.Events.RunRelay(ctx, time.Second); done <- struct{}{} }()
	<-ctx.Done()
	<-done
	<-done
	w.Shutdown()
	return nil
}
