package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/automation"
	"groupcamp/core/testkit"
)

// BenchmarkNotificationsPage renders the heaviest page of the package: a person's
// notifications (a page of 50 out of 200, half unread) with the bell, on every database.
func BenchmarkNotificationsPage(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, testkit.Options{})
			acc := e.NewAccount()
			ctx := context.Background()
			for i := 0; i < 200; i++ {
				n := automation.Notice{AccountID: acc.ID, Roles: []string{"owner"}, EventType: "user.invited", Text: fmt.Sprintf("Notice %d", i)}
				if err := e.App.Notify.Notify(ctx, e.App.DB, n); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := e.App.DB.NewUpdate().Table("notifications").Set("read_at = created_at").Where("account_id = ? AND id % 2 = 0", acc.ID).Exec(ctx); err != nil {
				b.Fatal(err)
			}
			c := e.As(acc.Owner)
			path := "/" + acc.Slug + "/notifications"
			b.ReportAllocs()
			for b.Loop() {
				if r := c.Get(path); r.Status != http.StatusOK {
					b.Fatalf("GET %s: %d", path, r.Status)
				}
			}
		})
	}
}
