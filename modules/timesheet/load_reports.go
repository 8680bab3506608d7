package timesheet

import (
	"context"
	"errors"

	"groupcamp/core/load"
)

// loadReport is the load tool's report request: the seeded weeks' month (November 2026) by
// project then person, as the run's role reads it — all of it for an administrator, their
// teams' and projects' for a manager, their own for a member. The seed gives each manager and
// member 35 hours a week, so a report without time is an error.
func loadReport(ctx context.Context, w *load.Worker) error {
	r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/reports/time?group_by=project&then_by=user&from=2026-11-01&to=2026-11-30")
	if err != nil {
		return err
	}
	var rep TimeReport
	if err := r.JSON(&rep); err != nil {
		return err
	}
	if rep.Totals.Minutes == 0 && len(loadWeeks) > 0 {
		return errors.New("a report of the seeded month without time")
	}
	return nil
}
