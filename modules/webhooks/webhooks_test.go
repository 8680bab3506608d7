package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/webhooks"
)

// TestSignedDelivery: an event the hook asked for reaches a real receiver as signed JSON
// {id, type, account, created_at, data}; the signature checks with the secret; the log keeps
// the status, the attempt and the first KiB of the answer; a hook for another type gets
// nothing, "*" gets it too, and the kernel's own events (queued email) never go out.
func TestSignedDelivery(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/webhooks"
		rcv, all, other := newReceiver(t, http.StatusOK), newReceiver(t, http.StatusOK), newReceiver(t, http.StatusOK)
		const secret = "a-secret-of-the-integrator-42"
		hook := created(t, owner, base, map[string]any{"url": rcv.URL + "/in", "events": []string{"user.invited"}, "secret": secret, "description": "CRM"})
		if hook["secret"] != secret {
			t.Fatalf("the answer shows secret %v", hook["secret"])
		}
		star := created(t, owner, base, map[string]any{"url": all.URL, "events": []string{"*"}})
		if s, _ := star["secret"].(string); !strings.HasPrefix(s, "whsec_") || len(s) < 40 {
			t.Fatalf("generated secret %q", s)
		}
		created(t, owner, base, map[string]any{"url": other.URL, "events": []string{"task.created"}})

		invited := e.NewUser(acc, actor.RoleMember)
		e.Settle()
		got := rcv.requests()
		if len(got) != 1 {
			t.Fatalf("the receiver got %d requests, want 1", len(got))
		}
		if got[0].Event != "user.invited" || !verify(secret, got[0].Signature, got[0].Body, time.Now()) {
			t.Fatalf("request %+v: the signature does not check", got[0])
		}
		if verify("another secret of the same size", got[0].Signature, got[0].Body, time.Now()) {
			t.Fatal("the signature checks with another secret")
		}
		var msg struct {
			ID        int64           `json:"id"`
			Type      string          `json:"type"`
			Account   string          `json:"account"`
			CreatedAt time.Time       `json:"created_at"`
			Data      json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(got[0].Body, &msg); err != nil {
			t.Fatal(err)
		}
		if msg.ID == 0 || msg.Type != "user.invited" || msg.Account != acc.Slug || msg.CreatedAt.IsZero() || !strings.Contains(string(msg.Data), fmt.Sprint(invited.ID)) {
			t.Fatalf("body %s", got[0].Body)
		}
		for _, r := range all.requests() {
			if r.Event == "mail.queued" || strings.Contains(string(r.Body), "mail.queued") {
				t.Fatalf("a queued email went out: %s", r.Body)
			}
		}
		if n := len(all.requests()); n < 1 {
			t.Fatalf("the \"*\" hook got %d requests", n)
		}
		if n := len(other.requests()); n != 0 {
			t.Fatalf("the task.created hook got %d requests", n)
		}

		var log struct {
			Items []webhooks.Delivery `json:"items"`
		}
		owner.Get(fmt.Sprintf("%s/%d/deliveries", base, idOf(hook))).JSON(t, &log)
		if len(log.Items) != 1 {
			t.Fatalf("log: %+v", log.Items)
		}
		d := log.Items[0]
		if d.State != webhooks.StateSucceeded || d.StatusCode != 200 || d.Attempts != 1 || d.EventType != "user.invited" ||
			len(d.Response) != webhooks.ResponseKept || !strings.HasPrefix(d.Response, "thanks from the receiver") {
			t.Fatalf("delivery %+v", d)
		}
		var h webhooks.Webhook
		r := owner.Get(fmt.Sprintf("%s/%d", base, idOf(hook)))
		r.JSON(t, &h)
		if strings.Contains(r.String(), secret) || h.LastStatus != 200 || h.LastDeliveryAt == nil || h.Failures != 0 {
			t.Fatalf("hook %s", r.Body)
		}
	})
}

// TestPing: "send test" posts a signed webhook.ping now and answers what the receiver said; a
// receiver that fails makes a failed delivery that is not retried and counts no failure.
func TestPing(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/webhooks"
		rcv := newReceiver(t, http.StatusNoContent)
		hook := created(t, owner, base, map[string]any{"url": rcv.URL, "events": []string{"*"}, "secret": "ping-secret-0123456789"})
		var d webhooks.Delivery
		r := owner.Post(fmt.Sprintf("%s/%d/test", base, idOf(hook)), nil)
		r.JSON(t, &d)
		if r.Status != http.StatusOK || d.State != webhooks.StateSucceeded || d.StatusCode != http.StatusNoContent || d.EventType != webhooks.PingType {
			t.Fatalf("ping: %d %s", r.Status, r.Body)
		}
		got := rcv.requests()
		if len(got) != 1 || !verify("ping-secret-0123456789", got[0].Signature, got[0].Body, time.Now()) {
			t.Fatalf("receiver: %+v", got)
		}
		rcv.setStatus(http.StatusBadGateway)
		owner.Post(fmt.Sprintf("%s/%d/test", base, idOf(hook)), nil).JSON(t, &d)
		if d.State != webhooks.StateFailed || d.StatusCode != http.StatusBadGateway || d.NextAt != nil || !strings.Contains(d.Error, "502") {
			t.Fatalf("failed ping: %+v", d)
		}
		var h webhooks.Webhook
		owner.Get(fmt.Sprintf("%s/%d", base, idOf(hook))).JSON(t, &h)
		if h.Failures != 0 || !h.Enabled || h.LastStatus != http.StatusBadGateway {
			t.Fatalf("hook after a failed ping: %+v", h)
		}
	})
}

// TestRetriesWithBackoff: a receiver that fails sees the delivery again after each step of
// the back-off — not before — until the last attempt fails it; the hook counts one failed
// delivery, and a later success starts its count over.
func TestRetriesWithBackoff(t *testing.T) {
	eachClocked(t, func(t *testing.T, e *testkit.Env, clk *clock) {
		svc := service(t, e)
		ctx := context.Background()
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/webhooks"
		rcv := newReceiver(t, http.StatusInternalServerError)
		hook := created(t, owner, base, map[string]any{"url": rcv.URL, "events": []string{"user.invited"}, "secret": "retry-secret-0123456789"})
		path := fmt.Sprintf("%s/%d", base, idOf(hook))

		e.NewUser(acc, actor.RoleMember)
		e.Settle()
		if n := len(rcv.requests()); n != 1 {
			t.Fatalf("first attempt: %d requests", n)
		}
		for i, wait := range webhooks.Backoff {
			clk.Add(wait - time.Second)
			if _, err := svc.SendDue(ctx); err != nil {
				t.Fatal(err)
			}
			if n := len(rcv.requests()); n != i+1 {
				t.Fatalf("a second before retry %d: %d requests", i+1, n)
			}
			clk.Add(time.Second)
			if _, err := svc.SendDue(ctx); err != nil {
				t.Fatal(err)
			}
			e.Settle()
			got := rcv.requests()
			if len(got) != i+2 {
				t.Fatalf("retry %d: %d requests", i+1, len(got))
			}
			if got[i+1].Delivery != got[0].Delivery || string(got[i+1].Body) != string(got[0].Body) || !verify("retry-secret-0123456789", got[i+1].Signature, got[i+1].Body, clk.Now()) {
				t.Fatalf("retry %d is not the same delivery, signed: %+v", i+1, got[i+1])
			}
		}
		var log struct{ Items []webhooks.Delivery }
		owner.Get(path+"/deliveries").JSON(t, &log)
		if len(log.Items) != 1 || log.Items[0].State != webhooks.StateFailed || log.Items[0].Attempts != webhooks.MaxAttempts || log.Items[0].NextAt != nil || log.Items[0].StatusCode != 500 {
			t.Fatalf("log: %+v", log.Items)
		}
		clk.Add(24 * time.Hour)
		svc.SendDue(ctx)
		if n := len(rcv.requests()); n != webhooks.MaxAttempts {
			t.Fatalf("a failed delivery went again: %d requests", n)
		}
		var h webhooks.Webhook
		owner.Get(path).JSON(t, &h)
		if h.Failures != 1 || !h.Enabled {
			t.Fatalf("hook: %+v", h)
		}
		rcv.setStatus(http.StatusOK)
		e.NewUser(acc, actor.RoleMember)
		e.Settle()
		owner.Get(path).JSON(t, &h)
		if h.Failures != 0 || h.LastStatus != 200 {
			t.Fatalf("hook after a success: %+v", h)
		}
		// The log keeps a finished delivery for Retention, then the daily purge takes it: the
		// failed one (days older) first, the success an hour before its time is kept.
		clk.Add(webhooks.Retention - time.Hour)
		if n, err := svc.Purge(ctx); err != nil || n != 1 {
			t.Fatalf("purge before the retention: %d %v", n, err)
		}
		clk.Add(2 * time.Hour)
		if n, err := svc.Purge(ctx); err != nil || n != 1 {
			t.Fatalf("purge after the retention: %d %v", n, err)
		}
		owner.Get(path+"/deliveries").JSON(t, &log)
		if len(log.Items) != 0 {
			t.Fatalf("log after the purge: %+v", log.Items)
		}
	})
}

// TestDisabledAfterFailures: after MaxFailures failed deliveries in a row the hook is disabled,
// the audit trail says so, the owner and the admins are told (by email, their default); an
// admin enables it again from the API, and its count starts over.
func TestDisabledAfterFailures(t *testing.T) {
	eachClocked(t, func(t *testing.T, e *testkit.Env, clk *clock) {
		svc := service(t, e)
		ctx := context.Background()
		acc := e.NewAccount()
		admin := e.NewUser(acc, actor.RoleAdmin)
		member := e.NewUser(acc, actor.RoleMember)
		e.Settle() // their invitations are relayed before the hook exists
		rcv := newReceiver(t, http.StatusServiceUnavailable)
		base := "/api/v1/" + acc.Slug + "/webhooks"
		hook := created(t, e.As(admin), base, map[string]any{"url": rcv.URL, "events": []string{"user.invited"}})
		path := fmt.Sprintf("%s/%d", base, idOf(hook))
		for range webhooks.MaxFailures {
			e.NewUser(acc, actor.RoleClient)
		}
		e.Settle()
		for _, wait := range webhooks.Backoff {
			clk.Add(wait)
			if _, err := svc.SendDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		e.Settle()
		var h webhooks.Webhook
		e.As(admin).Get(path).JSON(t, &h)
		if h.Enabled || h.Failures != webhooks.MaxFailures || h.DisabledAt == nil {
			t.Fatalf("hook after %d failed deliveries: %+v", webhooks.MaxFailures, h)
		}
		if n := len(rcv.requests()); n != webhooks.MaxFailures*webhooks.MaxAttempts {
			t.Fatalf("%d requests, want %d", n, webhooks.MaxFailures*webhooks.MaxAttempts)
		}
		audit := e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/audit").String()
		if !strings.Contains(audit, "webhook.disabled") || !strings.Contains(audit, "webhook.created") {
			t.Fatalf("audit: %s", audit)
		}
		for _, u := range []*testkit.User{acc.Owner, admin} {
			if m, ok := e.Mailbox.Last(u.Email); !ok || !strings.Contains(m.Text, rcv.URL) {
				t.Errorf("%s was not told: %+v", u.Email, m)
			}
		}
		if strings.Contains(e.As(member).Get("/api/v1/"+acc.Slug+"/notifications").String(), "webhook") {
			t.Error("a member was told of a webhook")
		}

		// Disabled, it sends nothing; enabled again, its count starts over.
		rcv.setStatus(http.StatusOK)
		e.NewUser(acc, actor.RoleClient)
		e.Settle()
		clk.Add(time.Hour)
		svc.SendDue(ctx)
		if n := len(rcv.requests()); n != webhooks.MaxFailures*webhooks.MaxAttempts {
			t.Fatalf("a disabled hook sent: %d requests", n)
		}
		if r := e.As(member).Post(path+"/enable", nil); r.Status != http.StatusForbidden {
			t.Fatalf("a member enables: %d", r.Status)
		}
		r := e.As(admin).Post(path+"/enable", nil)
		r.JSON(t, &h)
		if r.Status != http.StatusOK || !h.Enabled || h.Failures != 0 || h.DisabledAt != nil {
			t.Fatalf("enable: %d %s", r.Status, r.Body)
		}
		e.NewUser(acc, actor.RoleClient)
		e.Settle()
		if n := len(rcv.requests()); n != webhooks.MaxFailures*webhooks.MaxAttempts+1 {
			t.Fatalf("after enabling: %d requests; log %s", n, e.As(admin).Get(path+"/deliveries?limit=3").Body)
		}
	})
}
