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

// TestCostRates: a person's own cost rate and a job role's cost rate change from a day on
// (history kept: earlier days keep theirs; the role's first rate holds since always), -1
// giving the person their role's from a day; today's rates and the histories read back; a bad
// day or a day without a rate is a 422 on its field.
func TestCostRates(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		acc := e.NewAccount()
		base := "/api/v1/" + acc.Slug
		owner := e.As(acc.Owner)
		ada := e.NewUser(acc, actor.RoleMember)
		dev := created(t, owner, base+"/job-roles", map[string]any{"name": "Developer", "cost_rate_minor": 5000})
		path := fmt.Sprintf("%s/users/%d/capacity", base, ada.ID)
		rolePath := fmt.Sprintf("%s/job-roles/%d", base, dev)

		for _, c := range []struct {
			path, field string
			body        map[string]any
		}{
			{path, "cost_rate_from", map[string]any{"cost_rate_minor": 100, "cost_rate_from": "2026-02-30"}},
			{path, "cost_rate_minor", map[string]any{"cost_rate_from": "2026-11-01"}},
			{path, "cost_rate_minor", map[string]any{"cost_rate_minor": -5}},
			{rolePath, "cost_rate_from", map[string]any{"cost_rate_minor": 100, "cost_rate_from": "someday"}},
			{rolePath, "cost_rate_minor", map[string]any{"cost_rate_from": "2026-11-01"}},
		} {
			send := owner.Put
			if c.path == rolePath {
				send = owner.Patch
			}
			if r := send(c.path, c.body); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[c.field] == "" {
				t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
			}
		}
		for _, b := range []map[string]any{
			{"role_id": dev},
			{"cost_rate_minor": 6000, "cost_rate_from": "2026-11-01"},
			{"cost_rate_minor": 7000, "cost_rate_from": "2026-12-01"},
			{"cost_rate_minor": -1, "cost_rate_from": "2027-01-01"},
		} {
			if r := owner.Put(path, b); r.Status != http.StatusOK {
				t.Fatalf("%v: %d %s", b, r.Status, r.Body)
			}
		}
		if r := owner.Patch(rolePath, map[string]any{"cost_rate_minor": 5500, "cost_rate_from": "2026-06-01"}); r.Status != http.StatusOK {
			t.Fatalf("role rate: %d %s", r.Status, r.Body)
		}
		cb, err := e.App.Capacity.CostBook(ctx, acc.ID, []int64{ada.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			day       string
			rate      int64
			situation string
		}{
			{"2020-01-01", 5000, "long ago: the role's first rate"},
			{"2026-05-31", 5000, "the day before the role's change"},
			{"2026-06-01", 5500, "the role's new rate"},
			{"2026-11-01", 6000, "her own rate"},
			{"2026-12-01", 7000, "her raised rate"},
			{"2027-01-01", 5500, "her role's again"},
		} {
			if rate, ok := cb.Person(ada.ID, c.day); rate != c.rate || !ok {
				t.Errorf("%s (%s): %d %v, want %d", c.situation, c.day, rate, ok, c.rate)
			}
		}
		if r, ok := cb.Role(dev, "2026-06-01"); r != 5500 || !ok || cb.RoleOf(ada.ID) != dev {
			t.Errorf("the role: %d %v, role of ada %d", r, ok, cb.RoleOf(ada.ID))
		}
		var got capacity.Person
		owner.Get(path).JSON(t, &got)
		if len(got.CostRates) != 3 || got.CostRates[0].StartsOn != "2026-11-01" || got.CostRates[2].CostRateMinor != nil {
			t.Errorf("her cost rates: %+v", got.CostRates)
		}
		var roles struct{ Items []capacity.Role }
		owner.Get(base+"/job-roles").JSON(t, &roles)
		if len(roles.Items) != 1 || roles.Items[0].CostRateMinor != 5500 || len(roles.Items[0].CostRates) != 2 || roles.Items[0].CostRates[0].StartsOn != capacity.Beginning {
			t.Errorf("the role's rates: %+v", roles.Items)
		}
	})
}
