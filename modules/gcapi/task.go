package gcapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/identity"
	projects "groupcamp/modules/projects/contract"
)

// task/v1 (reporting): tasks, task lists and milestones of our projects. The task lists
// answer with the "next" mechanism.

// MaxMulti bounds the values of a repeated parameter (group, to).
const MaxMulti = 50

// TaskList is a task list (TaskList.md).
type TaskList struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Group       SimpleGroup `json:"group"`
	Description string      `json:"description"`
	Milestone   any         `json:"milestone"`
	IsPrivate   bool        `json:"is_private"`
	IsClosed    bool        `json:"is_closed"`
}

// Milestone is a milestone (Milestone.md).
type Milestone struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Group       SimpleGroup `json:"group"`
	Description string      `json:"description"`
	IsPrivate   bool        `json:"is_private"`
	IsOpen      bool        `json:"is_open"`
	Date        *string     `json:"date"`
	User        any         `json:"user"`
}

// TaskAffect is one person assigned to a task (TaskAffect.md).
type TaskAffect struct {
	User      any      `json:"user"`
	Progress  int64    `json:"progress"`
	Estimate  Duration `json:"estimate"`
	TrackTime Duration `json:"track_time"`
}

// Task is a task (Task.md and the lists' answers).
type Task struct {
	ID               string       `json:"id"`
	Permalink        string       `json:"permalink"`
	Name             string       `json:"name"`
	Description      string       `json:"description"`
	List             *TaskList    `json:"list"`
	CreationDate     string       `json:"creation_date"`
	Creator          any          `json:"creator"`
	ModificationDate string       `json:"modification_date"`
	CompletionDate   *string      `json:"completion_date"`
	CompletedBy      any          `json:"completed_by"`
	TrackTime        trackTime    `json:"track_time"`
	IsOpen           bool         `json:"is_open"`
	Affects          []TaskAffect `json:"affects"`
	Begin            taskDay      `json:"begin"`
	End              taskDay      `json:"end"`
	RichTags         []any        `json:"rich_tags"`
}

type trackTime struct {
	Total Duration `json:"total"`
}

// taskDay is a task's begin or end: {type: date, date}, {type: milestone, date, id} or
// {type: empty}.
type taskDay struct {
	Type string `json:"type"`
	Date string `json:"date,omitempty"`
	ID   string `json:"id,omitempty"`
}

// taskSet is what tasks need around them, read in a few queries for a whole page.
type taskSet struct {
	lists      map[int64]projects.GroupList
	milestones map[int64]projects.GroupMilestone
	names      map[int64]string
	people     map[int64]identity.Member
	spent      map[int64]int
}

// context reads the lists, milestones, projects, people and time of tasks.
func (h *handlers) context(c *fiber.Ctx, a *actor.Actor, ts []projects.GroupTask, listIDs, milestoneIDs []int64) (*taskSet, error) {
	ctx := c.UserContext()
	var uids, tids, pids []int64
	for _, t := range ts {
		listIDs = append(listIDs, t.ListID)
		tids = append(tids, t.ID)
		uids = append(uids, t.CreatedBy)
		for _, as := range t.Assignees {
			uids = append(uids, as.UserID)
		}
	}
	set := &taskSet{spent: map[int64]int{}}
	var err error
	if set.lists, err = h.groups.Get().Lists(ctx, a, uniq(listIDs)); err != nil {
		return nil, err
	}
	for _, l := range set.lists {
		milestoneIDs = append(milestoneIDs, l.MilestoneID)
		pids = append(pids, l.ProjectID)
	}
	if set.milestones, err = h.groups.Get().Milestones(ctx, a, uniq(milestoneIDs)); err != nil {
		return nil, err
	}
	for _, m := range set.milestones {
		pids = append(pids, m.ProjectID)
	}
	if set.names, err = h.groups.Get().Names(ctx, a.AccountID(), uniq(pids)); err != nil {
		return nil, err
	}
	if set.people, err = h.members(c, a, uids); err != nil {
		return nil, err
	}
	if h.spent.Has() && len(tids) > 0 {
		if set.spent, err = h.spent.Get().Tasks(ctx, a.AccountID(), tids); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func (s *taskSet) group(pid int64) SimpleGroup {
	return SimpleGroup{ID: id(pid), Name: s.names[pid], Type: "group", GType: "project", State: "ok"}
}

func (s *taskSet) milestone(m projects.GroupMilestone) Milestone {
	return Milestone{ID: id(m.ID), Name: m.Name, Group: s.group(m.ProjectID), IsOpen: !m.Done, Date: dayOrNil(m.DueOn), User: nobody}
}

func (s *taskSet) list(lid int64) *TaskList {
	l, ok := s.lists[lid]
	if !ok {
		return nil
	}
	out := &TaskList{ID: id(l.ID), Name: l.Name, Group: s.group(l.ProjectID), Milestone: nobody}
	if m, ok := s.milestones[l.MilestoneID]; ok {
		out.Milestone = s.milestone(m)
	}
	return out
}

func (h *handlers) task(c *fiber.Ctx, a *actor.Actor, s *taskSet, t projects.GroupTask) Task {
	out := Task{ID: id(t.ID), Permalink: h.baseURL(c) + "/" + a.Account.Slug + "/tasks/" + id(t.ID), Name: t.Title, Description: t.Description,
		List: s.list(t.ListID), CreationDate: dateTime(t.CreatedAt), Creator: person(s.people, t.CreatedBy),
		ModificationDate: dateTime(t.UpdatedAt), CompletedBy: nobody, TrackTime: trackTime{Total: duration(int64(s.spent[t.ID]))},
		IsOpen: !t.Done, Affects: []TaskAffect{}, Begin: taskDay{Type: "empty"}, End: taskDay{Type: "empty"}, RichTags: []any{}}
	if t.Done {
		out.CompletionDate = dateTimeOrNil(t.CompletedAt)
	}
	for _, as := range t.Assignees {
		out.Affects = append(out.Affects, TaskAffect{User: person(s.people, as.UserID), Progress: as.Progress, Estimate: duration(as.EstimateMinutes), TrackTime: duration(0)})
	}
	if t.StartsOn != "" {
		out.Begin = taskDay{Type: "date", Date: t.StartsOn}
	}
	switch {
	case t.DueOn != "":
		out.End = taskDay{Type: "date", Date: t.DueOn}
	default:
		if l, ok := s.lists[t.ListID]; ok {
			if m, ok := s.milestones[l.MilestoneID]; ok && m.DueOn != "" {
				out.End = taskDay{Type: "milestone", Date: m.DueOn, ID: id(m.ID)}
			}
		}
	}
	return out
}

// writeTasks answers a page of tasks with the "next" mechanism.
func (h *handlers) writeTasks(c *fiber.Ctx, a *actor.Actor, q projects.TaskQuery) error {
	start, err := after(c)
	if err != nil {
		return err
	}
	q.After, q.Limit = start, PageSize+1
	ts, err := h.groups.Get().Tasks(c.UserContext(), a, q)
	if err != nil {
		return err
	}
	more := len(ts) > PageSize
	if more {
		ts = ts[:PageSize]
	}
	s, err := h.context(c, a, ts, nil, nil)
	if err != nil {
		return err
	}
	out := make([]Task, len(ts))
	for i, t := range ts {
		out[i] = h.task(c, a, s, t)
	}
	var last int64
	if len(ts) > 0 {
		last = ts[len(ts)-1].ID
	}
	return h.writeNext(c, out, more, last)
}

// ids reads a parameter that may be repeated, each value an id (or a person's email when
// people is set).
func (h *handlers) ids(c *fiber.Ctx, a *actor.Actor, name string, people bool) ([]int64, bool, error) {
	vals := c.Context().QueryArgs().PeekMulti(name)
	if len(vals) > MaxMulti {
		return nil, false, badParam(name, "too_many")
	}
	var out []int64
	for _, v := range vals {
		if people {
			uid, err := h.userRef(c, a, string(v))
			if err == notFound {
				continue
			}
			if err != nil {
				return nil, false, badParam(name, "invalid")
			}
			out = append(out, uid)
			continue
		}
		n, ok := parseID(string(v))
		if !ok {
			return nil, false, badParam(name, "invalid")
		}
		out = append(out, n)
	}
	return out, len(vals) > 0, nil
}

// tasks is GET task/v1/tasks: group (repeated), list, to (repeated).
func (h *handlers) tasks(c *fiber.Ctx, a *actor.Actor) error {
	var q projects.TaskQuery
	gids, hasGroups, err := h.ids(c, a, "group", false)
	if err != nil {
		return err
	}
	to, hasTo, err := h.ids(c, a, "to", true)
	if err != nil {
		return err
	}
	if lists := c.Context().QueryArgs().PeekMulti("list"); len(lists) > 1 {
		return badParam("list", "multiple")
	} else if len(lists) == 1 {
		n, ok := parseID(string(lists[0]))
		if !ok {
			return badParam("list", "invalid")
		}
		q.ListID = n
	}
	if (hasGroups && len(gids) == 0) || (hasTo && len(to) == 0) {
		return h.writeNext(c, []Task{}, false, 0) // only unknown people: nothing
	}
	q.ProjectIDs, q.Assignees = gids, to
	return h.writeTasks(c, a, q)
}

// taskFilters reads the filters of a group's or a person's tasks.
func taskFilters(c *fiber.Ctx, q *projects.TaskQuery) error {
	switch st := c.Query("state"); st {
	case "", "open", "completed":
		q.State = st
	default:
		return badParam("state", "invalid")
	}
	for name, dst := range map[string]*string{"due_begin": &q.DueFrom, "due_end": &q.DueTo, "cpl_begin": &q.DoneFrom, "cpl_end": &q.DoneTo,
		"crea_begin": &q.CreatedFrom, "crea_end": &q.CreatedTo, "mod_begin": &q.ModifiedFrom, "mod_end": &q.ModifiedTo} {
		vals := c.Context().QueryArgs().PeekMulti(name)
		if len(vals) > 1 {
			return badParam(name, "multiple")
		}
		if len(vals) == 0 {
			continue
		}
		if _, err := time.Parse(time.DateOnly, string(vals[0])); err != nil {
			return badParam(name, "invalid")
		}
		*dst = string(vals[0])
	}
	return nil
}

// groupTasks is GET task/v1/group/[Group]/tasks.
func (h *handlers) groupTasks(c *fiber.Ctx, a *actor.Actor) error {
	gid, err := pathID(c, "group")
	if err != nil {
		return err
	}
	if _, err := h.groups.Get().Get(c.UserContext(), a, gid); err != nil {
		return err
	}
	q := projects.TaskQuery{ProjectIDs: []int64{gid}}
	if err := taskFilters(c, &q); err != nil {
		return err
	}
	if q.State == "open" && (q.DoneFrom != "" || q.DoneTo != "") {
		return h.writeNext(c, []Task{}, false, 0) // inconsistent: an empty list
	}
	return h.writeTasks(c, a, q)
}

// assignedTasks is GET task/v1/user/[User]/assigned_tasks.
func (h *handlers) assignedTasks(c *fiber.Ctx, a *actor.Actor) error {
	uid, err := h.userRef(c, a, c.Params("user"))
	if err != nil {
		return err
	}
	q := projects.TaskQuery{Assignees: []int64{uid}}
	if err := taskFilters(c, &q); err != nil {
		return err
	}
	if q.State == "open" && (q.DoneFrom != "" || q.DoneTo != "") {
		return h.writeNext(c, []Task{}, false, 0)
	}
	return h.writeTasks(c, a, q)
}

// getTask is GET task/v1/task/[Task].
func (h *handlers) getTask(c *fiber.Ctx, a *actor.Actor) error {
	tid, err := pathID(c, "task")
	if err != nil {
		return err
	}
	t, err := h.groups.Get().Task(c.UserContext(), a, tid)
	if err != nil {
		return err
	}
	s, err := h.context(c, a, []projects.GroupTask{*t}, nil, nil)
	if err != nil {
		return err
	}
	return result(c, h.task(c, a, s, *t))
}

// getList is GET task/v1/task_list/[TaskList].
func (h *handlers) getList(c *fiber.Ctx, a *actor.Actor) error {
	lid, err := pathID(c, "list")
	if err != nil {
		return err
	}
	s, err := h.context(c, a, nil, []int64{lid}, nil)
	if err != nil {
		return err
	}
	l := s.list(lid)
	if l == nil {
		return notFound
	}
	return result(c, l)
}

// getMilestone is GET task/v1/milestone/[Milestone].
func (h *handlers) getMilestone(c *fiber.Ctx, a *actor.Actor) error {
	mid, err := pathID(c, "milestone")
	if err != nil {
		return err
	}
	s, err := h.context(c, a, nil, nil, []int64{mid})
	if err != nil {
		return err
	}
	m, ok := s.milestones[mid]
	if !ok {
		return notFound
	}
	return result(c, s.milestone(m))
}
