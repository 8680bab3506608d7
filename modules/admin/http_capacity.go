package admin

// The capacity pages (core/capacity): the account's capacity profiles — hours per weekday,
// caps on the time entered per day and week — with a form to add one and a page to change,
// archive or restore each; the job roles with their default rates; and, on a person's page,
// the profile they work under from a day on (history kept), their role and own cost rate.
// Durations are typed in hours ("7.5", "7:30"), rates in the account's currency ("60.50").

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/capacity"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// capacityRoutes registers the pages.
func (h *handlers) capacityRoutes(r *app.Registry) {
	read, manage := api.Can("capacity", "read"), api.Can("capacity", "manage")
	r.Get("/:slug/capacity", read, h.capacity)
	r.Post("/:slug/capacity", manage, h.createProfile)
	r.Post("/:slug/capacity/roles", manage, h.createRole)
	r.Post("/:slug/capacity/roles/:id/archive", manage, h.archiveRole(true))
	r.Post("/:slug/capacity/roles/:id/restore", manage, h.archiveRole(false))
	r.Get("/:slug/capacity/roles/:id", read, h.role)
	r.Post("/:slug/capacity/roles/:id", manage, h.changeRoleRate)
	r.Get("/:slug/capacity/:id", read, h.profile)
	r.Post("/:slug/capacity/:id", manage, h.updateProfile)
	r.Post("/:slug/capacity/:id/archive", manage, h.archiveProfile(true))
	r.Post("/:slug/capacity/:id/restore", manage, h.archiveProfile(false))
	r.Post("/:slug/people/:id/capacity", manage, h.assignCapacity)
}

// dayKeys are the message keys of the weekdays, Monday first.
var dayKeys = []string{"admin.capacity.mon", "admin.capacity.tue", "admin.capacity.wed", "admin.capacity.thu", "admin.capacity.fri", "admin.capacity.sat", "admin.capacity.sun"}

// dayField is the form field of a weekday (an id a CSS selector can name).
func dayField(i int) string { return fmt.Sprintf("day%d", i) }

// onDayFields moves the service's errors of day_minutes[i] to the form's fields.
func onDayFields(err error) error {
	if pr, ok := problem.As(err); ok {
		for i := range pr.Errors {
			var d int
			if _, serr := fmt.Sscanf(pr.Errors[i].Field, "day_minutes[%d]", &d); serr == nil {
				pr.Errors[i].Field = dayField(d)
			}
		}
	}
	return err
}

// hoursText writes minutes as hours for a form or a table ("7.5"; "" for none when blank).
func hoursText(minutes int, blank bool) string {
	if minutes == 0 && blank {
		return ""
	}
	return strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64)
}

// hoursOf reads hours typed as "7.5", "7,5" or "7:30" into minutes ("" is 0).
func hoursOf(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	if h, m, ok := strings.Cut(s, ":"); ok {
		hv, err1 := strconv.Atoi(h)
		mv, err2 := strconv.Atoi(m)
		return hv*60 + mv, err1 == nil && err2 == nil && hv >= 0 && mv >= 0 && mv < 60 && len(m) == 2
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 10080 {
		return 0, false
	}
	return int(math.Round(v * 60)), true
}

// moneyText writes minor units as major ones with two decimals.
func moneyText(minor int64) string { return fmt.Sprintf("%d.%02d", minor/100, minor%100) }

// moneyOf reads an amount typed in major units ("60", "60.50") into minor units.
func moneyOf(s string) (int64, bool) {
	s = strings.TrimSpace(strings.Replace(s, ",", ".", 1))
	if s == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > capacity.MaxRateMinor/100 {
		return 0, false
	}
	return int64(math.Round(v * 100)), true
}

// profileRow is a profile as the table shows it.
type profileRow struct {
	*capacity.Profile
	Days    []string
	Week    string
	DayCap  string
	WeekCap string
}

func rowOf(p *capacity.Profile) profileRow {
	r := profileRow{Profile: p, Week: hoursText(p.WeekTotal(), false), DayCap: hoursText(p.MaxDayMinutes, true), WeekCap: hoursText(p.MaxWeekMinutes, true)}
	for _, m := range p.DayMinutes {
		r.Days = append(r.Days, hoursText(m, false))
	}
	return r
}

// roleRow is a job role as the table shows it.
type roleRow struct {
	capacity.Role
	Cost, Bill string
	// Rates are the changes of its cost rate (on the role's page).
	Rates []rateRow
}

// rateRow is a change of a cost rate as a history table shows it: its first day ("" since
// always) and the rate ("" for the role's rate again).
type rateRow struct {
	From, Rate string
}

// rateRows are the rows of a history of cost rates, newest first.
func rateRows[T any](hist []T, of func(T) (string, *int64)) []rateRow {
	out := make([]rateRow, 0, len(hist))
	for i := len(hist) - 1; i >= 0; i-- {
		day, v := of(hist[i])
		r := rateRow{From: day}
		if day == capacity.Beginning {
			r.From = ""
		}
		if v != nil {
			r.Rate = moneyText(*v)
		}
		out = append(out, r)
	}
	return out
}

// capacityData is what the capacity page shows.
type capacityData struct {
	Profiles []profileRow
	Roles    []roleRow
	Days     []string // the weekday keys with their fields
	Currency string
	// RoleForm is the job role form when it was the one refused.
	RoleForm bool
	// One is the profile of a profile's page (the page shows it alone).
	One *profileRow
	// Role is the job role of a role's page: its cost rates over time and the form to
	// change it from a day on.
	Role *roleRow
}

func (h *handlers) capacityPage(c *fiber.Ctx, form, roleForm *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	ps, err := h.cap.Profiles(ctx, a, true, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	rs, err := h.cap.Roles(ctx, a, true, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	d := &capacityData{Days: dayKeys, RoleForm: roleForm != nil}
	for i := range ps.Items {
		d.Profiles = append(d.Profiles, rowOf(&ps.Items[i]))
	}
	for _, r := range rs.Items {
		d.Roles = append(d.Roles, roleRow{Role: r, Cost: moneyText(r.CostRateMinor), Bill: moneyText(r.BillRateMinor)})
	}
	if form == nil {
		vals := map[string]string{}
		for i := range 7 {
			vals[dayField(i)] = map[bool]string{true: "8", false: "0"}[i < 5]
		}
		form = web.EmptyForm(vals)
	}
	if roleForm != nil {
		form = roleForm
	}
	p := h.page(c, "admin.capacity.title", form)
	p.Data = d
	return p, nil
}

func (h *handlers) capacity(c *fiber.Ctx) error {
	p, err := h.capacityPage(c, nil, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/capacity", p)
}

// profileFields are the fields of a profile's form.
func profileFields() []string {
	out := []string{"name", "max_day_minutes", "max_week_minutes"}
	for i := range 7 {
		out = append(out, dayField(i))
	}
	return out
}

// readProfile reads a profile's form: the week's minutes and the caps; typos are field errors.
func readProfile(form *web.Form) ([]int, int, int, error) {
	var f problem.Fields
	days := make([]int, 7)
	for i := range days {
		m, ok := hoursOf(form.Get(dayField(i)))
		f.Check(ok, dayField(i), "must be hours, such as 8, 7.5 or 7:30")
		days[i] = m
	}
	dayCap, ok := hoursOf(form.Get("max_day_minutes"))
	f.Check(ok, "max_day_minutes", "must be hours, such as 10 (empty: no cap)")
	weekCap, ok2 := hoursOf(form.Get("max_week_minutes"))
	f.Check(ok2, "max_week_minutes", "must be hours, such as 40 (empty: no cap)")
	return days, dayCap, weekCap, f.Err()
}

func (h *handlers) createProfile(c *fiber.Ctx) error {
	form := web.NewForm(c, profileFields()...)
	days, dayCap, weekCap, err := readProfile(form)
	if err == nil {
		_, err = h.cap.CreateProfile(c.UserContext(), actor.From(c), capacity.ProfileInput{Name: form.Get("name"), DayMinutes: days, MaxDayMinutes: dayCap, MaxWeekMinutes: weekCap})
		err = onDayFields(err)
	}
	if err != nil {
		p, perr := h.capacityPage(c, form, nil)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/capacity", p, err)
	}
	return done(c, "admin.capacity.created", base(c)+"/capacity")
}

func (h *handlers) createRole(c *fiber.Ctx) error {
	form := web.NewForm(c, "role_name", "cost_rate_minor", "bill_rate_minor")
	var f problem.Fields
	cost, ok1 := moneyOf(form.Get("cost_rate_minor"))
	f.Check(ok1, "cost_rate_minor", "must be an amount per hour, such as 60 or 60.50")
	bill, ok2 := moneyOf(form.Get("bill_rate_minor"))
	f.Check(ok2, "bill_rate_minor", "must be an amount per hour, such as 120 or 120.50")
	err := f.Err()
	if err == nil {
		_, err = h.cap.CreateRole(c.UserContext(), actor.From(c), capacity.RoleInput{Name: form.Get("role_name"), CostRateMinor: cost, BillRateMinor: bill})
		if pr, ok := problem.As(err); ok {
			for i := range pr.Errors {
				if pr.Errors[i].Field == "name" {
					pr.Errors[i].Field = "role_name"
				}
			}
		}
	}
	if err != nil {
		p, perr := h.capacityPage(c, nil, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/capacity", p, err)
	}
	return done(c, "admin.capacity.role_created", base(c)+"/capacity")
}

func (h *handlers) profilePage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	pr, err := h.cap.Profile(c.UserContext(), actor.From(c), id)
	if err != nil {
		return nil, err
	}
	if form == nil {
		vals := map[string]string{"name": pr.Name, "max_day_minutes": hoursText(pr.MaxDayMinutes, true), "max_week_minutes": hoursText(pr.MaxWeekMinutes, true)}
		for i, m := range pr.DayMinutes {
			vals[dayField(i)] = hoursText(m, false)
		}
		form = web.EmptyForm(vals)
	}
	p := h.page(c, pr.Name, form)
	row := rowOf(pr)
	p.Data = &capacityData{One: &row, Days: dayKeys}
	return p, nil
}

func (h *handlers) profile(c *fiber.Ctx) error {
	p, err := h.profilePage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/capacity", p)
}

// refuseProfile shows the profile's page again with the refusal (a 404 stays a 404).
func (h *handlers) refuseProfile(c *fiber.Ctx, form *web.Form, err error) error {
	if pr, ok := problem.As(err); !ok || pr.Status == fiber.StatusNotFound {
		return err
	}
	p, perr := h.profilePage(c, form)
	if perr != nil {
		return perr
	}
	return h.web.Refuse(c, "admin/capacity", p, err)
}

func (h *handlers) updateProfile(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, profileFields()...)
	days, dayCap, weekCap, err := readProfile(form)
	if err == nil {
		name := form.Get("name")
		_, err = h.cap.UpdateProfile(c.UserContext(), actor.From(c), id, capacity.ProfilePatch{Name: &name, DayMinutes: days, MaxDayMinutes: &dayCap, MaxWeekMinutes: &weekCap})
		err = onDayFields(err)
	}
	if err != nil {
		return h.refuseProfile(c, form, err)
	}
	return done(c, "admin.capacity.saved", base(c)+"/capacity/"+idString(id))
}

func (h *handlers) archiveProfile(archive bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		if _, err := h.cap.UpdateProfile(c.UserContext(), actor.From(c), id, capacity.ProfilePatch{Archived: &archive}); err != nil {
			return h.refuseProfile(c, nil, err)
		}
		key := map[bool]string{true: "admin.capacity.archived", false: "admin.capacity.restored"}[archive]
		return done(c, key, base(c)+"/capacity")
	}
}

// archiveRole archives a job role (people keep it; it is offered no more) or restores it.
func (h *handlers) archiveRole(archive bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		if _, err := h.cap.UpdateRole(c.UserContext(), actor.From(c), id, capacity.RolePatch{Archived: &archive}); err != nil {
			return err
		}
		key := map[bool]string{true: "admin.capacity.role_archived", false: "admin.capacity.role_restored"}[archive]
		return done(c, key, base(c)+"/capacity#roles-title")
	}
}

func (h *handlers) rolePage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	rs, err := h.cap.Roles(c.UserContext(), actor.From(c), true, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, r := range rs.Items {
		if r.ID != id {
			continue
		}
		if form == nil {
			form = web.EmptyForm(map[string]string{"cost_rate_minor": moneyText(r.CostRateMinor)})
		}
		p := h.page(c, r.Name, form)
		row := roleRow{Role: r, Cost: moneyText(r.CostRateMinor), Bill: moneyText(r.BillRateMinor)}
		row.Rates = rateRows(r.CostRates, func(x capacity.RoleCostRate) (string, *int64) { return x.StartsOn, &x.CostRateMinor })
		cur, err := h.cap.Currency(c.UserContext(), actor.From(c).AccountID())
		if err != nil {
			return nil, err
		}
		p.Data = &capacityData{Role: &row, Currency: cur}
		return p, nil
	}
	return nil, problem.NotFound()
}

func (h *handlers) role(c *fiber.Ctx) error {
	p, err := h.rolePage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/capacity", p)
}

// changeRoleRate gives a job role a cost rate from a day on (empty: today); earlier days
// keep the rate they had.
func (h *handlers) changeRoleRate(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "cost_rate_minor", "cost_rate_from")
	var f problem.Fields
	v, ok := moneyOf(form.Get("cost_rate_minor"))
	f.Check(ok, "cost_rate_minor", "must be an amount per hour, such as 60 or 60.50")
	err = f.Err()
	if err == nil {
		_, err = h.cap.UpdateRole(c.UserContext(), actor.From(c), id, capacity.RolePatch{CostRateMinor: &v, CostRateFrom: strings.TrimSpace(form.Get("cost_rate_from"))})
	}
	if err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status == fiber.StatusNotFound {
			return err
		}
		p, perr := h.rolePage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/capacity", p, err)
	}
	return done(c, "admin.capacity.rate_changed", base(c)+"/capacity/roles/"+idString(id))
}

// personCapacity is the capacity part of a person's page: nil for a client (who keeps no
// time).
type personCapacity struct {
	*capacity.Person
	Profiles []option
	Roles    []option
	OwnRate  string
	Rate     string
	// CostRates are the changes of their own cost rate, newest first.
	CostRates []rateRow
}

func (h *handlers) personCapacity(ctx context.Context, a *actor.Actor, m string, id int64) (*personCapacity, error) {
	if m == actor.RoleClient || h.cap == nil {
		return nil, nil
	}
	per, err := h.cap.Person(ctx, a, id)
	if err != nil {
		return nil, err
	}
	out := &personCapacity{Person: per, Rate: moneyText(per.CostRateMinor), Roles: []option{{"0", "—"}}}
	if per.OwnCostRateMinor != nil {
		out.OwnRate = moneyText(*per.OwnCostRateMinor)
	}
	out.CostRates = rateRows(per.CostRates, func(x capacity.CostRate) (string, *int64) { return x.StartsOn, x.CostRateMinor })
	ps, err := h.cap.Profiles(ctx, a, false, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, p := range ps.Items {
		out.Profiles = append(out.Profiles, option{idString(p.ID), p.Name})
	}
	rs, err := h.cap.Roles(ctx, a, false, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, r := range rs.Items {
		out.Roles = append(out.Roles, option{idString(r.ID), r.Name})
	}
	return out, nil
}

// assignCapacity assigns the person a profile from a day on, and sets their role and own
// cost rate (empty: their role's).
func (h *handlers) assignCapacity(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "profile_id", "starts_on", "role_id", "cost_rate_minor", "cost_rate_from")
	var f problem.Fields
	pid, perr := formID(form, "profile_id")
	f.Check(perr == nil, "profile_id", "is not a valid choice")
	rid, rerr := formID(form, "role_id")
	if form.Get("role_id") == "0" {
		rid, rerr = 0, nil
	}
	f.Check(rerr == nil, "role_id", "is not a valid choice")
	in := capacity.PersonInput{ProfileID: pid, StartsOn: strings.TrimSpace(form.Get("starts_on")), RoleID: &rid}
	rate := int64(-1)
	if s := form.Get("cost_rate_minor"); strings.TrimSpace(s) != "" {
		v, ok := moneyOf(s)
		f.Check(ok, "cost_rate_minor", "must be an amount per hour, such as 65 or 65.50 (empty: the role's)")
		rate = v
	}
	in.CostRateMinor, in.CostRateFrom = &rate, strings.TrimSpace(form.Get("cost_rate_from"))
	if cur, cerr := h.cap.Person(c.UserContext(), actor.From(c), id); cerr == nil {
		// The same profile again without a first day is no change of profile.
		if cur.Profile.ID == pid && in.StartsOn == "" {
			in.ProfileID = 0
		}
		// The same own rate again without a first day is no change of rate (no new period).
		own := int64(-1)
		if cur.OwnCostRateMinor != nil {
			own = *cur.OwnCostRateMinor
		}
		if own == rate && in.CostRateFrom == "" {
			in.CostRateMinor = nil
		}
	}
	err = f.Err()
	if err == nil {
		_, err = h.cap.SetPerson(c.UserContext(), actor.From(c), id, in)
	}
	if err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status == fiber.StatusNotFound {
			return err
		}
		p, perr := h.personPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/person", p, err)
	}
	return done(c, "admin.capacity.assigned", base(c)+"/people/"+idString(id))
}
