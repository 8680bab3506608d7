// Package contract is what the timesheet module publishes for the other modules: its event
// types and their payloads. It is the one package of timesheet another module may import.
package contract

import "groupcamp/core/events"

// WeekEvent is the payload of the week events: a person's week ("2026-W49") changed state.
type WeekEvent struct {
	WeekID int64 `json:"week_id"`
	// UserID is the person whose week it is.
	UserID       int64  `json:"user_id"`
	Week         string `json:"week"`
	State        string `json:"state"`
	TotalMinutes int    `json:"total_minutes"`
	Comment      string `json:"comment,omitempty"`
}

// The events of timesheet, emitted in the transaction of the transition, by its actor.
var (
	WeekSubmitted = events.Contract[WeekEvent]{Type: "timesheet.submitted", Summary: "A person submits a week of time for approval", Notify: true}
	WeekApproved  = events.Contract[WeekEvent]{Type: "timesheet.approved", Summary: "A week of time is approved (and locked)", Notify: true}
	WeekRejected  = events.Contract[WeekEvent]{Type: "timesheet.rejected", Summary: "A week of time is sent back with a comment", Notify: true}
	WeekReopened  = events.Contract[WeekEvent]{Type: "timesheet.reopened", Summary: "An administrator reopens a week of time"}
)

// All are the contracts of timesheet.
var All = []events.Declarer{WeekSubmitted, WeekApproved, WeekRejected, WeekReopened}

// EstimateEvent is the payload of timesheet.estimate_exceeded: the time logged on a task
// passed its estimate (the sum of its assignees' estimates).
type EstimateEvent struct {
	TaskID          int64 `json:"task_id"`
	ProjectID       int64 `json:"project_id"`
	EstimateMinutes int   `json:"estimate_minutes"`
	LoggedMinutes   int   `json:"logged_minutes"`
}

// EstimateExceeded is emitted once per task and estimate, in the transaction of the entry
// that passed it; its project's leader is notified.
var EstimateExceeded = events.Contract[EstimateEvent]{Type: "timesheet.estimate_exceeded", Summary: "The time logged on a task passes its estimate", Notify: true}
