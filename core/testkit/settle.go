package testkit

import (
	"context"
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
			e.T.Fatalf("testkit: background work still busy after 30 s (%d events or tasks)", busy)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
