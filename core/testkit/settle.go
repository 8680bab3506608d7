package testkit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"groupcamp/jobs"
)

// Settle waits until the background work caused so far is done: the outbox holds no unsent
// event and no task is pending, active, scheduled or waiting to retry. Tests call it before a
// step that must not see earlier events (a rule created after some invitations, say).
func (e *Env) Settle() {
	e.T.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		busy, err := e.App.Events.Pending(ctx)
		if err != nil {
			e.T.Fatalf("testkit: settle: %v", err)
		}
		for q := range jobs.Weights {
			if info, err := e.App.Jobs.Inspector.GetQueueInfo(e.App.Jobs.Queue(q)); err == nil {
				busy += info.Pending + info.Active + info.Scheduled + info.Retry
			}
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.T.Fatalf("testkit: background work still busy after 30 s (%d events or tasks): %s", busy, e.busyWork(ctx))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// busyWork says what keeps the background busy, for the failure of Settle: the events not
// sent yet, and each queue's jobs, with the last error of those waiting to retry.
func (e *Env) busyWork(ctx context.Context) string {
	var out []string
	var unsent []struct {
		ID   int64  `bun:"id"`
		Type string `bun:"type"`
	}
	_ = e.App.DB.NewSelect().TableExpr("outbox").Column("id", "type").Where("sent_at IS NULL").OrderExpr("id").Limit(5).Scan(ctx, &unsent)
	for _, ev := range unsent {
		out = append(out, fmt.Sprintf("event %d %s unsent", ev.ID, ev.Type))
	}
	for q := range jobs.Weights {
		info, err := e.App.Jobs.Inspector.GetQueueInfo(e.App.Jobs.Queue(q))
		if err != nil {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %d pending, %d active, %d scheduled, %d retrying", q, info.Pending, info.Active, info.Scheduled, info.Retry))
		if tasks, err := e.App.Jobs.Inspector.ListRetryTasks(e.App.Jobs.Queue(q)); err == nil {
			for _, t := range tasks {
				out = append(out, fmt.Sprintf("%s retries after: %s", t.Type, t.LastErr))
			}
		}
	}
	return strings.Join(out, "; ")
}
