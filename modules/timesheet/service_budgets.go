package timesheet

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/capacity"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	projects "groupcamp/modules/projects/contract"
	"groupcamp/modules/timesheet/contract"
)

// Project budgets (shared/PRODUCT.md "Budgets"). A project's budget is lines: the project's
// total, or the time of one job role (core/capacity); each plans minutes and/or an amount in
// minor units of the account's currency, over optional first and last days. Spent is the
// APPROVED time on the project (in the line's days, of the line's role) — priced at each
// person's cost rate (their own, else their role's); time logged but not approved yet is
// "pending". The project's leader and the administrators manage the lines and see the
// amounts (cost rates are confidential); colleagues who see the project read the hours.
// Approved time that takes a line past 80% or 100% is announced once per line and threshold
// (contract.BudgetThreshold, and a notice to the leader).

// Kinds of budget line.
const (
	BudgetTotal    = "total"
	BudgetRole     = "role"
	BudgetCategory = "category" // the project's time of one project category (service_categories.go)
)

// Limits of a budget line.
const (
	MaxBudgetMinutes = 10_000_000 * 60       // ten million hours
	MaxBudgetMinor   = 1_000_000_000_000_000 // 10^16 minor units
	maxBudgetDays    = 10 * 366              // a line spans at most ten years
	maxBurnWeeks     = 160                   // the burn-down shows at most this many weeks
	maxBudgetIndex   = 200                   // projects on the budgets index
	budgetAlertLow   = 80
	budgetAlertHigh  = 100
)

// BudgetLine is a line of a project's budget.
type BudgetLine struct {
	bun.BaseModel `bun:"table:budget_lines,alias:bl"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64  `bun:"account_id" json:"-"`
	ProjectID int64  `bun:"project_id" json:"project_id"`
	Kind      string `bun:"kind" json:"kind" enum:"total,role,category"`
	RoleID    *int64 `bun:"role_id" json:"role_id"`
	// CategoryID is the project category a category line counts the time of.
	CategoryID *int64 `bun:"category_id" json:"category_id"`
	// Name is the line's own label; the page shows the role's name (or "Total") when empty.
	Name        string    `bun:"name" json:"name" example:"Design phase"`
	Minutes     *int      `bun:"minutes" json:"minutes" example:"6000"`
	AmountMinor *int64    `bun:"amount_minor" json:"amount_minor" example:"500000"`
	StartsOn    *string   `bun:"starts_on" json:"starts_on" format:"date"`
	EndsOn      *string   `bun:"ends_on" json:"ends_on" format:"date"`
	Alerted     int       `bun:"alerted" json:"-"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at" json:"updated_at"`

	RoleName     string `bun:"-" json:"role_name,omitempty"`
	CategoryName string `bun:"-" json:"category_name,omitempty"`
}

// BudgetLineInput adds a line: kind total, role with role_id, or category with the
// category_id of a project category; minutes and/or amount_minor.
type BudgetLineInput struct {
	Kind        string `json:"kind" openapi:"required" enum:"total,role,category" example:"total"`
	RoleID      int64  `json:"role_id" example:"0"`
	CategoryID  int64  `json:"category_id" example:"0"`
	Name        string `json:"name" example:"Design phase"`
	Minutes     *int   `json:"minutes" example:"6000"`
	AmountMinor *int64 `json:"amount_minor" example:"500000"`
	StartsOn    string `json:"starts_on" format:"date" example:"2026-12-01"`
	EndsOn      string `json:"ends_on" format:"date" example:"2027-03-31"`
}

// BudgetLinePatch changes a line: only what it names; minutes or amount_minor 0 clears it
// (one of them stays), starts_on or ends_on "" clears the day.
type BudgetLinePatch struct {
	// Kind changes what the line is for (role needs role_id, category category_id; the
	// other kinds clear them).
	Kind        *string `json:"kind" enum:"total,role,category" example:"role"`
	RoleID      *int64  `json:"role_id" example:"2"`
	CategoryID  *int64  `json:"category_id" example:"0"`
	Name        *string `json:"name" example:"Build phase"`
	Minutes     *int    `json:"minutes" example:"7200"`
	AmountMinor *int64  `json:"amount_minor" example:"600000"`
	StartsOn    *string `json:"starts_on" format:"date" example:"2026-12-01"`
	EndsOn      *string `json:"ends_on" format:"date" example:"2027-06-30"`
}

// BudgetUse is a line with what is spent of it. The amounts are null for a reader who may
// not see money (and when the line plans none).
type BudgetUse struct {
	Line           BudgetLine `json:"line"`
	Label          string     `json:"label" example:"Developer"`
	SpentMinutes   int        `json:"spent_minutes" example:"4800"`
	PendingMinutes int        `json:"pending_minutes" example:"240"`
	// BillableMinutes are the spent minutes logged as billable.
	BillableMinutes      int    `json:"billable_minutes" example:"3600"`
	RemainingMinutes     *int   `json:"remaining_minutes" example:"1200"`
	PercentMinutes       *int   `json:"percent_minutes" example:"80"`
	SpentAmountMinor     *int64 `json:"spent_amount_minor" example:"400000"`
	PendingAmountMinor   *int64 `json:"pending_amount_minor" example:"20000"`
	RemainingAmountMinor *int64 `json:"remaining_amount_minor" example:"100000"`
	PercentAmount        *int   `json:"percent_amount" example:"80"`
	// Percent is the larger of the two: how far the line is used.
	Percent int `json:"percent" example:"80"`
	// Unpriced are approved minutes of people with no cost rate (not in the spent amount).
	Unpriced int `json:"unpriced_minutes" example:"0"`

	spentAmount, pendingAmount int64
}

// BudgetTotals are the whole project's: planned (the total lines, else the sum of the role
// lines), and all the approved and pending time on it.
type BudgetTotals struct {
	PlannedMinutes     int    `json:"planned_minutes" example:"6000"`
	SpentMinutes       int    `json:"spent_minutes" example:"4800"`
	PendingMinutes     int    `json:"pending_minutes" example:"240"`
	BillableMinutes    int    `json:"billable_minutes" example:"3600"`
	PlannedAmountMinor *int64 `json:"planned_amount_minor" example:"500000"`
	SpentAmountMinor   *int64 `json:"spent_amount_minor" example:"400000"`
	PendingAmountMinor *int64 `json:"pending_amount_minor" example:"20000"`
	Percent            int    `json:"percent" example:"80"`
}

// BurnWeek is one ISO week of the burn-down: cumulative approved minutes to its end, and the
// planned pace (the planned minutes spread evenly over the budget's weeks).
type BurnWeek struct {
	Week    string `json:"week" example:"2026-W49"`
	Spent   int    `json:"spent_minutes" example:"1200"`
	Planned int    `json:"planned_minutes" example:"1500"`
}

// Budget is a project's budget for a reader.
type Budget struct {
	ProjectID   int64        `json:"project_id"`
	ProjectName string       `json:"project_name" example:"Website"`
	Currency    string       `json:"currency" example:"EUR"`
	Lines       []BudgetUse  `json:"lines"`
	Totals      BudgetTotals `json:"totals"`
	Burn        []BurnWeek   `json:"burn_down"`
	// Money: the reader sees amounts; Manage: the reader adds, changes and deletes lines.
	Money  bool `json:"money"`
	Manage bool `json:"manage"`
}

// budgetAccess is a project as a reader of its budget sees it.
type budgetAccess struct {
	target projects.TimeTarget
	manage bool
}

// budgetProject is the project for the actor: 404 unless they see it; manage for its leader
// and the administrators.
func (s *Service) budgetProject(ctx context.Context, a *actor.Actor, projectID int64) (budgetAccess, error) {
	if a.Role == actor.RoleClient {
		return budgetAccess{}, problem.NotFound()
	}
	t, err := s.Targets.Get().Check(ctx, a, projectID, 0)
	if err != nil {
		return budgetAccess{}, err
	}
	if t.Refusal == projects.RefusedProject {
		return budgetAccess{}, problem.NotFound()
	}
	return budgetAccess{target: t, manage: admin(a) || (t.LeaderID != 0 && t.LeaderID == a.UserID)}, nil
}

func (ba budgetAccess) mustManage() error {
	if !ba.manage {
		return problem.Forbidden("only the project's leader and the administrators manage its budget")
	}
	return nil
}

// BudgetLines lists a project's lines (amounts hidden from who may not see money).
func (s *Service) BudgetLines(ctx context.Context, a *actor.Actor, projectID int64) ([]BudgetLine, error) {
	ba, err := s.budgetProject(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	ls, err := s.store.budgetLines(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	if err := s.nameRoles(ctx, tn, ls); err != nil {
		return nil, err
	}
	if !ba.manage {
		for i := range ls {
			ls[i].AmountMinor = nil
		}
	}
	return ls, nil
}

func (s *Service) nameRoles(ctx context.Context, tn db.Tenant, ls []BudgetLine) error {
	if err := s.nameLineCategories(ctx, tn, ls); err != nil {
		return err
	}
	var ids []int64
	for _, l := range ls {
		if l.RoleID != nil {
			ids = append(ids, *l.RoleID)
		}
	}
	if len(ids) == 0 || s.Capacity == nil {
		return nil
	}
	names, err := s.Capacity.In(tn.Unscoped()).RoleNames(ctx, tn.AccountID, ids)
	if err != nil {
		return err
	}
	for i, l := range ls {
		if l.RoleID != nil {
			ls[i].RoleName = names[*l.RoleID]
		}
	}
	return nil
}

// checkLine validates a line as it would be saved.
func (s *Service) checkLine(ctx context.Context, tn db.Tenant, f *problem.Fields, l *BudgetLine) error {
	l.Name = strings.TrimSpace(l.Name)
	f.Check(utf8.RuneCountInString(l.Name) <= 100, "name", "must be at most 100 characters")
	f.Check(!strings.ContainsAny(l.Name, "\r\n"), "name", "must be one line")
	switch l.Kind {
	case BudgetTotal:
		f.Check(l.RoleID == nil, "role_id", "a total line has no role")
	case BudgetCategory:
		f.Check(l.RoleID == nil, "role_id", "a category line has no role")
		if err := s.checkLineCategory(ctx, tn, f, l.CategoryID); err != nil {
			return err
		}
	case BudgetRole:
		if l.RoleID == nil {
			f.Add("role_id", "give the job role of the line")
		} else if s.Capacity != nil {
			names, err := s.Capacity.In(tn.Unscoped()).RoleNames(ctx, tn.AccountID, []int64{*l.RoleID})
			if err != nil {
				return err
			}
			f.Check(names[*l.RoleID] != "", "role_id", "no such job role")
		}
	default:
		f.Add("kind", "must be total, role or category")
	}
	if l.Kind != BudgetCategory {
		f.Check(l.CategoryID == nil, "category_id", "only a category line has a category")
	}
	if l.Minutes != nil {
		f.Check(*l.Minutes > 0 && *l.Minutes <= MaxBudgetMinutes, "minutes", "must be more than 0 and at most ten million hours")
	}
	if l.AmountMinor != nil {
		f.Check(*l.AmountMinor > 0 && *l.AmountMinor <= MaxBudgetMinor, "amount_minor", "must be more than 0 and at most 10^16")
	}
	f.Check(l.Minutes != nil || l.AmountMinor != nil, "minutes", "plan minutes, an amount or both")
	var from, to time.Time
	var okFrom, okTo bool
	if l.StartsOn != nil {
		if from, okFrom = ParseDay(*l.StartsOn); !okFrom {
			f.Add("starts_on", "must be a day written YYYY-MM-DD")
		}
	}
	if l.EndsOn != nil {
		if to, okTo = ParseDay(*l.EndsOn); !okTo {
			f.Add("ends_on", "must be a day written YYYY-MM-DD")
		}
	}
	if okFrom && okTo {
		f.Check(!to.Before(from), "ends_on", "must not be before starts_on")
		f.Check(to.Sub(from) <= maxBudgetDays*24*time.Hour, "ends_on", "a line spans at most ten years")
	}
	return nil
}

func dayOrNil(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

// CreateBudgetLine adds a line to a project's budget (its leader, administrators).
func (s *Service) CreateBudgetLine(ctx context.Context, a *actor.Actor, projectID int64, in BudgetLineInput) (*BudgetLine, error) {
	ba, err := s.budgetProject(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	if err := ba.mustManage(); err != nil {
		return nil, err
	}
	now := s.now()
	l := &BudgetLine{AccountID: a.AccountID(), ProjectID: projectID, Kind: strings.TrimSpace(in.Kind), Name: in.Name, Minutes: in.Minutes, AmountMinor: in.AmountMinor,
		StartsOn: dayOrNil(in.StartsOn), EndsOn: dayOrNil(in.EndsOn), CreatedAt: now, UpdatedAt: now}
	if in.RoleID < 0 {
		return nil, problem.Invalid(problem.FieldError{Field: "role_id", Message: "must be an id"})
	}
	if in.RoleID != 0 {
		l.RoleID = &in.RoleID
	}
	if in.CategoryID < 0 {
		return nil, problem.Invalid(problem.FieldError{Field: "category_id", Message: "must be an id"})
	}
	l.CategoryID = idOrNil(in.CategoryID)
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		var f problem.Fields
		if err := s.checkLine(ctx, tn, &f, l); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		n, err := s.store.countBudgetLines(ctx, tn, projectID)
		if err != nil {
			return err
		}
		if n >= MaxBudgetLines {
			return problem.Conflict("kind", fmt.Sprintf("a budget holds at most %d lines", MaxBudgetLines))
		}
		if err := s.store.insertBudgetLine(ctx, tn, l); err != nil {
			return err
		}
		if err := audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "timesheet.budget.line_added", lineRef(l), lineDetails(l)); err != nil {
			return err
		}
		return s.checkBudget(ctx, tn, a, ba.target)
	})
	if err != nil {
		return nil, err
	}
	return l, s.nameRoles(ctx, s.tenant(a.AccountID()), []BudgetLine{*l})
}

func lineRef(l *BudgetLine) string {
	return "project:" + strconv.FormatInt(l.ProjectID, 10) + "/budget_line:" + strconv.FormatInt(l.ID, 10)
}

// lineDetails are what the audit trail keeps of a line.
func lineDetails(l *BudgetLine) map[string]any {
	return map[string]any{"kind": l.Kind, "role_id": l.RoleID, "category_id": l.CategoryID, "name": l.Name, "minutes": l.Minutes, "amount_minor": l.AmountMinor, "starts_on": l.StartsOn, "ends_on": l.EndsOn}
}

// UpdateBudgetLine changes a line; a change that brings it back under a threshold re-arms it.
func (s *Service) UpdateBudgetLine(ctx context.Context, a *actor.Actor, projectID, id int64, in BudgetLinePatch) (*BudgetLine, error) {
	ba, err := s.budgetProject(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	var out *BudgetLine
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		l, err := s.store.budgetLine(ctx, tn, projectID, id)
		if err != nil {
			return err
		}
		if err := ba.mustManage(); err != nil {
			return err
		}
		if in.Name != nil {
			l.Name = *in.Name
		}
		if in.Kind != nil {
			l.Kind = strings.TrimSpace(*in.Kind)
			if l.Kind != BudgetRole && in.RoleID == nil {
				l.RoleID = nil
			}
			if l.Kind != BudgetCategory && in.CategoryID == nil {
				l.CategoryID = nil
			}
		}
		if in.CategoryID != nil {
			l.CategoryID = idOrNil(max(*in.CategoryID, 0))
		}
		if in.RoleID != nil {
			l.RoleID = nil
			if *in.RoleID != 0 {
				l.RoleID = in.RoleID
			}
		}
		if in.Minutes != nil {
			l.Minutes = nil
			if *in.Minutes != 0 {
				l.Minutes = in.Minutes
			}
		}
		if in.AmountMinor != nil {
			l.AmountMinor = nil
			if *in.AmountMinor != 0 {
				l.AmountMinor = in.AmountMinor
			}
		}
		if in.StartsOn != nil {
			l.StartsOn = dayOrNil(*in.StartsOn)
		}
		if in.EndsOn != nil {
			l.EndsOn = dayOrNil(*in.EndsOn)
		}
		var f problem.Fields
		if err := s.checkLine(ctx, tn, &f, l); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		l.UpdatedAt = s.now()
		if err := s.store.saveBudgetLine(ctx, tn, l); err != nil {
			return err
		}
		if err := audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "timesheet.budget.line_changed", lineRef(l), lineDetails(l)); err != nil {
			return err
		}
		out = l
		return s.checkBudget(ctx, tn, a, ba.target)
	})
	if err != nil {
		return nil, err
	}
	return out, s.nameRoles(ctx, s.tenant(a.AccountID()), []BudgetLine{*out})
}

// DeleteBudgetLine removes a line.
func (s *Service) DeleteBudgetLine(ctx context.Context, a *actor.Actor, projectID, id int64) error {
	ba, err := s.budgetProject(ctx, a, projectID)
	if err != nil {
		return err
	}
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		l, err := s.store.budgetLine(ctx, tn, projectID, id)
		if err != nil {
			return err
		}
		if err := ba.mustManage(); err != nil {
			return err
		}
		if err := s.store.deleteBudgetLine(ctx, tn, id); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "timesheet.budget.line_deleted", lineRef(l), lineDetails(l))
	})
}

// Budget is a project's budget with what is spent, for the actor.
func (s *Service) Budget(ctx context.Context, a *actor.Actor, projectID int64) (*Budget, error) {
	ba, err := s.budgetProject(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	b, err := s.budgetOf(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	b.ProjectName, b.Manage, b.Money = ba.target.ProjectName, ba.manage, ba.manage
	if !b.Money {
		b.hideMoney()
	}
	return b, nil
}

// hideMoney blanks every amount (a reader who may not see cost rates).
func (b *Budget) hideMoney() {
	for i := range b.Lines {
		u := &b.Lines[i]
		u.Line.AmountMinor, u.SpentAmountMinor, u.PendingAmountMinor, u.RemainingAmountMinor, u.PercentAmount = nil, nil, nil, nil, nil
		u.Percent = 0
		if u.PercentMinutes != nil {
			u.Percent = *u.PercentMinutes
		}
		u.Unpriced = 0
	}
	t := &b.Totals
	t.PlannedAmountMinor, t.SpentAmountMinor, t.PendingAmountMinor = nil, nil, nil
	t.Percent = percentOf(int64(t.SpentMinutes), int64(t.PlannedMinutes))
}

// budgetOf computes a project's budget, amounts included.
func (s *Service) budgetOf(ctx context.Context, tn db.Tenant, projectID int64) (*Budget, error) {
	ls, err := s.store.budgetLines(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	if err := s.nameRoles(ctx, tn, ls); err != nil {
		return nil, err
	}
	times, err := s.store.projectTime(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	var uids []int64
	for _, t := range times {
		if t.UserID != 0 && !slices.Contains(uids, t.UserID) {
			uids = append(uids, t.UserID)
		}
	}
	approved, err := s.store.approvedWeeks(ctx, tn, uids, "", "9999-W99") // every week
	if err != nil {
		return nil, err
	}
	var rates *capacity.CostBook // nil: no rate
	cur := ""
	if s.Capacity != nil {
		c := s.Capacity.In(tn.Unscoped())
		if rates, err = c.CostBook(ctx, tn.AccountID, uids, ""); err != nil {
			return nil, err
		}
		if cur, err = c.Currency(ctx, tn.AccountID); err != nil {
			return nil, err
		}
	}
	b := computeBudget(ls, times, approved, rates)
	b.ProjectID, b.Currency = projectID, cur
	return b, nil
}

// computeBudget adds up the time against the lines: the heart of GET .../budget.
func computeBudget(ls []BudgetLine, times []projectTime, approved map[weekOf]bool, rates *capacity.CostBook) *Budget {
	b := &Budget{Lines: make([]BudgetUse, len(ls)), Burn: []BurnWeek{}}
	for i, l := range ls {
		b.Lines[i] = BudgetUse{Line: l, Label: l.Name}
		if b.Lines[i].Label == "" {
			b.Lines[i].Label = cmp.Or(l.RoleName, l.CategoryName)
		}
	}
	var spentTotal, pendingTotal int64
	hasTotal := slices.ContainsFunc(ls, func(l BudgetLine) bool { return l.Kind == BudgetTotal })
	weeks := map[string]string{} // day -> ISO week
	spentByWeek := map[string]int{}
	for _, t := range times {
		wk, ok := weeks[t.Day]
		if !ok {
			if d, ok := ParseDay(t.Day); ok {
				wk = WeekOf(d).String()
			}
			weeks[t.Day] = wk
		}
		// An erased person's time stays in the totals, as approved, unpriced.
		// Time is priced at the cost rate in force on its own day.
		var cost, role int64
		var known bool
		isApproved := t.UserID == 0
		if t.UserID != 0 {
			cost, known = rates.Person(t.UserID, t.Day)
			role = rates.RoleOf(t.UserID)
			isApproved = approved[weekOf{t.UserID, wk}]
		}
		amount := (int64(t.Minutes)*cost + 30) / 60
		// Without a total line the budget is its lines: the totals count the time some line
		// counts (a budget of a Design line alone is not spent by the project's other time).
		counted := hasTotal || len(ls) == 0
		for i := range b.Lines {
			u := &b.Lines[i]
			l := &u.Line
			if (l.StartsOn != nil && t.Day < *l.StartsOn) || (l.EndsOn != nil && t.Day > *l.EndsOn) {
				continue
			}
			if l.Kind == BudgetRole && (l.RoleID == nil || *l.RoleID != role) {
				continue
			}
			if l.Kind == BudgetCategory && (l.CategoryID == nil || *l.CategoryID != t.CategoryID) {
				continue
			}
			counted = true
			if isApproved {
				u.SpentMinutes += t.Minutes
				if t.Billable {
					u.BillableMinutes += t.Minutes
				}
				u.spentAmount += amount
				if !known {
					u.Unpriced += t.Minutes
				}
			} else {
				u.PendingMinutes += t.Minutes
				u.pendingAmount += amount
			}
		}
		switch {
		case !counted:
		case isApproved:
			b.Totals.SpentMinutes += t.Minutes
			if t.Billable {
				b.Totals.BillableMinutes += t.Minutes
			}
			spentTotal += amount
			spentByWeek[wk] += t.Minutes
		default:
			b.Totals.PendingMinutes += t.Minutes
			pendingTotal += amount
		}
	}
	var plannedAmount int64
	for i := range b.Lines {
		u := &b.Lines[i]
		l := u.Line
		sa, pa := u.spentAmount, u.pendingAmount
		u.SpentAmountMinor, u.PendingAmountMinor = &sa, &pa
		if l.Minutes != nil {
			r, p := *l.Minutes-u.SpentMinutes, percentOf(int64(u.SpentMinutes), int64(*l.Minutes))
			u.RemainingMinutes, u.PercentMinutes = &r, &p
			u.Percent = max(u.Percent, p)
		}
		if l.AmountMinor != nil {
			r, p := *l.AmountMinor-sa, percentOf(sa, *l.AmountMinor)
			u.RemainingAmountMinor, u.PercentAmount = &r, &p
			u.Percent = max(u.Percent, p)
		}
		if hasTotal == (l.Kind == BudgetTotal) {
			if l.Minutes != nil {
				b.Totals.PlannedMinutes += *l.Minutes
			}
			if l.AmountMinor != nil {
				plannedAmount += *l.AmountMinor
			}
		}
	}
	b.Totals.PlannedAmountMinor, b.Totals.SpentAmountMinor, b.Totals.PendingAmountMinor = &plannedAmount, &spentTotal, &pendingTotal
	b.Totals.Percent = max(percentOf(int64(b.Totals.SpentMinutes), int64(b.Totals.PlannedMinutes)), percentOf(spentTotal, plannedAmount))
	b.Burn = burnDown(ls, times, spentByWeek, b.Totals.PlannedMinutes)
	return b
}

// percentOf is part of whole in whole percent (rounded down; 0 when there is no whole).
func percentOf(part, whole int64) int {
	if whole <= 0 {
		return 0
	}
	return int(part * 100 / whole)
}

// burnDown spreads the budget's weeks — from the earliest first day of its lines (else the
// first week with time) to the latest last day (else the last week with time) — and gives
// each the approved minutes to its end and the planned pace.
func burnDown(ls []BudgetLine, times []projectTime, spentByWeek map[string]int, planned int) []BurnWeek {
	var from, to string
	for _, l := range ls {
		if l.StartsOn != nil && (from == "" || *l.StartsOn < from) {
			from = *l.StartsOn
		}
		if l.EndsOn != nil && *l.EndsOn > to {
			to = *l.EndsOn
		}
	}
	if len(times) > 0 {
		if from == "" {
			from = times[0].Day
		}
		if to == "" || times[len(times)-1].Day > to {
			to = times[len(times)-1].Day
		}
	}
	f, ok1 := ParseDay(from)
	t, ok2 := ParseDay(to)
	if !ok1 || !ok2 || t.Before(f) {
		return []BurnWeek{}
	}
	first, last := WeekOf(f), WeekOf(t)
	n := int(last.Monday().Sub(first.Monday()).Hours()/(24*7)) + 1
	if n > maxBurnWeeks {
		first, n = WeekOf(last.Monday().AddDate(0, 0, -7*(maxBurnWeeks-1))), maxBurnWeeks
	}
	// Time before the first week shown counts from the start.
	cum := 0
	firstKey := first.String()
	for wk, m := range spentByWeek {
		if wk < firstKey {
			cum += m
		}
	}
	out := make([]BurnWeek, 0, n)
	w := first
	for i := range n {
		cum += spentByWeek[w.String()]
		out = append(out, BurnWeek{Week: w.String(), Spent: cum, Planned: planned * (i + 1) / n})
		w = w.Next()
	}
	return out
}

// level is the highest threshold a line has reached.
func level(u BudgetUse) int {
	switch {
	case u.Percent >= budgetAlertHigh:
		return budgetAlertHigh
	case u.Percent >= budgetAlertLow:
		return budgetAlertLow
	}
	return 0
}

// checkBudget announces the thresholds the project's lines passed since they were last
// announced (an event and a notice to the project's leader, else the administrators), and
// re-arms the ones a line is back under. It runs in the transaction of an approval, a reopening or a
// change of a line.
func (s *Service) checkBudget(ctx context.Context, tn db.Tenant, a *actor.Actor, p projects.TimeTarget) error {
	b, err := s.budgetOf(ctx, tn, p.ProjectID)
	if err != nil {
		return err
	}
	for _, u := range b.Lines {
		lvl := level(u)
		if lvl == u.Line.Alerted {
			continue
		}
		if err := s.store.setAlerted(ctx, tn, u.Line.ID, lvl); err != nil {
			return err
		}
		for _, th := range []int{budgetAlertLow, budgetAlertHigh} {
			if th <= u.Line.Alerted || th > lvl {
				continue
			}
			if err := s.announce(ctx, tn, a, p, u, th); err != nil {
				return err
			}
		}
	}
	return nil
}

// announce publishes that a line passed a threshold and tells the project's leader.
func (s *Service) announce(ctx context.Context, tn db.Tenant, a *actor.Actor, p projects.TimeTarget, u BudgetUse, threshold int) error {
	label := u.Label
	if label == "" {
		label = "Total"
	}
	payload := contract.BudgetEvent{ProjectID: p.ProjectID, Project: p.ProjectName, LineID: u.Line.ID, Line: label, Threshold: threshold, Percent: u.Percent}
	if _, err := contract.BudgetThreshold.Emit(ctx, tn.Unscoped(), tn.AccountID, a.UserID, payload); err != nil {
		return err
	}
	if s.Notifier == nil {
		return nil
	}
	key := "timesheet.notice.budget"
	if u.Label == "" {
		key += "_total" // the whole project's line, said in the reader's language
	}
	n := automation.Notice{AccountID: tn.AccountID, EventType: contract.BudgetThreshold.Type, Key: key,
		Path: "/timesheet/budgets/" + strconv.FormatInt(p.ProjectID, 10),
		Args: []any{"Project", p.ProjectName, "Line", label, "Percent", u.Percent, "Threshold", threshold},
		Text: fmt.Sprintf("The budget of %s (%s) is %d%% used: past %d%%.", p.ProjectName, label, u.Percent, threshold)}
	if u.Label == "" {
		n.Text = fmt.Sprintf("The budget of %s is %d%% used: past %d%%.", p.ProjectName, u.Percent, threshold)
	}
	if p.LeaderID != 0 {
		n.UserIDs = []int64{p.LeaderID}
	} else {
		n.Roles = []string{actor.RoleOwner, actor.RoleAdmin}
	}
	return s.Notifier.Notify(ctx, tn.Unscoped(), n)
}

// checkBudgetsOf runs checkBudget on the projects of an approved week that have a budget.
func (s *Service) checkBudgetsOf(ctx context.Context, tn db.Tenant, a *actor.Actor, pids []int64) error {
	if len(pids) == 0 {
		return nil
	}
	names, err := s.Targets.Get().Names(ctx, tn.AccountID, pids, nil)
	if err != nil {
		return err
	}
	for _, pid := range pids {
		n, err := s.store.countBudgetLines(ctx, tn, pid)
		if err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		p := projects.TimeTarget{ProjectID: pid, ProjectName: names.Projects[pid], LeaderID: names.Leaders[pid]}
		if err := s.checkBudget(ctx, tn, a, p); err != nil {
			return err
		}
	}
	return nil
}

// BudgetSummary is a project with a budget on the budgets index.
type BudgetSummary struct {
	ProjectID   int64
	ProjectName string
	Lines       int
	Totals      BudgetTotals
	Money       bool
}

// BudgetIndex lists the projects with a budget the actor sees.
func (s *Service) BudgetIndex(ctx context.Context, a *actor.Actor) ([]BudgetSummary, error) {
	tn := s.tenant(a.AccountID())
	ids, err := s.store.budgetProjects(ctx, tn, maxBudgetIndex)
	if err != nil {
		return nil, err
	}
	out := []BudgetSummary{}
	for _, id := range ids {
		b, err := s.Budget(ctx, a, id)
		if problemStatus(err) == 404 {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, BudgetSummary{ProjectID: id, ProjectName: b.ProjectName, Lines: len(b.Lines), Totals: b.Totals, Money: b.Money})
	}
	return out, nil
}
