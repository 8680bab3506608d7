package projects

// The tasks' trash. Deleting a task (DELETE /api/v1/{slug}/tasks/{id}, the task page's
// Delete) moves it to its project's trash: it leaves every list, board, chart, calendar, "my
// tasks", the home, the export and the counts, and the lists' counters (their triggers count
// tasks in use only). It keeps its rows — assignees, comments, checklist, labels, dependencies
// — so that a restore within TrashDays brings it back whole; then the daily purge deletes it
// with them. The trash of a project (GET .../projects/{id}/trash, its page) is for those who
// may change tasks (projects.tasks:write), like the delete and the restore.
//
// A trashed task's dependency links stay: its successors no longer wait for it meanwhile (the
// schedule skips it and the pages do not show the link), and a new link may not close a cycle
// through it (edges keeps them), so that its restore can never make one. A restored task
// applies the finish-to-start rule at once, as adding a link does: it starts after its
// predecessors, and its successors after it.
//
// A deleted list goes to the trash too, with the tasks it held (they get its trashed_at): it
// leaves every read but the trash's; restoring it brings back those tasks (not the ones
// trashed before it, which stay restorable one by one), and restoring one task of a trashed
// list brings the list back with that task only. The purge deletes a list after its tasks.

import (
	"context"
	"fmt"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// purgeAfter is when a task trashed at is purged.
func purgeAfter(at time.Time) time.Time { return at.Add(TrashDays * 24 * time.Hour) }

// DeleteTask moves a task to its project's trash, from which it can be restored for
// TrashDays. A task already in the trash is not found (404).
func (s *Service) DeleteTask(ctx context.Context, a *actor.Actor, id int64) error {
	sc := scopeOf(a)
	return s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		t, p, err := s.store.task(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := writable(p); err != nil {
			return err
		}
		if err := s.store.lockProject(ctx, tx, p.ID); err != nil {
			return err
		}
		now := s.now()
		t.TrashedAt, t.UpdatedAt = &now, now
		if err := s.store.setTrashed(ctx, tx, t); err != nil {
			return err
		}
		return s.feed(ctx, tx, a, t.ProjectID, t.ListID, "task.trashed", "task", t.ID, t.Title)
	})
}

// RestoreTask brings a task back from the trash to its list (a task in the trash for more
// than TrashDays is gone: 410), and returns it. Restoring a task in use changes nothing. Its
// custom status goes if the project no longer has it (or it now counts as another base); the
// schedule rule applies at once (see the package doc of service_trash.go).
func (s *Service) RestoreTask(ctx context.Context, a *actor.Actor, id int64) (*Task, error) {
	sc := scopeOf(a)
	err := s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if err := s.lockTaskProject(ctx, tx, sc, id); err != nil {
			return err
		}
		t, p, err := s.store.anyTask(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := writable(p); err != nil {
			return err
		}
		if t.TrashedAt == nil {
			return nil
		}
		if s.now().After(purgeAfter(*t.TrashedAt)) {
			return problem.Gone(fmt.Sprintf("the task was in the trash for more than %d days", TrashDays))
		}
		// Its list may be in the trash: it comes back (empty but for this task).
		l, err := s.store.anyList(ctx, tx, sc, p.ID, t.ListID)
		if err != nil {
			return err
		}
		if l.TrashedAt != nil {
			l.TrashedAt = nil
			if err := s.store.setListTrashed(ctx, tx, l); err != nil {
				return err
			}
			if err := s.feed(ctx, tx, a, p.ID, l.ID, "list.restored", "list", l.ID, l.Name); err != nil {
				return err
			}
		}
		if t.CustomStatus != "" {
			st, err := s.store.statusByKey(ctx, tx, p.ID, t.CustomStatus)
			if err != nil && !db.IsNotFound(err) {
				return err
			}
			if st == nil || st.Base != t.Status {
				t.CustomStatus = ""
			}
		}
		t.TrashedAt, t.UpdatedAt = nil, s.now()
		if err := s.store.setTrashed(ctx, tx, t); err != nil {
			return err
		}
		if err := s.feed(ctx, tx, a, t.ProjectID, t.ListID, "task.restored", "task", t.ID, t.Title); err != nil {
			return err
		}
		// Finish to start, as when a link is added: after what it waits for, then what waits
		// for it after it.
		preds, err := s.store.predecessors(ctx, tx, p.ID, t.ID)
		if err != nil {
			return err
		}
		for i := range preds {
			if _, err := s.reschedule(ctx, tx, a, &preds[i]); err != nil {
				return err
			}
		}
		if len(preds) > 0 {
			if t, _, err = s.store.task(ctx, tx, sc, id); err != nil {
				return err
			}
		}
		_, err = s.reschedule(ctx, tx, a, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Task(ctx, a, id)
}

// RestoreList brings a list back from the trash with the tasks that went there with it (a
// list in the trash for more than TrashDays is gone: 410), and returns it. Restoring a list in
// use changes nothing.
func (s *Service) RestoreList(ctx context.Context, a *actor.Actor, projectID, id int64) (*TaskList, error) {
	sc := scopeOf(a)
	err := s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		if err := s.store.lockProject(ctx, tx, p.ID); err != nil {
			return err
		}
		l, err := s.store.anyList(ctx, tx, sc, p.ID, id)
		if err != nil {
			return err
		}
		if l.TrashedAt == nil {
			return nil
		}
		at := *l.TrashedAt
		if s.now().After(purgeAfter(at)) {
			return problem.Gone(fmt.Sprintf("the list was in the trash for more than %d days", TrashDays))
		}
		l.TrashedAt = nil
		if err := s.store.setListTrashed(ctx, tx, l); err != nil {
			return err
		}
		if _, err := s.store.restoreListTasks(ctx, tx, l.ID, at, s.now()); err != nil {
			return err
		}
		return s.feed(ctx, tx, a, p.ID, l.ID, "list.restored", "list", l.ID, l.Name)
	})
	if err != nil {
		return nil, err
	}
	return s.List(ctx, a, projectID, id)
}

// TrashedLists are the lists in a project's trash, the newest first, each with the number of
// tasks that went with it and when it is purged.
func (s *Service) TrashedLists(ctx context.Context, a *actor.Actor, projectID int64) ([]TaskList, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	ls, err := s.store.trashedLists(ctx, tn, sc, projectID)
	for i := range ls {
		if at := ls[i].TrashedAt; at != nil {
			until := purgeAfter(*at)
			ls[i].PurgeAfter = &until
		}
	}
	return ls, err
}

// lockTaskProject locks the project of a task on PostgreSQL (as every change of a schedule
// does) before the task is read in the change's transaction; the task itself is checked after.
func (s *Service) lockTaskProject(ctx context.Context, tx db.Tenant, sc scope, id int64) error {
	if !tx.IsPostgres() {
		return nil
	}
	t, _, err := s.store.anyTask(ctx, tx, sc, id)
	if err != nil {
		return err
	}
	return s.store.lockProject(ctx, tx, t.ProjectID)
}

// Trash pages through the tasks in a project's trash, the newest first, each with when it was
// trashed and when it will be purged.
func (s *Service) Trash(ctx context.Context, a *actor.Actor, projectID int64, pg api.Page) (api.List[Task], error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return api.List[Task]{}, err
	}
	rows, err := s.store.trashedTasks(ctx, tn, sc, projectID, pg)
	if err != nil {
		return api.List[Task]{}, err
	}
	list := api.MakeList(rows, pg, func(t Task) int64 { return t.ID })
	for i := range list.Items {
		if at := list.Items[i].TrashedAt; at != nil {
			until := purgeAfter(*at)
			list.Items[i].PurgeAfter = &until
		}
	}
	return list, s.store.decorateTasks(ctx, tn, sc, list.Items)
}

// PurgeTaskTrash deletes, with everything in them, the tasks trashed more than TrashDays ago
// in every account, and returns how many: the accounts that have such tasks
// (store.unscopedAccounts, over the small partial index tasks_trash), then each account's
// through its Tenant.
func (s *Service) PurgeTaskTrash(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-TrashDays * 24 * time.Hour)
	accounts, err := s.store.unscopedAccounts(ctx, s.DB, workTaskTrash, cutoff)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range accounts {
		n, err := s.store.purgeTaskTrash(ctx, s.tenantOf(id), cutoff)
		total += n
		if err != nil {
			return total, err
		}
		if _, err := s.store.purgeListTrash(ctx, s.tenantOf(id), cutoff); err != nil {
			return total, err
		}
	}
	return total, nil
}
