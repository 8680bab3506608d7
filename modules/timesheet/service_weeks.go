package timesheet

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/core/workflow"
	"groupcamp/modules/timesheet/contract"
)

// WorkflowName is the state machine of a person's week (core/workflow): the person (or
// whoever keeps their sheet) submits it; a manager of the person — an owner or admin, a
// manager in a team with them, or the leader of a project the week holds time on — approves
// it, which locks it, or rejects it with a comment, which opens it again for changes; an
// administrator reopens a submitted or approved week. Never does a person approve or reject
// their own week.
const WorkflowName = "timesheet_week"

// Transitions.
const (
	Submit  = "submit"
	Approve = "approve"
	Reject  = "reject"
	Reopen  = "reopen"
)

// WeekWorkflow is the definition registered with the workflow engine.
func WeekWorkflow() *workflow.Definition {
	return &workflow.Definition{
		Name: WorkflowName, Initial: StateOpen,
		States: []string{StateOpen, StateSubmitted, StateApproved, StateRejected},
		Transitions: []workflow.Transition{
			{Name: Submit, From: []string{StateOpen, StateRejected}, To: StateSubmitted, Object: "timesheet.entries", Action: "write"},
			{Name: Approve, From: []string{StateSubmitted}, To: StateApproved, Object: "timesheet.approvals", Action: "approve"},
			{Name: Reject, From: []string{StateSubmitted}, To: StateRejected, Object: "timesheet.approvals", Action: "approve"},
			{Name: Reopen, From: []string{StateSubmitted, StateApproved}, To: StateOpen, Object: "timesheet.approvals", Action: "reopen"},
		},
	}
}

// weekSheet reaches a person's week: the sheet, and the week's entries the actor sees (all of
// them for whoever sees the sheet whole; for a project leader, the whole week once it holds
// time on a project they lead — they decide on the week — and a 404 otherwise).
func (s *Service) weekSheet(ctx context.Context, tn db.Tenant, a *actor.Actor, userID int64, week string) (*sheet, Week, []Entry, error) {
	w, ok := ParseWeek(week)
	if !ok {
		return nil, w, nil, problem.NotFound()
	}
	sh, err := s.reach(ctx, tn, a, userID)
	if err != nil {
		return nil, w, nil, err
	}
	days := w.Days()
	es, err := s.store.weekEntries(ctx, tn, sh.person.UserID, days[0], days[6])
	if err != nil {
		return nil, w, nil, err
	}
	if !sh.full && !sh.leads(es) {
		return nil, w, nil, problem.NotFound()
	}
	return sh, w, es, nil
}

// leads reports whether one of the entries is on a project the actor leads.
func (sh *sheet) leads(es []Entry) bool {
	for _, e := range es {
		if e.ProjectID != nil && slices.Contains(sh.led, *e.ProjectID) {
			return true
		}
	}
	return false
}

// Timesheet is a person's week for the actor.
func (s *Service) Timesheet(ctx context.Context, a *actor.Actor, userID int64, week string) (*Timesheet, error) {
	tn := s.tenant(a.AccountID())
	sh, w, es, err := s.weekSheet(ctx, tn, a, userID, week)
	if err != nil {
		return nil, err
	}
	row, err := s.store.week(ctx, tn, sh.person.UserID, w.String())
	if err != nil {
		return nil, err
	}
	if err := s.decorate(ctx, tn, es); err != nil {
		return nil, err
	}
	return s.view(ctx, tn, a, sh, w, row, es)
}

// view assembles a week.
func (s *Service) view(ctx context.Context, tn db.Tenant, a *actor.Actor, sh *sheet, w Week, row *WeekRow, es []Entry) (*Timesheet, error) {
	t := &Timesheet{UserID: sh.person.UserID, UserName: sh.person.Name, Week: w.String(), State: StateOpen, Allowed: []string{}}
	if row != nil {
		t.State, t.Comment, t.SubmittedAt, t.DecidedAt = row.State, row.Comment, row.SubmittedAt, row.DecidedAt
	}
	t.Locked = t.State == StateSubmitted || t.State == StateApproved
	for _, d := range w.Days() {
		day := Day{Date: d, Entries: []Entry{}}
		for _, e := range es {
			if e.Date == d {
				day.Entries = append(day.Entries, e)
				day.Minutes += e.Minutes
			}
		}
		t.TotalMinutes += day.Minutes
		t.Days = append(t.Days, day)
	}
	in := &workflow.Instance{Definition: WorkflowName, State: t.State}
	for _, name := range s.Workflows.Allowed(in, a) {
		if s.mayFire(sh, a, name, es) == nil {
			t.Allowed = append(t.Allowed, name)
		}
	}
	return t, nil
}

// mayFire is the rule of who fires a transition on a person's week, on top of the capability
// the workflow checks.
func (s *Service) mayFire(sh *sheet, a *actor.Actor, name string, es []Entry) error {
	decider := sh.full || sh.leads(es)
	switch name {
	case Submit:
		if !decider {
			return problem.Forbidden("only the person or their manager submits this week")
		}
	case Approve, Reject:
		if sh.self {
			return problem.Forbidden("no one approves or rejects their own week")
		}
		if !decider {
			return problem.Forbidden("only a manager of this person decides on their week")
		}
	case Reopen:
		if !admin(a) {
			return problem.Forbidden("only an administrator reopens a week")
		}
	}
	return nil
}

// Transition fires submit, approve, reject or reopen on a person's week: recorded by the
// workflow, audited, published as an event and notified, in one transaction.
func (s *Service) Transition(ctx context.Context, a *actor.Actor, userID int64, week, name string, in DecisionInput) (*Timesheet, error) {
	tn := s.tenant(a.AccountID())
	sh, w, es, err := s.weekSheet(ctx, tn, a, userID, week)
	if err != nil {
		return nil, err
	}
	if err := s.mayFire(sh, a, name, es); err != nil {
		return nil, err
	}
	if name == Reject && in.Comment == "" {
		return nil, problem.Invalid(problem.FieldError{Field: "comment", Message: "say why the week is sent back"})
	}
	uid := sh.person.UserID
	var out *Timesheet
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		now := s.now()
		row, err := s.store.lockWeek(ctx, tn, uid, w.String(), now)
		if err != nil {
			return err
		}
		days := w.Days()
		es, err := s.store.weekEntries(ctx, tn, uid, days[0], days[6])
		if err != nil {
			return err
		}
		if name == Submit && len(es) == 0 {
			return problem.Invalid(problem.FieldError{Field: "week", Message: "holds no time: there is nothing to submit"})
		}
		// The workflow's tables are core's: it writes them on the transaction itself.
		idb := tn.Unscoped()
		inst, err := s.Workflows.Find(ctx, idb, tn.AccountID, WorkflowName, WorkflowName, row.ID)
		if problemStatus(err) == 404 {
			inst, err = s.Workflows.Start(ctx, idb, tn.AccountID, WorkflowName, WorkflowName, row.ID)
		}
		if err != nil {
			return err
		}
		if err := s.Workflows.Fire(ctx, idb, inst, name, a, in.Comment); err != nil {
			return err
		}
		row.State, row.UpdatedAt = inst.State, now
		switch name {
		case Submit:
			row.SubmittedAt, row.Comment = &now, ""
		case Approve, Reject:
			by := a.UserID
			row.DecidedBy, row.DecidedAt, row.Comment = &by, &now, in.Comment
		case Reopen:
			row.DecidedBy, row.DecidedAt, row.Comment = nil, nil, in.Comment
		}
		if err := s.store.saveWeek(ctx, tn, row); err != nil {
			return err
		}
		total := 0
		var pids []int64
		for _, e := range es {
			total += e.Minutes
			if e.ProjectID != nil && !slices.Contains(pids, *e.ProjectID) {
				pids = append(pids, *e.ProjectID)
			}
		}
		payload := contract.WeekEvent{WeekID: row.ID, UserID: uid, Week: row.Week, State: row.State, TotalMinutes: total, Comment: in.Comment}
		if err := audit.Record(ctx, idb, a, tn.AccountID, "timesheet.week."+name, "timesheet_week:"+strconv.FormatInt(row.ID, 10), payload); err != nil {
			return err
		}
		c := map[string]events.Contract[contract.WeekEvent]{Submit: contract.WeekSubmitted, Approve: contract.WeekApproved, Reject: contract.WeekRejected, Reopen: contract.WeekReopened}[name]
		if _, err := c.Emit(ctx, idb, tn.AccountID, a.UserID, payload); err != nil {
			return err
		}
		if err := s.notify(ctx, tn, a, sh, name, row, pids); err != nil {
			return err
		}
		// A reopened approved week takes its time out of the budgets' spent: a line back under
		// a threshold is re-armed, so approving it again announces the threshold again.
		if name == Approve || name == Reopen {
			if err := s.checkBudgetsOf(ctx, tn, a, pids); err != nil {
				return err
			}
		}
		if err := s.decorate(ctx, tn, es); err != nil {
			return err
		}
		out, err = s.view(ctx, tn, a, sh, w, row, es)
		return err
	})
	return out, err
}

// notify tells the person of a decision on their week, and the week's deciders of a
// submission (the leaders of its projects and the managers in a team with the person, else
// the account's administrators), never the actor.
func (s *Service) notify(ctx context.Context, tn db.Tenant, a *actor.Actor, sh *sheet, name string, row *WeekRow, pids []int64) error {
	if s.Notifier == nil {
		return nil
	}
	uid := sh.person.UserID
	path := fmt.Sprintf("/timesheet/%d/%s", uid, row.Week)
	n := automation.Notice{AccountID: tn.AccountID, Path: path, Args: []any{"Week", row.Week, "Name", sh.person.Name, "By", a.Name}}
	switch name {
	case Submit:
		n.EventType, n.Key = contract.WeekSubmitted.Type, "timesheet.notice.submitted"
		n.Text = sh.person.Name + " submitted the week " + row.Week + "."
		names, err := s.Targets.Get().Names(ctx, tn.AccountID, pids, nil)
		if err != nil {
			return err
		}
		to, err := s.store.teamManagers(ctx, tn, uid)
		if err != nil {
			return err
		}
		for _, l := range names.Leaders {
			to = append(to, l)
		}
		to = slices.DeleteFunc(to, func(id int64) bool { return id == uid || id == a.UserID })
		slices.Sort(to)
		n.UserIDs = slices.Compact(to)
		if len(n.UserIDs) == 0 {
			n.Roles = []string{actor.RoleOwner, actor.RoleAdmin}
		}
	default:
		if uid == a.UserID {
			return nil
		}
		typ := map[string]string{Approve: contract.WeekApproved.Type, Reject: contract.WeekRejected.Type, Reopen: contract.WeekReopened.Type}[name]
		n.EventType, n.Key, n.UserIDs = typ, "timesheet.notice."+name, []int64{uid}
		n.Text = "Your week " + row.Week + ": " + name + " by " + a.Name + "."
	}
	return s.Notifier.Notify(ctx, tn.Unscoped(), n)
}
