package capacity_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func day(s string) time.Time {
	t, err := time.Parse(capacity.DayLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func created(t *testing.T, c *testkit.Client, path string, body any) int64 {
	t.Helper()
	r := c.Post(path, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
	}
	var v struct{ ID int64 }
	r.JSON(t, &v)
	return v.ID
}

// TestProfiles: the default profile, a part-time profile, bad input, archiving, who may.
func TestProfiles(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		base := "/api/v1/" + acc.Slug
		owner, mem := acc.Owner, e.NewUser(acc, actor.RoleMember)
		cl := e.NewClient(acc, e.ClientCompany(acc))

		var list struct{ Items []capacity.Profile }
		e.As(mem).Get(base+"/capacity-profiles").JSON(t, &list)
		if len(list.Items) != 1 || !list.Items[0].Default || list.Items[0].Name != "Full time" || fmt.Sprint(list.Items[0].DayMinutes) != "[480 480 480 480 480 0 0]" {
			t.Fatalf("default profile: %+v", list.Items)
		}
		def := list.Items[0].ID
		if r := e.As(cl).Get(base + "/capacity-profiles"); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Fatalf("a client lists profiles: %d", r.Status)
		}
		part := map[string]any{"name": "Part time", "day_minutes": []int{480, 480, 480, 480, 240, 0, 0}, "max_day_minutes": 240, "max_week_minutes": 2000}
		if r := e.As(mem).Post(base+"/capacity-profiles", part); r.Status != http.StatusForbidden {
			t.Fatalf("a member creates a profile: %d", r.Status)
		}
		id := created(t, e.As(owner), base+"/capacity-profiles", part)
		if r := e.As(owner).Post(base+"/capacity-profiles", part); r.Status != http.StatusConflict {
			t.Fatalf("same name: %d %s", r.Status, r.Body)
		}
		before := e.Count("capacity_profiles")
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"name": "", "day_minutes": []int{0, 0, 0, 0, 0, 0, 0}}, "name"},
			{map[string]any{"name": string(make([]byte, 81)), "day_minutes": []int{0, 0, 0, 0, 0, 0, 0}}, "name"},
			{map[string]any{"name": "Six days", "day_minutes": []int{1, 2, 3, 4, 5, 6}}, "day_minutes"},
			{map[string]any{"name": "Negative", "day_minutes": []int{-1, 0, 0, 0, 0, 0, 0}}, "day_minutes[0]"},
			{map[string]any{"name": "Long day", "day_minutes": []int{0, 0, 0, 0, 0, 0, 1441}}, "day_minutes[6]"},
			{map[string]any{"name": "Cap", "day_minutes": []int{0, 0, 0, 0, 0, 0, 0}, "max_day_minutes": 1441}, "max_day_minutes"},
			{map[string]any{"name": "Week cap", "day_minutes": []int{0, 0, 0, 0, 0, 0, 0}, "max_week_minutes": -5}, "max_week_minutes"},
		} {
			r := e.As(owner).Post(base+"/capacity-profiles", c.body)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[c.field] == "" {
				t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
			}
		}
		if e.Count("capacity_profiles") != before {
			t.Fatal("bad input wrote a profile")
		}
		if r := e.As(owner).Post(fmt.Sprintf("%s/capacity-profiles/%d/archive", base, def), nil); r.Status != http.StatusConflict {
			t.Fatalf("archive the default: %d %s", r.Status, r.Body)
		}
		var p capacity.Profile
		r := e.As(owner).Patch(fmt.Sprintf("%s/capacity-profiles/%d", base, id), map[string]any{"max_day_minutes": 300, "day_minutes": []int{480, 480, 480, 480, 300, 0, 0}})
		r.JSON(t, &p)
		if r.Status != http.StatusOK || p.MaxDayMinutes != 300 || p.DayMinutes[4] != 300 {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		if r := e.As(owner).Post(fmt.Sprintf("%s/capacity-profiles/%d/archive", base, id), nil); r.Status != http.StatusOK {
			t.Fatalf("archive: %d %s", r.Status, r.Body)
		}
		// Another account's profile is unknown.
		other := e.NewAccount()
		if r := e.As(other.Owner).Get(fmt.Sprintf("/api/v1/%s/capacity-profiles/%d", other.Slug, id)); r.Status != http.StatusNotFound {
			t.Fatalf("another account's profile: %d", r.Status)
		}
	})
}

// TestPeople: assignments with history, ProfileOn, the batch schedule, expected minutes, roles
// and cost rates.
func TestPeople(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		acc := e.NewAccount()
		base := "/api/v1/" + acc.Slug
		owner := acc.Owner
		ada, bob := e.NewUser(acc, actor.RoleMember), e.NewUser(acc, actor.RoleManager)
		svc := e.App.Capacity

		part := created(t, e.As(owner), base+"/capacity-profiles", map[string]any{"name": "Four days", "day_minutes": []int{480, 480, 480, 480, 0, 0, 0}, "max_day_minutes": 540})
		half := created(t, e.As(owner), base+"/capacity-profiles", map[string]any{"name": "Half time", "day_minutes": []int{240, 240, 240, 240, 240, 0, 0}})
		dev := created(t, e.As(owner), base+"/job-roles", map[string]any{"name": "Developer", "cost_rate_minor": 5000, "bill_rate_minor": 9000})

		path := fmt.Sprintf("%s/users/%d/capacity", base, ada.ID)
		if r := e.As(ada).Put(path, map[string]any{"profile_id": part, "starts_on": "2026-11-02"}); r.Status != http.StatusForbidden {
			t.Fatalf("a member sets their own capacity: %d", r.Status)
		}
		for _, b := range []map[string]any{
			{"profile_id": part, "starts_on": "2026-13-01"},
			{"profile_id": 999999, "starts_on": "2026-11-02"},
			{"starts_on": "2026-11-02"},
			{"role_id": 999999},
			{"cost_rate_minor": -7},
		} {
			if r := e.As(owner).Put(path, b); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d %s", b, r.Status, r.Body)
			}
		}
		for _, b := range []map[string]any{
			{"profile_id": part, "starts_on": "2026-11-02", "role_id": dev},
			{"profile_id": half, "starts_on": "2027-01-04"},
		} {
			if r := e.As(owner).Put(path, b); r.Status != http.StatusOK {
				t.Fatalf("%v: %d %s", b, r.Status, r.Body)
			}
		}
		var got capacity.Person
		e.As(ada).Get(path).JSON(t, &got)
		if len(got.History) != 2 || got.History[0].ProfileName != "Four days" || got.Role != "Developer" || got.CostRateMinor != 5000 {
			t.Fatalf("person: %+v", got)
		}
		// A colleague reads the profiles and the role, not the cost rate.
		var seen capacity.Person
		e.As(bob).Get(path).JSON(t, &seen)
		if len(seen.History) != 2 || seen.Role != "Developer" || seen.CostRateMinor != 0 {
			t.Fatalf("person as a colleague sees it: %+v", seen)
		}

		for _, c := range []struct {
			user int64
			day  string
			want string
		}{
			{ada.ID, "2026-11-01", "Full time"},
			{ada.ID, "2026-11-02", "Four days"},
			{ada.ID, "2026-12-31", "Four days"},
			{ada.ID, "2027-01-04", "Half time"},
			{bob.ID, "2027-01-04", "Full time"},
		} {
			p, err := svc.ProfileOn(ctx, acc.ID, c.user, day(c.day))
			if err != nil || p.Name != c.want {
				t.Errorf("ProfileOn %d %s: %v %v, want %s", c.user, c.day, p, err, c.want)
			}
		}
		sc, err := svc.ProfilesOn(ctx, acc.ID, []int64{ada.ID, bob.ID}, "2027-01-10")
		if err != nil {
			t.Fatal(err)
		}
		// The week of 28 Dec 2026 under "Four days" (4 × 8 h), the week of 4 Jan under "Half time" (5 × 4 h).
		if n := sc.Expected(ada.ID, day("2026-12-28"), day("2027-01-03")); n != 4*480 {
			t.Errorf("expected, four days: %d", n)
		}
		if n := sc.Expected(ada.ID, day("2027-01-04"), day("2027-01-10")); n != 5*240 {
			t.Errorf("expected, half time: %d", n)
		}
		if n := sc.Expected(bob.ID, day("2027-01-04"), day("2027-01-10")); n != 5*480 {
			t.Errorf("expected, full time: %d", n)
		}

		// Own rate over the role's; -1 gives the role's again (both from today).
		today := time.Now().UTC().Format(capacity.DayLayout)
		rateOf := func(user int64) int64 {
			cb, err := svc.CostBook(ctx, acc.ID, []int64{user}, "")
			if err != nil {
				t.Fatal(err)
			}
			r, _ := cb.Person(user, today)
			return r
		}
		if a, b := rateOf(ada.ID), rateOf(bob.ID); a != 5000 || b != 0 {
			t.Fatalf("rates: %d %d", a, b)
		}
		e.As(owner).Put(path, map[string]any{"cost_rate_minor": 6500})
		if r := rateOf(ada.ID); r != 6500 {
			t.Fatalf("own rate: %d", r)
		}
		e.As(owner).Put(path, map[string]any{"cost_rate_minor": -1})
		if r := rateOf(ada.ID); r != 5000 {
			t.Fatalf("rate cleared: %d", r)
		}
		// Every change is in the audit trail, the person named by their email.
		trail := e.As(owner).Get(base + "/audit").String()
		for _, want := range []string{`"capacity.profile_created"`, `"capacity.role_created"`, `"capacity.person_changed"`, ada.Email} {
			if !strings.Contains(trail, want) {
				t.Errorf("the audit trail does not hold %s", want)
			}
		}
		// An archived profile cannot be assigned.
		e.As(owner).Post(fmt.Sprintf("%s/capacity-profiles/%d/archive", base, half), nil)
		if r := e.As(owner).Put(path, map[string]any{"profile_id": half, "starts_on": "2027-02-01"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["profile_id"] == "" {
			t.Fatalf("archived profile: %d %s", r.Status, r.Body)
		}
		// A person of another account is unknown.
		other := e.NewAccount()
		if r := e.As(other.Owner).Put(fmt.Sprintf("/api/v1/%s/users/%d/capacity", other.Slug, ada.ID), map[string]any{"cost_rate_minor": 1}); r.Status != http.StatusNotFound {
			t.Fatalf("another account's person: %d", r.Status)
		}
	})
}
