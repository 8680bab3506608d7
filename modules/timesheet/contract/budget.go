package contract

import "groupcamp/core/events"

// BudgetEvent is the payload of timesheet.budget_threshold: approved time took a line of a
// project's budget past a threshold (80 or 100 percent of its minutes or of its amount).
type BudgetEvent struct {
	ProjectID int64  `json:"project_id"`
	Project   string `json:"project"`
	LineID    int64  `json:"line_id"`
	Line      string `json:"line"`
	// Threshold is 80 or 100; Percent the share of the line used now (the larger of minutes
	// and amount).
	Threshold int `json:"threshold"`
	Percent   int `json:"percent"`
}

// BudgetThreshold is emitted once per line and threshold (an edit that brings the line back
// under re-arms it), in the transaction of the approval or of the change of the line.
var BudgetThreshold = events.Contract[BudgetEvent]{Type: "timesheet.budget_threshold", Summary: "Approved time takes a project budget line past 80% or 100%", Notify: true}
