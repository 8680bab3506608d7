package notify_test

import (
	"context"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/notify"
	"groupcamp/core/testkit"
)

// Each person's digest leaves at seven in their own time zone: the hourly run at 22:xx UTC
// sends Tokyo's, the one at 07:xx UTC London's in winter, and neither sends the other's.
func TestDigestAtSevenLocalTime(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			e := testkit.Start(t, kind, testkit.Options{})
			acc := e.NewAccount()
			tokyo, london := e.NewUser(acc, actor.RoleMember), e.NewUser(acc, actor.RoleMember)
			ctx := context.Background()
			for u, tz := range map[*testkit.User]string{tokyo: "Asia/Tokyo", london: "Europe/London"} {
				if _, err := e.App.DB.NewUpdate().Table("users").Set("time_zone = ?", tz).Where("id = ?", u.ID).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				n := &notify.Notification{AccountID: acc.ID, UserID: u.ID, Type: notify.TypeNotice, Text: "For " + tz, DigestPending: true, CreatedAt: time.Now()}
				if _, err := e.App.DB.NewInsert().Model(n).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}
			pending := func(u *testkit.User) bool {
				ok, err := e.App.DB.NewSelect().Model((*notify.Notification)(nil)).Where("user_id = ? AND digest_pending", u.ID).Exists(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return ok
			}
			noon := time.Date(2026, 12, 1, 12, 30, 0, 0, time.UTC)
			if n, err := e.App.Notify.DigestDue(ctx, noon); err != nil || n != 0 {
				t.Fatalf("at noon UTC: %d digests, %v", n, err)
			}
			// 22:30 UTC on 30 November is 07:30 on 1 December in Tokyo.
			if n, err := e.App.Notify.DigestDue(ctx, time.Date(2026, 11, 30, 22, 30, 0, 0, time.UTC)); err != nil || n != 1 || pending(tokyo) || !pending(london) {
				t.Fatalf("at 22:30 UTC: %d digests, %v; Tokyo pending %v, London pending %v", n, err, pending(tokyo), pending(london))
			}
			if n, err := e.App.Notify.DigestDue(ctx, time.Date(2026, 12, 1, 7, 5, 0, 0, time.UTC)); err != nil || n != 1 || pending(london) {
				t.Fatalf("at 07:05 UTC: %d digests, %v; London pending %v", n, err, pending(london))
			}
		})
	}
}
