package capacity_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/testkit"
)

// BenchmarkProfilesOn measures what a team view or planning asks for 200 people over half a
// year (26 weeks): each person has three profile changes in the period among four profiles.
//
//   - schedule: ProfilesOn for the 200 people (three queries whatever their number);
//   - expected: the schedule, then each person's expected minutes of each of the 26 weeks.
func BenchmarkProfilesOn(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			e := testkit.Start(b, kind, testkit.Options{})
			acc := e.NewAccount()
			a := &actor.Actor{UserID: acc.Owner.ID, Role: actor.RoleOwner, Account: &actor.Account{ID: acc.ID, Slug: acc.Slug}}
			svc := e.App.Capacity
			var profiles []int64
			for i := range 4 {
				p, err := svc.CreateProfile(ctx, a, capacity.ProfileInput{Name: fmt.Sprintf("Profile %d", i), DayMinutes: []int{480 - 60*i, 480, 480, 480 - 30*i, 240 + 60*i, 0, 0}, MaxDayMinutes: 600})
				if err != nil {
					b.Fatal(err)
				}
				profiles = append(profiles, p.ID)
			}
			first := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) // a Monday
			var ids []int64
			var rows []capacity.Assignment
			for i := range 200 {
				u := e.NewUser(acc, actor.RoleMember)
				ids = append(ids, u.ID)
				for j := range 3 {
					rows = append(rows, capacity.Assignment{AccountID: acc.ID, UserID: u.ID, ProfileID: profiles[(i+j)%4],
						StartsOn: first.AddDate(0, 0, 7*(j*8+i%5)-14).Format(capacity.DayLayout), CreatedAt: time.Now().UTC()})
				}
			}
			if _, err := e.App.DB.NewInsert().Model(&rows).Exec(ctx); err != nil {
				b.Fatal(err)
			}
			last := first.AddDate(0, 0, 26*7-1)
			b.Run("schedule", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := svc.ProfilesOn(ctx, acc.ID, ids, last.Format(capacity.DayLayout)); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("expected", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					sc, err := svc.ProfilesOn(ctx, acc.ID, ids, last.Format(capacity.DayLayout))
					if err != nil {
						b.Fatal(err)
					}
					total := 0
					for _, id := range ids {
						for w := range 26 {
							mon := first.AddDate(0, 0, 7*w)
							total += sc.Expected(id, mon, mon.AddDate(0, 0, 6))
						}
					}
					if total == 0 {
						b.Fatal("no work expected")
					}
				}
			})
		})
	}
}
