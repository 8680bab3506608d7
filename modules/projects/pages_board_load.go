package projects

import (
	"context"

	"groupcamp/core/actor"
)

// boardTasks are the tasks of a project the actor sees, with only what the board shows: id,
// list, title, status, due day, the assignees' ids, labels and checklist counts, in one query
// for the tasks and one each for their assignees, labels and counts. The board loads a thousand tasks; scanning every column of each (the
// description above all) and their dependencies, as Tasks does for the API, cost most of
// the page on SQLite. The visibility is Tasks' own: the project check, then the lists a
// client's company shares (joinTaskLists).
func (s *Service) boardTasks(ctx context.Context, a *actor.Actor, projectID int64, limit int) ([]Task, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	ts, err := s.store.boardTasks(ctx, tn, sc, projectID, limit)
	if err != nil || len(ts) == 0 {
		return ts, err
	}
	ids := make([]int64, len(ts))
	index := make(map[int64]int, len(ts))
	for i := range ts {
		ids[i] = ts[i].ID
		index[ts[i].ID] = i
	}
	as, err := s.store.boardAssignees(ctx, tn, ids)
	if err != nil {
		return nil, err
	}
	for _, x := range as {
		t := &ts[index[x.TaskID]]
		t.Assignees = append(t.Assignees, x)
	}
	return ts, s.store.boardDetails(ctx, tn, projectID, ts, index)
}
