package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/robfig/cron/v3"
)

// Scheduler enqueues the registry's periodic work at each tick of its cron spec.
type Scheduler struct {
	b     *Broker
	log   *slog.Logger
	items []scheduled
	now   func() time.Time
}

type scheduled struct {
	Schedule
	spec cron.Schedule
}

// NewScheduler parses every schedule of the registry; a bad spec is an error at start.
func NewScheduler(b *Broker, reg *Registry, log *slog.Logger) (*Scheduler, error) {
	s := &Scheduler{b: b, log: log, now: time.Now}
	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	for _, sc := range reg.schedules {
		spec, err := parser.Parse(sc.Cron)
		if err != nil {
			return nil, fmt.Errorf("jobs: schedule %s %q: %w", sc.Type, sc.Cron, err)
		}
		s.items = append(s.items, scheduled{Schedule: sc, spec: spec})
	}
	return s, nil
}

// Run enqueues due work until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	if len(s.items) == 0 {
		return
	}
	next := make([]time.Time, len(s.items))
	for i, it := range s.items {
		next[i] = it.spec.Next(s.now())
	}
	for {
		soonest := next[0]
		for _, t := range next[1:] {
			if t.Before(soonest) {
				soonest = t
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(soonest)):
		}
		for i, it := range s.items {
			if next[i].After(s.now()) {
				continue
			}
			s.Tick(ctx, it.Schedule, next[i])
			next[i] = it.spec.Next(next[i])
		}
	}
}

// Tick enqueues one occurrence of sc; other instances enqueuing the same tick are refused.
func (s *Scheduler) Tick(ctx context.Context, sc Schedule, at time.Time) {
	id := "periodic:" + sc.Type + ":" + strconv.FormatInt(at.Unix(), 10)
	// Instances fire the same tick within seconds of each other; an hour of remembered ids is
	// plenty and keeps per-minute schedules from piling up finished tasks in the broker.
	err := s.b.EnqueueOnce(ctx, sc.Queue, id, sc.Type, sc.Payload, time.Hour)
	if err != nil && !errors.Is(err, ErrDuplicate) {
		s.log.Warn("periodic task not enqueued", "type", sc.Type, "err", err)
	}
}
