package projects

import (
	"context"

	"groupcamp/core/actor"
)

// Downstream are the tasks of the project that wait for the task, directly or through others:
// the task may not wait for any of them (that would close a cycle, which AddDependency
// refuses), so the "waits for" choice leaves them out.
func (s *Service) Downstream(ctx context.Context, a *actor.Actor, projectID, taskID int64) (map[int64]bool, error) {
	sc := scopeOf(a)
	next, err := s.store.edges(ctx, s.tenant(sc), projectID)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	queue := []int64{taskID}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, succ := range next[id] {
			if !out[succ] {
				out[succ] = true
				queue = append(queue, succ)
			}
		}
	}
	return out, nil
}
