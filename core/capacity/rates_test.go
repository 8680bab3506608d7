package capacity_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/testkit"
)

// TestBillRates: a person's own bill rate from a day on (history kept: earlier days keep
// theirs), -1 giving them their role's from a day, the role's without an own rate, none
// without either; bad input is a 422 on its field, nothing written; colleagues never read it.
func TestBillRates(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		acc := e.NewAccount()
		base := "/api/v1/" + acc.Slug
		owner := e.As(acc.Owner)
		ada, bob, cy := e.NewUser(acc, actor.RoleMember), e.NewUser(acc, actor.RoleManager), e.NewUser(acc, actor.RoleMember)
		dev := created(t, owner, base+"/job-roles", map[string]any{"name": "Developer", "cost_rate_minor": 5000, "bill_rate_minor": 9000})
		path := fmt.Sprintf("%s/users/%d/capacity", base, ada.ID)

		for field, b := range map[string]map[string]any{
			"bill_rate_minor": {"bill_rate_minor": -5, "bill_rate_from": "2026-11-01"},
			"bill_rate_from":  {"bill_rate_minor": 100, "bill_rate_from": "2026-02-30"},
		} {
			if r := owner.Put(path, b); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Errorf("%s: %d %s", field, r.Status, r.Body)
			}
		}
		if r := owner.Put(path, map[string]any{"bill_rate_from": "2026-11-01"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["bill_rate_minor"] == "" {
			t.Errorf("a day without a rate: %d %s", r.Status, r.Body)
		}
		if r := e.As(ada).Put(path, map[string]any{"bill_rate_minor": 1}); r.Status != http.StatusForbidden {
			t.Errorf("a member sets their own bill rate: %d", r.Status)
		}
		for _, b := range []map[string]any{
			{"role_id": dev},
			{"bill_rate_minor": 11000, "bill_rate_from": "2026-11-01"},
			{"bill_rate_minor": 12000, "bill_rate_from": "2026-12-01"},
			{"bill_rate_minor": -1, "bill_rate_from": "2027-01-01"},
		} {
			if r := owner.Put(path, b); r.Status != http.StatusOK {
				t.Fatalf("%v: %d %s", b, r.Status, r.Body)
			}
		}
		if r := owner.Put(fmt.Sprintf("%s/users/%d/capacity", base, bob.ID), map[string]any{"bill_rate_minor": 15000, "bill_rate_from": "2026-01-01"}); r.Status != http.StatusOK {
			t.Fatalf("bob: %d %s", r.Status, r.Body)
		}
		rb, err := e.App.Capacity.BillRates(ctx, acc.ID, []int64{ada.ID, bob.ID, cy.ID}, "2027-12-31")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			user      int64
			day       string
			rate      int64
			source    string
			situation string
		}{
			{ada.ID, "2026-10-31", 9000, capacity.SourceRole, "before her own rate: her role's"},
			{ada.ID, "2026-11-01", 11000, capacity.SourcePerson, "her first own rate"},
			{ada.ID, "2026-11-30", 11000, capacity.SourcePerson, "the day before the change"},
			{ada.ID, "2026-12-01", 12000, capacity.SourcePerson, "her raised rate"},
			{ada.ID, "2027-01-01", 9000, capacity.SourceRole, "her role's again"},
			{bob.ID, "2026-06-01", 15000, capacity.SourcePerson, "an own rate, no role"},
			{bob.ID, "2025-12-31", 0, "", "before it: neither"},
			{cy.ID, "2026-06-01", 0, "", "neither"},
		} {
			if rate, src := rb.Bill(c.user, c.day); rate != c.rate || src != c.source {
				t.Errorf("%s (%s): %d %q, want %d %q", c.situation, c.day, rate, src, c.rate, c.source)
			}
		}
		// Today (2026-12-07 in the tests' clock or later): the person reads their history.
		var got capacity.Person
		e.As(ada).Get(path).JSON(t, &got)
		if len(got.BillRates) != 3 || got.BillRates[0].StartsOn != "2026-11-01" || got.BillRates[2].BillRateMinor != nil {
			t.Errorf("her bill rates: %+v", got.BillRates)
		}
		var seen capacity.Person
		e.As(bob).Get(path).JSON(t, &seen)
		if len(seen.BillRates) != 0 || seen.BillRateMinor != 0 || seen.OwnBillRateMinor != nil {
			t.Errorf("a colleague reads her bill rates: %+v", seen)
		}
	})
}
