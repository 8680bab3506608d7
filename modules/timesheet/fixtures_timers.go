package timesheet

import "groupcamp/core/app"

// timerBody is the walkers' body of the timers' and the period lock's write routes (see
// fixtures.Body); the stop and the discard need a timer of the caller, which the owner's
// fixtures cannot start for each role: the walkers only check those answer without an error
// of the server.
func timerBody(route string, p app.Params) (any, bool) {
	switch route {
	case "POST /api/v1/:slug/timers/start":
		return map[string]any{"project_id": p.ID("project"), "note": "Walker"}, true
	case "PUT /api/v1/:slug/timesheet/lock":
		// A lock long before any fixture's time, so that the other routes keep working.
		return map[string]any{"locked_before": "2001-01-01"}, true
	}
	return nil, false
}
