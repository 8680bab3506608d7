package projects

import (
	"context"
	"fmt"

	"groupcamp/core/actor"
)

// The time logged on projects and tasks, read from the timesheet module through its optional
// port (timesheet/contract.TimeSpent, resolved in module.go) so that projects never imports
// it: the project overview shows the project's total, billable and this month's time; the task
// page and the task list the time logged on each task beside its estimate. Only colleagues who
// keep time see it (clients never do); without the timesheet module nothing shows.

// timeShown is a project's time as the overview shows it ("7:30").
type timeShown struct {
	Total, Billable, Month string
}

// seesTime reports whether the reader is shown time: the timesheet is there, and they keep
// time themselves (never a client).
func (s *Service) seesTime(a *actor.Actor) bool {
	return s.spent != nil && s.spent.Has() && !scopeOf(a).Client && a.May("timesheet.entries", "read")
}

// clockText writes minutes as hours and minutes ("7:30"), as the timesheet does.
func clockText(minutes int) string { return fmt.Sprintf("%d:%02d", minutes/60, minutes%60) }

// projectTime is the time logged on the project (nil when the reader is shown none); month
// is today's ("2026-12").
func (s *Service) projectTime(ctx context.Context, a *actor.Actor, projectID int64, month string) (*timeShown, error) {
	if !s.seesTime(a) {
		return nil, nil
	}
	m, err := s.spent.Get().Projects(ctx, a.AccountID(), []int64{projectID}, month)
	if err != nil {
		return nil, err
	}
	sp := m[projectID]
	return &timeShown{Total: clockText(sp.Minutes), Billable: clockText(sp.BillableMinutes), Month: clockText(sp.MonthMinutes)}, nil
}

// taskTime is what each task's line says of its time: logged, and of its estimate when it has
// one ("1:30 / 2:00"); Over marks time past the estimate. Nil when the reader is shown none.
type taskTime struct {
	Text string
	Over bool
}

// taskTimes reads the time of the tasks in one call.
func (s *Service) taskTimes(ctx context.Context, a *actor.Actor, ts []*Task) (map[int64]*taskTime, error) {
	if !s.seesTime(a) || len(ts) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	logged, err := s.spent.Get().Tasks(ctx, a.AccountID(), ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*taskTime, len(ts))
	for _, t := range ts {
		var est int64
		for _, as := range t.Assignees {
			est += as.EstimateMinutes
		}
		m, ok := logged[t.ID]
		if !ok && est == 0 {
			continue
		}
		tt := taskTime{Text: clockText(m)}
		if est > 0 {
			tt.Text += " / " + clockText(int(est))
			tt.Over = int64(m) > est
		}
		out[t.ID] = &tt
	}
	return out, nil
}

// rowTasks are the tasks of the lines.
func rowTasks(rows []taskRow) []*Task {
	out := make([]*Task, len(rows))
	for i := range rows {
		out[i] = rows[i].Task
	}
	return out
}
