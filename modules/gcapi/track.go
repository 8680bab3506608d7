package gcapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/identity"
	timesheet "groupcamp/modules/timesheet/contract"
)

// track/v1 (reporting): time logs are our time entries, budgets our project budgets. Times
// are seconds (time_unit "s": our accounts count hours) and the Duration objects carry both
// units; amounts are thousandths of the currency (our minor units are hundredths).

// MaxRangeDays is the widest start..end the account-wide listing accepts (TimeLogs.md).
const MaxRangeDays = 42

// MaxTimeLogs bounds one "full" listing of a project's time logs.
const MaxTimeLogs = 100000

// SimpleTimelogCategory is a time category.
type SimpleTimelogCategory struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Timelog is a time entry.
type Timelog struct {
	ID               string                 `json:"id"`
	Name             string                 `json:"name"`
	Date             string                 `json:"date"`
	User             any                    `json:"user"`
	TimeUnit         string                 `json:"time_unit"`
	Duration         Duration               `json:"duration"`
	CreationDate     string                 `json:"creation_date"`
	ModificationDate string                 `json:"modification_date"`
	ModificationUser any                    `json:"modification_user"`
	Billable         bool                   `json:"billable"`
	Owner            any                    `json:"owner"`
	Category         *SimpleTimelogCategory `json:"category"`
	Object           any                    `json:"object"`
}

// taskObject is the task a time log is on.
type taskObject struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Appli string `json:"appli"`
}

// dayRange reads start and end ("YYYY-MM-DD"); required: both must be there.
func dayRange(c *fiber.Ctx, required bool, maxDays int) (string, string, error) {
	from, to := c.Query("start"), c.Query("end")
	if from == "" && to == "" && !required {
		return "0001-01-01", "9999-12-31", nil
	}
	f, errF := time.Parse(time.DateOnly, from)
	if from == "" && !required {
		f, errF, from = time.Time{}, nil, "0001-01-01"
	}
	if errF != nil {
		return "", "", badParam("start", "invalid")
	}
	t, errT := time.Parse(time.DateOnly, to)
	if to == "" && !required {
		t, errT, to = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), nil, "9999-12-31"
	}
	if errT != nil {
		return "", "", badParam("end", "invalid")
	}
	if t.Before(f) {
		return "", "", badParam("end", "before_start")
	}
	if maxDays > 0 && t.Sub(f) > time.Duration(maxDays)*24*time.Hour {
		return "", "", badParam("end", "range_too_long")
	}
	return from, to, nil
}

// timelogs is GET track/v1/timelogs: the account's time logs of at most 42 days.
func (h *handlers) timelogs(c *fiber.Ctx, a *actor.Actor) error {
	if c.Query("token") != "" { // a kept page: its range was checked when it was made
		return h.full(c, a, nil)
	}
	from, to, err := dayRange(c, true, MaxRangeDays)
	if err != nil {
		return err
	}
	return h.full(c, a, func() ([]any, error) { return h.logs(c, a, timesheet.TimeLogQuery{From: from, To: to}) })
}

// groupTimelogs is GET track/v1/group/[Group]/timelogs.
func (h *handlers) groupTimelogs(c *fiber.Ctx, a *actor.Actor) error {
	gid, err := pathID(c, "group")
	if err != nil {
		return err
	}
	if _, err := h.groups.Get().Get(c.UserContext(), a, gid); err != nil {
		return err
	}
	if c.Query("token") != "" {
		return h.full(c, a, nil)
	}
	from, to, err := dayRange(c, false, 0)
	if err != nil {
		return err
	}
	return h.full(c, a, func() ([]any, error) {
		return h.logs(c, a, timesheet.TimeLogQuery{From: from, To: to, ProjectID: gid})
	})
}

// logs reads every entry of q (in batches) as Timelogs, with their people and projects.
func (h *handlers) logs(c *fiber.Ctx, a *actor.Actor, q timesheet.TimeLogQuery) ([]any, error) {
	ctx := c.UserContext()
	var rows []timesheet.TimeLog
	q.Limit = 1000
	for len(rows) < MaxTimeLogs {
		batch, err := h.times.Get().Entries(ctx, a.AccountID(), q)
		if err != nil {
			return nil, err
		}
		rows = append(rows, batch...)
		if len(batch) < q.Limit {
			break
		}
		q.After = batch[len(batch)-1].ID
	}
	var uids, pids []int64
	for _, r := range rows {
		uids = append(uids, r.UserID)
		if r.ProjectID != 0 {
			pids = append(pids, r.ProjectID)
		}
	}
	ms, err := h.members(c, a, uids)
	if err != nil {
		return nil, err
	}
	names, err := h.groups.Get().Names(ctx, a.AccountID(), uniq(pids))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = timelog(r, ms, names)
	}
	return out, nil
}

func timelog(r timesheet.TimeLog, ms map[int64]identity.Member, names map[int64]string) Timelog {
	t := Timelog{ID: id(r.ID), Name: r.Note, Date: r.Day, User: person(ms, r.UserID), TimeUnit: "s", Duration: duration(int64(r.Minutes)),
		CreationDate: dateTime(r.CreatedAt), ModificationDate: dateTime(r.UpdatedAt), ModificationUser: person(ms, r.UserID),
		Billable: r.Billable, Object: nobody}
	var cat *SimpleTimelogCategory
	if r.CategoryID != 0 {
		cat = &SimpleTimelogCategory{ID: id(r.CategoryID), Name: r.CategoryName, Type: "timelogcategory"}
	}
	if r.ProjectID != 0 {
		t.Owner = SimpleGroup{ID: id(r.ProjectID), Name: names[r.ProjectID], Type: "group", GType: "project", State: "ok"}
		t.Category = cat
	} else if cat != nil {
		t.Owner = *cat
	}
	if r.TaskID != 0 {
		t.Object = taskObject{ID: id(r.TaskID), Type: "task", Appli: "task"}
	}
	return t
}

// Budget is a project's budget (doc-reporting/types/Budget.md).
type Budget struct {
	GroupID     string       `json:"group_id"`
	Type        string       `json:"type"`
	TimeUnit    string       `json:"time_unit"`
	Work        int64        `json:"work"`
	Currency    string       `json:"currency,omitempty"`
	Amount      int64        `json:"amount"`
	Dates       Dates        `json:"dates"`
	Description string       `json:"description"`
	Lines       []BudgetLine `json:"lines,omitempty"`
}

// BudgetLine is one line of a budget (BudgetLine.md); spent, role_cost and user_cost only
// with_spent.
type BudgetLine struct {
	Type     string `json:"type"`
	Time     int64  `json:"time"`
	Spent    *int64 `json:"spent,omitempty"`
	UnitCost int64  `json:"unit_cost"`
	Cost     int64  `json:"cost"`
	RoleCost *int64 `json:"role_cost,omitempty"`
	UserCost *int64 `json:"user_cost,omitempty"`
}

// thousandths turns our minor units (hundredths) into GroupCamp's thousandths.
func thousandths(minor int64) int64 { return minor * 10 }

// budget is GET track/v1/budget/[GroupUuid].
func (h *handlers) budget(c *fiber.Ctx, a *actor.Actor) error {
	gid, err := pathID(c, "group")
	if err != nil {
		return err
	}
	detail, err := flag(c, "with_detail")
	if err != nil {
		return err
	}
	spent, err := flag(c, "with_spent")
	if err != nil {
		return err
	}
	b, err := h.times.Get().Budget(c.UserContext(), a, gid)
	if err != nil {
		return err
	}
	if len(b.Lines) == 0 {
		return notFound // no budget
	}
	return result(c, budgetOf(gid, b, detail, spent))
}

// budgetOf is GroupCamp's Budget of ours: its type is that of its lines (role or category
// lines make a budget of that type; their total lines are not added), times in seconds,
// amounts in thousandths.
func budgetOf(gid int64, b *timesheet.BudgetView, detail, spent bool) Budget {
	out := Budget{GroupID: id(gid), Type: "total", TimeUnit: "s", Currency: b.Currency, Dates: Dates{Start: dayOrNil(b.StartsOn), End: dayOrNil(b.EndsOn)}}
	for _, l := range b.Lines {
		if l.Kind == "role" || l.Kind == "category" {
			out.Type = l.Kind
		}
	}
	for _, l := range b.Lines {
		line := BudgetLine{Type: l.Kind}
		if l.Minutes != nil {
			line.Time = int64(*l.Minutes) * 60
		}
		if l.AmountMinor != nil {
			line.Cost = thousandths(*l.AmountMinor)
			if line.Time > 0 {
				line.UnitCost = line.Cost * 3600 / line.Time
			}
		}
		// A budget of roles or categories counts its own lines; its total lines are not added.
		if out.Type == "total" || l.Kind != "total" {
			out.Work += line.Time
			out.Amount += line.Cost
		}
		if spent {
			s := int64(l.SpentMinutes) * 60
			line.Spent = &s
			var cost int64
			if l.SpentAmountMinor != nil {
				cost = thousandths(*l.SpentAmountMinor)
			}
			line.RoleCost, line.UserCost = &cost, &cost
		}
		if detail {
			out.Lines = append(out.Lines, line)
		}
	}
	if detail && out.Type != "total" {
		other := BudgetLine{Type: "other"}
		if spent {
			s := int64(b.SpentMinutes) * 60
			zero := int64(0)
			other.Spent, other.RoleCost, other.UserCost = &s, &zero, &zero
		}
		out.Lines = append(out.Lines, other)
	}
	if out.Currency == "" || out.Amount == 0 {
		out.Currency = ""
	}
	return out
}

// flag reads an Integer flag of the query (absent or 0: false); it may not be repeated.
func flag(c *fiber.Ctx, name string) (bool, error) {
	vals := c.Context().QueryArgs().PeekMulti(name)
	switch {
	case len(vals) == 0:
		return false, nil
	case len(vals) > 1:
		return false, badParam(name, "multiple")
	}
	switch string(vals[0]) {
	case "", "0":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, badParam(name, "invalid")
}
