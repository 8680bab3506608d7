package timesheet

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
	"groupcamp/modules/timesheet/contract"
)

// budgets registers project budgets: the event of their thresholds, the API and the pages.
func (h *handlers) budgets(r routes) {
	r.Publish(contract.BudgetThreshold)
	h.budgetRoutes(r)
	h.budgetPageRoutes(r)
	r.Nav(web.NavItem{Label: "timesheet.budgets.nav", Path: "/timesheet/budgets", Object: "timesheet.budgets", Action: "read", Order: 31})
}

// budgetRoutes registers the budget API (service_budgets.go).
func (h *handlers) budgetRoutes(r routes) {
	const tag = "Timesheets"
	read, manage := api.Can("timesheet.budgets", "read"), api.Can("timesheet.budgets", "manage")
	const lines = "/api/v1/:slug/projects/:id/budget-lines"
	r.Get(lines, read, h.budgetLines, api.Doc{Summary: "A project's budget lines (amounts for its leader and the administrators only)", Tag: tag, Response: api.List[BudgetLine]{}})
	r.Post(lines, manage, h.createBudgetLine, api.Doc{Summary: "Add a budget line: the project's total or a job role's, planned minutes and/or amount, optional days (the leader, administrators)", Tag: tag, Request: BudgetLineInput{}, Response: BudgetLine{}, Status: 201})
	r.Patch(lines+"/:line_id", manage, h.updateBudgetLine, api.Doc{Summary: "Change a budget line (the leader, administrators)", Tag: tag, Request: BudgetLinePatch{}, Response: BudgetLine{}})
	r.Delete(lines+"/:line_id", manage, h.deleteBudgetLine, api.Doc{Summary: "Delete a budget line (the leader, administrators)", Tag: tag, Status: 204})
	r.Get("/api/v1/:slug/projects/:id/budget", read, h.budget, api.Doc{Summary: "A project's budget: per line planned, spent (approved time at cost), pending, % used, remaining; totals; the burn-down by week", Tag: tag, Response: Budget{}})
}

func (h *handlers) budgetLines(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.BudgetLines(c.UserContext(), actor.From(c), pid)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, api.List[BudgetLine]{Items: out})
}

func (h *handlers) createBudgetLine(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in BudgetLineInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateBudgetLine(c.UserContext(), actor.From(c), pid, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) updateBudgetLine(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	id, err := api.PathID(c, "line_id")
	if err != nil {
		return err
	}
	var in BudgetLinePatch
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.UpdateBudgetLine(c.UserContext(), actor.From(c), pid, id, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) deleteBudgetLine(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	id, err := api.PathID(c, "line_id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteBudgetLine(c.UserContext(), actor.From(c), pid, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handlers) budget(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.Budget(c.UserContext(), actor.From(c), pid)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}
