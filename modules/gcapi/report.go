package gcapi

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	projects "groupcamp/modules/projects/contract"
	timesheet "groupcamp/modules/timesheet/contract"
)

// GET track/v1/report: per project, its leaders and tags, its budget and the time spent on it
// (in its dates, and in all).

// MaxReportProjects bounds the projects of one report.
const MaxReportProjects = 1000

// ProjectReport is one project of the report (ProjectReport.md).
type ProjectReport struct {
	Project       ProjectInReport `json:"project"`
	Budget        *BudgetInReport `json:"budget,omitempty"`
	BudgetMissing string          `json:"budget_missing,omitempty"`
	TimeInDates   TimeInReport    `json:"time_indates"`
	TimeTotal     TimeInReport    `json:"time_total"`
}

// ProjectInReport is the project (ProjectInReport.md).
type ProjectInReport struct {
	GroupID   string      `json:"group_id"`
	Name      string      `json:"name"`
	GroupName string      `json:"group_name"`
	State     string      `json:"state"`
	Leader1   *SimpleUser `json:"leader1"`
	Leader2   *SimpleUser `json:"leader2"`
	RichTags  []STag      `json:"rich_tags"`
	TagsNames []string    `json:"tags_names"`
}

// STag is a tag (STag.md): our tags are names, their id is the name.
type STag struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// BudgetInReport is the budget's summary (BudgetInReport.md).
type BudgetInReport struct {
	Type     string `json:"type"`
	TimeUnit string `json:"time_unit"`
	Work     int64  `json:"work"`
	Currency string `json:"currency,omitempty"`
	Amount   int64  `json:"amount"`
}

// TimeInReport is the time spent (TimeInReport.md); costs are 0: see the README.
type TimeInReport struct {
	TimeUnit     string `json:"time_unit"`
	TotalTime    int64  `json:"total_time"`
	BillableTime int64  `json:"billable_time"`
	UserCost     int64  `json:"user_cost"`
	RoleCost     int64  `json:"role_cost"`
}

// report is GET track/v1/report.
func (h *handlers) report(c *fiber.Ctx, a *actor.Actor) error {
	f := projects.GroupFilter{States: []string{"active", "archived"}}
	var err error
	for _, p := range []string{"name", "search", "user", "leader", "managing", "project_type"} {
		if len(c.Context().QueryArgs().PeekMulti(p)) > 1 {
			return badParam(p, "multiple")
		}
		if len(c.Query(p)) > 200 {
			return badParam(p, "too_long")
		}
	}
	f.Name, f.Search = c.Query("name"), c.Query("search")
	switch c.Query("project_type") {
	case "":
	case "internal":
		f.InternalOnly = true
	case "customer":
		f.ClientOnly = true
	default:
		return badParam("project_type", "invalid")
	}
	people := map[string]int64{}
	for _, p := range []string{"user", "leader", "managing"} {
		if v := c.Query(p); v != "" {
			if people[p], err = h.userRef(c, a, v); err != nil {
				if err == notFound {
					return result(c, []ProjectReport{})
				}
				return badParam(p, "invalid")
			}
		}
	}
	f.UserID = people["user"]
	tags := c.Context().QueryArgs().PeekMulti("tag_name")
	if len(tags) > MaxMulti {
		return badParam("tag_name", "too_many")
	}
	gs, err := h.groups.Get().List(c.UserContext(), a, f)
	if err != nil {
		return err
	}
	kept := gs[:0]
	for _, g := range gs {
		if keepInReport(g, people, tags) {
			kept = append(kept, g)
		}
	}
	if len(kept) > MaxReportProjects {
		kept = kept[:MaxReportProjects]
	}
	return h.writeReport(c, a, kept)
}

func keepInReport(g projects.Group, people map[string]int64, tags [][]byte) bool {
	if uid := people["leader"]; uid != 0 && g.LeaderID != uid && g.AssistantLeaderID != uid {
		return false
	}
	if uid := people["managing"]; uid != 0 && g.LeaderID != uid && g.AssistantLeaderID != uid && g.Members[uid] != "manager" {
		return false
	}
	for _, t := range tags {
		name := strings.TrimSpace(string(t))
		if name == "" {
			if len(g.Tags) > 0 {
				return false
			}
			continue
		}
		if !slices.ContainsFunc(g.Tags, func(s string) bool { return strings.EqualFold(s, name) }) {
			return false
		}
	}
	return true
}

func (h *handlers) writeReport(c *fiber.Ctx, a *actor.Actor, gs []projects.Group) error {
	ctx := c.UserContext()
	ids, uids := make([]int64, len(gs)), []int64{}
	for i, g := range gs {
		ids[i] = g.ID
		uids = append(uids, g.LeaderID, g.AssistantLeaderID)
	}
	ms, err := h.members(c, a, uids)
	if err != nil {
		return err
	}
	spent := map[int64]timesheet.Spent{}
	if h.spent.Has() && len(ids) > 0 {
		if spent, err = h.spent.Get().Projects(ctx, a.AccountID(), ids, time.Now().UTC().Format("2006-01")); err != nil {
			return err
		}
	}
	out := make([]ProjectReport, 0, len(gs))
	for _, g := range gs {
		r := ProjectReport{Project: ProjectInReport{GroupID: id(g.ID), Name: g.Name, GroupName: g.Name, State: state(g.State),
			Leader1: personOrNil(ms, g.LeaderID), Leader2: personOrNil(ms, g.AssistantLeaderID), RichTags: []STag{}, TagsNames: g.Tags}}
		for _, t := range g.Tags {
			r.Project.RichTags = append(r.Project.RichTags, STag{ID: t, Name: t, Type: "tag"})
		}
		sp := spent[g.ID]
		r.TimeTotal = TimeInReport{TimeUnit: "s", TotalTime: int64(sp.Minutes) * 60, BillableTime: int64(sp.BillableMinutes) * 60}
		r.TimeInDates = r.TimeTotal
		if (g.StartsOn != "" || g.EndsOn != "") && sp.Minutes > 0 {
			if r.TimeInDates, err = h.timeIn(c, a, g); err != nil {
				return err
			}
		}
		b, err := h.times.Get().Budget(ctx, a, g.ID)
		switch {
		case err != nil && !isNotFound(err):
			return err
		case err != nil || len(b.Lines) == 0:
			r.BudgetMissing = "no_budget"
		default:
			full := budgetOf(g.ID, b, false, false)
			r.Budget = &BudgetInReport{Type: full.Type, TimeUnit: "s", Work: full.Work, Currency: full.Currency, Amount: full.Amount}
		}
		out = append(out, r)
	}
	return result(c, out)
}

// timeIn sums the project's time logs within its dates.
func (h *handlers) timeIn(c *fiber.Ctx, a *actor.Actor, g projects.Group) (TimeInReport, error) {
	q := timesheet.TimeLogQuery{From: g.StartsOn, To: g.EndsOn, ProjectID: g.ID, Limit: 1000}
	if q.From == "" {
		q.From = "0001-01-01"
	}
	if q.To == "" {
		q.To = "9999-12-31"
	}
	out := TimeInReport{TimeUnit: "s"}
	for {
		rows, err := h.times.Get().Entries(c.UserContext(), a.AccountID(), q)
		if err != nil {
			return out, err
		}
		for _, r := range rows {
			out.TotalTime += int64(r.Minutes) * 60
			if r.Billable {
				out.BillableTime += int64(r.Minutes) * 60
			}
		}
		if len(rows) < q.Limit {
			return out, nil
		}
		q.After = rows[len(rows)-1].ID
	}
}
