package planning

import (
	"context"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/problem"
)

// Planned cost against actual cost: plan vs actual priced at cost rates. A person's hours are
// priced at their cost rate (core/capacity: their own, else their job role's), a placeholder's
// at its job role's; equipment, rooms and people with neither rate are listed as unpriced
// (their hours count, their cost is 0), so that a missing rate shows instead of hiding in a
// total. Cost rates are confidential: the capability planning.costs is held by the roles that
// read and set rates (capacity manage: administrators and the owner), and the service checks
// it again so that no other caller of Costs gets money.
//
// Each day is priced at the rate in force that day (core/capacity keeps the history of
// people's and roles' cost rates): a past period keeps the rates it had. Rounding is per run
// of days at one rate (minutes × rate / 60, half up) — over the row for its cost, over the
// week for its weeks — and the totals are the rows' sums.

// CostRow is a resource's hours and their cost on the project in the period.
type CostRow struct {
	ResourceID int64  `json:"resource_id"`
	UserID     *int64 `json:"user_id"`
	Name       string `json:"name"`
	// RateMinor is the cost per hour in force on the period's last day, in minor units of the
	// account's currency; RateChanged is true when the rate changed within the period (each
	// day is priced at its own). Priced is false when the resource has no rate on any day of
	// the period (its costs are then 0).
	RateMinor        int64        `json:"rate_minor" example:"6000"`
	RateChanged      bool         `json:"rate_changed"`
	Priced           bool         `json:"priced"`
	PlannedMinutes   int          `json:"planned_minutes"`
	ActualMinutes    int          `json:"actual_minutes"`
	PlannedCostMinor int64        `json:"planned_cost_minor" example:"48000"`
	ActualCostMinor  int64        `json:"actual_cost_minor" example:"15000"`
	DiffMinor        int64        `json:"diff_minor" example:"-33000"`
	Weeks            []CostWeekOf `json:"weeks"`
}

// CostWeekOf is a row's cost in one ISO week.
type CostWeekOf struct {
	Week             string `json:"week" example:"2027-W01"`
	PlannedCostMinor int64  `json:"planned_cost_minor"`
	ActualCostMinor  int64  `json:"actual_cost_minor"`
}

// CostWeek is the project's cost in one ISO week, every row summed (the chart's bars).
type CostWeek struct {
	Week             string `json:"week" example:"2027-W01"`
	Monday           string `json:"monday" format:"date"`
	PlannedCostMinor int64  `json:"planned_cost_minor"`
	ActualCostMinor  int64  `json:"actual_cost_minor"`
}

// CostTotals sum the rows.
type CostTotals struct {
	PlannedMinutes   int   `json:"planned_minutes"`
	ActualMinutes    int   `json:"actual_minutes"`
	PlannedCostMinor int64 `json:"planned_cost_minor"`
	ActualCostMinor  int64 `json:"actual_cost_minor"`
	DiffMinor        int64 `json:"diff_minor"`
}

// CostReport is planned cost against actual cost for a project and a period.
type CostReport struct {
	ProjectID int64  `json:"project_id"`
	From      string `json:"from" format:"date"`
	To        string `json:"to" format:"date"`
	Currency  string `json:"currency" example:"EUR"`
	// Actuals is false when the timesheet module is not running: actual costs are then 0.
	Actuals bool       `json:"actuals"`
	Rows    []CostRow  `json:"rows"`
	Weeks   []CostWeek `json:"weeks"`
	Totals  CostTotals `json:"totals"`
	// Unpriced are the names of the rows without a cost rate.
	Unpriced []string `json:"unpriced"`

	money func(minor int64, currency string) string // the reader's format of amounts (pages)
	num   func(n any) string                        // and of numbers
}

// seesCosts reports whether the actor may see money: cost rates are the administrators'.
func seesCosts(a *actor.Actor) bool { return a.May("planning.costs", "read") }

// cost prices minutes at a rate per hour, rounded half up.
func cost(minutes int, rate int64) int64 {
	v := int64(minutes) * rate
	if v >= 0 {
		return (v + 30) / 60
	}
	return -((-v + 30) / 60)
}

// Costs prices plan vs actual (PlanActual) at cost rates.
func (s *Service) Costs(ctx context.Context, a *actor.Actor, projectID int64, from, to string) (*CostReport, error) {
	if !seesCosts(a) {
		return nil, problem.Forbidden("cost rates are confidential")
	}
	weeks, rows, err := s.PlanActual(ctx, a, projectID, from, to)
	if err != nil {
		return nil, err
	}
	return s.price(ctx, a, projectID, from, to, weeks, rows)
}

// price prices the weeks and rows of PlanActual (the page has them already).
func (s *Service) price(ctx context.Context, a *actor.Actor, projectID int64, from, to string, weeks []Week, rows []PlanRow) (*CostReport, error) {
	if !seesCosts(a) {
		return nil, problem.Forbidden("cost rates are confidential")
	}
	acc := a.AccountID()
	var userIDs []int64
	for _, r := range rows {
		if r.userID != nil {
			userIDs = append(userIDs, *r.userID)
		}
	}
	days := make([]string, 7*len(weeks))
	for w, wk := range weeks {
		m, err := time.Parse(capacity.DayLayout, wk.Monday)
		if err != nil {
			return nil, err
		}
		for i := range 7 {
			days[7*w+i] = m.AddDate(0, 0, i).Format(capacity.DayLayout)
		}
	}
	last := to
	if len(days) > 0 {
		last = days[len(days)-1]
	}
	book, err := s.Capacity.CostBook(ctx, acc, userIDs, last)
	if err != nil {
		return nil, err
	}
	out := &CostReport{ProjectID: projectID, From: from, To: to, Actuals: s.Actuals.Has(), Rows: []CostRow{}, Weeks: make([]CostWeek, len(weeks)), Unpriced: []string{}}
	if out.Currency, err = s.Capacity.Currency(ctx, acc); err != nil {
		return nil, err
	}
	for i, w := range weeks {
		out.Weeks[i] = CostWeek{Week: w.Label, Monday: w.Monday}
	}
	rates := make([]int64, len(days))
	for _, r := range rows {
		row := CostRow{ResourceID: r.resourceID, UserID: r.userID, Name: r.Name, PlannedMinutes: r.Planned, ActualMinutes: r.Actual, Weeks: make([]CostWeekOf, len(r.Weeks))}
		for i, day := range days {
			switch {
			case r.userID != nil:
				rates[i], _ = book.Person(*r.userID, day)
			case r.kind == KindPlaceholder && r.roleID != nil:
				rates[i], _ = book.Role(*r.roleID, day)
			default:
				rates[i] = 0
			}
			row.Priced = row.Priced || rates[i] > 0 // a role without a cost rate prices nothing either
			row.RateChanged = row.RateChanged || (i > 0 && rates[i] != rates[i-1])
		}
		if len(rates) > 0 {
			row.RateMinor = rates[len(rates)-1]
		}
		if !row.Priced {
			row.RateMinor, row.RateChanged = 0, false
			out.Unpriced = append(out.Unpriced, r.Name)
		}
		row.PlannedCostMinor, row.ActualCostMinor = costOfDays(r.plannedDays, rates), costOfDays(r.actualDays, rates)
		row.DiffMinor = row.ActualCostMinor - row.PlannedCostMinor
		for i, w := range r.Weeks {
			span := rates[7*i : 7*i+7]
			cw := CostWeekOf{Week: w.Week, PlannedCostMinor: costOfDays(r.plannedDays[7*i:7*i+7], span), ActualCostMinor: costOfDays(r.actualDays[7*i:7*i+7], span)}
			row.Weeks[i] = cw
			out.Weeks[i].PlannedCostMinor += cw.PlannedCostMinor
			out.Weeks[i].ActualCostMinor += cw.ActualCostMinor
		}
		out.Totals.PlannedMinutes += row.PlannedMinutes
		out.Totals.ActualMinutes += row.ActualMinutes
		out.Totals.PlannedCostMinor += row.PlannedCostMinor
		out.Totals.ActualCostMinor += row.ActualCostMinor
		out.Rows = append(out.Rows, row)
	}
	out.Totals.DiffMinor = out.Totals.ActualCostMinor - out.Totals.PlannedCostMinor
	return out, nil
}

// costOfDays prices minutes per day at the rate of each day, rounding once per run of days
// at one rate (so that a period at one rate costs its minutes × rate, rounded once).
func costOfDays(minutes []int, rates []int64) int64 {
	var total int64
	run := 0
	for i, m := range minutes {
		if i > 0 && rates[i] != rates[i-1] {
			total += cost(run, rates[i-1])
			run = 0
		}
		run += m
	}
	if len(minutes) > 0 {
		total += cost(run, rates[len(minutes)-1])
	}
	return total
}
