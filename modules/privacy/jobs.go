package privacy

import (
	"context"
	"encoding/json"
	"os"
	"time"

	"groupcamp/core/hooks"
	"groupcamp/jobs"
)

// The module's background work.
const (
	taskExport = "privacy:export"
	taskErase  = "privacy:erase"
	taskClose  = "privacy:close"
	// taskDue starts the erasures and closures whose grace period is over.
	taskDue = "privacy:due"
	// taskPurge purges connection data past each account's retention, and expires links.
	taskPurge = "privacy:purge"
)

// payload names the request a job works on.
type payload struct {
	AccountID int64 `json:"account_id"`
	ID        int64 `json:"id"`
}

func payloadOf(r *Request) []byte {
	b, _ := json.Marshal(payload{AccountID: r.AccountID, ID: r.ID})
	return b
}

// jobs registers the handlers and the schedule.
func (s *Service) jobs(task func(string, jobs.Handler), every func(cron, task string, payload []byte, queue string)) {
	run := func(fn func(context.Context, int64, int64) error) jobs.Handler {
		return func(ctx context.Context, b []byte) error {
			var p payload
			if err := json.Unmarshal(b, &p); err != nil || p.AccountID <= 0 || p.ID <= 0 {
				return nil // not ours to retry
			}
			return fn(ctx, p.AccountID, p.ID)
		}
	}
	task(taskExport, run(s.runExport))
	task(taskErase, run(s.runErasure))
	task(taskClose, run(s.runClosure))
	task(taskDue, func(ctx context.Context, _ []byte) error { return s.StartDue(ctx) })
	task(taskPurge, func(ctx context.Context, _ []byte) error { _, err := s.Purge(ctx); return err })
	every("@every 1m", taskDue, nil, jobs.Default)
	every("@hourly", taskPurge, nil, jobs.Low)
}

// StartDue queues the erasures and closures whose grace period is over.
func (s *Service) StartDue(ctx context.Context) error {
	now := s.clock()
	list, err := due(ctx, s.DB, now)
	if err != nil {
		return err
	}
	for i := range list {
		r := &list[i]
		ok, err := s.store(s.DB, r.AccountID).move(ctx, r.ID, StateQueued, now, StateScheduled)
		if err != nil {
			return err
		}
		if ok {
			if err := s.enqueue(ctx, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// Purge deletes connection data older than each account's retention (and, for the rows of no
// account, the platform's default), removes expired export archives, and lets unconfirmed
// erasures lapse. It returns how many connection records went.
func (s *Service) Purge(ctx context.Context) (int64, error) {
	now := s.clock()
	var purgers []hooks.ConnectionData
	for _, p := range s.Hooks.PersonalData {
		if c, ok := p.Hook.(hooks.ConnectionData); ok {
			purgers = append(purgers, c)
		}
	}
	accounts, err := s.People.AccountIDs(ctx)
	if err != nil {
		return 0, err
	}
	var total int64
	purge := func(accountID int64, days int) error {
		for _, c := range purgers {
			n, err := c.PurgeConnections(ctx, s.DB, accountID, now.Add(-time.Duration(days)*24*time.Hour))
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	}
	if err := purge(0, DefaultConnectionDays); err != nil {
		return total, err
	}
	for _, id := range accounts {
		st, err := s.Settings(ctx, id)
		if err != nil {
			return total, err
		}
		if err := purge(id, st.ConnectionDays); err != nil {
			return total, err
		}
	}
	list, err := expired(ctx, s.DB, now)
	if err != nil {
		return total, err
	}
	for i := range list {
		r := &list[i]
		if err := s.store(s.DB, r.AccountID).expire(ctx, r, now); err != nil {
			return total, err
		}
		if r.Kind == KindExport {
			_ = os.Remove(s.exportPath(r.AccountID, r.ID))
		}
	}
	return total, nil
}
