package webhooks_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/seal"
	"groupcamp/core/testkit"
)

// TestSecretSealed: the secret column holds a sealed value, never the secret; a hook whose
// secret was stored in clear before sealing still signs with it, and SealClear seals it in
// place; a sealed secret copied to another hook's row does not open there (the delivery fails
// with a clear reason instead of signing with the wrong key).
func TestSecretSealed(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/webhooks"
		rcv := newReceiver(t, http.StatusOK)
		const secret = "a-secret-kept-sealed-at-rest"
		hook := created(t, owner, base, map[string]any{"url": rcv.URL, "events": []string{"user.invited"}, "secret": secret})
		stored := func(id int64) string {
			var s string
			if err := e.App.DB.NewSelect().Table("webhooks_hooks").Column("secret").Where("id = ?", id).Scan(ctx, &s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		if s := stored(idOf(hook)); !seal.IsSealed(s) || strings.Contains(s, secret) {
			t.Fatalf("stored secret %q is not sealed", s)
		}
		// A patched secret is sealed too.
		if r := owner.Patch(base+"/"+strconv.FormatInt(idOf(hook), 10), map[string]any{"secret": secret + "-2"}); r.Status != http.StatusOK {
			t.Fatalf("PATCH: %d %s", r.Status, r.Body)
		}
		if s := stored(idOf(hook)); !seal.IsSealed(s) || strings.Contains(s, secret) {
			t.Fatalf("patched secret %q is not sealed", s)
		}

		// A legacy hook: its secret in clear, as stored before sealing.
		legacy := created(t, owner, base, map[string]any{"url": rcv.URL, "events": []string{"user.invited"}})
		const old = "a-clear-secret-from-before"
		if _, err := e.App.DB.NewUpdate().Table("webhooks_hooks").Set("secret = ?", old).Where("id = ?", idOf(legacy)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		e.NewUser(acc, actor.RoleMember)
		e.Settle()
		got := rcv.requests()
		if len(got) != 2 {
			t.Fatalf("the receiver got %d requests, want 2", len(got))
		}
		okNew, okOld := false, false
		for _, r := range got {
			okNew = okNew || verify(secret+"-2", r.Signature, r.Body, time.Now())
			okOld = okOld || verify(old, r.Signature, r.Body, time.Now())
		}
		if !okNew || !okOld {
			t.Fatalf("signatures: patched secret %v, legacy clear secret %v", okNew, okOld)
		}
		if _, err := service(t, e).SealClear(ctx); err != nil {
			t.Fatal(err)
		}
		if s := stored(idOf(legacy)); !seal.IsSealed(s) || strings.Contains(s, old) {
			t.Fatalf("legacy secret %q was not sealed", s)
		}

		// Moved to another row, a sealed secret does not open: the ping fails, saying why.
		if _, err := e.App.DB.NewUpdate().Table("webhooks_hooks").Set("secret = ?", stored(idOf(hook))).Where("id = ?", idOf(legacy)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		r := owner.Post(base+"/"+strconv.FormatInt(idOf(legacy), 10)+"/test", nil)
		if !strings.Contains(r.String(), "cannot be opened") {
			t.Fatalf("ping with a moved secret: %d %s", r.Status, r.Body)
		}
	})
}
