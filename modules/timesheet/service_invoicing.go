package timesheet

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The invoicing handoff: draft invoice lines from the APPROVED billable time of a client
// company's projects in a period, grouped by project, task and person at the project's bill
// rate. Exporting them puts their entries in a batch: invoiced, locked like an approved week
// (409 on change) and never in a draft again, until an administrator undoes the batch. Billing
// will turn the lines into invoices; until then they are an API listing, CSV and XLSX.
//
// The rate is the project's (project_rates, set by an administrator, cents of the account's
// currency per hour): the people's own bill rates come with the core capacity package.

// MaxRateCents bounds a bill rate (a million an hour).
const MaxRateCents = 100_000_000

// MaxInvoiceDays bounds an invoicing period (a year and a day).
const MaxInvoiceDays = 367

// InvoiceLine is a draft invoice line: time of a person on a task (or on no task) of a
// project, at the project's rate. Amounts are exact cents: minutes × rate / 60, rounded half up.
type InvoiceLine struct {
	ProjectID   int64   `json:"project_id" example:"3"`
	ProjectName string  `json:"project_name" example:"Website"`
	TaskID      int64   `json:"task_id" example:"12"`
	TaskTitle   string  `json:"task_title" example:"Home page"`
	UserID      int64   `json:"user_id" example:"5"`
	UserName    string  `json:"user_name" example:"Ada Lovelace"`
	Minutes     int64   `json:"minutes" example:"450"`
	Hours       float64 `json:"hours" example:"7.5"`
	RateCents   int64   `json:"rate_cents" example:"12000"`
	AmountCents int64   `json:"amount_cents" example:"90000"`
	Entries     int64   `json:"entries" example:"5"`
}

// InvoiceDraft is the draft invoice lines of a client company and a period.
type InvoiceDraft struct {
	CompanyID   int64         `json:"company_id" example:"4"`
	CompanyName string        `json:"company_name" example:"Acme"`
	From        string        `json:"from" format:"date" example:"2026-11-01"`
	To          string        `json:"to" format:"date" example:"2026-11-30"`
	Currency    string        `json:"currency" example:"EUR"`
	Items       []InvoiceLine `json:"items"`
	Minutes     int64         `json:"minutes" example:"1440"`
	AmountCents int64         `json:"amount_cents" example:"288000"`
	Entries     int64         `json:"entries" example:"12"`
	// Unrated are the projects of the lines without a bill rate (their amounts are 0).
	Unrated []int64 `json:"unrated"`
	// Pending is the billable time of the period not invoiceable yet: in weeks not approved.
	PendingMinutes int64 `json:"pending_minutes" example:"120"`

	entries map[int64][]int64 // the entries by project, for the export
}

// InvoiceInput exports a client company's draft lines of a period.
type InvoiceInput struct {
	ClientID int64  `json:"client_id" openapi:"required" example:"4"`
	From     string `json:"from" openapi:"required" format:"date" example:"2026-11-01"`
	To       string `json:"to" openapi:"required" format:"date" example:"2026-11-30"`
}

// RateInput sets a project's bill rate.
type RateInput struct {
	RateCents *int64 `json:"rate_cents" openapi:"required" example:"12000"`
}

func mayInvoice(a *actor.Actor) error {
	if !admin(a) {
		return problem.NotFound()
	}
	return nil
}

// checkInvoice checks a company and period: both given, the period in order and at most a year.
func checkInvoice(in *InvoiceInput) error {
	var f problem.Fields
	f.Check(in.ClientID > 0, "client_id", "choose the client company")
	from, okFrom := ParseDay(in.From)
	to, okTo := ParseDay(in.To)
	f.Check(okFrom, "from", "must be a day written YYYY-MM-DD")
	f.Check(okTo, "to", "must be a day written YYYY-MM-DD")
	if okFrom && okTo {
		f.Check(!to.Before(from), "to", "must not be before from")
		f.Check(to.Sub(from) < MaxInvoiceDays*24*time.Hour, "to", "the period must be at most "+strconv.Itoa(MaxInvoiceDays)+" days")
	}
	return f.Err()
}

// Draft assembles the draft invoice lines of a client company and period.
func (s *Service) Draft(ctx context.Context, a *actor.Actor, in InvoiceInput) (*InvoiceDraft, error) {
	if err := mayInvoice(a); err != nil {
		return nil, err
	}
	if err := checkInvoice(&in); err != nil {
		return nil, err
	}
	return s.draft(ctx, s.tenant(a.AccountID()), in)
}

func (s *Service) draft(ctx context.Context, tn db.Tenant, in InvoiceInput) (*InvoiceDraft, error) {
	name, err := s.store.companyName(ctx, tn, in.ClientID)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, problem.NotFound()
	}
	d := &InvoiceDraft{CompanyID: in.ClientID, CompanyName: name, From: in.From, To: in.To, Items: []InvoiceLine{}, Unrated: []int64{}, entries: map[int64][]int64{}}
	if d.Currency, err = s.store.currency(ctx, tn); err != nil {
		return nil, err
	}
	pids, err := s.Reports.Get().CompanyProjects(ctx, tn.AccountID, in.ClientID)
	if err != nil {
		return nil, err
	}
	es, err := s.store.uninvoiced(ctx, tn, pids, in.From, in.To)
	if err != nil {
		return nil, err
	}
	var users []int64
	for _, e := range es {
		if !slices.Contains(users, e.UserID) {
			users = append(users, e.UserID)
		}
	}
	from, _ := ParseDay(in.From)
	to, _ := ParseDay(in.To)
	approved, err := s.store.approvedWeeks(ctx, tn, users, WeekOf(from).String(), WeekOf(to).String())
	if err != nil {
		return nil, err
	}
	es = slices.DeleteFunc(es, func(e billable) bool {
		day, _ := ParseDay(e.Day)
		if approved[weekOf{e.UserID, WeekOf(day).String()}] {
			return false
		}
		d.PendingMinutes += e.Minutes
		return true
	})
	for _, e := range es {
		d.entries[e.ProjectID] = append(d.entries[e.ProjectID], e.ID)
	}
	return d, s.lines(ctx, tn, d, es, nil)
}

// lines groups entries into lines by project, task and person, at the rates (nil: each
// entry's own, as invoiced).
func (s *Service) lines(ctx context.Context, tn db.Tenant, d *InvoiceDraft, es []billable, rates map[int64]int64) error {
	type key struct{ project, task, user, rate int64 }
	sums := map[key]*InvoiceLine{}
	var keys []key
	var pids, tids, uids []int64
	if rates == nil && len(d.entries) > 0 {
		for pid := range d.entries {
			pids = append(pids, pid)
		}
		var err error
		if rates, err = s.store.rates(ctx, tn, pids); err != nil {
			return err
		}
		pids = pids[:0]
	}
	for _, e := range es {
		k := key{project: e.ProjectID, user: e.UserID}
		if e.TaskID != nil {
			k.task = *e.TaskID
		}
		if e.RateCents != nil {
			k.rate = *e.RateCents
		} else {
			k.rate = rates[e.ProjectID]
		}
		l, ok := sums[k]
		if !ok {
			l = &InvoiceLine{ProjectID: k.project, TaskID: k.task, UserID: k.user, RateCents: k.rate}
			sums[k] = l
			keys = append(keys, k)
			pids, tids, uids = append(pids, k.project), append(tids, k.task), append(uids, k.user)
		}
		l.Minutes += e.Minutes
		l.Entries++
	}
	names, err := s.Targets.Get().Names(ctx, tn.AccountID, pids, tids)
	if err != nil {
		return err
	}
	people, err := s.store.personNames(ctx, tn, uids)
	if err != nil {
		return err
	}
	for _, k := range keys {
		l := sums[k]
		l.ProjectName, l.TaskTitle, l.UserName = names.Projects[k.project], names.Tasks[k.task], people[k.user]
		l.Hours = float64(l.Minutes) / 60
		l.AmountCents = (l.Minutes*l.RateCents + 30) / 60
		if l.RateCents == 0 && !slices.Contains(d.Unrated, k.project) {
			d.Unrated = append(d.Unrated, k.project)
		}
		d.Items = append(d.Items, *l)
		d.Minutes += l.Minutes
		d.AmountCents += l.AmountCents
		d.Entries += l.Entries
	}
	slices.SortFunc(d.Items, func(x, y InvoiceLine) int {
		return cmp.Or(cmp.Compare(x.ProjectName, y.ProjectName), cmp.Compare(x.ProjectID, y.ProjectID), cmp.Compare(x.TaskTitle, y.TaskTitle),
			cmp.Compare(x.TaskID, y.TaskID), cmp.Compare(x.UserName, y.UserName), cmp.Compare(x.UserID, y.UserID))
	})
	slices.Sort(d.Unrated)
	return nil
}

// Export puts the draft lines' entries in a new batch (invoiced, locked) and returns it with
// its lines; audited. Nothing to invoice is a 422.
func (s *Service) Export(ctx context.Context, a *actor.Actor, in InvoiceInput) (*InvoiceBatch, error) {
	if err := mayInvoice(a); err != nil {
		return nil, err
	}
	if err := checkInvoice(&in); err != nil {
		return nil, err
	}
	var out *InvoiceBatch
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		d, err := s.draft(ctx, tn, in)
		if err != nil {
			return err
		}
		if len(d.Items) == 0 {
			return problem.Invalid(problem.FieldError{Field: "client_id", Message: "has no approved billable time left to invoice in this period"})
		}
		cid := in.ClientID
		b := &InvoiceBatch{AccountID: tn.AccountID, CompanyID: &cid, CompanyName: d.CompanyName, From: in.From, To: in.To, Currency: d.Currency,
			Lines: int64(len(d.Items)), Entries: d.Entries, Minutes: d.Minutes, AmountCents: d.AmountCents, CreatedAt: s.now(), Items: d.Items}
		if err := s.store.insertBatch(ctx, tn, b); err != nil {
			return err
		}
		rates := map[int64]int64{}
		for _, l := range d.Items {
			rates[l.ProjectID] = l.RateCents
		}
		pids := make([]int64, 0, len(d.entries))
		for pid := range d.entries {
			pids = append(pids, pid)
		}
		slices.Sort(pids)
		for _, pid := range pids {
			if err := s.store.markInvoiced(ctx, tn, b.ID, pid, rates[pid], d.entries[pid]); err != nil {
				return err
			}
		}
		out = b
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "timesheet.invoice.exported", "invoice_batch:"+strconv.FormatInt(b.ID, 10),
			map[string]any{"company_id": cid, "from": in.From, "to": in.To, "lines": b.Lines, "minutes": b.Minutes, "amount_cents": b.AmountCents, "currency": b.Currency})
	})
	return out, err
}

// Batches lists the exported batches, newest first.
func (s *Service) Batches(ctx context.Context, a *actor.Actor, p api.Page) (api.List[InvoiceBatch], error) {
	if err := mayInvoice(a); err != nil {
		return api.List[InvoiceBatch]{}, err
	}
	out, err := s.store.batches(ctx, s.tenant(a.AccountID()), p)
	if err != nil {
		return api.List[InvoiceBatch]{}, err
	}
	return api.MakeList(out, p, func(b InvoiceBatch) int64 { return b.ID }), nil
}

// Batch is an exported batch with its lines, at the rates they were invoiced at.
func (s *Service) Batch(ctx context.Context, a *actor.Actor, id int64) (*InvoiceBatch, error) {
	if err := mayInvoice(a); err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	b, err := s.store.batch(ctx, tn, id, false)
	if err != nil {
		return nil, err
	}
	es, err := s.store.batchEntries(ctx, tn, id)
	if err != nil {
		return nil, err
	}
	d := &InvoiceDraft{Items: []InvoiceLine{}}
	if err := s.lines(ctx, tn, d, es, map[int64]int64{}); err != nil {
		return nil, err
	}
	b.Items = d.Items
	return b, nil
}

// Undo gives a batch's entries back to the drafts (they can change again, once their week
// is reopened); audited. An undone batch stays listed, marked undone; undoing it again: 409.
func (s *Service) Undo(ctx context.Context, a *actor.Actor, id int64) (*InvoiceBatch, error) {
	if err := mayInvoice(a); err != nil {
		return nil, err
	}
	var out *InvoiceBatch
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		b, err := s.store.batch(ctx, tn, id, true)
		if err != nil {
			return err
		}
		if b.UndoneAt != nil {
			return problem.Conflict("", "this batch is undone already")
		}
		if err := s.store.undoBatch(ctx, tn, b, s.now()); err != nil {
			return err
		}
		out = b
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "timesheet.invoice.undone", "invoice_batch:"+strconv.FormatInt(b.ID, 10),
			map[string]any{"company_id": b.CompanyID, "from": b.From, "to": b.To, "lines": b.Lines, "minutes": b.Minutes, "amount_cents": b.AmountCents})
	})
	return out, err
}

// Rates lists the projects' bill rates.
func (s *Service) Rates(ctx context.Context, a *actor.Actor, p api.Page) (api.List[ProjectRate], error) {
	if err := mayInvoice(a); err != nil {
		return api.List[ProjectRate]{}, err
	}
	tn := s.tenant(a.AccountID())
	out, err := s.store.rateList(ctx, tn, p)
	if err != nil {
		return api.List[ProjectRate]{}, err
	}
	list := api.MakeList(out, p, func(r ProjectRate) int64 { return r.ProjectID })
	var pids []int64
	for _, r := range list.Items {
		pids = append(pids, r.ProjectID)
	}
	names, err := s.Targets.Get().Names(ctx, tn.AccountID, pids, nil)
	if err != nil {
		return list, err
	}
	for i := range list.Items {
		list.Items[i].ProjectName = names.Projects[list.Items[i].ProjectID]
	}
	return list, nil
}

// SetRate sets a project's bill rate (a project of the account, whatever its state: 404 otherwise).
func (s *Service) SetRate(ctx context.Context, a *actor.Actor, projectID int64, in RateInput) (*ProjectRate, error) {
	if err := mayInvoice(a); err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	names, err := s.Targets.Get().Names(ctx, tn.AccountID, []int64{projectID}, nil)
	if err != nil {
		return nil, err
	}
	name, ok := names.Projects[projectID]
	if !ok {
		return nil, problem.NotFound()
	}
	var f problem.Fields
	f.Check(in.RateCents != nil, "rate_cents", "is required (cents of the account's currency per hour)")
	if in.RateCents != nil {
		f.Check(*in.RateCents >= 0 && *in.RateCents <= MaxRateCents, "rate_cents", "must be between 0 and 100000000 (a million an hour)")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	r := &ProjectRate{AccountID: tn.AccountID, ProjectID: projectID, RateCents: *in.RateCents, UpdatedAt: s.now(), ProjectName: name}
	return r, s.store.putRate(ctx, tn, r)
}
