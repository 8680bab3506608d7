package timesheet

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/modules/timesheet/contract"
)

// checkEstimates runs in the transaction of a write that put time on tasks: for each task
// whose logged time now passes its estimate (the projects port's: the sum of its assignees'
// estimates; none for 0), it publishes timesheet.estimate_exceeded and notifies the project's
// leader — once per task and estimate (timesheet_estimate_alerts), so later entries on the
// same task say nothing more until the estimate is raised and passed again.
func (s *Service) checkEstimates(ctx context.Context, tn db.Tenant, a *actor.Actor, tasks ...*int64) error {
	var ids []int64
	for _, t := range tasks {
		if t != nil {
			ids = append(ids, *t)
		}
	}
	if len(ids) == 0 || s.Estimates == nil || !s.Estimates.Has() {
		return nil
	}
	ests, err := s.Estimates.Get().Estimates(ctx, tn.AccountID, ids)
	if err != nil {
		return err
	}
	var estimated []int64
	for id, e := range ests {
		if e.EstimateMinutes > 0 {
			estimated = append(estimated, id)
		}
	}
	if len(estimated) == 0 {
		return nil
	}
	logged, err := s.store.taskMinutes(ctx, tn, estimated)
	if err != nil {
		return err
	}
	for _, id := range estimated {
		e := ests[id]
		if logged[id] <= e.EstimateMinutes {
			continue
		}
		fresh, err := s.store.recordAlert(ctx, tn, &EstimateAlert{TaskID: id, ProjectID: e.ProjectID, EstimateMinutes: e.EstimateMinutes, LoggedMinutes: logged[id], CreatedAt: s.now()})
		if err != nil || !fresh {
			return err
		}
		payload := contract.EstimateEvent{TaskID: id, ProjectID: e.ProjectID, EstimateMinutes: e.EstimateMinutes, LoggedMinutes: logged[id]}
		if _, err := contract.EstimateExceeded.Emit(ctx, tn.Unscoped(), tn.AccountID, a.UserID, payload); err != nil {
			return err
		}
		if s.Notifier == nil || e.LeaderID == 0 {
			continue
		}
		n := automation.Notice{AccountID: tn.AccountID, UserIDs: []int64{e.LeaderID}, EventType: contract.EstimateExceeded.Type,
			Key: "timesheet.notice.estimate_exceeded", Args: []any{"Task", e.Title, "Project", e.ProjectName, "Logged", FormatDuration(logged[id]), "Estimate", FormatDuration(e.EstimateMinutes)},
			Text: fmt.Sprintf("The time logged on %s (%s) passed its estimate: %s of %s.", e.Title, e.ProjectName, FormatDuration(logged[id]), FormatDuration(e.EstimateMinutes)),
			Path: "/tasks/" + strconv.FormatInt(id, 10)}
		if err := s.Notifier.Notify(ctx, tn.Unscoped(), n); err != nil {
			return err
		}
	}
	return nil
}

// timeSpent is the module's side of contract.TimeSpent: the time logged on projects and tasks,
// for the projects module's pages.
type timeSpent struct{ svc *Service }

var _ contract.TimeSpent = timeSpent{}

// Projects sums the time of each project: in all, billable, and in month ("2026-12").
func (p timeSpent) Projects(ctx context.Context, accountID int64, projectIDs []int64, month string) (map[int64]contract.Spent, error) {
	start, err := time.Parse("2006-01", month)
	if err != nil {
		start = p.svc.now()
		start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return p.svc.store.projectMinutes(ctx, p.svc.tenant(accountID), projectIDs, start.Format(DayLayout), start.AddDate(0, 1, 0).Format(DayLayout))
}

// Tasks sums the time of each task.
func (p timeSpent) Tasks(ctx context.Context, accountID int64, taskIDs []int64) (map[int64]int, error) {
	return p.svc.store.taskMinutes(ctx, p.svc.tenant(accountID), taskIDs)
}
