package admin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// auditRow is one line of the audit trail as the page shows it.
type auditRow struct {
	audit.Event
	ActionLabel string
	// Facts are the event's details as "label: value" pairs (the JSON the trail keeps, read
	// for a person: known keys translated, values as they are).
	Facts []fact
	// TargetLink opens what the event concerns when it is a person of the account (their
	// email): the people page filtered on them.
	TargetLink string
}

// fact is one detail of an audit event.
type fact struct{ Label, Value string }

// facts reads an event's details (a JSON object) into labelled pairs, keys sorted.
func (h *handlers) facts(p *web.Page, details string) []fact {
	if details == "" {
		return nil
	}
	m := map[string]any{}
	if err := json.Unmarshal([]byte(details), &m); err != nil {
		return []fact{{Value: details}}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]fact, 0, len(keys))
	for _, k := range keys {
		v := fmt.Sprint(m[k])
		if s, ok := m[k].(string); ok {
			v = s
		} else if b, err := json.Marshal(m[k]); err == nil {
			v = string(b)
		}
		out = append(out, fact{Label: h.label(p, "admin.audit.detail."+k, strings.ReplaceAll(k, "_", " ")), Value: v})
	}
	return out
}

// auditData is what the audit page shows.
type auditData struct {
	Rows    []auditRow
	People  []option // filter: user id, name
	Actions []option // filter: action, label
	Actor   string
	Action  string
	pager
	CSV string // the export of the same filters
}

// actionRe is the shape of an action name ("user.role_changed").
var actionRe = regexp.MustCompile(`^[a-z0-9_.]*$`)

// auditFilter reads ?actor= and ?action=; a bad value is a 422 naming the parameter.
func auditFilter(c *fiber.Ctx) (audit.Filter, error) {
	f := audit.Filter{Action: strings.Clone(c.Query("action"))}
	var fields problem.Fields
	if s := c.Query("actor"); s != "" {
		id, ok := api.ParseID(s)
		fields.Check(ok, "actor", "is not a valid choice")
		f.ActorID = id
	}
	fields.Check(len(f.Action) <= 100, "action", "must be at most 100 characters")
	fields.Check(!fields.Has("action") && actionRe.MatchString(f.Action), "action", "is not a valid choice")
	return f, fields.Err()
}

func (h *handlers) audit(c *fiber.Ctx) error {
	a := actor.From(c)
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	f.Before, f.Limit = pg.After, pg.Limit+1
	events, err := audit.List(c.UserContext(), h.db, a.AccountID(), f)
	if err != nil {
		return err
	}
	list := api.MakeList(events, pg, func(e audit.Event) int64 { return e.ID })
	people, err := h.everyone(c)
	if err != nil {
		return err
	}
	actions, err := auditActions(c.UserContext(), h.db, a.AccountID())
	if err != nil {
		return err
	}
	p := h.page(c, "admin.audit.title", nil)
	q := queryValues(c)
	d := auditData{Action: f.Action, pager: makePager(base(c)+"/audit", q, list.NextCursor)}
	if f.ActorID != 0 {
		d.Actor = strconv.FormatInt(f.ActorID, 10)
	}
	q.Del("cursor")
	d.CSV = base(c) + "/audit.csv"
	if len(q) > 0 {
		d.CSV += "?" + q.Encode()
	}
	for _, e := range list.Items {
		row := auditRow{Event: e, ActionLabel: h.label(p, "admin.audit.action."+e.Action, e.Action), Facts: h.facts(p, e.Details)}
		if strings.Contains(e.Target, "@") && !strings.ContainsAny(e.Target, " /") {
			row.TargetLink = base(c) + "/people?q=" + url.QueryEscape(e.Target)
		}
		d.Rows = append(d.Rows, row)
	}
	for _, m := range people {
		d.People = append(d.People, option{strconv.FormatInt(m.ID, 10), m.Name})
	}
	for _, act := range actions {
		d.Actions = append(d.Actions, option{act, h.label(p, "admin.audit.action."+act, act)})
	}
	p.Data = d
	return h.web.Render(c, "admin/audit", p)
}

// csvBatch is how many events the export reads at a time; csvMax caps one export.
const (
	csvBatch = 500
	csvMax   = 100_000
)

func (h *handlers) auditCSV(c *fiber.Ctx) error {
	a := actor.From(c)
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := newAuditCSV(&buf)
	for n := 0; n < csvMax; {
		f.Limit = csvBatch
		events, err := audit.List(c.UserContext(), h.db, a.AccountID(), f)
		if err != nil {
			return err
		}
		for _, e := range events {
			w.Write(e)
		}
		n += len(events)
		if len(events) < csvBatch {
			break
		}
		f.Before = events[len(events)-1].ID
	}
	if err := w.Flush(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="audit-`+a.Account.Slug+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
