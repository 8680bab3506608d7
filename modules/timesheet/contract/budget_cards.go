package contract

import (
	"context"
	"html/template"

	"groupcamp/core/actor"
)

// BudgetCardsPort is the name of the BudgetCards port, which timesheet provides so that the
// project overview shows the budget's burn-down beside the project's time, without importing
// timesheet.
const BudgetCardsPort = "timesheet.budget_cards"

// BudgetCard is a project's budget as a card on its overview.
type BudgetCard struct {
	Percent int    // of the planned hours spent (approved time)
	Spent   string // hours, as the timesheet writes them ("12 h 30")
	Planned string
	Level   string        // "ok" under 80%, "warn" to 100%, "off" past it
	Chart   template.HTML // the burn-down, SVG
	URL     string        // the budget's page
}

// BudgetCards draws the card of a project's budget for a reader.
type BudgetCards interface {
	// Card is nil when the project has no budget or the reader may not see it (clients
	// never do). t translates the card's labels in the reader's language (the page's T).
	Card(ctx context.Context, a *actor.Actor, projectID int64, t func(key string, args ...any) string) (*BudgetCard, error)
}
