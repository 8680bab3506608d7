package timesheet

import (
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// invoicingPageRoutes registers the invoicing page and its forms (administrators).
func (h *handlers) invoicingPageRoutes(r routes) {
	manage := api.Can("timesheet.invoicing", "manage")
	r.Get("/:slug/timesheet/invoicing", manage, h.invoicingPage)
	r.Post("/:slug/timesheet/invoicing/export", manage, h.exportForm)
	r.Post("/:slug/timesheet/invoicing/rates", manage, h.rateForm)
	r.Post("/:slug/timesheet/invoicing/batches/:id/undo", manage, h.undoForm)
	r.Get("/:slug/timesheet/invoicing/lines.csv", manage, h.draftFile(formatCSV))
	r.Get("/:slug/timesheet/invoicing/batches/:id/lines.csv", manage, h.batchFile(formatCSV))
	r.Get("/:slug/timesheet/invoicing/batches/:id/lines.xlsx", manage, h.batchFile(formatXLSX))
}

// invoiceRow is a line of the draft table.
type invoiceRow struct {
	Project, Task, Person, Time, Rate, Amount string
	Category, Source                          string // Category "" with no split; Source a RateProject... constant
	Former                                    bool   // the time of people since erased
	NoCategory                                bool   // split, and the time has no category
	Minutes, Cents                            int64
}

// invoicingData is what the invoicing page shows.
type invoicingData struct {
	In       InvoiceInput
	Clients  []option
	Projects []option
	Rates    []ProjectRate
	RateText map[int64]string
	People   []option
	// PersonRates are the projects' rates for people as shown ("Website · Ada Lovelace: 150.00").
	PersonRates []string
	Split       bool
	Draft       *InvoiceDraft
	Rows        []invoiceRow
	Total       invoiceRow
	Pending     string
	Unrated     []string
	Batches     []InvoiceBatch
	BatchText   map[int64][2]string // time and amount, as shown
	Query       template.URL        // url.Values.Encode: safe
}

// money writes cents as units with two decimals ("1234.50").
func money(cents int64) string {
	return strconv.FormatInt(cents/100, 10) + "." + twoDigits(int(cents%100))
}

// parseMoney reads an amount typed as units ("120", "120.5", "120,50") into cents.
func parseMoney(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f*100 > MaxRateCents {
		return 0, false
	}
	return int64(math.Round(f * 100)), true
}

// invoicingView builds the page for the company and period of in (a draft when both are given).
func (h *handlers) invoicingView(c *fiber.Ctx, in InvoiceInput, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	tn := h.svc.tenant(a.AccountID())
	d := &invoicingData{In: in, RateText: map[int64]string{}, BatchText: map[int64][2]string{}}
	clients, err := h.svc.store.clientCompanies(ctx, tn)
	if err != nil {
		return nil, err
	}
	for _, co := range clients {
		d.Clients = append(d.Clients, option{strconv.FormatInt(co.ID, 10), co.Name})
	}
	ts, err := h.svc.Targets.Get().Targets(ctx, a, 500)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.TaskID == 0 {
			d.Projects = append(d.Projects, option{strconv.FormatInt(t.ProjectID, 10), t.ProjectName})
		}
	}
	rates, err := h.svc.Rates(ctx, a, pageAll)
	if err != nil {
		return nil, err
	}
	d.Rates = rates.Items
	for _, r := range d.Rates {
		d.RateText[r.ProjectID] = money(r.RateCents)
	}
	people, err := h.svc.store.teamViewPeople(ctx, tn, a.UserID, 0, true, api.KeyPage{Limit: MaxPersonRates})
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		d.People = append(d.People, option{strconv.FormatInt(p.UserID, 10), p.Name})
	}
	prs, err := h.svc.store.allPersonRates(ctx, tn, MaxPersonRates)
	if err != nil {
		return nil, err
	}
	if len(prs) > 0 {
		var pids, uids []int64
		for _, r := range prs {
			pids, uids = append(pids, r.ProjectID), append(uids, r.UserID)
		}
		names, err := h.svc.Targets.Get().Names(ctx, tn.AccountID, pids, nil)
		if err != nil {
			return nil, err
		}
		who, err := h.svc.store.personNames(ctx, tn, uids)
		if err != nil {
			return nil, err
		}
		for _, r := range prs {
			d.PersonRates = append(d.PersonRates, names.Projects[r.ProjectID]+" · "+who[r.UserID]+": "+money(r.RateCents))
		}
	}
	d.Split = in.SplitBy == SplitCategory
	if in.ClientID != 0 {
		if err := checkInvoice(&in); err == nil {
			if d.Draft, err = h.svc.Draft(ctx, a, in); err != nil && problemStatus(err) != fiber.StatusNotFound {
				return nil, err
			}
		}
	}
	if d.Draft != nil {
		for _, l := range d.Draft.Items {
			task := l.TaskTitle
			d.Rows = append(d.Rows, invoiceRow{Project: l.ProjectName, Task: task, Person: l.UserName, Time: hm(l.Minutes), Rate: money(l.RateCents),
				Amount: money(l.AmountCents), Minutes: l.Minutes, Cents: l.AmountCents, Category: l.CategoryName, Source: l.RateSource,
				Former: l.UserID == 0, NoCategory: d.Split && l.CategoryID == 0})
		}
		d.Total = invoiceRow{Time: hm(d.Draft.Minutes), Amount: money(d.Draft.AmountCents)}
		d.Pending = hm(d.Draft.PendingMinutes)
		for _, pid := range d.Draft.Unrated {
			for _, l := range d.Draft.Items {
				if l.ProjectID == pid {
					d.Unrated = append(d.Unrated, l.ProjectName)
					break
				}
			}
		}
		q := url.Values{"client": {strconv.FormatInt(in.ClientID, 10)}, "from": {in.From}, "to": {in.To}}
		if d.Split {
			q.Set("split_by", SplitCategory)
		}
		d.Query = template.URL(q.Encode())
	}
	bs, err := h.svc.Batches(ctx, a, api.Page{Limit: 50})
	if err != nil {
		return nil, err
	}
	d.Batches = bs.Items
	for _, b := range d.Batches {
		d.BatchText[b.ID] = [2]string{hm(b.Minutes), money(b.AmountCents)}
	}
	p := h.web.NewPage(c, "timesheet.invoicing.title")
	p.Data = d
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p.Form = form
	return p, nil
}

func (h *handlers) invoicingPage(c *fiber.Ctx) error {
	var f problem.Fields
	in := InvoiceInput{ClientID: queryID(c, "client", &f), From: strings.Clone(c.Query("from")), To: strings.Clone(c.Query("to"))}
	if c.Query("split_by") == SplitCategory {
		in.SplitBy = SplitCategory // anything else: no split (a page shows rather than refuses)
	}
	if in.From == "" && in.To == "" {
		in.From, in.To = presetPeriod("last_month", h.svc.now())
	}
	form := web.EmptyForm(map[string]string{"from": in.From, "to": in.To})
	if in.ClientID != 0 {
		form.Fail(checkInvoice(&in))
	}
	p, err := h.invoicingView(c, in, form)
	if err != nil {
		return err
	}
	return h.web.Render(c, "timesheet/invoicing", p)
}

func (h *handlers) invoicingPath(c *fiber.Ctx, in InvoiceInput) string {
	to := "/" + actor.From(c).Account.Slug + "/timesheet/invoicing"
	if in.ClientID != 0 {
		q := url.Values{"client": {strconv.FormatInt(in.ClientID, 10)}, "from": {in.From}, "to": {in.To}}
		if in.SplitBy != "" {
			q.Set("split_by", in.SplitBy)
		}
		to += "?" + q.Encode()
	}
	return to
}

func (h *handlers) exportForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "client_id", "from", "to", "split_by")
	id, _ := api.ParseID(form.Get("client_id"))
	in := InvoiceInput{ClientID: id, From: form.Get("from"), To: form.Get("to"), SplitBy: form.Get("split_by")}
	if _, err := h.svc.Export(c.UserContext(), actor.From(c), in); err != nil {
		if p, ok := problem.As(err); !ok || p.Status >= 500 {
			return err
		}
		page, verr := h.invoicingView(c, in, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "timesheet/invoicing", page, err)
	}
	return web.Done(c, "timesheet.invoicing.flash.exported", h.invoicingPath(c, in))
}

func (h *handlers) rateForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "project_id", "user_id", "rate")
	pid, _ := api.ParseID(form.Get("project_id"))
	cents, ok := parseMoney(form.Get("rate"))
	var err error
	switch {
	case !ok:
		err = problem.Invalid(problem.FieldError{Field: "rate", Message: "must be an amount per hour, such as 120 or 120.50"})
	case form.Get("user_id") != "":
		// The project's rate for one person.
		uid, _ := api.ParseID(form.Get("user_id"))
		if _, err = h.svc.projectName(c.UserContext(), h.svc.tenant(actor.From(c).AccountID()), pid); err == nil {
			_, err = h.svc.SetPersonRate(c.UserContext(), actor.From(c), pid, uid, RateInput{RateCents: &cents})
			if problemStatus(err) == fiber.StatusNotFound {
				err = problem.Invalid(problem.FieldError{Field: "user_id", Message: "choose a person"})
			}
		} else if problemStatus(err) == fiber.StatusNotFound {
			err = problem.Invalid(problem.FieldError{Field: "project_id", Message: "choose a project"})
		}
	default:
		_, err = h.svc.SetRate(c.UserContext(), actor.From(c), pid, RateInput{RateCents: &cents})
		if problemStatus(err) == fiber.StatusNotFound {
			err = problem.Invalid(problem.FieldError{Field: "project_id", Message: "choose a project"})
		}
	}
	if err != nil {
		if p, ok := problem.As(err); !ok || p.Status >= 500 {
			return err
		}
		page, verr := h.invoicingView(c, InvoiceInput{}, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "timesheet/invoicing", page, err)
	}
	return web.Done(c, "timesheet.invoicing.flash.rate", h.invoicingPath(c, InvoiceInput{}))
}

func (h *handlers) undoForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	b, err := h.svc.Undo(c.UserContext(), actor.From(c), id)
	if err != nil {
		if problemStatus(err) == fiber.StatusConflict {
			web.Flash(c, "error", "timesheet.invoicing.flash.undone_already")
			return c.Redirect(h.invoicingPath(c, InvoiceInput{}), fiber.StatusSeeOther)
		}
		return err
	}
	var cid int64
	if b.CompanyID != nil {
		cid = *b.CompanyID
	}
	return web.Done(c, "timesheet.invoicing.flash.undone", h.invoicingPath(c, InvoiceInput{ClientID: cid, From: b.From, To: b.To}))
}
