package timesheet

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// timerRoutes registers the timers, the period lock and the team view: the API here, the pages
// in pages_timers.go.
func (h *handlers) timerRoutes(r routes) {
	const tag = "Timesheets"
	read, write := api.Can("timesheet.entries", "read"), api.Can("timesheet.entries", "write")
	r.Get("/api/v1/:slug/timers/current", read, h.currentTimer, api.Doc{Summary: "Your running timer (timer null when none runs)", Tag: tag, Response: CurrentTimer{}})
	r.Post("/api/v1/:slug/timers/start", write, h.startTimer, api.Doc{Summary: "Start a timer on a task, a project or a category; a running one is stopped first (its entry is returned as stopped)",
		Tag: tag, Request: TimerStart{}, Response: TimerStarted{}, Status: 201})
	r.Post("/api/v1/:slug/timers/stop", write, h.stopTimer, api.Doc{Summary: "Stop your timer: an entry of the elapsed minutes on the day it started (409 asking for stopped_at when it ran past midnight)",
		Tag: tag, Request: TimerStop{}, Response: Entry{}, Status: 201})
	r.Delete("/api/v1/:slug/timers/current", write, h.discardTimer, api.Doc{Summary: "Discard your running timer: nothing is logged", Tag: tag, Status: 204})

	r.Get("/api/v1/:slug/timesheet/lock", read, h.lock, api.Doc{Summary: "The period lock: no time changes on a day before locked_before", Tag: tag, Response: PeriodLock{}})
	r.Put("/api/v1/:slug/timesheet/lock", api.Can("timesheet.lock", "manage"), h.setLock, api.Doc{Summary: "Move the period lock (administrators; audited); an empty locked_before lifts it",
		Tag: tag, Request: LockInput{}, Response: PeriodLock{}})

	r.Get("/api/v1/:slug/timesheets", api.Can("timesheet.team", "read"), h.teamWeek, api.Doc{Summary: "The team view of a week: minutes per day, total and state of each person a manager oversees (administrators: everyone)",
		Tag: tag, Response: TeamWeek{}, Query: []api.Param{
			{Name: "week", Type: "string", Description: "ISO week (2026-W49); default this week"},
			{Name: "team", Type: "integer", Format: "int64", Description: "only this team's people"},
			{Name: "limit", Type: "integer", Description: "people per page, by name (1 to 200, default 50)"},
			{Name: "cursor", Description: "the next_cursor of the previous page"}}})
	h.timerPages(r)
}

func (h *handlers) currentTimer(c *fiber.Ctx) error {
	t, err := h.svc.Current(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, CurrentTimer{Timer: t})
}

func (h *handlers) startTimer(c *fiber.Ctx) error {
	var in TimerStart
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.StartTimer(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) stopTimer(c *fiber.Ctx) error {
	var in TimerStop
	if len(c.Request().Body()) > 0 {
		if err := api.Decode(c, &in); err != nil {
			return err
		}
	}
	out, err := h.svc.StopTimer(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) discardTimer(c *fiber.Ctx) error {
	if err := h.svc.DiscardTimer(c.UserContext(), actor.From(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handlers) lock(c *fiber.Ctx) error {
	out, err := h.svc.Lock(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) setLock(c *fiber.Ctx) error {
	var in LockInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	in.LockedBefore = strings.TrimSpace(in.LockedBefore)
	out, err := h.svc.SetLock(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

// teamQuery reads the week (default: this week) and the team of the query.
func (h *handlers) teamQuery(c *fiber.Ctx) (string, int64, error) {
	var f problem.Fields
	team := queryID(c, "team", &f)
	week := strings.Clone(c.Query("week"))
	if week == "" {
		week = WeekOf(h.svc.now()).String()
	}
	return week, team, f.Err()
}

func (h *handlers) teamWeek(c *fiber.Ctx) error {
	week, team, err := h.teamQuery(c)
	if err != nil {
		return err
	}
	pg, err := api.ParseKeyPage(c)
	if err != nil {
		return err
	}
	out, err := h.svc.TeamWeek(c.UserContext(), actor.From(c), week, team, pg)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}
