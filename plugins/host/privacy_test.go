package host_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// A delivery waiting for a plugin copies its event, which may name a person: the person's
// erasure scrubs their name and email from it (and from the plugin's last error), and leaves
// the other deliveries alone.
func TestErasureScrubsWaitingDeliveries(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		mem := e.NewUser(acc, actor.RoleMember)
		ctx := context.Background()
		now := time.Now().UTC()
		type row struct {
			payload, lastError string
		}
		rows := []row{
			{`{"user_id":1,"name":"` + mem.Name + `","email":"` + mem.Email + `"}`, "POST failed for " + mem.Email},
			{`{"name":"Someone Else"}`, ""},
		}
		for i, r := range rows {
			if _, err := e.App.DB.NewRaw(`INSERT INTO plugin_deliveries (account_id, plugin, event_id, event_type, payload, event_at, next_at, last_error)
VALUES (?, 'webhook-forwarder', ?, 'user.invited', ?, ?, ?, ?)`, acc.ID, 900000+i, r.payload, now, now.Add(time.Hour), r.lastError).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		s := hooks.Subject{AccountID: acc.ID, UserID: mem.ID, Email: mem.Email, Name: mem.Name}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		var got []struct {
			Payload   string `bun:"payload"`
			LastError string `bun:"last_error"`
		}
		if err := e.App.DB.NewSelect().Table("plugin_deliveries").Column("payload", "last_error").
			Where("account_id = ?", acc.ID).OrderExpr("event_id").Scan(ctx, &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("deliveries after the erasure: %+v", got)
		}
		for _, needle := range []string{mem.Email, mem.Name} {
			if strings.Contains(got[0].Payload, needle) || strings.Contains(got[0].LastError, needle) {
				t.Errorf("the waiting delivery still names %q: %+v", needle, got[0])
			}
		}
		if got[1].Payload != rows[1].payload {
			t.Errorf("another person's delivery changed: %q", got[1].Payload)
		}
	})
}
