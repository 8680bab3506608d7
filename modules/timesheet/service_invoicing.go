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
	"groupcamp/core/capacity"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The invoicing handoff: draft invoice lines from the APPROVED billable time of a client
// company's projects in a period, grouped by project, task and person (and, when asked, by
// project time category) at each entry's bill rate. Exporting them puts their entries in a
// batch: invoiced at that rate, locked like an approved week (409 on change) and never in a
// draft again, until an administrator undoes the batch. Billing will turn the lines into
// invoices; until then they are an API listing, CSV and XLSX.
//
// The bill rate of an entry (cents of the account's currency per hour; 0 is no rate) is the
// first there is of:
//
//  1. the project's rate for that person (project_person_rates),
//  2. the project's rate (project_rates),
//  3. the person's own bill rate in force on the entry's day (core/capacity, history by day),
//  4. their job role's bill rate (core/capacity).
//
// The time of a person since erased stays in the account (detached, user_id NULL): when they
// were erased, the rate of each of their invoiceable entries (billable, not invoiced, in an
// approved week) was frozen on it (former_rate_cents, by the rules above), since their own
// rates left with them. Drafts show that time as "Former colleague" lines at the frozen rate
// (the project's rate of now when none was found then); their other entries — in weeks never
// approved — are never invoiceable.

// MaxRateCents bounds a bill rate (a million an hour).
const MaxRateCents = 100_000_000

// MaxInvoiceDays bounds an invoicing period (a year and a day).
const MaxInvoiceDays = 367

// Where an entry's bill rate comes from (InvoiceLine.RateSource).
const (
	RateProjectPerson = "project_person"
	RateProject       = "project"
	RatePerson        = "person"
	RateRole          = "role"
	RateFormer        = "former" // frozen when the person was erased
)

// FormerColleague names the time of people since erased on invoice lines (the pages translate it).
const FormerColleague = "Former colleague"

// SplitCategory splits the lines by project time category (InvoiceInput.SplitBy).
const SplitCategory = "category"

// InvoiceLine is a draft invoice line: time of a person (user 0: people since erased) on a
// task (or on no task) of a project — and of one category when split — at one bill rate.
// Amounts are exact cents: minutes × rate / 60, rounded half up.
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
	// RateSource says which rate applied: project_person, project, person, role, former
	// ("" when none did, or on an exported batch's lines).
	RateSource   string `json:"rate_source,omitempty" example:"project"`
	CategoryID   int64  `json:"category_id,omitempty" example:"6"`
	CategoryName string `json:"category_name,omitempty" example:"Design"`
	AmountCents  int64  `json:"amount_cents" example:"90000"`
	Entries      int64  `json:"entries" example:"5"`
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

	entries map[int64][]int64 // the entries by rate, for the export
}

// InvoiceInput exports a client company's draft lines of a period.
type InvoiceInput struct {
	ClientID int64  `json:"client_id" openapi:"required" example:"4"`
	From     string `json:"from" openapi:"required" format:"date" example:"2026-11-01"`
	To       string `json:"to" openapi:"required" format:"date" example:"2026-11-30"`
	// SplitBy "category" gives a line per project time category ("" none).
	SplitBy string `json:"split_by" enum:",category" example:"category"`
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
	f.Check(in.SplitBy == "" || in.SplitBy == SplitCategory, "split_by", "must be category or empty")
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
		if e.UserID != 0 && !slices.Contains(users, e.UserID) {
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
		if e.UserID == 0 {
			return false // a former colleague's: approved when they were erased (uninvoiced)
		}
		day, _ := ParseDay(e.Day)
		if approved[weekOf{e.UserID, WeekOf(day).String()}] {
			return false
		}
		d.PendingMinutes += e.Minutes
		return true
	})
	pr, err := s.pricer(ctx, tn, pids, users, in.To)
	if err != nil {
		return nil, err
	}
	for i := range es {
		e := &es[i]
		e.Rate, e.Source = pr.price(e)
		d.entries[e.Rate] = append(d.entries[e.Rate], e.ID)
	}
	return d, s.lines(ctx, tn, d, es, in.SplitBy)
}

// pricer finds the bill rates of entries (see the rules at the top of the file), its rates
// read once for the projects and people of a draft.
type pricer struct {
	pair    map[[2]int64]int64 // project × person
	project map[int64]int64
	book    *capacity.RateBook // nil without core capacity
}

func (s *Service) pricer(ctx context.Context, tn db.Tenant, projects, users []int64, to string) (*pricer, error) {
	p := &pricer{}
	var err error
	if p.pair, err = s.store.personRates(ctx, tn, projects, users); err != nil {
		return nil, err
	}
	if p.project, err = s.store.rates(ctx, tn, projects); err != nil {
		return nil, err
	}
	if s.Capacity != nil {
		if p.book, err = s.Capacity.In(tn.Unscoped()).BillRates(ctx, tn.AccountID, users, to); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// price is the rate of an entry and where it comes from (0 and "" when none applies).
func (p *pricer) price(e *billable) (int64, string) {
	if e.UserID == 0 {
		if e.FormerRate != nil && *e.FormerRate > 0 {
			return *e.FormerRate, RateFormer
		}
		if r := p.project[e.ProjectID]; r > 0 {
			return r, RateProject
		}
		return 0, ""
	}
	if r := p.pair[[2]int64{e.ProjectID, e.UserID}]; r > 0 {
		return r, RateProjectPerson
	}
	if r := p.project[e.ProjectID]; r > 0 {
		return r, RateProject
	}
	if p.book != nil {
		switch r, src := p.book.Bill(e.UserID, e.Day); src {
		case capacity.SourcePerson:
			if r > 0 {
				return r, RatePerson
			}
		case capacity.SourceRole:
			if r > 0 {
				return r, RateRole
			}
		}
	}
	return 0, ""
}

// lines groups priced entries into lines by project, task, person, rate (and category when
// split): each entry's Rate and Source are set (a batch's entries: the rate they were
// invoiced at).
func (s *Service) lines(ctx context.Context, tn db.Tenant, d *InvoiceDraft, es []billable, split string) error {
	type key struct {
		project, task, user, rate, category int64
		source                              string
	}
	sums := map[key]*InvoiceLine{}
	var keys []key
	var pids, tids, uids, cids []int64
	for _, e := range es {
		k := key{project: e.ProjectID, user: e.UserID, rate: e.Rate, source: e.Source}
		if e.TaskID != nil {
			k.task = *e.TaskID
		}
		if split == SplitCategory && e.CategoryID != nil {
			k.category = *e.CategoryID
		}
		l, ok := sums[k]
		if !ok {
			l = &InvoiceLine{ProjectID: k.project, TaskID: k.task, UserID: k.user, RateCents: k.rate, RateSource: k.source, CategoryID: k.category}
			sums[k] = l
			keys = append(keys, k)
			pids, tids, uids = append(pids, k.project), append(tids, k.task), append(uids, k.user)
			if k.category != 0 && !slices.Contains(cids, k.category) {
				cids = append(cids, k.category)
			}
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
	people[0] = FormerColleague
	cats, err := s.store.categoryNames(ctx, tn, cids)
	if err != nil {
		return err
	}
	for _, k := range keys {
		l := sums[k]
		l.ProjectName, l.TaskTitle, l.UserName = names.Projects[k.project], names.Tasks[k.task], people[k.user]
		if split == SplitCategory {
			l.CategoryName = cats[k.category] // "" for the time of no category
		}
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
	// People since erased last in their task; a split's "no category" first.
	order := func(l InvoiceLine) int {
		if l.UserID == 0 {
			return 1
		}
		return 0
	}
	slices.SortFunc(d.Items, func(x, y InvoiceLine) int {
		return cmp.Or(cmp.Compare(x.ProjectName, y.ProjectName), cmp.Compare(x.ProjectID, y.ProjectID), cmp.Compare(x.TaskTitle, y.TaskTitle),
			cmp.Compare(x.TaskID, y.TaskID), cmp.Compare(x.CategoryName, y.CategoryName), cmp.Compare(x.CategoryID, y.CategoryID),
			cmp.Compare(order(x), order(y)), cmp.Compare(x.UserName, y.UserName), cmp.Compare(x.UserID, y.UserID), cmp.Compare(x.RateCents, y.RateCents))
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
		b := &InvoiceBatch{AccountID: tn.AccountID, CompanyID: &cid, CompanyName: d.CompanyName, From: in.From, To: in.To, Currency: d.Currency, SplitBy: in.SplitBy,
			Lines: int64(len(d.Items)), Entries: d.Entries, Minutes: d.Minutes, AmountCents: d.AmountCents, CreatedAt: s.now(), Items: d.Items}
		if err := s.store.insertBatch(ctx, tn, b); err != nil {
			return err
		}
		rates := make([]int64, 0, len(d.entries))
		for r := range d.entries {
			rates = append(rates, r)
		}
		slices.Sort(rates)
		for _, r := range rates {
			if err := s.store.markInvoiced(ctx, tn, b.ID, r, d.entries[r]); err != nil {
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
	for i := range es {
		if es[i].RateCents != nil {
			es[i].Rate = *es[i].RateCents
		}
	}
	d := &InvoiceDraft{Items: []InvoiceLine{}}
	if err := s.lines(ctx, tn, d, es, b.SplitBy); err != nil {
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
	name, err := s.projectName(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	if err := checkRate(in); err != nil {
		return nil, err
	}
	r := &ProjectRate{AccountID: tn.AccountID, ProjectID: projectID, RateCents: *in.RateCents, UpdatedAt: s.now(), ProjectName: name}
	return r, s.store.putRate(ctx, tn, r)
}

// MaxPersonRates bounds the people's rates listed for one project.
const MaxPersonRates = 500

// checkRate checks a rate typed in cents.
func checkRate(in RateInput) error {
	var f problem.Fields
	f.Check(in.RateCents != nil, "rate_cents", "is required (cents of the account's currency per hour)")
	if in.RateCents != nil {
		f.Check(*in.RateCents >= 0 && *in.RateCents <= MaxRateCents, "rate_cents", "must be between 0 and 100000000 (a million an hour)")
	}
	return f.Err()
}

// projectName is the name of a project of the account, whatever its state (404 otherwise).
func (s *Service) projectName(ctx context.Context, tn db.Tenant, projectID int64) (string, error) {
	names, err := s.Targets.Get().Names(ctx, tn.AccountID, []int64{projectID}, nil)
	if err != nil {
		return "", err
	}
	name, ok := names.Projects[projectID]
	if !ok {
		return "", problem.NotFound()
	}
	return name, nil
}

// PersonRates lists a project's rates for people (at most MaxPersonRates).
func (s *Service) PersonRates(ctx context.Context, a *actor.Actor, projectID int64) (api.List[PersonRate], error) {
	if err := mayInvoice(a); err != nil {
		return api.List[PersonRate]{}, err
	}
	tn := s.tenant(a.AccountID())
	if _, err := s.projectName(ctx, tn, projectID); err != nil {
		return api.List[PersonRate]{}, err
	}
	out, err := s.store.projectPersonRates(ctx, tn, projectID, MaxPersonRates)
	if err != nil {
		return api.List[PersonRate]{}, err
	}
	uids := make([]int64, len(out))
	for i, r := range out {
		uids[i] = r.UserID
	}
	people, err := s.store.personNames(ctx, tn, uids)
	for i := range out {
		out[i].UserName = people[out[i].UserID]
	}
	return api.List[PersonRate]{Items: out}, err
}

// SetPersonRate sets a project's bill rate for one colleague of the account (a project or a
// person of another account: 404).
func (s *Service) SetPersonRate(ctx context.Context, a *actor.Actor, projectID, userID int64, in RateInput) (*PersonRate, error) {
	if err := mayInvoice(a); err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	if _, err := s.projectName(ctx, tn, projectID); err != nil {
		return nil, err
	}
	people, err := s.store.personNames(ctx, tn, []int64{userID})
	if err != nil {
		return nil, err
	}
	name, ok := people[userID]
	if !ok {
		return nil, problem.NotFound()
	}
	if err := checkRate(in); err != nil {
		return nil, err
	}
	r := &PersonRate{AccountID: tn.AccountID, ProjectID: projectID, UserID: userID, RateCents: *in.RateCents, UpdatedAt: s.now(), UserName: name}
	return r, s.store.putPersonRate(ctx, tn, r)
}

// DeletePersonRate removes a project's rate for a person (their time is priced by the next
// rule again); none set: 404.
func (s *Service) DeletePersonRate(ctx context.Context, a *actor.Actor, projectID, userID int64) error {
	if err := mayInvoice(a); err != nil {
		return err
	}
	found, err := s.store.deletePersonRate(ctx, s.tenant(a.AccountID()), projectID, userID)
	if err == nil && !found {
		return problem.NotFound()
	}
	return err
}

// freezeFormerRates runs in the erasure of a person, before their time is detached: each of
// their invoiceable entries (billable, not invoiced, in an approved week) gets the rate it is
// to be billed at (former_rate_cents), found by the usual rules while the person's own rates
// still exist; then the projects' rates for the person go. Their entries in weeks not
// approved get none: nobody can approve those weeks any more, so they are never invoiced.
func (s *Service) freezeFormerRates(ctx context.Context, tn db.Tenant, userID int64) error {
	es, err := s.store.personBillable(ctx, tn, userID)
	if err != nil || len(es) == 0 {
		return err
	}
	first, last := es[0].Day, es[0].Day
	var pids []int64
	for _, e := range es {
		first, last = min(first, e.Day), max(last, e.Day)
		if !slices.Contains(pids, e.ProjectID) {
			pids = append(pids, e.ProjectID)
		}
	}
	from, _ := ParseDay(first)
	to, _ := ParseDay(last)
	approved, err := s.store.approvedWeeks(ctx, tn, []int64{userID}, WeekOf(from).String(), WeekOf(to).String())
	if err != nil {
		return err
	}
	pr, err := s.pricer(ctx, tn, pids, []int64{userID}, last)
	if err != nil {
		return err
	}
	byRate := map[int64][]int64{}
	for i := range es {
		day, _ := ParseDay(es[i].Day)
		if approved[weekOf{userID, WeekOf(day).String()}] {
			r, _ := pr.price(&es[i])
			byRate[r] = append(byRate[r], es[i].ID)
		}
	}
	for r, ids := range byRate {
		if err := s.store.freezeRate(ctx, tn, r, ids); err != nil {
			return err
		}
	}
	return nil
}
