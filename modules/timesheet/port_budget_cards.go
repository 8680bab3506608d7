package timesheet

import (
	"context"
	"errors"
	"strconv"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	"groupcamp/modules/timesheet/contract"
)

// budgetCards is the timesheet side of the project overview's budget card
// (contract.BudgetCards): the budget page's totals and burn-down, for who may read it there.
type budgetCards struct{ svc *Service }

var _ contract.BudgetCards = budgetCards{}

func (c budgetCards) Card(ctx context.Context, a *actor.Actor, projectID int64, t func(string, ...any) string) (*contract.BudgetCard, error) {
	if a == nil || a.Account == nil || a.Role == actor.RoleClient || !a.May("timesheet.budgets", "read") {
		return nil, nil
	}
	b, err := c.svc.Budget(ctx, a, projectID)
	var p *problem.Problem
	if errors.As(err, &p) && (p.Status == 404 || p.Status == 403) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(b.Lines) == 0 {
		return nil, nil
	}
	return &contract.BudgetCard{
		Percent: b.Totals.Percent,
		Spent:   HoursText(b.Totals.SpentMinutes),
		Planned: HoursText(b.Totals.PlannedMinutes),
		Level:   levelClass(b.Totals.Percent),
		Chart:   burnChart(b.Burn, t("timesheet.budgets.chart_spent"), t("timesheet.budgets.chart_planned"), t("timesheet.budgets.chart_caption", "Project", b.ProjectName)),
		URL:     "/" + a.Account.Slug + "/timesheet/budgets/" + strconv.FormatInt(projectID, 10),
	}, nil
}
