package planning

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/api"
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
// Rates have no history in core/capacity (a person's cost rate is the one set now), so a
// period is priced at today's rates; rounding is per row (minutes × rate / 60, half up), and
// the totals are the rows' sums.

// CostRow is a resource's hours and their cost on the project in the period.
type CostRow struct {
	ResourceID int64  `json:"resource_id"`
	UserID     *int64 `json:"user_id"`
	Name       string `json:"name"`
	// RateMinor is the cost per hour that prices the row, in minor units of the account's
	// currency; Priced is false when the resource has none (its costs are then 0).
	RateMinor        int64        `json:"rate_minor" example:"6000"`
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
	rates, err := s.Capacity.Rates(ctx, acc, userIDs)
	if err != nil {
		return nil, err
	}
	roles, err := s.Capacity.Roles(ctx, a, true, api.Page{Limit: 1000})
	if err != nil {
		return nil, err
	}
	roleRate := map[int64]int64{}
	for _, r := range roles.Items {
		roleRate[r.ID] = r.CostRateMinor
	}
	out := &CostReport{ProjectID: projectID, From: from, To: to, Actuals: s.Actuals.Has(), Rows: []CostRow{}, Weeks: make([]CostWeek, len(weeks)), Unpriced: []string{}}
	if out.Currency, err = s.Capacity.Currency(ctx, acc); err != nil {
		return nil, err
	}
	for i, w := range weeks {
		out.Weeks[i] = CostWeek{Week: w.Label, Monday: w.Monday}
	}
	for _, r := range rows {
		row := CostRow{ResourceID: r.resourceID, UserID: r.userID, Name: r.Name, PlannedMinutes: r.Planned, ActualMinutes: r.Actual, Weeks: make([]CostWeekOf, len(r.Weeks))}
		switch {
		case r.userID != nil:
			rt, ok := rates[*r.userID]
			row.RateMinor, row.Priced = rt.Cost, ok && rt.Known
		case r.kind == KindPlaceholder && r.roleID != nil:
			row.RateMinor, row.Priced = roleRate[*r.roleID], true
		}
		if row.Priced && row.RateMinor == 0 {
			row.Priced = false // a role without a cost rate prices nothing either
		}
		if !row.Priced {
			row.RateMinor = 0
			out.Unpriced = append(out.Unpriced, r.Name)
		}
		row.PlannedCostMinor, row.ActualCostMinor = cost(r.Planned, row.RateMinor), cost(r.Actual, row.RateMinor)
		row.DiffMinor = row.ActualCostMinor - row.PlannedCostMinor
		for i, w := range r.Weeks {
			cw := CostWeekOf{Week: w.Week, PlannedCostMinor: cost(w.Planned, row.RateMinor), ActualCostMinor: cost(w.Actual, row.RateMinor)}
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
