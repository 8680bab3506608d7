package planning

import (
	"context"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/problem"
)

// SplitInput is the day an allocation is cut on.
type SplitInput struct {
	On string `json:"on" openapi:"required" format:"date" example:"2027-01-06"`
}

// SplitAllocation cuts an allocation in two on a day (Float's split): the allocation ends the
// day before, and a copy of it — resource, project, task, amount, tentative, note — runs from
// that day to its old last day, to be moved or changed apart; answers the copy. A weekly
// repeated allocation is refused (422 on "on"): which of its occurrences to cut is not said.
// The copy is written first, then the allocation shortened through UpdateAllocation (its
// conditional write); if that fails the copy is deleted, and the allocation stays whole.
func (s *Service) SplitAllocation(ctx context.Context, a *actor.Actor, id int64, in SplitInput) (*Allocation, error) {
	tn := s.tenant(a.AccountID())
	al, err := s.store.allocation(ctx, tn, id)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	if on, ok := parseDay(&f, "on", in.On); ok {
		first, _ := time.Parse(capacity.DayLayout, al.StartsOn)
		last, _ := time.Parse(capacity.DayLayout, al.EndsOn)
		f.Check(on.After(first) && !on.After(last), "on", "must be after the allocation's first day and not after its last day")
		f.Check(al.RepeatWeeks == 0, "on", "cannot cut an allocation repeated weekly: set its repeats to 0 first")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	on, _ := time.Parse(capacity.DayLayout, in.On)
	var task int64
	if al.TaskID != nil {
		task = *al.TaskID
	}
	second, err := s.CreateAllocation(ctx, a, AllocationInput{ResourceID: al.ResourceID, ProjectID: al.ProjectID, TaskID: task, StartsOn: on.Format(capacity.DayLayout),
		EndsOn: al.EndsOn, MinutesPerDay: al.MinutesPerDay, Percent: al.Percent, Tentative: al.Tentative, Note: al.Note})
	if err != nil {
		return nil, err
	}
	before := on.AddDate(0, 0, -1).Format(capacity.DayLayout)
	if _, err := s.UpdateAllocation(ctx, a, id, AllocationPatch{EndsOn: &before}); err != nil {
		if derr := s.DeleteAllocation(ctx, a, second.ID); derr != nil {
			return nil, derr
		}
		return nil, err
	}
	return second, nil
}
