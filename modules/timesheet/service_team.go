package timesheet

import (
	"context"
	"slices"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/workflow"
)

// TeamWeek is the team view of a week: for an administrator every colleague of the account,
// for a manager the people in a team with them; narrowed to one team when team is not 0 (a
// team the reader may filter by, else 404). Each row is a person's minutes per day, total,
// week state and the transitions the reader may fire on it. Three queries whatever the number
// of people (people, day totals, week states), and one for the teams. People come by name a
// page at a time (p: keyset on the lowercased name and the id; NextCursor when more remain).
func (s *Service) TeamWeek(ctx context.Context, a *actor.Actor, week string, team int64, p api.KeyPage) (*TeamWeek, error) {
	w, ok := ParseWeek(week)
	if !ok {
		return nil, problem.Invalid(problem.FieldError{Field: "week", Message: "must be an ISO week such as 2026-W49"})
	}
	all := admin(a)
	if !all && a.Role != actor.RoleManager {
		return nil, problem.Forbidden("the team view is for managers and administrators")
	}
	tn := s.tenant(a.AccountID())
	with := a.UserID // a manager's own teams
	if all {
		with = 0
	}
	named, err := s.store.teams(ctx, tn, with)
	if err != nil {
		return nil, err
	}
	teams := make([]TeamRef, len(named))
	for i, t := range named {
		teams[i] = TeamRef{ID: t.ID, Name: t.Name}
	}
	if team != 0 && !slices.ContainsFunc(teams, func(t TeamRef) bool { return t.ID == team }) {
		return nil, problem.NotFound()
	}
	people, err := s.store.teamViewPeople(ctx, tn, a.UserID, team, all, p)
	if err != nil {
		return nil, err
	}
	next := ""
	if len(people) > p.Limit {
		people = people[:p.Limit]
		last := people[p.Limit-1]
		next = api.KeyCursor(last.SortKey, last.UserID)
	}
	days := w.Days()
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.UserID
	}
	totals, err := s.store.dayTotals(ctx, tn, ids, days[0], days[6])
	if err != nil {
		return nil, err
	}
	states, err := s.store.weekStates(ctx, tn, ids, w.String())
	if err != nil {
		return nil, err
	}
	out := &TeamWeek{Week: w.String(), Days: days, Items: make([]TeamRow, 0, len(people)), Teams: teams, NextCursor: next}
	index := make(map[int64]int, len(people))
	// The transitions of each state, for the reader (every person here is one whose sheet
	// they keep whole: the rule left is that no one decides on their own week).
	allowed := map[string][]string{}
	for _, p := range people {
		st := states[p.UserID]
		if st == "" {
			st = StateOpen
		}
		if _, ok := allowed[st]; !ok {
			allowed[st] = s.Workflows.Allowed(&workflow.Instance{Definition: WorkflowName, State: st}, a)
		}
		row := TeamRow{UserID: p.UserID, Name: p.Name, DayMinutes: make([]int, 7), State: st, Allowed: []string{}}
		for _, name := range allowed[st] {
			if (name == Approve || name == Reject) && p.UserID == a.UserID {
				continue
			}
			row.Allowed = append(row.Allowed, name)
		}
		index[p.UserID] = len(out.Items)
		out.Items = append(out.Items, row)
	}
	for _, t := range totals {
		row := &out.Items[index[t.UserID]]
		if d := slices.Index(days, t.Day); d >= 0 {
			row.DayMinutes[d] += t.Minutes
			row.TotalMinutes += t.Minutes
		}
	}
	for i := range out.Items {
		if out.Items[i].TotalMinutes == 0 {
			// An empty week is not submitted.
			out.Items[i].Allowed = slices.DeleteFunc(out.Items[i].Allowed, func(n string) bool { return n == Submit })
		}
	}
	return out, nil
}
