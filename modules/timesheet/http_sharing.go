package timesheet

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// sharingRoutes registers the sharing of a project's time report (the API, the switch on the
// reports page) and the client's portal section (service_sharing.go).
func (h *handlers) sharingRoutes(r routes) {
	const tag = "Timesheets"
	manage, portal := api.Can("timesheet.sharing", "manage"), api.Can("timesheet.portal", "read")
	r.Get("/api/v1/:slug/projects/:project_id/time-share", manage, api.One("project_id", h.svc.TimeShare), api.Doc{Summary: "Whether the project's time report is shared with its client company (the project's leader, administrators)", Tag: tag, Response: TimeShare{}})
	r.Put("/api/v1/:slug/projects/:project_id/time-share", manage, api.Update("project_id", h.svc.SetTimeShare), api.Doc{Summary: "Share the project's time report with its client company (its client users read the approved billable time by week in the extranet; names only with show_names), or stop; audited", Tag: tag,
		Request: ShareInput{}, Response: TimeShare{}})
	r.Post("/:slug/timesheet/reports/share/:project_id", manage, h.shareForm)
	r.Get("/:slug/portal/time", portal, h.portalIndex)
	r.Get("/:slug/portal/time/:project_id", portal, h.portalReport)
	r.Portal(hooks.PortalSection{Key: "time", Label: "timesheet.portal.title", Path: "/portal/time", Order: 40})
}

// shareForm is the switch of the reports page: shared and show_names checkboxes.
func (h *handlers) shareForm(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "project_id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "shared", "show_names")
	on := form.Get("shared") == "1"
	sh, err := h.svc.SetTimeShare(c.UserContext(), actor.From(c), pid, ShareInput{Shared: &on, ShowNames: form.Get("show_names") == "1"})
	back := "/" + actor.From(c).Account.Slug + "/timesheet/reports?project=" + strconv.FormatInt(pid, 10)
	if pr, ok := problem.As(err); ok && pr.Status == fiber.StatusUnprocessableEntity {
		web.Flash(c, "error", "timesheet.share.flash.no_client")
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	key := "timesheet.share.flash.off"
	if sh.Shared {
		key = "timesheet.share.flash.on"
	}
	return web.Done(c, key, back)
}

// portalData is what the client's time pages show: the shared projects, or one's report.
type portalData struct {
	Shares []TimeShare
	Report *ClientReport
	Weeks  []portalWeek
	Total  string
}

type portalWeek struct {
	ClientWeek
	Time   string
	People [][2]string // name, time
}

func (h *handlers) portalIndex(c *fiber.Ctx) error {
	shares, err := h.svc.ClientShares(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "timesheet.portal.title")
	p.Data = &portalData{Shares: shares}
	return h.web.Render(c, "timesheet/portal", p)
}

func (h *handlers) portalReport(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "project_id")
	if err != nil {
		return err
	}
	rep, err := h.svc.ClientReport(c.UserContext(), actor.From(c), pid)
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "timesheet.portal.title")
	d := &portalData{Report: rep, Total: hm(rep.Minutes)}
	for _, w := range rep.Weeks {
		pw := portalWeek{ClientWeek: w, Time: hm(w.Minutes)}
		for _, who := range w.People {
			name := who.Name
			if name == FormerColleague {
				name = p.T("timesheet.invoicing.former")
			}
			pw.People = append(pw.People, [2]string{name, hm(who.Minutes)})
		}
		d.Weeks = append(d.Weeks, pw)
	}
	p.Data = d
	return h.web.Render(c, "timesheet/portal", p)
}
