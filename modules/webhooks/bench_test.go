package webhooks_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupcamp/core/events"
	"groupcamp/core/testkit"
	"groupcamp/modules/webhooks"
)

// BenchmarkWebhooks measures, on every test database, with an account of 20 webhooks on a
// real receiver:
//
//   - fanout: one event recorded for the 20 hooks that asked for it — the outbox subscriber's
//     work in the event's transaction (20 delivery rows, the body built once), committed;
//   - roundtrip: one delivery end to end — the "send test" API call: the delivery row, the
//     signed POST to the receiver and its answer, the log updated, the JSON answer.
func BenchmarkWebhooks(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			svc := service(b, e)
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug + "/webhooks"
			rcv := newReceiver(b, http.StatusOK)
			var first int64
			for i := range 20 {
				h := created(b, owner, base, map[string]any{"url": fmt.Sprintf("%s/hook-%d", rcv.URL, i), "events": []string{"task.created", "task.completed"}})
				if first == 0 {
					first = idOf(h)
				}
			}
			ctx := context.Background()
			b.Run("fanout", func(b *testing.B) {
				// The sending is not measured here: the job's kick is off, and the rows stay due.
				kick := svc.Kick
				svc.Kick = nil
				defer func() { svc.Kick = kick }()
				b.ReportAllocs()
				for b.Loop() {
					err := e.App.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
						ev, err := events.Emit(ctx, tx, acc.ID, "task.created", map[string]any{"task_id": 42, "title": "Write the brief", "project_id": 7})
						if err != nil {
							return err
						}
						// Marked sent: the relay leaves it alone (its receipt-less delivery here is the bench).
						ev.SentAt = &ev.CreatedAt
						if _, err := tx.NewUpdate().Model(ev).Column("sent_at").WherePK().Exec(ctx); err != nil {
							return err
						}
						return svc.Record(ctx, tx, ev)
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				if n := e.Count("webhooks_deliveries"); n < 20*b.N {
					b.Fatalf("%d delivery rows after %d events", n, b.N)
				}
				// The rows made here are not sent: they go, so the next run starts clean.
				if _, err := e.App.DB.NewDelete().Model((*webhooks.Delivery)(nil)).Where("account_id = ?", acc.ID).Exec(ctx); err != nil {
					b.Fatal(err)
				}
			})
			path := fmt.Sprintf("%s/%d/test", base, first)
			b.Run("roundtrip", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := owner.Post(path, nil); r.Status != http.StatusOK || !contains(r.Body, `"state":"succeeded"`) {
						b.Fatalf("test: %d %s", r.Status, r.Body)
					}
				}
			})
		})
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
