package extranet

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
	"groupcamp/modules/extranet/contract"
	files "groupcamp/modules/files/contract"
	projects "groupcamp/modules/projects/contract"
)

// Service holds the use cases of the module: plain Go, an actor and a context in, domain
// errors (core/problem) out. The pages and the API both call it.
type Service struct {
	DB *bun.DB
	// Seen is which projects a person sees; Clients which projects a company is a client of;
	// Files which files a person sees (all three asked of the modules that own them).
	Seen     *app.Port[projects.ProjectsSeen]
	Clients  *app.Port[projects.ClientProjects]
	Files    *app.Port[files.FilesSeen]
	Notifier automation.Notifier
	// Now is the clock (tests move it); nil is the real one.
	Now func() time.Time

	store store
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

// isClient reports whether the actor is a guest of a client company: they see their company's
// deliverables, and decide on them.
func isClient(a *actor.Actor) bool { return a.Role == actor.RoleClient }

// seesAll reports whether the actor sees every deliverable of the account.
func seesAll(a *actor.Actor) bool { return a.Role == actor.RoleOwner || a.Role == actor.RoleAdmin }

// scopeOf is which deliverables the actor reads: a client their company's; owners and admins
// all; other colleagues those of the projects they see (asked of projects).
func (s *Service) scopeOf(ctx context.Context, a *actor.Actor) (scope, error) {
	switch {
	case isClient(a):
		if a.CompanyID == 0 {
			return scope{ProjectIDs: []int64{}}, nil
		}
		return scope{CompanyID: a.CompanyID}, nil
	case seesAll(a):
		return scope{}, nil
	}
	ps, err := s.Seen.Get().Projects(ctx, a, 1000)
	if err != nil {
		return scope{}, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return scope{ProjectIDs: ids}, nil
}

// reach loads a deliverable the actor sees, or 404.
func (s *Service) reach(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64) (*Deliverable, error) {
	d, err := s.store.deliverable(ctx, tn, id)
	if err != nil {
		return nil, err
	}
	switch {
	case isClient(a):
		if a.CompanyID == 0 || d.CompanyID != a.CompanyID {
			return nil, problem.NotFound()
		}
	case seesAll(a):
	default:
		seen, err := s.Seen.Get().Seen(ctx, a, []int64{d.ProjectID})
		if err != nil {
			return nil, err
		}
		if _, ok := seen[d.ProjectID]; !ok {
			return nil, problem.NotFound()
		}
	}
	return d, nil
}

// CheckState reads a state filter ("" for all).
func CheckState(f *problem.Fields, v string) string {
	switch v {
	case "", StatePending, StateApproved, StateRejected:
		return v
	}
	f.Add("state", "must be pending, approved or rejected")
	return ""
}

// List is a page of the deliverables the actor sees, newest first.
func (s *Service) List(ctx context.Context, a *actor.Actor, f Filter, p api.Page) (api.List[Deliverable], error) {
	tn := s.tenant(a.AccountID())
	sc, err := s.scopeOf(ctx, a)
	if err != nil {
		return api.List[Deliverable]{}, err
	}
	out, err := s.store.list(ctx, tn, sc, f, p)
	if err != nil {
		return api.List[Deliverable]{}, err
	}
	return api.MakeList(out, p, func(d Deliverable) int64 { return d.ID }), nil
}

// Counts are the client's company's deliverables by state (the portal's figures).
func (s *Service) Counts(ctx context.Context, a *actor.Actor) (map[string]int, error) {
	if !isClient(a) || a.CompanyID == 0 {
		return map[string]int{}, nil
	}
	return s.store.counts(ctx, s.tenant(a.AccountID()), a.CompanyID)
}

// Get is a deliverable the actor sees with its rounds, newest first.
func (s *Service) Get(ctx context.Context, a *actor.Actor, id int64) (*DeliverableView, error) {
	tn := s.tenant(a.AccountID())
	d, err := s.reach(ctx, tn, a, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, tn, a, d)
}

func (s *Service) view(ctx context.Context, tn db.Tenant, a *actor.Actor, d *Deliverable) (*DeliverableView, error) {
	rs, err := s.store.rounds(ctx, tn, d.ID)
	if err != nil {
		return nil, err
	}
	return &DeliverableView{Deliverable: *d, Rounds: rs,
		Decidable:     isClient(a) && a.May("extranet.deliverables", "decide") && d.State == StatePending,
		Resubmittable: !isClient(a) && a.May("extranet.deliverables", "write") && d.State != StateApproved}, nil
}

// checkFiles validates a round's files: the old single file_id and the file_ids list (at most
// MaxRoundFiles, duplicates once, file_id first), each one the submitter sees in a folder
// shared with the company (else the client could not open it). None is fine.
func (s *Service) checkFiles(ctx context.Context, a *actor.Actor, f *problem.Fields, companyID, fileID int64, fileIDs []int64) ([]RoundFile, error) {
	if fileID < 0 {
		f.Add("file_id", "must be an id")
		return nil, nil
	}
	if len(fileIDs) > 10*MaxRoundFiles {
		f.Addf("file_ids", "must name at most {max} files", "max", MaxRoundFiles)
		return nil, nil
	}
	var ids []int64
	if fileID > 0 {
		ids = append(ids, fileID)
	}
	for _, id := range fileIDs {
		if id <= 0 {
			f.Add("file_ids", "must be ids")
			return nil, nil
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		return nil, nil
	case len(ids) > MaxRoundFiles:
		f.Addf("file_ids", "must name at most {max} files", "max", MaxRoundFiles)
		return nil, nil
	}
	seen, err := s.Files.Get().Seen(ctx, a, companyID, ids)
	if err != nil {
		return nil, err
	}
	field := "file_ids"
	if len(fileIDs) == 0 {
		field = "file_id"
	}
	out := make([]RoundFile, 0, len(ids))
	for _, id := range ids {
		ref, ok := seen[id]
		switch {
		case !ok:
			f.Add(field, "must be a file you see")
			return nil, nil
		case !ref.Shared:
			f.Add(field, "must be in a folder shared with the client company")
			return nil, nil
		}
		out = append(out, RoundFile{FileID: &ref.ID, FileName: ref.Name})
	}
	return out, nil
}

// insertRound adds a round with its files (its first file also in the single-file columns).
func (s *Service) insertRound(ctx context.Context, tn db.Tenant, r *Round, fs []RoundFile) error {
	if len(fs) > 0 {
		r.FileID, r.FileName = fs[0].FileID, fs[0].FileName
	}
	if _, err := tn.Insert(r).Returning("id").Exec(ctx); err != nil {
		return err
	}
	for i := range fs {
		fs[i].AccountID, fs[i].RoundID, fs[i].Position = tn.AccountID, r.ID, i+1
		if _, err := tn.Insert(&fs[i]).Returning("id").Exec(ctx); err != nil {
			return err
		}
	}
	r.Files = fs
	return nil
}

func checkText(f *problem.Fields, field, v string, max int, required bool) string {
	if msg := validate.Text(v, max, required); msg != "" {
		f.Add(field, msg)
	}
	return strings.TrimSpace(v)
}

// Create submits a deliverable (a colleague who sees the project) to a client company of the
// project: its first round. The other modules are asked before the transaction opens: on
// SQLite the transaction holds the write lock, and a port's read waiting for a pooled
// connection while every other one waits for that lock would stall both.
func (s *Service) Create(ctx context.Context, a *actor.Actor, in DeliverableInput) (*DeliverableView, error) {
	if isClient(a) {
		return nil, problem.Forbidden("deliverables are submitted by the team")
	}
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	title := checkText(&f, "title", in.Title, MaxTitle, true)
	if validate.Control(in.Title, false) {
		f.Add("title", "must not contain control characters")
	}
	desc := checkText(&f, "description", in.Description, MaxDescription, false)
	projectOK := false
	if in.ProjectID <= 0 {
		f.Add("project_id", "is required")
	} else {
		seen, err := s.Seen.Get().Seen(ctx, a, []int64{in.ProjectID})
		if err != nil {
			return nil, err
		}
		_, projectOK = seen[in.ProjectID]
		if !projectOK {
			f.Add("project_id", "must be a project you see")
		}
	}
	if in.CompanyID <= 0 {
		f.Add("company_id", "is required")
	} else if ok, err := s.store.isClientCompany(ctx, tn, in.CompanyID); err != nil {
		return nil, err
	} else if !ok {
		f.Add("company_id", "must be a client company of the account")
	} else if projectOK {
		ps, err := s.Clients.Get().OfCompany(ctx, tn.AccountID, in.CompanyID, []int64{in.ProjectID}, 1)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			f.Add("company_id", "must be a client of the project")
		}
	}
	var files []RoundFile
	if in.CompanyID > 0 {
		var err error
		if files, err = s.checkFiles(ctx, a, &f, in.CompanyID, in.FileID, in.FileIDs); err != nil {
			return nil, err
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *DeliverableView
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		now, uid := s.now(), a.UserID
		d := &Deliverable{AccountID: tn.AccountID, ProjectID: in.ProjectID, CompanyID: in.CompanyID, Title: title,
			State: StatePending, Round: 1, SubmittedBy: &uid, CreatedAt: now, UpdatedAt: now}
		if _, err := tn.Insert(d).Returning("id").Exec(ctx); err != nil {
			return err
		}
		r := &Round{AccountID: tn.AccountID, DeliverableID: d.ID, N: 1, Description: desc,
			State: StatePending, SubmittedBy: &uid, SubmittedAt: now}
		if err := s.insertRound(ctx, tn, r, files); err != nil {
			return err
		}
		if err := s.record(ctx, tn, a, "submitted", d, 1, ""); err != nil {
			return err
		}
		full, err := s.store.deliverable(ctx, tn, d.ID)
		if err != nil {
			return err
		}
		out, err = s.view(ctx, tn, a, full)
		return err
	})
	return out, err
}

// Resubmit makes a new round of a deliverable not approved yet (a colleague who sees it): a
// pending round it replaces is superseded, a rejected one keeps its decision. The other
// modules are asked before the transaction (see Create).
func (s *Service) Resubmit(ctx context.Context, a *actor.Actor, id int64, in RoundInput) (*DeliverableView, error) {
	if isClient(a) {
		return nil, problem.Forbidden("deliverables are submitted by the team")
	}
	tn := s.tenant(a.AccountID())
	d, err := s.reach(ctx, tn, a, id)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	desc := checkText(&f, "description", in.Description, MaxDescription, false)
	files, err := s.checkFiles(ctx, a, &f, d.CompanyID, in.FileID, in.FileIDs)
	if err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *DeliverableView
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		d, err := s.store.deliverable(ctx, tn, id)
		if err != nil {
			return err
		}
		if d.State == StateApproved {
			return problem.Conflict("state", "an approved deliverable takes no new round")
		}
		last, err := s.store.latest(ctx, tn, d.ID)
		if err != nil {
			return err
		}
		if last.State == StatePending {
			last.State = StateSuperseded
			if _, err := tn.Update(last).Column("state").WherePK().Exec(ctx); err != nil {
				return err
			}
		}
		now, uid := s.now(), a.UserID
		r := &Round{AccountID: tn.AccountID, DeliverableID: d.ID, N: last.N + 1, Description: desc,
			State: StatePending, SubmittedBy: &uid, SubmittedAt: now}
		if err := s.insertRound(ctx, tn, r, files); err != nil {
			return err
		}
		d.State, d.Round, d.UpdatedAt = StatePending, r.N, now
		if _, err := tn.Update(d).Column("state", "round", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := s.record(ctx, tn, a, "resubmitted", d, r.N, ""); err != nil {
			return err
		}
		out, err = s.view(ctx, tn, a, d)
		return err
	})
	return out, err
}

// Approve approves the pending round of a deliverable (a client of its company).
func (s *Service) Approve(ctx context.Context, a *actor.Actor, id int64, in Decision) (*DeliverableView, error) {
	return s.decide(ctx, a, id, StateApproved, in)
}

// Reject rejects the pending round of a deliverable, with a comment (a client of its company).
func (s *Service) Reject(ctx context.Context, a *actor.Actor, id int64, in Decision) (*DeliverableView, error) {
	return s.decide(ctx, a, id, StateRejected, in)
}

func (s *Service) decide(ctx context.Context, a *actor.Actor, id int64, state string, in Decision) (*DeliverableView, error) {
	if !isClient(a) {
		// Staff never decide (the capability already says so; this is the service's word).
		if _, err := s.reach(ctx, s.tenant(a.AccountID()), a, id); err != nil {
			return nil, err
		}
		return nil, problem.Forbidden("only a client of the company decides on its deliverables")
	}
	var out *DeliverableView
	// A client's reach reads only this module's rows: it runs in the transaction.
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		d, err := s.reach(ctx, tn, a, id)
		if err != nil {
			return err
		}
		var f problem.Fields
		comment := checkText(&f, "comment", in.Comment, MaxComment, state == StateRejected)
		if err := f.Err(); err != nil {
			return err
		}
		if d.State != StatePending {
			return problem.Conflict("state", "the deliverable is not waiting for a decision")
		}
		last, err := s.store.latest(ctx, tn, d.ID)
		if err != nil {
			return err
		}
		now, uid := s.now(), a.UserID
		last.State, last.DecidedBy, last.DecidedAt, last.Comment = state, &uid, &now, comment
		if _, err := tn.Update(last).Column("state", "decided_by", "decided_at", "comment").WherePK().Exec(ctx); err != nil {
			return err
		}
		d.State, d.UpdatedAt = state, now
		if _, err := tn.Update(d).Column("state", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := s.record(ctx, tn, a, state, d, last.N, comment); err != nil {
			return err
		}
		out, err = s.view(ctx, tn, a, d)
		return err
	})
	return out, err
}

// record writes a step in the audit trail and the outbox, and tells who must know: the
// company's client people of a submission, the round's submitter of a decision.
func (s *Service) record(ctx context.Context, tn db.Tenant, a *actor.Actor, step string, d *Deliverable, round int, comment string) error {
	idb := tn.Unscoped()
	payload := contract.DeliverableEvent{DeliverableID: d.ID, ProjectID: d.ProjectID, CompanyID: d.CompanyID, Title: d.Title, Round: round, State: d.State, Comment: comment}
	if err := audit.Record(ctx, idb, a, tn.AccountID, "extranet.deliverable."+step, "deliverable:"+strconv.FormatInt(d.ID, 10), payload); err != nil {
		return err
	}
	c := map[string]events.Contract[contract.DeliverableEvent]{"submitted": contract.DeliverableSubmitted, "resubmitted": contract.DeliverableSubmitted,
		StateApproved: contract.DeliverableApproved, StateRejected: contract.DeliverableRejected}[step]
	if _, err := c.Emit(ctx, idb, tn.AccountID, a.UserID, payload); err != nil {
		return err
	}
	if s.Notifier == nil {
		return nil
	}
	n := automation.Notice{AccountID: tn.AccountID, EventType: c.Type, Args: []any{"Title", d.Title, "By", a.Name, "Round", round}}
	id := strconv.FormatInt(d.ID, 10)
	switch step {
	case "submitted", "resubmitted":
		to, err := s.store.clientUsers(ctx, tn, d.CompanyID)
		if err != nil {
			return err
		}
		n.UserIDs, n.Key, n.Path = to, "extranet.notice.submitted", "/extranet/deliverables/"+id
		n.Text = a.Name + " submitted " + d.Title + " for your approval."
	default:
		last, err := s.store.latest(ctx, tn, d.ID)
		if err != nil {
			return err
		}
		if last.SubmittedBy == nil || *last.SubmittedBy == a.UserID {
			return nil
		}
		n.UserIDs, n.Key, n.Path = []int64{*last.SubmittedBy}, "extranet.notice."+step, "/deliverables/"+id
		n.Text = d.Title + ": " + step + " by " + a.Name + "."
	}
	if len(n.UserIDs) == 0 {
		return nil
	}
	return s.Notifier.Notify(ctx, idb, n)
}

// HasDeliverables says whether the client's company has any deliverable (the portal section).
func (s *Service) HasDeliverables(ctx context.Context, a *actor.Actor) (bool, error) {
	if !isClient(a) || a.CompanyID == 0 {
		return false, nil
	}
	return s.tenant(a.AccountID()).SelectFrom("extranet_deliverables", "d").Where("d.company_id = ?", a.CompanyID).Exists(ctx)
}
