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
	if _, err := s.store.project(ctx, s.DB, sc, projectID, false); err != nil {
		return nil, err
	}
	var ts []Task
	q := s.DB.NewSelect().Model(&ts).Column("t.id", "t.list_id", "t.title", "t.status", "t.starts_on", "t.due_on").
		Where("t.account_id = ? AND t.project_id = ?", sc.AccountID, projectID).OrderExpr("t.id").Limit(int64(limit))
	if err := sc.joinTaskLists(q).Scan(ctx); err != nil || len(ts) == 0 {
		return ts, err
	}
	index := make(map[int64]int, len(ts))
	for i := range ts {
		index[ts[i].ID] = i
	}
	var as []Assignee
	if err := s.DB.NewSelect().Model(&as).Column("ta.task_id", "ta.user_id", "ta.progress").
		Where("ta.account_id = ? AND ta.task_id IN (SELECT t.id FROM tasks AS t WHERE t.account_id = ? AND t.project_id = ?)", sc.AccountID, sc.AccountID, projectID).
		OrderExpr("ta.task_id, ta.user_id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, x := range as {
		if i, ok := index[x.TaskID]; ok {
			ts[i].Assignees = append(ts[i].Assignees, x)
		}
	}
	var deps []Dependency
	if err := s.DB.NewSelect().Model(&deps).Column("d.successor_id", "d.predecessor_id").
		Where("d.account_id = ? AND d.project_id = ?", sc.AccountID, projectID).
		OrderExpr("d.successor_id, d.predecessor_id").Scan(ctx); err != nil {
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
