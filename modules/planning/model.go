package planning

import (
	"time"

	"github.com/uptrace/bun"
)

// Kinds of resource.
const (
	KindPerson      = "person"
	KindPlaceholder = "placeholder"
	KindEquipment   = "equipment"
	KindRoom        = "room"
)

// Halves of a day of leave.
const (
	PartMorning   = "morning"
	PartAfternoon = "afternoon"
)

// Absence states (the workflow's).
const (
	StateRequested = "requested"
	StateApproved  = "approved"
	StateRejected  = "rejected"
)

// Limits of what people type and ask for.
const (
	MaxName        = 120
	MaxNote        = 1000
	MaxRepeatWeeks = 52
	// MaxRangeDays is the longest allocation or absence, and the longest period a workload,
	// availability or timeline is asked for.
	MaxRangeDays = 366 * 2
	DayMinutes   = 24 * 60
	// MaxPercent bounds an allocation given in percent of the day's capacity. Over 100 is
	// allowed like any booking over capacity — saved, then flagged (over_allocated and the
	// weeks in conflicts), never refused; 300 % of an 8-hour day is the whole 24 hours.
	MaxPercent = 300
)

// Resource is what can be booked: a person of the account, a placeholder (a role not yet
// staffed), equipment or a room.
type Resource struct {
	bun.BaseModel `bun:"table:planning_resources,alias:r"`

	ID                int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID         int64  `bun:"account_id" json:"-"`
	Kind              string `bun:"kind" json:"kind" enum:"person,placeholder,equipment,room"`
	UserID            *int64 `bun:"user_id" json:"user_id"`
	Name              string `bun:"name" json:"name" example:"Senior developer (to hire)"`
	RoleID            *int64 `bun:"role_id" json:"role_id"`
	CapacityProfileID *int64 `bun:"capacity_profile_id" json:"capacity_profile_id"`
	// Country is whose public holidays the resource has off ("": the account's country).
	Country    string     `bun:"country" json:"country" example:"FR"`
	ArchivedAt *time.Time `bun:"archived_at" json:"archived_at"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt  time.Time  `bun:"updated_at" json:"updated_at"`

	// Role is the job role's name: a person's from core/capacity, the resource's own otherwise.
	Role string `bun:"-" json:"role"`
	// PersonCountry is the person's own country of their profile ("": the account's).
	PersonCountry string `bun:"person_country,scanonly" json:"-"`
	// PersonName is the person's name for a person resource (Name is "" for them).
	PersonName string `bun:"person_name,scanonly" json:"-"`
	// MemberRole is the person's membership role ("" when they left the account).
	MemberRole string `bun:"member_role,scanonly" json:"-"`
	// PersonRoleID is the person's job role (core/capacity person_rates).
	PersonRoleID *int64 `bun:"person_role_id,scanonly" json:"-"`
}

// ResourceInput creates a placeholder, equipment or room (people are resources already).
type ResourceInput struct {
	Kind              string `json:"kind" openapi:"required" enum:"placeholder,equipment,room" example:"placeholder"`
	Name              string `json:"name" openapi:"required" example:"Senior developer (to hire)"`
	RoleID            int64  `json:"role_id" example:"1"`
	CapacityProfileID int64  `json:"capacity_profile_id" example:"0"`
}

// ResourcePatch changes a resource; archived false restores it. A person's name and role are
// theirs (their profile, core/capacity): only placeholders, equipment and rooms take them.
type ResourcePatch struct {
	Name              *string `json:"name" example:"Meeting room B"`
	RoleID            *int64  `json:"role_id" example:"2"`
	CapacityProfileID *int64  `json:"capacity_profile_id" example:"0"`
	// Country overrides the account's country for public holidays (a person too); "" clears it.
	Country  *string `json:"country" example:"DE"`
	Archived *bool   `json:"archived" example:"false"`
}

// AssignInput replaces a placeholder by a person, who takes its allocations.
type AssignInput struct {
	UserID int64 `json:"user_id" openapi:"required" example:"7"`
}

// Allocation books a resource on a project (optionally a task) every working day of a range.
type Allocation struct {
	bun.BaseModel `bun:"table:planning_allocations,alias:al"`

	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID     int64     `bun:"account_id" json:"-"`
	ResourceID    int64     `bun:"resource_id" json:"resource_id"`
	ProjectID     int64     `bun:"project_id" json:"project_id"`
	TaskID        *int64    `bun:"task_id" json:"task_id"`
	StartsOn      string    `bun:"starts_on" json:"starts_on" format:"date" example:"2027-01-04"`
	EndsOn        string    `bun:"ends_on" json:"ends_on" format:"date" example:"2027-01-08"`
	LastOn        string    `bun:"last_on" json:"last_on" format:"date"`
	MinutesPerDay int       `bun:"minutes_per_day" json:"minutes_per_day" example:"240"`
	Percent       int       `bun:"percent" json:"percent" example:"0"`
	Tentative     bool      `bun:"tentative" json:"tentative"`
	Note          string    `bun:"note" json:"note"`
	RepeatWeeks   int       `bun:"repeat_weeks" json:"repeat_weeks"`
	CreatedBy     *int64    `bun:"created_by" json:"created_by"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`

	ProjectName string `bun:"-" json:"project_name,omitempty"`
	// OverAllocated: the resource is booked over its capacity on some week of the allocation
	// (allowed, not refused: the conflicts say where).
	OverAllocated bool       `bun:"-" json:"over_allocated"`
	Conflicts     []Conflict `bun:"-" json:"conflicts,omitempty"`
}

// AllocationInput books a resource: minutes_per_day or percent (of each day's capacity).
type AllocationInput struct {
	ResourceID    int64  `json:"resource_id" openapi:"required" example:"3"`
	ProjectID     int64  `json:"project_id" openapi:"required" example:"5"`
	TaskID        int64  `json:"task_id" example:"0"`
	StartsOn      string `json:"starts_on" openapi:"required" format:"date" example:"2027-01-04"`
	EndsOn        string `json:"ends_on" openapi:"required" format:"date" example:"2027-01-08"`
	MinutesPerDay int    `json:"minutes_per_day" example:"240"`
	Percent       int    `json:"percent" example:"0"`
	Tentative     bool   `json:"tentative" example:"false"`
	Note          string `json:"note" example:"Kick-off and specifications"`
	RepeatWeeks   int    `json:"repeat_weeks" example:"0"`
}

// AllocationPatch moves, resizes or changes an allocation: only what it names.
type AllocationPatch struct {
	ResourceID    *int64  `json:"resource_id" example:"3"`
	ProjectID     *int64  `json:"project_id" example:"5"`
	TaskID        *int64  `json:"task_id" example:"0"`
	StartsOn      *string `json:"starts_on" format:"date" example:"2027-01-11"`
	EndsOn        *string `json:"ends_on" format:"date" example:"2027-01-15"`
	MinutesPerDay *int    `json:"minutes_per_day" example:"480"`
	Percent       *int    `json:"percent" example:"0"`
	Tentative     *bool   `json:"tentative" example:"true"`
	Note          *string `json:"note" example:""`
	RepeatWeeks   *int    `json:"repeat_weeks" example:"0"`
}

// Conflict is a week a resource is booked over its capacity.
type Conflict struct {
	ResourceID int64  `json:"resource_id"`
	Name       string `json:"name"`
	Week       string `json:"week" example:"2027-W01"`
	// Monday is the week's first day.
	Monday           string `json:"monday" format:"date"`
	CapacityMinutes  int    `json:"capacity_minutes"`
	AllocatedMinutes int    `json:"allocated_minutes"`
	// TaskMinutes are the estimates of the person's dated tasks that week.
	TaskMinutes int `json:"task_minutes"`
	OverMinutes int `json:"over_minutes"`
}

// AbsenceType is a kind of leave of the account.
type AbsenceType struct {
	bun.BaseModel `bun:"table:planning_absence_types,alias:at"`

	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID     int64      `bun:"account_id" json:"-"`
	Name          string     `bun:"name" json:"name" example:"Holiday"`
	Paid          bool       `bun:"paid" json:"paid"`
	AllowanceDays int        `bun:"allowance_days" json:"allowance_days" example:"25"`
	CarryOverDays int        `bun:"carry_over_days" json:"carry_over_days" example:"5"`
	ArchivedAt    *time.Time `bun:"archived_at" json:"archived_at"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
}

// AbsenceTypeInput creates a kind of leave.
type AbsenceTypeInput struct {
	Name          string `json:"name" openapi:"required" example:"Training"`
	Paid          bool   `json:"paid" example:"true"`
	AllowanceDays int    `json:"allowance_days" example:"0"`
	CarryOverDays int    `json:"carry_over_days" example:"0"`
}

// AbsenceTypePatch changes a kind of leave: only what it names; archived false restores it
// (an archived kind takes no new request; the leave of that kind stays).
type AbsenceTypePatch struct {
	Name          *string `json:"name" example:"Paid holiday"`
	Paid          *bool   `json:"paid" example:"true"`
	AllowanceDays *int    `json:"allowance_days" example:"27"`
	CarryOverDays *int    `json:"carry_over_days" example:"3"`
	Archived      *bool   `json:"archived" example:"false"`
}

// Absence is a person's leave: requested, then approved or rejected by a manager.
type Absence struct {
	bun.BaseModel `bun:"table:planning_absences,alias:ab"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64  `bun:"account_id" json:"-"`
	UserID    int64  `bun:"user_id" json:"user_id"`
	TypeID    int64  `bun:"type_id" json:"type_id"`
	StartsOn  string `bun:"starts_on" json:"starts_on" format:"date"`
	EndsOn    string `bun:"ends_on" json:"ends_on" format:"date"`
	State     string `bun:"state" json:"state" enum:"requested,approved,rejected"`
	// Part is the half of a one-day absence ("morning", "afternoon"), "" for whole days.
	Part      string     `bun:"part" json:"part" enum:",morning,afternoon"`
	Note      string     `bun:"note" json:"note"`
	DecidedBy *int64     `bun:"decided_by" json:"decided_by"`
	DecidedAt *time.Time `bun:"decided_at" json:"decided_at"`
	Comment   string     `bun:"comment" json:"comment"`
	CreatedAt time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time  `bun:"updated_at" json:"updated_at"`

	// Type is the type's name (hidden from colleagues who do not decide: "" then).
	Type       string `bun:"type_name,scanonly" json:"type"`
	PersonName string `bun:"person_name,scanonly" json:"person_name"`
	// Days are the working days it takes from its person's capacity (a half day: 0.5).
	Days float64 `bun:"-" json:"days" example:"0.5"`
}

// AbsenceInput requests leave (for oneself; a manager or an administrator for someone else).
type AbsenceInput struct {
	UserID   int64  `json:"user_id" example:"7"`
	TypeID   int64  `json:"type" openapi:"required" example:"1"`
	StartsOn string `json:"starts_on" openapi:"required" format:"date" example:"2027-02-15"`
	EndsOn   string `json:"ends_on" openapi:"required" format:"date" example:"2027-02-19"`
	// Part asks for half a day: "morning" or "afternoon" (starts_on and ends_on the same day).
	Part string `json:"part" enum:",morning,afternoon" example:""`
	Note string `json:"note" example:"Skiing"`
}

// DecisionInput is a manager's decision on a request.
type DecisionInput struct {
	Comment string `json:"comment" example:"Enjoy"`
}

// Balance is a person's allowance of a type of leave in a year.
// Days are counted in halves (a half-day absence takes 0.5).
type Balance struct {
	TypeID    int64   `json:"type_id"`
	Type      string  `json:"type"`
	Year      int     `json:"year"`
	Allowance int     `json:"allowance_days"`
	CarriedIn float64 `json:"carried_over_days"`
	TakenDays float64 `json:"taken_days"`
	Remaining float64 `json:"remaining_days"`
}
