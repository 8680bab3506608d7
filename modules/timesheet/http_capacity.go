package timesheet

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
)

// capacityRoutes registers the timesheet settings API (when reminders go).
func (h *handlers) capacityRoutes(r routes) {
	const tag = "Timesheets"
	r.Get("/api/v1/:slug/timesheet-settings", api.Can("timesheet.settings", "read"), h.settings, api.Doc{Summary: "The account's timesheet settings: whether and when (weekday 1–7, hour, in each person's time zone) people whose week is incomplete are reminded", Tag: tag, Response: Settings{}})
	r.Get("/api/v1/:slug/timesheets/:user_id/:week/capacity", api.Can("timesheet.entries", "read"), h.weekCapacity, api.Doc{Summary: "A person's week against their capacity profile: expected minutes per day, logged, remaining, the caps", Tag: tag, Response: CapacityWeek{}})
	r.Put("/api/v1/:slug/timesheet-settings", api.Can("timesheet.settings", "manage"), h.setSettings, api.Doc{Summary: "Change the account's timesheet settings (administrators)", Tag: tag, Request: SettingsPatch{}, Response: Settings{}})
}

func (h *handlers) settings(c *fiber.Ctx) error {
	out, err := h.svc.Settings(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) setSettings(c *fiber.Ctx) error {
	var in SettingsPatch
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetSettings(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) weekCapacity(c *fiber.Ctx) error {
	uid, err := api.PathID(c, "user_id")
	if err != nil {
		return err
	}
	out, err := h.svc.CapacityOfWeek(c.UserContext(), actor.From(c), uid, strings.Clone(c.Params("week")))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}
