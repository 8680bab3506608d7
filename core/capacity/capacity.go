// Package capacity is how much a person works (shared/PRODUCT.md "Work capacity profiles",
// "Resource planning"): the account's capacity profiles — minutes per weekday, Monday first
// (part time: Mon–Thu 8 h, Fri 4 h), a cap on the time a person may enter in one day and in
// one ISO week (0: none) — which profile each person works under from which day on (a change
// is a new row with its first day, so the history stays and past weeks keep the profile they
// were worked under), the account's job roles with a default cost and bill rate, each
// person's role, their own cost rates and a role's cost rates from a day on (cost_rates.go:
// CostBook prices a person's day at the rate in force that day, their own else their role's),
// and their own bill rates from a day on (rates.go: BillRates prices a person's day likewise).
//
// It lives in core because several modules read it: the timesheet caps entries and reminds
// people of incomplete weeks, resource planning compares capacity with allocations, budgets
// price time at cost rates. None of them is imported here; they call the Service.
//
// Every account has a default profile, "Full time" (5 × 8 h, no caps): a person without an
// assignment works under it. It is written on the first list or write of the account's
// profiles; until then the reads answer its built-in values (ID 0), so that reading never
// writes. The default cannot be archived.
//
// Money is integer minor units per hour in the account's currency.
package capacity

import (
	"time"

	"github.com/uptrace/bun"
)

// Limits of what people type.
const (
	MaxNameLength = 80
	DayMinutes    = 24 * 60
	WeekMinutes   = 7 * DayMinutes
	// MaxRateMinor is a cost or bill rate of at most 10 million per hour (in minor units).
	MaxRateMinor = 1_000_000_000
	// StandardDay is the workday of the default profile.
	StandardDay = 8 * 60
)

// Profile is a capacity profile of the account.
type Profile struct {
	bun.BaseModel `bun:"table:capacity_profiles,alias:cp"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64  `bun:"account_id" json:"-"`
	Name      string `bun:"name" json:"name" example:"Part time (4 days)"`
	Mon       int    `bun:"mon" json:"-"`
	Tue       int    `bun:"tue" json:"-"`
	Wed       int    `bun:"wed" json:"-"`
	Thu       int    `bun:"thu" json:"-"`
	Fri       int    `bun:"fri" json:"-"`
	Sat       int    `bun:"sat" json:"-"`
	Sun       int    `bun:"sun" json:"-"`
	// DayMinutes are the minutes of work of each weekday, Monday to Sunday.
	DayMinutes     []int      `bun:"-" json:"day_minutes" example:"[480,480,480,480,240,0,0]"`
	MaxDayMinutes  int        `bun:"max_day_minutes" json:"max_day_minutes" example:"600"`
	MaxWeekMinutes int        `bun:"max_week_minutes" json:"max_week_minutes" example:"2400"`
	Default        bool       `bun:"is_default" json:"default"`
	ArchivedAt     *time.Time `bun:"archived_at" json:"archived_at"`
	CreatedAt      time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at" json:"updated_at"`
}

// days are the weekday columns, Monday first.
func (p *Profile) days() [7]*int {
	return [7]*int{&p.Mon, &p.Tue, &p.Wed, &p.Thu, &p.Fri, &p.Sat, &p.Sun}
}

// fill sets DayMinutes from the columns.
func (p *Profile) fill() {
	p.DayMinutes = make([]int, 7)
	for i, d := range p.days() {
		p.DayMinutes[i] = *d
	}
}

// Minutes is the work of the profile on day.
func (p *Profile) Minutes(day time.Time) int {
	return *p.days()[Weekday(day)]
}

// WeekTotal is the work of the profile in a week.
func (p *Profile) WeekTotal() int {
	n := 0
	for _, d := range p.days() {
		n += *d
	}
	return n
}

// Weekday is the index of day's weekday, Monday 0 to Sunday 6.
func Weekday(day time.Time) int { return (int(day.Weekday()) + 6) % 7 }

// FullTime is the built-in default profile: 5 × 8 hours, no caps.
func FullTime() *Profile {
	p := &Profile{Name: "Full time", Mon: StandardDay, Tue: StandardDay, Wed: StandardDay, Thu: StandardDay, Fri: StandardDay, Default: true}
	p.fill()
	return p
}

// ProfileInput creates a profile.
type ProfileInput struct {
	Name           string `json:"name" openapi:"required" example:"Part time (4 days)"`
	DayMinutes     []int  `json:"day_minutes" openapi:"required" example:"[480,480,480,480,0,0,0]"`
	MaxDayMinutes  int    `json:"max_day_minutes" example:"600"`
	MaxWeekMinutes int    `json:"max_week_minutes" example:"2400"`
}

// ProfilePatch changes a profile: only what it names; archived false restores it.
type ProfilePatch struct {
	Name           *string `json:"name" example:"Part time"`
	DayMinutes     []int   `json:"day_minutes" example:"[480,480,480,480,240,0,0]"`
	MaxDayMinutes  *int    `json:"max_day_minutes" example:"540"`
	MaxWeekMinutes *int    `json:"max_week_minutes" example:"0"`
	Archived       *bool   `json:"archived" example:"false"`
}

// Assignment is a person working under a profile from a day on, until their next assignment.
type Assignment struct {
	bun.BaseModel `bun:"table:capacity_assignments,alias:ca"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	UserID    int64     `bun:"user_id" json:"user_id"`
	ProfileID int64     `bun:"profile_id" json:"profile_id"`
	StartsOn  string    `bun:"starts_on" json:"starts_on" format:"date"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`

	ProfileName string `bun:"-" json:"profile_name"`
}

// Role is a job role of the account (developer, designer, consultant) with its default
// rates per hour.
type Role struct {
	bun.BaseModel `bun:"table:job_roles,alias:jr"`

	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID     int64      `bun:"account_id" json:"-"`
	Name          string     `bun:"name" json:"name" example:"Senior consultant"`
	CostRateMinor int64      `bun:"cost_rate_minor" json:"cost_rate_minor" example:"6000"`
	BillRateMinor int64      `bun:"bill_rate_minor" json:"bill_rate_minor" example:"12000"`
	ArchivedAt    *time.Time `bun:"archived_at" json:"archived_at"`
	// CostRates are the changes of the role's cost rate, oldest first (the first from
	// 0001-01-01: since always); CostRateMinor is the one in force today.
	CostRates []RoleCostRate `bun:"-" json:"cost_rates"`
	CreatedAt time.Time      `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time      `bun:"updated_at" json:"updated_at"`
}

// RoleInput creates a job role.
type RoleInput struct {
	Name          string `json:"name" openapi:"required" example:"Senior consultant"`
	CostRateMinor int64  `json:"cost_rate_minor" example:"6000"`
	BillRateMinor int64  `json:"bill_rate_minor" example:"12000"`
}

// RolePatch changes a job role; archived false restores it.
type RolePatch struct {
	Name *string `json:"name" example:"Consultant"`
	// CostRateMinor is the role's cost rate from CostRateFrom on (default today): earlier
	// days keep the rate they had.
	CostRateMinor *int64 `json:"cost_rate_minor" example:"5500"`
	CostRateFrom  string `json:"cost_rate_from" format:"date" example:"2027-01-01"`
	BillRateMinor *int64 `json:"bill_rate_minor" example:"11000"`
	Archived      *bool  `json:"archived" example:"false"`
}

// rate is a person's role and own cost rate (the one in force on the day of its last change:
// person_cost_rates holds the history that prices days).
type rate struct {
	bun.BaseModel `bun:"table:person_rates,alias:pr"`

	ID            int64     `bun:"id,pk,autoincrement"`
	AccountID     int64     `bun:"account_id"`
	UserID        int64     `bun:"user_id"`
	RoleID        *int64    `bun:"role_id"`
	CostRateMinor *int64    `bun:"cost_rate_minor"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// PersonInput changes a person's capacity: a profile from a day on (both, or neither), their
// job role (0: none) and their own cost rate (null: their role's).
type PersonInput struct {
	ProfileID int64  `json:"profile_id" example:"2"`
	StartsOn  string `json:"starts_on" format:"date" example:"2027-01-04"`
	RoleID    *int64 `json:"role_id" example:"1"`
	// CostRateMinor is the person's own cost per hour from CostRateFrom on (default today; a
	// first own rate without a day holds since always);
	// null or absent keeps their rates, -1 gives them their role's from that day. Earlier
	// days keep the rate they had.
	CostRateMinor *int64 `json:"cost_rate_minor" example:"6500"`
	CostRateFrom  string `json:"cost_rate_from" format:"date" example:"2027-01-01"`
	// BillRateMinor is the person's own bill rate from BillRateFrom on (default today); null
	// or absent keeps their rates, -1 gives them their role's from that day. Earlier days keep
	// the rate they had.
	BillRateMinor *int64 `json:"bill_rate_minor" example:"13000"`
	BillRateFrom  string `json:"bill_rate_from" format:"date" example:"2027-01-01"`
}

// Person is a person's capacity: the profile in force today, the history of their profiles,
// their role and cost rate.
type Person struct {
	UserID  int64        `json:"user_id"`
	Profile *Profile     `json:"profile"`
	History []Assignment `json:"history"`
	RoleID  *int64       `json:"role_id"`
	Role    string       `json:"role"`
	// OwnCostRateMinor is the person's own rate today (null: none).
	OwnCostRateMinor *int64 `json:"own_cost_rate_minor"`
	// CostRateMinor is the rate that applies today: their own, else their role's (0: none);
	// CostRates the changes of their own, oldest first (0001-01-01: since always).
	CostRateMinor int64      `json:"cost_rate_minor"`
	CostRates     []CostRate `json:"cost_rates"`
	// OwnBillRateMinor is the person's own bill rate today (null: none); BillRateMinor the
	// one that applies today: their own, else their role's (0: none); BillRates the changes
	// of their own, oldest first. Administrators and the person read them.
	OwnBillRateMinor *int64     `json:"own_bill_rate_minor"`
	BillRateMinor    int64      `json:"bill_rate_minor"`
	BillRates        []BillRate `json:"bill_rates"`
	Currency         string     `json:"currency" example:"EUR"`
}
