package projects

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
	"groupcamp/modules/projects/contract"
)

// AssigneeInput is one person assigned to a task, with their own estimate.
type AssigneeInput struct {
	UserID          int64 `json:"user_id" openapi:"required" example:"42"`
	EstimateMinutes int64 `json:"estimate_minutes,omitempty" example:"120"`
}

// TaskInput is the body of POST /api/v1/{slug}/projects/{id}/tasks.
type TaskInput struct {
	ListID      int64            `json:"list_id" openapi:"required" example:"7"`
	Title       string           `json:"title" openapi:"required" example:"Draft the home page"`
	Description string           `json:"description,omitempty" text:"multiline"` // Markdown
	StartsOn    string           `json:"starts_on,omitempty" format:"date" example:"2026-03-02"`
	DueOn       string           `json:"due_on,omitempty" format:"date" example:"2026-03-13"`
	Priority    string           `json:"priority,omitempty" enum:"low,normal,high,urgent" example:"high"` // low, normal (default), high, urgent
	Assignees   []AssigneeInput  `json:"assignees,omitempty"`
	Recurrence  *RecurrenceInput `json:"recurrence,omitempty"` // see recurring.go
	// CustomStatus is the key of a custom status of the project; the task starts in its base.
	CustomStatus string  `json:"custom_status,omitempty"`
	Labels       []int64 `json:"labels,omitempty"` // ids of labels of the project
	// LabelNames are labels of the project by name, as people type them (any case): with
	// labels, or instead of their ids.
	LabelNames []string `json:"label_names,omitempty" example:"Urgent,Design"`
}

// taskContext is what validating tasks of one project needs, loaded once for a whole import:
// the lists named and the people assigned.
type taskContext struct {
	tn      db.Tenant // where it was read, and its details are (in the change's transaction)
	p       *Project
	lists   map[int64]*TaskList
	people  map[int64]identity.Member
	members map[int64]string // project roles of the people assigned
	// The project's custom statuses and the labels named (service_taskdetails.go).
	statuses map[string]TaskStatus
	labels   map[int64]Label
}

func (s *Service) loadTaskContext(ctx context.Context, tn db.Tenant, a *actor.Actor, p *Project, listIDs, userIDs []int64) (*taskContext, error) {
	tc := &taskContext{tn: tn, p: p, lists: map[int64]*TaskList{}, members: map[int64]string{}}
	if len(listIDs) > 0 {
		ls, err := s.store.listsByID(ctx, tn, p.ID, listIDs)
		if err != nil {
			return nil, err
		}
		for i := range ls {
			tc.lists[ls[i].ID] = &ls[i]
		}
	}
	var err error
	if tc.people, err = s.People.MembersByID(ctx, a, userIDs); err != nil {
		return nil, err
	}
	if len(userIDs) > 0 {
		ms, err := s.store.memberRoles(ctx, tn, p.ID, userIDs)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			tc.members[m.UserID] = m.Role
		}
	}
	return tc, nil
}

// checkList validates a list id of the project.
func (tc *taskContext) checkList(f *problem.Fields, field string, id int64) {
	if id == 0 {
		f.Add(field, "is required")
	} else if tc.lists[id] == nil {
		f.Add(field, "no such list in this project")
	}
}

// checkAssignees validates who is assigned: distinct colleagues of the account, not
// deactivated, who see the project (an invite-only project: its members, or the account's
// owner and admins). Clients are not assigned tasks.
func (tc *taskContext) checkAssignees(f *problem.Fields, field string, in []AssigneeInput) {
	if len(in) > MaxAssignees {
		f.Addf(field, "must be at most {max} people", "max", MaxAssignees)
		return
	}
	seen := map[int64]bool{}
	for _, as := range in {
		m, ok := tc.people[as.UserID]
		var refusal problem.FieldError
		switch {
		case !ok:
			refusal = problem.Sayf(field, "no person {id} in this account", "id", as.UserID)
		case seen[as.UserID]:
			refusal = problem.Sayf(field, "person {id} is named twice", "id", as.UserID)
		case m.Role == actor.RoleClient:
			refusal = problem.Sayf(field, "{name} is a client; clients are not assigned tasks", "name", m.Name)
		case m.DeactivatedAt != nil:
			refusal = problem.Sayf(field, "{name} is deactivated", "name", m.Name)
		case tc.p.Access == AccessInvite && tc.members[as.UserID] == "" && m.Role != actor.RoleOwner && m.Role != actor.RoleAdmin:
			refusal = problem.Sayf(field, "{name} is not a member of this invite-only project", "name", m.Name)
		case as.EstimateMinutes < 0 || as.EstimateMinutes > MaxEstimate:
			refusal = problem.Sayf(field, "estimate_minutes must be from 0 to {max}", "max", MaxEstimate)
		}
		if refusal.Message != "" {
			f.Put(refusal)
			return
		}
		seen[as.UserID] = true
	}
}

var priorities = []string{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// check validates one task input; prefix names the fields of an import row ("tasks[3].").
func (tc *taskContext) check(f *problem.Fields, prefix string, in TaskInput, now time.Time, by int64) (*Task, []Assignee) {
	t := &Task{AccountID: tc.p.AccountID, ProjectID: tc.p.ID, ListID: in.ListID, Priority: in.Priority, Status: StatusOpen,
		CreatedAt: now, UpdatedAt: now}
	if by != 0 {
		t.CreatedBy = &by
	}
	tc.checkList(f, prefix+"list_id", in.ListID)
	t.Title = checkName(f, prefix+"title", in.Title, MaxTitle)
	if msg := validate.Text(in.Description, MaxDescription, false); msg != "" {
		f.Add(prefix+"description", msg)
	}
	t.Description = in.Description
	t.StartsOn, t.DueOn = day(f, prefix+"starts_on", in.StartsOn), day(f, prefix+"due_on", in.DueOn)
	order(f, prefix+"due_on", t.StartsOn, t.DueOn, "starts_on")
	if t.Priority == "" {
		t.Priority = PriorityNormal
	}
	oneOf(f, prefix+"priority", t.Priority, priorities...)
	tc.checkAssignees(f, prefix+"assignees", in.Assignees)
	checkRecurrence(f, prefix+"recurrence", in.Recurrence, t.StartsOn, t.DueOn, false)
	tc.checkDetails(f, prefix, in, t, now)
	as := make([]Assignee, len(in.Assignees))
	for i, x := range in.Assignees {
		as[i] = Assignee{AccountID: tc.p.AccountID, UserID: x.UserID, EstimateMinutes: x.EstimateMinutes}
	}
	return t, as
}

// CreateTask adds a task to a list of the project, with its assignees.
func (s *Service) CreateTask(ctx context.Context, a *actor.Actor, projectID int64, in TaskInput) (*Task, error) {
	ts, err := s.createTasks(ctx, a, projectID, []TaskInput{in}, false)
	if err != nil {
		return nil, err
	}
	return ts[0], nil
}

// ImportTasks adds many tasks to the project in one transaction (a CSV import, a copy from
// another project, a seeded load test) and returns their ids in input order. Nothing is
// written when any row is wrong; field errors name the row: "tasks[3].title".
func (s *Service) ImportTasks(ctx context.Context, a *actor.Actor, projectID int64, in []TaskInput) ([]int64, error) {
	if len(in) == 0 || len(in) > MaxImport {
		return nil, problem.Invalid(problem.Sayf("tasks", "must hold 1 to {max} tasks", "max", MaxImport))
	}
	ts, err := s.createTasks(ctx, a, projectID, in, true)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids, nil
}

// insertChunk bounds the rows of one INSERT (SQLite limits a statement's size).
const insertChunk = 500

// createTasks validates and inserts tasks, and returns them as written (a new task has no
// dependencies yet), without reading them back.
func (s *Service) createTasks(ctx context.Context, a *actor.Actor, projectID int64, in []TaskInput, imported bool) ([]*Task, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	p, err := s.writableProject(ctx, s.tenant(sc), sc, projectID)
	if err != nil {
		return nil, err
	}
	var listIDs, userIDs []int64
	for _, t := range in {
		listIDs = append(listIDs, t.ListID)
		for _, as := range t.Assignees {
			userIDs = append(userIDs, as.UserID)
		}
	}
	tc, err := s.loadTaskContext(ctx, tn, a, p, dedupe(listIDs), dedupe(userIDs))
	if err != nil {
		return nil, err
	}
	if err := s.loadInputDetails(ctx, tc, in); err != nil {
		return nil, err
	}
	now := s.now()
	var f problem.Fields
	tasks := make([]*Task, len(in))
	assignees := make([][]Assignee, len(in))
	for i, x := range in {
		prefix := ""
		if imported {
			prefix = fmt.Sprintf("tasks[%d].", i)
		}
		tasks[i], assignees[i] = tc.check(&f, prefix, x, now, a.UserID)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		// Each new task goes to the end of its list.
		next := map[int64]int64{}
		for _, t := range tasks {
			if _, ok := next[t.ListID]; !ok {
				last, err := s.store.lastPosition(ctx, tx, p.ID, t.ListID)
				if err != nil {
					return err
				}
				next[t.ListID] = last
			}
			next[t.ListID]++
			t.Position = next[t.ListID]
		}
		if err := s.store.insertTasks(ctx, tx, tasks); err != nil {
			return err
		}
		// The plan bounds each task's assignees: the busiest new task is the one to ask about.
		most := 0
		for _, as := range assignees {
			most = max(most, len(as))
		}
		if err := s.store.allowAssignees(ctx, s.Hooks, tx, most); err != nil {
			return err
		}
		var rows []Assignee
		for i, as := range assignees {
			for j := range as {
				as[j].TaskID = tasks[i].ID
			}
			rows = append(rows, as...)
		}
		if err := s.store.insertAssignees(ctx, tx, rows); err != nil {
			return err
		}
		if err := s.saveRecurrences(ctx, tx, tasks, in, now); err != nil {
			return err
		}
		if err := s.store.saveTaskLabels(ctx, tx, tasks, false); err != nil {
			return err
		}
		evs := make([]TaskEvent, len(tasks))
		for i, t := range tasks {
			evs[i] = TaskEvent{TaskID: t.ID, ProjectID: p.ID, ListID: t.ListID, Title: t.Title, UserIDs: userIDsOf(assignees[i])}
		}
		if err := emitCreated(ctx, tx, a, evs); err != nil {
			return err
		}
		for _, t := range tasks {
			if !imported {
				if err := s.feed(ctx, tx, a, p.ID, t.ListID, "task.created", "task", t.ID, t.Title); err != nil {
					return err
				}
			}
		}
		if imported {
			// One line per list for an import, not one per task: the feed stays readable.
			for _, id := range sortedKeys(next) {
				l := tc.lists[id]
				if err := s.feed(ctx, tx, a, p.ID, l.ID, "tasks.imported", "list", l.ID, l.Name); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, t := range tasks {
		t.Assignees, t.PredecessorIDs, t.SuccessorIDs, t.Checklist = assignees[i], []int64{}, []int64{}, &[]ChecklistItem{}
	}
	return tasks, nil
}

func userIDsOf(as []Assignee) []int64 {
	ids := make([]int64, len(as))
	for i, x := range as {
		ids[i] = x.UserID
	}
	return ids
}

func dedupe(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func sortedKeys[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Task returns one task the actor sees with its assignees and dependencies, or 404.
func (s *Service) Task(ctx context.Context, a *actor.Actor, id int64) (*Task, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	t, err := s.store.taskSeen(ctx, tn, sc, id)
	if err != nil {
		return nil, err
	}
	ts := []Task{*t}
	if err := s.store.decorateTasksWith(ctx, tn, sc, ts, true); err != nil {
		return nil, err
	}
	return &ts[0], nil
}

// TasksByID returns the tasks of ids that a sees (in projects they see, not trashed; a
// client: in lists shared with their company), by id, without their details: what a page
// shows of the tasks linked to another.
func (s *Service) TasksByID(ctx context.Context, a *actor.Actor, ids []int64) (map[int64]Task, error) {
	sc := scopeOf(a)
	ts, err := s.store.tasksByID(ctx, s.tenant(sc), sc, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Task, len(ts))
	for _, t := range ts {
		out[t.ID] = t
	}
	return out, nil
}

// checkFilter validates the statuses of a filter.
func checkFilter(f TaskFilter) error {
	var fe problem.Fields
	for _, st := range f.Statuses {
		if msg := validate.OneOf(st, StatusOpen, StatusInProgress, StatusDone); msg != "" {
			fe.Add("status", msg)
			break
		}
	}
	return fe.Err()
}

// Tasks pages through the tasks of a project, in creation order (a client: those of the lists
// shared with their company).
func (s *Service) Tasks(ctx context.Context, a *actor.Actor, projectID int64, f TaskFilter, pg api.Page) (api.List[Task], error) {
	if err := checkFilter(f); err != nil {
		return api.List[Task]{}, err
	}
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return api.List[Task]{}, err
	}
	if err := s.checkLabelFilter(ctx, sc, projectID, &f); err != nil {
		return api.List[Task]{}, err
	}
	rows, err := s.store.tasks(ctx, tn, sc, projectID, f, pg)
	return s.taskList(ctx, sc, rows, pg, err)
}

// MyTasks pages through the tasks assigned to the actor across the active projects they see.
func (s *Service) MyTasks(ctx context.Context, a *actor.Actor, f TaskFilter, pg api.Page) (api.List[Task], error) {
	if err := checkFilter(f); err != nil {
		return api.List[Task]{}, err
	}
	sc := scopeOf(a)
	f.AssigneeID = 0 // the join already keeps the actor's tasks
	if err := s.checkLabelFilter(ctx, sc, 0, &f); err != nil {
		return api.List[Task]{}, err
	}
	rows, err := s.store.myTasks(ctx, s.tenant(sc), sc, f, pg)
	return s.taskList(ctx, sc, rows, pg, err)
}

func (s *Service) taskList(ctx context.Context, sc scope, rows []Task, pg api.Page, err error) (api.List[Task], error) {
	if err != nil {
		return api.List[Task]{}, err
	}
	list := api.MakeList(rows, pg, func(t Task) int64 { return t.ID })
	return list, s.store.decorateTasks(ctx, s.tenant(sc), sc, list.Items)
}

// ProgressInput is one assignee's progress in percent.
type ProgressInput struct {
	UserID   int64 `json:"user_id" openapi:"required" example:"42"`
	Progress int64 `json:"progress" openapi:"required" example:"50"` // 0-100; 100 completes this person's part
}

// MaxPosition is the largest position a task may be given: new tasks go to MAX(position)+1 of
// their list, so positions stay far from the int64 limit and that sum never overflows.
const MaxPosition = 1_000_000_000

// TaskPatch is the body of PATCH /api/v1/{slug}/tasks/{id}; absent fields stay as they are
// and an empty string clears a day. assignees replaces the set of people (those who stay keep
// their progress); progress sets the progress of people already assigned.
type TaskPatch struct {
	ListID      *int64           `json:"list_id,omitempty"`
	Title       *string          `json:"title,omitempty"`
	Description *string          `json:"description,omitempty" text:"multiline"`
	StartsOn    *string          `json:"starts_on,omitempty" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"`
	DueOn       *string          `json:"due_on,omitempty" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$" example:"2026-03-20"`
	Priority    *string          `json:"priority,omitempty" enum:"low,normal,high,urgent"`
	Status      *string          `json:"status,omitempty" enum:"open,in_progress,done" example:"in_progress"` // open, in_progress or done
	Position    *int64           `json:"position,omitempty"`
	Assignees   *[]AssigneeInput `json:"assignees,omitempty"`
	Progress    []ProgressInput  `json:"progress,omitempty"`
	Recurrence  *RecurrenceInput `json:"recurrence,omitempty"` // every: none stops it (recurring.go)
	// CustomStatus sets a custom status of the project (and its base status); "" clears it.
	// Setting status alone clears it too.
	CustomStatus *string  `json:"custom_status,omitempty"`
	Labels       *[]int64 `json:"labels,omitempty"` // replaces the task's labels
	// LabelNames replaces the task's labels too, naming them (any case); with labels, the
	// task carries both.
	LabelNames *[]string `json:"label_names,omitempty" example:"Urgent"`
}

// UpdateTask changes a task. Its rules:
//   - a task is done when every assignee has completed their part (progress 100), or when
//     someone sets it done (which completes every part); it is in progress as soon as someone
//     reports progress;
//   - when its due date moves, its successors move too (see reschedule).
func (s *Service) UpdateTask(ctx context.Context, a *actor.Actor, id int64, in TaskPatch) (*Task, error) {
	var moved []int64
	err := s.tenant(scopeOf(a)).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		var err error
		moved, err = s.updateTask(ctx, tx, a, id, in)
		return err
	})
	if err != nil && err != errUnchanged {
		return nil, err
	}
	out, err := s.Task(ctx, a, id)
	if out != nil {
		out.Rescheduled = moved
	}
	return out, err
}

// errUnchanged ends the transaction of a change that changes nothing (it wrote nothing).
var errUnchanged = errors.New("projects: nothing to change")

// updateTask is UpdateTask in its transaction. Everything the write depends on — the task,
// its assignees and labels, the lists and statuses it names — is read in the transaction,
// after the task's row is locked (PostgreSQL; on SQLite the transaction holds the write lock
// from BEGIN), and only the columns that change are written: two PATCHes of different fields
// at once both land.
func (s *Service) updateTask(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64, in TaskPatch) ([]int64, error) {
	sc := scopeOf(a)
	old, p, err := s.store.task(ctx, tn, sc, id)
	if err != nil {
		return nil, err
	}
	if err := writable(p); err != nil {
		return nil, err
	}
	if tn.IsPostgres() {
		// The project first, as every change of a schedule takes it (no deadlock with a
		// reschedule that holds it), then the task as it is now.
		if err := s.store.lockProject(ctx, tn, p.ID); err != nil {
			return nil, err
		}
		if old, err = s.store.lockTask(ctx, tn, old.ID); err != nil {
			return nil, err
		}
	}
	before, err := s.store.assignees(ctx, tn, old.ID)
	if err != nil {
		return nil, err
	}
	var listIDs, userIDs []int64
	if in.ListID != nil {
		listIDs = []int64{*in.ListID}
	}
	if in.Assignees != nil {
		userIDs = userIDsOf(toAssignees(0, *in.Assignees))
	}
	tc, err := s.loadTaskContext(ctx, tn, a, p, listIDs, dedupe(userIDs))
	if err != nil {
		return nil, err
	}
	if err := s.loadPatchDetails(ctx, tc, old, in); err != nil {
		return nil, err
	}
	var f problem.Fields
	t := *old
	if in.ListID != nil {
		tc.checkList(&f, "list_id", *in.ListID)
		t.ListID = *in.ListID
	}
	if in.Title != nil {
		t.Title = checkName(&f, "title", *in.Title, MaxTitle)
	}
	if in.Description != nil {
		if msg := validate.Text(*in.Description, MaxDescription, false); msg != "" {
			f.Add("description", msg)
		}
		t.Description = *in.Description
	}
	if in.StartsOn != nil {
		t.StartsOn = day(&f, "starts_on", *in.StartsOn)
	}
	if in.DueOn != nil {
		t.DueOn = day(&f, "due_on", *in.DueOn)
	}
	order(&f, "due_on", t.StartsOn, t.DueOn, "starts_on")
	checkRecurrence(&f, "recurrence", in.Recurrence, t.StartsOn, t.DueOn, true)
	if in.Priority != nil {
		oneOf(&f, "priority", *in.Priority, priorities...)
		t.Priority = *in.Priority
	}
	if in.Status != nil {
		oneOf(&f, "status", *in.Status, StatusOpen, StatusInProgress, StatusDone)
	}
	labelsBefore, err := s.store.taskLabels(ctx, tn, old.ID, in.Labels != nil)
	if err != nil {
		return nil, err
	}
	t.Labels = labelsBefore
	status := tc.patchDetails(&f, &t, in)
	if in.Position != nil {
		if *in.Position < 0 || *in.Position > MaxPosition {
			f.Addf("position", "must be from 0 to {max}", "max", MaxPosition)
		}
		t.Position = *in.Position
	}
	after := slices.Clone(before)
	if in.Assignees != nil {
		tc.checkAssignees(&f, "assignees", *in.Assignees)
		after = toAssignees(t.AccountID, *in.Assignees)
		for i := range after {
			after[i].TaskID = t.ID
			if j := slices.IndexFunc(before, func(b Assignee) bool { return b.UserID == after[i].UserID }); j >= 0 {
				after[i].Progress, after[i].CompletedAt = before[j].Progress, before[j].CompletedAt
			}
		}
	}
	for _, pr := range in.Progress {
		i := slices.IndexFunc(after, func(x Assignee) bool { return x.UserID == pr.UserID })
		switch {
		case pr.Progress < 0 || pr.Progress > 100:
			f.Add("progress", "must be from 0 to 100")
		case i < 0:
			f.Addf("progress", "person {id} is not assigned to this task", "id", pr.UserID)
		default:
			after[i].Progress = pr.Progress
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	completed := s.applyCompletion(&t, old, before, after, status, now)
	tc.fitCustom(&t)
	labelsChanged := !sameLabels(labelsBefore, t.Labels)
	if stateOf(&t) == stateOf(old) && slices.EqualFunc(before, after, sameShare) && in.Recurrence == nil && !labelsChanged {
		return nil, errUnchanged // nothing to change, nothing to write
	}
	t.UpdatedAt = now
	if err := s.store.saveTask(ctx, tn, old, &t); err != nil {
		return nil, err
	}
	if labelsChanged {
		if err := s.store.saveTaskLabels(ctx, tn, []*Task{&t}, true); err != nil {
			return nil, err
		}
	}
	if err := s.store.setRecurrence(ctx, tn, &t, in.Recurrence, now); err != nil {
		return nil, err
	}
	if !slices.EqualFunc(before, after, sameShare) {
		// Only more people than before are asked about: a task over a quota lowered since
		// may still lose some (or change their shares).
		if len(after) > len(before) {
			if err := s.store.allowAssignees(ctx, s.Hooks, tn, len(after)); err != nil {
				return nil, err
			}
		}
		if err := s.store.setAssignees(ctx, tn, t.ID, after); err != nil {
			return nil, err
		}
	}
	ev := TaskEvent{TaskID: t.ID, ProjectID: t.ProjectID, ListID: t.ListID, Title: t.Title}
	if added := newcomers(before, after); len(added) > 0 {
		ev.UserIDs = added
		if err := emit(ctx, tn, a, "task.assigned", ev); err != nil {
			return nil, err
		}
	}
	verb := "task.updated"
	switch {
	case completed:
		verb, ev.UserIDs = "task.completed", userIDsOf(after)
		if err := emit(ctx, tn, a, "task.completed", ev); err != nil {
			return nil, err
		}
	case old.Status == StatusDone && t.Status != StatusDone:
		verb = "task.reopened"
	}
	if err := s.feed(ctx, tn, a, t.ProjectID, t.ListID, verb, "task", t.ID, t.Title); err != nil {
		return nil, err
	}
	if t.DueOn != old.DueOn && t.DueOn != "" {
		return s.reschedule(ctx, tn, a, &t)
	}
	return nil, nil
}

// taskState are the columns a PATCH may change, comparable as a whole.
type taskState struct {
	list, position                           int64
	title, description, prio, status, custom string
	starts, due                              Date
}

func stateOf(t *Task) taskState {
	return taskState{list: t.ListID, position: t.Position, title: t.Title, description: t.Description, prio: t.Priority, status: t.Status,
		custom: t.CustomStatus, starts: t.StartsOn, due: t.DueOn}
}

// sameShare reports whether two assignees are the same person with the same estimate,
// progress and completion.
func sameShare(a, b Assignee) bool {
	return a.UserID == b.UserID && a.EstimateMinutes == b.EstimateMinutes && a.Progress == b.Progress && (a.CompletedAt == nil) == (b.CompletedAt == nil)
}

func toAssignees(accountID int64, in []AssigneeInput) []Assignee {
	out := make([]Assignee, len(in))
	for i, x := range in {
		out[i] = Assignee{AccountID: accountID, UserID: x.UserID, EstimateMinutes: x.EstimateMinutes}
	}
	return out
}

// newcomers are the people of after who were not in before.
func newcomers(before, after []Assignee) []int64 {
	var ids []int64
	for _, x := range after {
		if !slices.ContainsFunc(before, func(b Assignee) bool { return b.UserID == x.UserID }) {
			ids = append(ids, x.UserID)
		}
	}
	return ids
}

// applyCompletion derives the task's status and completion from the assignees' progress and
// an explicit status, and reports whether the task has just been completed.
func (s *Service) applyCompletion(t, old *Task, before, after []Assignee, status *string, now time.Time) bool {
	for i := range after {
		if after[i].Progress >= 100 {
			if after[i].CompletedAt == nil {
				after[i].CompletedAt = &now
			}
		} else {
			after[i].CompletedAt = nil
		}
	}
	switch {
	case status != nil:
		t.Status = *status
		if t.Status == StatusDone && old.Status != StatusDone {
			for i := range after {
				after[i].Progress = 100
				if after[i].CompletedAt == nil {
					after[i].CompletedAt = &now
				}
			}
		}
	case !allComplete(before) && allComplete(after):
		// The last part was completed: the task is done. (Only on that step, so that a task
		// someone reopened stays open.)
		t.Status = StatusDone
	case t.Status == StatusOpen && slices.ContainsFunc(after, func(x Assignee) bool { return x.Progress > 0 }):
		t.Status = StatusInProgress
	}
	if t.Status != StatusDone {
		t.CompletedAt = nil
		return false
	}
	if old.Status != StatusDone {
		t.CompletedAt = &now
		return true
	}
	return false
}

func allComplete(as []Assignee) bool {
	return len(as) > 0 && !slices.ContainsFunc(as, func(x Assignee) bool { return x.CompletedAt == nil })
}

// DependencyInput is the body of POST /api/v1/{slug}/tasks/{id}/dependencies.
type DependencyInput struct {
	PredecessorID int64 `json:"predecessor_id" openapi:"required" example:"41"`
}

// AddDependency makes task successorID wait for the predecessor (finish to start). Both
// tasks belong to the same project; a link that would close a cycle is refused with the cycle
// named. The successor moves at once if it would start too early (see reschedule). Adding a
// link that exists changes nothing (created is false).
func (s *Service) AddDependency(ctx context.Context, a *actor.Actor, successorID int64, in DependencyInput) (dep *Dependency, created bool, err error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	succ, p, err := s.store.task(ctx, tn, sc, successorID)
	if err != nil {
		return nil, false, err
	}
	if err := writable(p); err != nil {
		return nil, false, err
	}
	var f problem.Fields
	var pred *Task
	switch {
	case in.PredecessorID <= 0:
		f.Add("predecessor_id", "is required")
	case in.PredecessorID == succ.ID:
		f.Add("predecessor_id", "a task cannot depend on itself")
	default:
		var pp *Project
		pred, pp, err = s.store.task(ctx, tn, sc, in.PredecessorID)
		switch {
		case err != nil:
			f.Add("predecessor_id", "no such task")
		case pp.ID != p.ID:
			f.Add("predecessor_id", "must be a task of the same project")
		}
	}
	if err := f.Err(); err != nil {
		return nil, false, err
	}
	dep = &Dependency{AccountID: p.AccountID, ProjectID: p.ID, SuccessorID: succ.ID, PredecessorID: pred.ID, Kind: KindFinishToStart,
		CreatedAt: s.now(), Rescheduled: []int64{}}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if err := s.store.lockProject(ctx, tx, p.ID); err != nil {
			return err
		}
		edges, err := s.store.edges(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if slices.Contains(edges[pred.ID], succ.ID) {
			return s.store.dependency(ctx, tx, dep)
		}
		if back := path(edges, succ.ID, pred.ID); back != nil {
			return s.cycleProblem(ctx, tx, p, append([]int64{pred.ID}, back...))
		}
		if err := s.store.insertDependency(ctx, tx, dep); err != nil {
			return err
		}
		created = true
		if err := s.feed(ctx, tx, a, p.ID, succ.ListID, "dependency.added", "task", succ.ID, succ.Title); err != nil {
			return err
		}
		moved, err := s.reschedule(ctx, tx, a, pred)
		dep.Rescheduled = append(dep.Rescheduled, moved...)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return dep, created, nil
}

// path returns the tasks from one task to another following the dependency edges (from
// predecessor to successor), both ends included, or nil when there is no such path.
func path(edges map[int64][]int64, from, to int64) []int64 {
	parent := map[int64]int64{from: 0}
	queue := []int64{from}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == to {
			var out []int64
			for ; n != 0; n = parent[n] {
				out = append(out, n)
			}
			slices.Reverse(out)
			return out
		}
		for _, m := range edges[n] {
			if _, seen := parent[m]; !seen {
				parent[m] = n
				queue = append(queue, m)
			}
		}
	}
	return nil
}

// cycleProblem is the 422 that names the cycle a new dependency would close.
func (s *Service) cycleProblem(ctx context.Context, tx db.Tenant, p *Project, cycle []int64) error {
	rows, err := s.store.projectTasks(ctx, tx, p.ID, cycle, "id", "title")
	if err != nil {
		return err
	}
	titles := map[int64]string{}
	for _, t := range rows {
		titles[t.ID] = t.Title
	}
	names := make([]string, len(cycle))
	for i, id := range cycle {
		if title, ok := titles[id]; ok {
			names[i] = fmt.Sprintf("%q (#%d)", title, id)
		} else {
			names[i] = fmt.Sprintf("#%d (in the trash)", id)
		}
	}
	return problem.Invalid(problem.Sayf("predecessor_id", "would close a cycle: {tasks}", "tasks", strings.Join(names, " → ")))
}

// RemoveDependency removes the link from the predecessor to task successorID (404 when there
// is none). Nothing moves back: the schedule keeps the dates it has.
func (s *Service) RemoveDependency(ctx context.Context, a *actor.Actor, successorID, predecessorID int64) error {
	sc := scopeOf(a)
	return s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		succ, p, err := s.store.task(ctx, tx, sc, successorID)
		if err != nil {
			return err
		}
		if err := writable(p); err != nil {
			return err
		}
		removed, err := s.store.removeDependency(ctx, tx, p.ID, succ.ID, predecessorID)
		if err != nil {
			return err
		}
		if !removed {
			return problem.NotFound()
		}
		return s.feed(ctx, tx, a, p.ID, succ.ListID, "dependency.removed", "task", succ.ID, succ.Title)
	})
}

// reschedule applies finish-to-start after the due date of from has moved: a successor that
// would start before from's due date + 1 working day (Monday to Friday) starts then instead,
// keeping its duration in working days, and its own successors follow in turn. Tasks that are
// done do not move, and nothing moves earlier. Each task that moved is written once, with a
// task.rescheduled event and a feed line; the ids come back in the order they first moved.
func (s *Service) reschedule(ctx context.Context, tx db.Tenant, a *actor.Actor, from *Task) ([]int64, error) {
	edges, err := s.store.edges(ctx, tx, from.ProjectID)
	if err != nil || len(edges[from.ID]) == 0 {
		return nil, err
	}
	// The tasks that can move are those reachable from this one: read them once.
	reach := map[int64]bool{}
	var ids []int64
	for queue := []int64{from.ID}; len(queue) > 0; queue = queue[1:] {
		for _, id := range edges[queue[0]] {
			if !reach[id] {
				reach[id] = true
				ids = append(ids, id)
				queue = append(queue, id)
			}
		}
	}
	rows, err := s.store.projectTasks(ctx, tx, from.ProjectID, ids)
	if err != nil {
		return nil, err
	}
	tasks := make(map[int64]*Task, len(rows))
	for i := range rows {
		tasks[rows[i].ID] = &rows[i]
	}
	tasks[from.ID] = from
	type change struct {
		start, due Date
		cause      int64
	}
	was := map[int64]change{}
	var moved []int64
	queue := []int64{from.ID}
	// Moves only go forward and the graph has no cycle, so this ends; the bound is a guard.
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100*len(tasks)+100 {
			return nil, fmt.Errorf("projects: rescheduling project %d does not settle", from.ProjectID)
		}
		pred := tasks[queue[0]]
		queue = queue[1:]
		if pred == nil || pred.DueOn == "" {
			continue
		}
		earliest := pred.DueOn.AddWorkdays(1)
		for _, id := range edges[pred.ID] {
			t := tasks[id]
			if t == nil || t.Status == StatusDone {
				continue
			}
			start, due, ok := shifted(t, earliest)
			if !ok {
				continue
			}
			c, seen := was[id]
			if !seen {
				c = change{start: t.StartsOn, due: t.DueOn}
				moved = append(moved, id)
			}
			c.cause = pred.ID
			was[id] = c
			t.StartsOn, t.DueOn = start, due
			queue = append(queue, id)
		}
	}
	now := s.now()
	for _, id := range moved {
		t, c := tasks[id], was[id]
		t.UpdatedAt = now
		if err := s.store.saveSchedule(ctx, tx, t); err != nil {
			return nil, err
		}
		ev := RescheduleEvent{TaskID: t.ID, ProjectID: t.ProjectID, ListID: t.ListID, Title: t.Title, StartsOn: contract.Day(t.StartsOn), DueOn: contract.Day(t.DueOn),
			PreviousStartsOn: contract.Day(c.start), PreviousDueOn: contract.Day(c.due), CauseTaskID: c.cause}
		if err := emit(ctx, tx, a, "task.rescheduled", ev); err != nil {
			return nil, err
		}
		if err := s.feed(ctx, tx, a, t.ProjectID, t.ListID, "task.rescheduled", "task", t.ID, t.Title); err != nil {
			return nil, err
		}
	}
	return moved, nil
}

// shifted returns the new dates of t when it would start before earliest (a working day):
// it starts at earliest and keeps its duration in working days. A task with only a due date
// is due at earliest; a task without dates does not move.
func shifted(t *Task, earliest Date) (start, due Date, ok bool) {
	switch {
	case t.StartsOn != "":
		if t.StartsOn >= earliest {
			return "", "", false
		}
		due = t.DueOn
		if due != "" {
			due = earliest.AddWorkdays(t.StartsOn.Workdays(t.DueOn))
		}
		return earliest, due, true
	case t.DueOn != "" && t.DueOn < earliest:
		return "", earliest, true
	}
	return "", "", false
}

// Comments pages through the comments of a task the actor sees, oldest first.
func (s *Service) Comments(ctx context.Context, a *actor.Actor, taskID int64, pg api.Page) (api.List[Comment], error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, _, err := s.store.task(ctx, tn, sc, taskID); err != nil {
		return api.List[Comment]{}, err
	}
	rows, err := s.store.comments(ctx, tn, taskID, pg)
	list := api.MakeList(rows, pg, func(c Comment) int64 { return c.ID })
	for i := range list.Items {
		if list.Items[i].Mentions == nil {
			list.Items[i].Mentions = []int64{}
		}
	}
	return list, err
}

// CommentInput is the body of POST /api/v1/{slug}/tasks/{id}/comments.
type CommentInput struct {
	Body string `json:"body" text:"multiline" openapi:"required" example:"Looks good, @Ada: can you check the footer?"` // Markdown; @Name (a first name or the start of a name, when it names one person), @Full Name or @email mentions a member of the project
}

// AddComment adds a comment to a task the actor sees, who follows the task from then on. The
// people it mentions (see mentions: @Alice, @Full Name or @email) are the project's members
// who can see the task — a client is mentioned only on a task of a list shared with their
// company — other than the author. Its notices: notices.go (mentions, followers).
func (s *Service) AddComment(ctx context.Context, a *actor.Actor, taskID int64, in CommentInput) (*Comment, error) {
	return s.addComment(ctx, a, taskID, in, "")
}

// addComment is AddComment by a person, or by the partner plugin named (port_plugin_comments.go)
// acting for them: with their rights, but the plugin is the author shown, and the person does
// not start following the task for what they did not write.
func (s *Service) addComment(ctx context.Context, a *actor.Actor, taskID int64, in CommentInput, plugin string) (*Comment, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	t, p, err := s.store.task(ctx, tn, sc, taskID)
	if err != nil {
		return nil, err
	}
	if err := writable(p); err != nil {
		return nil, err
	}
	if msg := validate.Text(in.Body, MaxComment, true); msg != "" {
		return nil, problem.Invalid(problem.FieldError{Field: "body", Message: msg})
	}
	people, all, err := s.mentionTargets(ctx, tn, a, t, p)
	if err != nil {
		return nil, err
	}
	author := a.UserID
	c := &Comment{AccountID: t.AccountID, ProjectID: t.ProjectID, TaskID: t.ID, AuthorID: &author, Body: in.Body,
		Mentions: mentions(in.Body, people, all), CreatedAt: s.now(), AuthorName: a.Name, AuthorKind: "person"}
	if plugin != "" {
		c.Plugin, c.AuthorName, c.AuthorKind, c.BehalfName = &plugin, plugin, "plugin", a.Name
	}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if err := s.store.insertComment(ctx, tx, c); err != nil {
			return err
		}
		// Whoever comments follows the task from now on, unless they chose not to (a plugin's
		// comment is not the person's).
		if plugin == "" {
			if err := s.store.followOnce(ctx, tx, &taskFollower{AccountID: t.AccountID, TaskID: t.ID, UserID: author, Following: true, CreatedAt: c.CreatedAt}); err != nil {
				return err
			}
		}
		if err := emit(ctx, tx, a, "comment.added", CommentEvent{CommentID: c.ID, TaskID: t.ID, ProjectID: t.ProjectID, ListID: t.ListID,
			AuthorID: author, MentionedUserIDs: c.Mentions, Plugin: plugin}); err != nil {
			return err
		}
		return s.feedBy(ctx, tx, a, plugin, t.ProjectID, t.ListID, "comment.added", "task", t.ID, t.Title)
	})
	return c, err
}

// mentionTargets are the people a comment on t may mention — the project's members who can
// see the task (a client only on a task of a list shared with their company) other than the
// author — and every member of the project (who make a short "@Ali" ambiguous or not).
func (s *Service) mentionTargets(ctx context.Context, tn db.Tenant, a *actor.Actor, t *Task, p *Project) (targets, all []ProjectMember, err error) {
	all, err = s.store.members(ctx, tn, scope{AccountID: p.AccountID, All: true}, p.ID)
	if err != nil {
		return nil, nil, err
	}
	shared, err := s.store.sharedCompanies(ctx, tn, t.ListID)
	if err != nil {
		return nil, nil, err
	}
	targets = slices.DeleteFunc(slices.Clone(all), func(m ProjectMember) bool {
		return m.UserID == a.UserID || (m.Role == RoleClient && !slices.Contains(shared, m.CompanyID))
	})
	return targets, all, nil
}

// mentions finds the people a text mentions: an "@" at the start of a word followed by
//
//   - a person's email or full name (case-insensitive) and then a character that cannot
//     continue a name — when names overlap ("@Ann" and "@Ann Lee"), the longest one wins;
//   - else by the word that follows, when it begins one of the words of exactly one name among
//     the project's members (all): "@Alice" or "@Ali" for Alice Martin, "@Mart" too, unless
//     another member's name has a word that begins so as well (then it mentions nobody: write
//     more of the name).
//
// Only people may be mentioned; ids come sorted.
func mentions(body string, people, all []ProjectMember) []int64 {
	out := []int64{}
	lower := strings.ToLower(body)
	words := make([][]string, len(all))
	for k, m := range all {
		words[k] = strings.Fields(strings.ToLower(m.Name))
	}
	for i := 0; i < len(lower); i++ {
		if lower[i] != '@' || (i > 0 && wordByte(lower[i-1])) {
			continue
		}
		rest := lower[i+1:]
		best, bestLen := int64(0), 0
		for _, m := range people {
			for _, key := range []string{strings.ToLower(m.Email), strings.ToLower(m.Name)} {
				if key != "" && len(key) > bestLen && strings.HasPrefix(rest, key) && (len(rest) == len(key) || !wordByte(rest[len(key)])) {
					best, bestLen = m.UserID, len(key)
				}
			}
		}
		if best == 0 {
			if id := byPrefix(rest, all, words); slices.ContainsFunc(people, func(m ProjectMember) bool { return m.UserID == id }) {
				best = id
			}
		}
		if best != 0 && !slices.Contains(out, best) {
			out = append(out, best)
		}
	}
	slices.Sort(out)
	return out
}

// byPrefix is the one person one of whose name's words begins with the word at the start of
// text, or 0 when no one or several people's do.
func byPrefix(text string, people []ProjectMember, words [][]string) int64 {
	end := 0
	for end < len(text) && wordByte(text[end]) {
		end++
	}
	word := text[:end]
	if word == "" {
		return 0
	}
	found := int64(0)
	for k, m := range people {
		if slices.ContainsFunc(words[k], func(w string) bool { return strings.HasPrefix(w, word) }) {
			if found != 0 && found != m.UserID {
				return 0 // ambiguous
			}
			found = m.UserID
		}
	}
	return found
}

// wordByte reports whether b may continue a name or an address (letters of any script count:
// their UTF-8 bytes are >= 0x80).
func wordByte(b byte) bool {
	return b >= 0x80 || b == '_' || b == '-' || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') || ('0' <= b && b <= '9')
}

// Activity pages through a project's feed, newest first (a client: the lines about the lists
// shared with their company).
func (s *Service) Activity(ctx context.Context, a *actor.Actor, projectID int64, pg api.Page) (api.List[Activity], error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return api.List[Activity]{}, err
	}
	rows, err := s.store.activity(ctx, tn, sc, projectID, pg)

	return api.MakeList(rows, pg, func(x Activity) int64 { return x.ID }), err
}
