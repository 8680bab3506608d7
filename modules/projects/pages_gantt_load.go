package projects

import (
	"context"

	"groupcamp/core/actor"
)

// ganttTasks are the tasks of a project the actor sees, with only what the Gantt draws: id,
// list, title, status and days, the assignees' progress, and the predecessors among these
// same tasks — one query for each. Tasks (the API's listing) reads every column, the
// description above all, and decorates each page of tasks, which cost most of the chart for a
// thousand tasks. The visibility is Tasks' own: the project check, then the lists a client's
// company shares (joinTaskLists); a dependency is kept only when both of its tasks are among
// those read, so a client learns of no task outside their lists.
func (s *Service) ganttTasks(ctx context.Context, a *actor.Actor, projectID int64, limit int) ([]Task, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	ts, err := s.store.ganttTasks(ctx, tn, sc, projectID, limit)
	if err != nil || len(ts) == 0 {
		return ts, err
	}
	index := make(map[int64]int, len(ts))
	for i := range ts {
		index[ts[i].ID] = i
	}
	as, err := s.store.ganttAssignees(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	for _, x := range as {
		if i, ok := index[x.TaskID]; ok {
			ts[i].Assignees = append(ts[i].Assignees, x)
		}
	}
	deps, err := s.store.ganttLinks(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	for _, d := range deps {
		i, ok := index[d.SuccessorID]
		if _, seen := index[d.PredecessorID]; ok && seen {
			ts[i].PredecessorIDs = append(ts[i].PredecessorIDs, d.PredecessorID)
		}
	}
	return ts, nil
}
