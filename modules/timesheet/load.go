package timesheet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// loadWeeks are the weeks the seed fills for every colleague (Monday to Friday, 7 hours a day
// on two projects).
var loadWeeks = []string{"2026-W45", "2026-W46", "2026-W47", "2026-W48"}

// Load is the timesheet module's part of the load tool (cmd/gcload): a seed of four weeks of
// time for every manager and member on the projects module's seeded projects, and the
// requests of the timesheet API as the run's role — their week, their entries of a month, and
// logging time (on a day of its own far ahead, so that no day passes 24 hours).
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "timesheet",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "timesheet.week", Endpoint: "GET /api/v1/{slug}/timesheets/{user_id}/{week}", Weight: 2, Run: func(ctx context.Context, w *load.Worker) error {
				me, err := myID(ctx, w)
				if err != nil {
					return err
				}
				r, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/timesheets/%d/%s", w.Env.Slug, me, loadWeeks[w.Rand.IntN(len(loadWeeks))]))
				if err != nil {
					return err
				}
				var t Timesheet
				if err := r.JSON(&t); err != nil {
					return err
				}
				if t.TotalMinutes == 0 {
					return errors.New("an empty seeded week")
				}
				return nil
			}},
			{Name: "timesheet.entries", Endpoint: "GET /api/v1/{slug}/time-entries?from=&to=", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				_, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/time-entries?from=2026-11-02&to=2026-11-29&limit=200")
				return err
			}},
			{Name: "timesheet.report", Endpoint: "GET /api/v1/{slug}/reports/time?group_by=project&then_by=user", Weight: 1, Run: loadReport}, // load_reports.go
			{Name: "timesheet.create", Endpoint: "POST /api/v1/{slug}/time-entries", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				ids, _ := w.Env.Get("projects.ids").([]int64)
				if len(ids) == 0 {
					return errors.New("no seeded project to log time on")
				}
				day := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, w.Rand.IntN(3650))
				_, err := w.Post(ctx, "/api/v1/"+w.Env.Slug+"/time-entries", map[string]any{"date": day.Format(DayLayout), "duration": "0:15",
					"project_id": ids[w.Rand.IntN(len(ids))], "note": "load"})
				return err
			}},
			// The team view of a seeded week as an administrator (every colleague); only with -scenarios.
			{Name: "timesheet.team", Endpoint: "GET /api/v1/{slug}/timesheets?week=", Role: actor.RoleAdmin, Run: func(ctx context.Context, w *load.Worker) error {
				_, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/timesheets?week="+loadWeeks[w.Rand.IntN(len(loadWeeks))])
				return err
			}},
			budgetScenario,
			invoicingScenario, // load_invoicing.go
		},
	}
}

// myID is the worker's own user id (GET /api/v1/me once, then kept).
func myID(ctx context.Context, w *load.Worker) (int64, error) {
	if id, ok := w.Data["timesheet.me"].(int64); ok {
		return id, nil
	}
	r, err := w.Get(ctx, "/api/v1/me")
	if err != nil {
		return 0, err
	}
	var me struct {
		User struct{ ID int64 } `json:"user"`
	}
	if err := r.JSON(&me); err != nil || me.User.ID == 0 {
		return 0, fmt.Errorf("GET /api/v1/me: no user id (%v)", err)
	}
	w.Data["timesheet.me"] = me.User.ID
	return me.User.ID, nil
}

// seedLoad logs, for every manager and member, four weeks of time through the API (as each
// person, with their token): per working day 5 hours on one seeded project and 2 of meetings
// (a project category) on another.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	ids, _ := env.Get("projects.ids").([]int64)
	if len(ids) == 0 {
		return nil
	}
	meetings, err := seedLoadCategory(ctx, env) // load_categories.go
	if err != nil {
		return err
	}
	people := append(env.ByRole(actor.RoleManager), env.ByRole(actor.RoleMember)...)
	for i, p := range people {
		api := env.API(p)
		for _, wk := range loadWeeks {
			w, _ := ParseWeek(wk)
			for d, day := range w.Days()[:5] {
				for j, minutes := range []int{300, 120} {
					in := EntryInput{Date: day, Minutes: minutes, ProjectID: ids[(i+d+j)%len(ids)], CategoryID: int64(j) * meetings, Note: "Seeded"}
					if err := api.Post(ctx, "/api/v1/"+env.Slug+"/time-entries", in, nil); err != nil {
						return fmt.Errorf("timesheet: seed %s: %w", p.Email, err)
					}
				}
			}
		}
		env.Progressf("timesheet: %d of %d people", i+1, len(people))
	}
	if err := seedBudgets(ctx, env, ids); err != nil {
		return err
	}
	return seedInvoicingLoad(ctx, env, ids)
}
