package privacy_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/testkit"
)

// TestGracePeriodThenErasure: an admin's erasure waits 7 days (the person is told by email),
// runs when the scheduler finds it due, and an export link lapses after a day.
func TestGracePeriodThenErasure(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, e *testkit.Env) {
		svc := service(t, e)
		ctx := context.Background()
		acc := e.NewAccount()
		u := e.NewUser(acc, actor.RoleMember)
		admin := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug

		var ex struct {
			ID         int64
			State, URL string
		}
		e.As(u).Post(base+"/me/exports", nil).JSON(t, &ex)
		e.Settle()
		e.As(u).Get(fmt.Sprintf("%s/me/exports/%d", base, ex.ID)).JSON(t, &ex)
		if ex.URL == "" {
			t.Fatalf("the export is %+v", ex)
		}

		var req struct {
			ID    int64
			State string
			DueAt *time.Time `json:"due_at"`
		}
		r := admin.Post(fmt.Sprintf("%s/users/%d/erasure", base, u.ID), nil)
		if r.Status != http.StatusAccepted {
			t.Fatalf("erasure: %d %s", r.Status, r)
		}
		r.JSON(t, &req)
		if req.State != "scheduled" || req.DueAt == nil || req.DueAt.Before(time.Now().Add(6*24*time.Hour)) {
			t.Fatalf("the erasure is %+v", req)
		}
		if m, ok := e.Mailbox.Last(u.Email); !ok || m.Subject == "" {
			t.Error("the person is not told")
		}
		if err := svc.StartDue(ctx); err != nil {
			t.Fatal(err)
		}
		admin.Get(fmt.Sprintf("%s/erasures/%d", base, req.ID)).JSON(t, &req)
		if req.State != "scheduled" {
			t.Fatalf("the erasure ran before its day: %q", req.State)
		}

		later := db.Now().Add(8 * 24 * time.Hour)
		svc.SetClock(func() time.Time { return later })
		defer svc.SetClock(nil)
		if r := e.As(u).Get(ex.URL); r.Status != http.StatusGone {
			t.Errorf("an expired link: %d", r.Status)
		}
		if _, err := svc.Purge(ctx); err != nil {
			t.Fatal(err)
		}
		e.As(u).Get(fmt.Sprintf("%s/me/exports/%d", base, ex.ID)).JSON(t, &ex)
		if ex.State != "expired" {
			t.Errorf("after the purge the export is %q", ex.State)
		}
		if err := svc.StartDue(ctx); err != nil {
			t.Fatal(err)
		}
		e.Settle()
		admin.Get(fmt.Sprintf("%s/erasures/%d", base, req.ID)).JSON(t, &req)
		if req.State != "done" {
			t.Fatalf("after the grace period the erasure is %q", req.State)
		}
		if hits := grep(t, e.App, u.Email); len(hits) > 0 {
			t.Errorf("the person is still there: %v", hits)
		}
	})
}

// TestErasureCancelsARunningExport: an export still being prepared when the person's erasure
// starts is cancelled, and its archive never appears.
func TestErasureCancelsARunningExport(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, e *testkit.Env) {
		svc := service(t, e)
		svc.Hold(true)
		ctx := context.Background()
		acc := e.NewAccount()
		u := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		var ex, req struct {
			ID    int64
			State string
		}
		e.As(u).Post(base+"/me/exports", nil).JSON(t, &ex)
		admin := e.As(acc.Owner)
		admin.Delete(fmt.Sprintf("%s/users/%d", base, u.ID))
		admin.Post(fmt.Sprintf("%s/users/%d/erasure", base, u.ID), map[string]any{"immediately": true}).JSON(t, &req)
		if err := svc.RunErasure(ctx, acc.ID, req.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.RunExport(ctx, acc.ID, ex.ID); err != nil {
			t.Fatal(err)
		}
		n, err := e.App.DB.NewSelect().TableExpr("privacy_requests").Where("id = ?", ex.ID).Count(ctx)
		if err != nil || n != 0 {
			t.Errorf("the person's export is still there (%d, %v)", n, err)
		}
		admin.Get(fmt.Sprintf("%s/erasures/%d", base, req.ID)).JSON(t, &req)
		if req.State != "done" {
			t.Errorf("the erasure is %q", req.State)
		}
		var again struct{ ID int64 }
		if r := admin.Post(fmt.Sprintf("%s/users/%d/erasure", base, u.ID), nil); r.Status != http.StatusAccepted {
			t.Errorf("erasing the erased person again: %d", r.Status)
		} else if r.JSON(t, &again); again.ID != req.ID {
			t.Errorf("a second erasure is another request: %d, not %d", again.ID, req.ID)
		}
	})
}
