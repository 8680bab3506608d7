package host

import (
	"context"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// JobsTask is the job, run every minute, that runs the plugins' scheduled jobs that are due.
const JobsTask = "plugins:jobs"

// RunJobs runs, for every account that enabled it, each job of each runnable plugin whose
// schedule falls in the minute of now; each plugin in its own goroutine, each call under the
// call deadline, so a slow plugin delays only its own jobs. A failed run is logged and not
// retried: the next one comes at the next due time. It answers how many runs succeeded.
func (s *Service) RunJobs(ctx context.Context, now time.Time) (int, error) {
	minute := now.UTC().Truncate(time.Minute)
	type run struct {
		m    Manifest
		jobs []string
	}
	var due []run
	for _, m := range s.Sup.Runnable() {
		r := run{m: m}
		for _, j := range m.Jobs {
			sched, err := cron.ParseStandard(j.Schedule)
			if err == nil && !sched.Next(minute.Add(-time.Second)).After(minute) {
				r.jobs = append(r.jobs, j.Key)
			}
		}
		if len(r.jobs) > 0 {
			due = append(due, r)
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for _, r := range due {
		var rows []*enablement
		if err := s.DB.NewSelect().Model(&rows).Where("plugin = ? AND enabled", r.m.Name).OrderExpr("account_id").Scan(ctx); err != nil {
			return done, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, row := range rows {
				sc := s.scope(active{Manifest: r.m, row: row}, s.slug(ctx, row.AccountID), nil)
				for _, key := range r.jobs {
					if err := s.Sup.RunJob(ctx, r.m.Name, sc, key, minute.Unix()); err != nil {
						s.Log.Warn("plugin job failed", "plugin", r.m.Name, "job", key, "account_id", row.AccountID, "error", err)
						continue
					}
					mu.Lock()
					done++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return done, nil
}
