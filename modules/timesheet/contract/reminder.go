package contract

import "groupcamp/core/events"

// ReminderEvent is the payload of timesheet.reminded: a person was reminded that their week
// holds less time than their capacity profile expects.
type ReminderEvent struct {
	UserID          int64  `json:"user_id"`
	Week            string `json:"week"`
	LoggedMinutes   int    `json:"logged_minutes"`
	ExpectedMinutes int    `json:"expected_minutes"`
}

// Reminded is emitted by the reminder job (no actor), once per person and week at most.
var Reminded = events.Contract[ReminderEvent]{Type: "timesheet.reminded", Summary: "A person is reminded that their week of time is incomplete", Notify: true}
