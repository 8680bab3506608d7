package projects

import (
	"context"

	"github.com/uptrace/bun"

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
	if _, err := s.store.project(ctx, s.DB, sc, projectID, false); err != nil {
		return nil, err
	}
	var ts []Task
	q := s.DB.NewSelect().Model(&ts).Column("t.id", "t.list_id", "t.title", "t.status", "t.custom_status", "t.due_on").
		Where("t.account_id = ? AND t.project_id = ?", sc.AccountID, projectID).OrderExpr("t.id").Limit(int64(limit))
	if err := sc.joinTaskLists(q).Scan(ctx); err != nil || len(ts) == 0 {
		return ts, err
	}
	ids := make([]int64, len(ts))
	index := make(map[int64]int, len(ts))
	for i := range ts {
		ids[i] = ts[i].ID
		index[ts[i].ID] = i
	}
	var as []Assignee
	if err := s.DB.NewSelect().Model(&as).Column("ta.task_id", "ta.user_id").
		Where("ta.account_id = ? AND ta.task_id IN (?)", sc.AccountID, bun.List(ids)).
		OrderExpr("ta.task_id, ta.user_id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, x := range as {
		t := &ts[index[x.TaskID]]
		t.Assignees = append(t.Assignees, x)
	}
	return ts, s.store.boardDetails(ctx, s.DB, sc, projectID, ts, index)
}
