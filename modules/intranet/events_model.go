package intranet

import (
	"time"

	"github.com/uptrace/bun"
)

// Limits of the calendars (events.go, icsimport.go).
const (
	MaxPlace         = 200     // an event's place
	MaxAttendees     = 500     // attendees of one event
	MaxEventDays     = 366     // the longest event, and the widest range one request lists
	MaxRangeEvents   = 2000    // events one range loads (a calendar page, a feed)
	MaxImportBytes   = 1 << 20 // an .ics file (413 beyond)
	MaxImportEvents  = 500     // events of one .ics file (422 beyond)
	eventDescription = MaxBody // an event's Markdown description (bytes)
)

// Event is a company or team event of a space. An all-day event's StartsAt and EndsAt are
// civil days at UTC midnight (EndsAt inclusive); another's are instants.
type Event struct {
	bun.BaseModel `bun:"table:intranet_events,alias:e"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64     `bun:"account_id" json:"-"`
	SpaceID     int64     `bun:"space_id" json:"space_id"`
	Title       string    `bun:"title" json:"title" example:"Christmas party"`
	Description string    `bun:"description" json:"description" example:"Bring a **gift** under 20 €."`
	Place       string    `bun:"place" json:"place" example:"Rooftop, 5th floor"`
	StartsAt    time.Time `bun:"starts_at" json:"starts_at"`
	EndsAt      time.Time `bun:"ends_at" json:"ends_at"`
	AllDay      bool      `bun:"all_day" json:"all_day"`
	SourceUID   string    `bun:"source_uid" json:"-"`
	CreatedBy   *int64    `bun:"created_by" json:"created_by"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at" json:"updated_at"`
	// Recurrence is "" (once), "weekly" or "monthly" (recurrence.go); the series ends on
	// RecurUntil (a civil day, inclusive) or after RecurCount occurrences.
	Recurrence string     `bun:"recurrence" json:"recurrence" enum:",weekly,monthly"`
	RecurUntil *time.Time `bun:"recur_until" json:"recur_until"`
	RecurCount int        `bun:"recur_count" json:"recur_count"`
	// TimeZone is the IANA zone the series steps in ("" is UTC): its author's when made, so
	// that a weekly 09:00 meeting stays 09:00 there across daylight-saving changes.
	TimeZone string `bun:"time_zone" json:"time_zone" example:"Europe/Paris"`
	// SeriesEndsAt is the end of the last occurrence (EndsAt for an event once).
	SeriesEndsAt *time.Time `bun:"series_ends_at" json:"-"`
	// SeriesStartsAt is, on an occurrence of a list, the first occurrence's start (the event
	// as stored); nil on the event itself.
	SeriesStartsAt *time.Time `bun:"-" json:"series_starts_at,omitempty"`
	// Occurrence is, on an occurrence of a series (in a list, or asked with ?occurrence=), its
	// day in the event's zone (YYYY-MM-DD): what ?occurrence= names to change or cancel it
	// alone. Overridden: it was changed alone (its title, place and times are its own).
	Occurrence string `bun:"-" json:"occurrence,omitempty" example:"2027-03-29"`
	Overridden bool   `bun:"-" json:"overridden,omitempty"`
	// Exceptions are, on one event of a series, its occurrences changed or cancelled alone.
	Exceptions []Exception `bun:"-" json:"exceptions,omitempty"`
	// Editable is whether the caller may edit and delete it (its author, managers and up).
	Editable  bool   `bun:"-" json:"editable"`
	SpaceName string `bun:"space_name,scanonly" json:"space_name"`
	// Attendees are filled for one event (not in lists).
	Attendees []Attendee `bun:"-" json:"attendees"`
}

// EventInput creates an event. An all-day event takes the dates of starts_at and ends_at (no
// ends_at: one day); another needs both instants, ends_at not before starts_at.
type EventInput struct {
	SpaceID     int64      `json:"space_id" openapi:"required" example:"1"`
	Title       string     `json:"title" openapi:"required" example:"Christmas party"`
	Description string     `json:"description" text:"multiline" example:"Bring a **gift** under 20 €."`
	Place       string     `json:"place" example:"Rooftop, 5th floor"`
	StartsAt    *time.Time `json:"starts_at" openapi:"required" example:"2026-12-18T17:00:00Z"`
	EndsAt      *time.Time `json:"ends_at" example:"2026-12-18T22:00:00Z"`
	AllDay      bool       `json:"all_day" example:"false"`
	AttendeeIDs []int64    `json:"attendee_ids" example:"[2,3]"`
	// Recurrence repeats the event "weekly" or "monthly" (empty: once) until recur_until (a
	// day, inclusive) or for recur_count occurrences — one of the two.
	Recurrence string `json:"recurrence" enum:",weekly,monthly" example:"weekly"`
	RecurUntil string `json:"recur_until" example:"2027-06-30"`
	RecurCount int    `json:"recur_count" example:"10"`
	// TimeZone is the IANA zone a repeating event steps in (empty: the author's profile zone
	// for a new event, the event's own for an edit).
	TimeZone string `json:"time_zone" example:"Europe/Paris"`
}

// Exception is one occurrence of a series changed or cancelled alone, named by its day in the
// event's zone (OccursOn): cancelled, or with its own title, description, place and times.
type Exception struct {
	bun.BaseModel `bun:"table:intranet_event_exceptions,alias:ex"`

	ID          int64     `bun:"id,pk,autoincrement" json:"-"`
	AccountID   int64     `bun:"account_id" json:"-"`
	EventID     int64     `bun:"event_id" json:"-"`
	OccursOn    string    `bun:"occurs_on" json:"occurs_on" example:"2027-03-29"`
	Cancelled   bool      `bun:"cancelled" json:"cancelled"`
	Title       string    `bun:"title" json:"title"`
	Description string    `bun:"description" json:"description"`
	Place       string    `bun:"place" json:"place"`
	StartsAt    time.Time `bun:"starts_at" json:"starts_at"`
	EndsAt      time.Time `bun:"ends_at" json:"ends_at"`
	UpdatedAt   time.Time `bun:"updated_at" json:"-"`
}

// Attendee is a person invited to an event.
type Attendee struct {
	bun.BaseModel `bun:"table:intranet_event_attendees,alias:ea"`

	AccountID int64  `bun:"account_id" json:"-"`
	EventID   int64  `bun:"event_id" json:"-"`
	UserID    int64  `bun:"user_id" json:"user_id"`
	Name      string `bun:"name,scanonly" json:"name"`
}

// EventList is the events of a range, by start.
type EventList struct {
	From  string  `json:"from" example:"2026-12-01"`
	To    string  `json:"to" example:"2026-12-31"`
	Items []Event `json:"items"`
	// Cut says the range held more than MaxRangeEvents events (the first ones are listed).
	Cut bool `json:"cut"`
}

// ImportReport is what an .ics file holds (dry_run: the preview) or what was imported.
type ImportReport struct {
	SpaceID  int64         `json:"space_id"`
	Events   []ImportEvent `json:"events"`
	Imported int           `json:"imported"`
	Skipped  int           `json:"skipped"`
}

// ImportEvent is one event of a file; Duplicate: the space already has it (same UID), so it
// is skipped. A repeating entry whose RRULE the calendars can follow (weekly or monthly, on
// the first occurrence's day; icsimport.go) is imported as a series (Recurrence, RecurCount
// or RecurUntil, TimeZone) with its EXDATE days cancelled and its RECURRENCE-ID entries as
// occurrences changed alone (Exceptions); Repeats: it repeats in a way they cannot follow,
// so only its first occurrence is imported.
type ImportEvent struct {
	Line      int       `json:"line"`
	UID       string    `json:"uid"`
	Title     string    `json:"title"`
	Place     string    `json:"place"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	AllDay    bool      `json:"all_day"`
	Duplicate bool      `json:"duplicate"`
	Repeats   bool      `json:"repeats"`
	// Recurrence is "weekly" or "monthly" for a series ("": once).
	Recurrence string     `json:"recurrence" enum:",weekly,monthly"`
	RecurCount int        `json:"recur_count,omitempty"`
	RecurUntil *time.Time `json:"recur_until,omitempty"`
	TimeZone   string     `json:"time_zone,omitempty"`
	// Exceptions are the series' occurrences cancelled (EXDATE, a cancelled RECURRENCE-ID) or
	// changed alone (RECURRENCE-ID).
	Exceptions []Exception `json:"exceptions,omitempty"`
	// Description is kept for the import, not shown in the preview.
	Description string `json:"-"`
}
