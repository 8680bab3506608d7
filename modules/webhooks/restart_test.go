package webhooks_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/events"
	"groupcamp/core/testkit"
	"groupcamp/modules/webhooks"
)

// TestRestartLosesNoDelivery: deliveries live in the database, written in their event's own
// transaction (an event rolled back leaves none), so a new process — a service with nothing in
// memory — sends what the old one left: here a delivery whose sender claimed it and died
// mid-send. (No pass follows the events here: the test sends what is due itself.) The claim keeps it from a second sender while it lasts; once it has expired the
// new process sends it, once, the same delivery with the same body, signed with the same
// secret.
func TestRestartLosesNoDelivery(t *testing.T) {
	eachUnkicked(t, func(t *testing.T, e *testkit.Env, clk *clock) {
		old := service(t, e)
		ctx := context.Background()
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/webhooks"
		rcv := newReceiver(t, http.StatusServiceUnavailable)
		const secret = "restart-secret-0123456789"
		hook := created(t, owner, base, map[string]any{"url": rcv.URL, "events": []string{"user.invited"}, "secret": secret})
		deliveries := func() int {
			n, err := e.App.DB.NewSelect().Model((*webhooks.Delivery)(nil)).Where("d.account_id = ?", acc.ID).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}

		// An event whose transaction is rolled back leaves no delivery.
		err := e.App.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			ev := &events.Event{ID: 1 << 40, AccountID: acc.ID, Type: "user.invited", Payload: []byte(`{}`), CreatedAt: clk.Now()}
			if err := old.RecordAll(ctx, tx, []*events.Event{ev}); err != nil {
				return err
			}
			return errors.New("rolled back")
		})
		if err == nil || deliveries() != 0 {
			t.Fatalf("a rolled-back event: %v, %d deliveries", err, deliveries())
		}

		// The first attempt fails; then a sender claims the retry and dies before the outcome.
		e.NewUser(acc, actor.RoleMember)
		e.Settle()
		if _, err := old.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		first := rcv.requests()
		if len(first) != 1 || deliveries() != 1 {
			t.Fatalf("first attempt: %d requests, %d deliveries", len(first), deliveries())
		}
		clk.Add(webhooks.Backoff[0])
		if _, err := e.App.DB.NewUpdate().Model((*webhooks.Delivery)(nil)).Set("claimed_until = ?", clk.Now().Add(time.Hour)).
			Where("d.account_id = ?", acc.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		// The restart: a new service over the same database, nothing in memory.
		fresh := &webhooks.Service{DB: e.App.DB, EventTypes: old.EventTypes, AllowLocal: true, Notifier: old.Notifier, Box: old.Box, Now: clk.Now}
		rcv.setStatus(http.StatusOK)
		if _, err := fresh.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(rcv.requests()); n != 1 {
			t.Fatalf("sent while another sender's claim lasts: %d requests", n)
		}
		clk.Add(time.Hour + time.Second)
		if _, err := fresh.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		e.Settle()
		got := rcv.requests()
		if len(got) != 2 || got[1].Delivery != first[0].Delivery || string(got[1].Body) != string(first[0].Body) || !verify(secret, got[1].Signature, got[1].Body, clk.Now()) {
			t.Fatalf("after the restart: %+v", got)
		}
		var log struct{ Items []webhooks.Delivery }
		owner.Get(fmt.Sprintf("%s/%d/deliveries", base, idOf(hook))).JSON(t, &log)
		if len(log.Items) != 1 || log.Items[0].State != webhooks.StateSucceeded || log.Items[0].Attempts != 2 || log.Items[0].StatusCode != 200 {
			t.Fatalf("log: %+v", log.Items)
		}
		if _, err := fresh.SendDue(ctx); err != nil || len(rcv.requests()) != 2 {
			t.Fatalf("sent again: %d requests (%v)", len(rcv.requests()), err)
		}
	})
}

// eachUnkicked is eachClocked with no pass after each event (Kick nil): the test sends what is
// due itself, so that no pass of the old process runs behind its back.
func eachUnkicked(t *testing.T, fn func(t *testing.T, e *testkit.Env, clk *clock)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Now().UTC()}
			o := clocked(clk)
			clockIt := o.BeforeServe
			o.BeforeServe = func(a *app.App) {
				clockIt(a)
				for _, m := range o.Modules {
					if w, ok := m.(*webhooks.Module); ok {
						w.Service().Kick = nil
					}
				}
			}
			fn(t, testkit.Start(t, kind, o), clk)
		})
	}
}
