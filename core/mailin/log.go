package mailin

import (
	"context"
	"embed"
	"encoding/json"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/web"
)

// The refusal log: every message refused or dropped for an address of an account — a robot's
// (bounce, auto-reply, list, loop), an unknown sender, a reply address used by someone else,
// a message too large, unreadable or empty, a thing gone or out of the sender's reach — is
// a line of the account's audit trail (action ActionRefused, the sender as its target), so
// that it is kept, exported and erased like the rest of the trail. Its administrators read
// it on /{slug}/admin/mail-in (and GET /api/v1/{slug}/mail-in/refusals): who wrote, to which
// address, why it was refused and what the sender was answered.

//go:embed views locales
var files embed.FS

// ActionRefused is the audit action of a refused message.
const ActionRefused = "mailin.refused"

// MaxLogged is how many refusals an account records per hour: a robot that keeps writing to
// an address (an auto-reply to every notification, a forwarding loop) is summed up by the
// first ones, and must not fill the trail.
const MaxLogged = 200

// RefusalDetails are the details of a refusal's audit line.
type RefusalDetails struct {
	Reason  string `json:"reason"`
	Kind    string `json:"kind"`              // the address's kind: "task", "topic", "news", "project"
	ID      int64  `json:"id"`                // the thing or place it names
	Subject string `json:"subject,omitempty"` // the message's subject
	Detail  string `json:"detail,omitempty"`  // what the sender was answered ("" when dropped)
}

// Log writes refusals into the audit trail, at most MaxLogged per account and hour.
type Log struct {
	DB  *bun.DB
	Now func() time.Time // tests; time.Now otherwise

	mu    sync.Mutex
	hour  int64
	count map[int64]int
}

// Record is the receiver's Recorder.
func (l *Log) Record(ctx context.Context, r Refused) error {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	l.mu.Lock()
	if h := now().Unix() / 3600; h != l.hour || l.count == nil {
		l.hour, l.count = h, map[int64]int{}
	}
	l.count[r.Reply.AccountID]++
	over := l.count[r.Reply.AccountID] > MaxLogged
	l.mu.Unlock()
	if over || r.Reply.AccountID == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := l.DB.NewSelect().Table("accounts").Where("id = ?", r.Reply.AccountID).Count(ctx)
	if err != nil || n == 0 {
		return err // an account deleted since the address was made: nobody to tell
	}
	return audit.Record(ctx, l.DB, nil, r.Reply.AccountID, ActionRefused, clipTo(r.From, 320),
		RefusalDetails{Reason: r.Reason, Kind: r.Reply.Kind, ID: r.Reply.ID, Subject: r.Subject, Detail: clipTo(r.Detail, 500)})
}

func clipTo(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// RefusalEntry is one refusal as the log lists it.
type RefusalEntry struct {
	ID        int64     `json:"id"`
	From      string    `json:"from" format:"email"`
	Reason    string    `json:"reason" enum:"bounce,auto_reply,list,loop,oversize,unreadable,sender_mismatch,empty,unknown_sender,other_person,not_found,forbidden,invalid,closed"`
	Kind      string    `json:"kind"`
	TargetID  int64     `json:"target_id"`
	Subject   string    `json:"subject"`
	Detail    string    `json:"detail"`
	CreatedAt time.Time `json:"created_at"`
}

// Refusals are the account's refused messages, newest first, in pages.
func Refusals(ctx context.Context, idb bun.IDB, accountID int64, p api.Page) (api.List[RefusalEntry], error) {
	events, err := audit.List(ctx, idb, accountID, audit.Filter{Action: ActionRefused, Before: p.After, Limit: p.Limit + 1})
	if err != nil {
		return api.List[RefusalEntry]{}, err
	}
	out := make([]RefusalEntry, len(events))
	for i, e := range events {
		var d RefusalDetails
		_ = json.Unmarshal([]byte(e.Details), &d) // a line's details are ours: malformed ones show empty
		out[i] = RefusalEntry{ID: e.ID, From: e.Target, Reason: d.Reason, Kind: d.Kind, TargetID: d.ID, Subject: d.Subject, Detail: d.Detail, CreatedAt: e.CreatedAt}
	}
	return api.MakeList(out, p, func(e RefusalEntry) int64 { return e.ID }), nil
}

// Pages serves the refusal log to the account's administrators (capability audit.read: it is
// a part of the audit trail).
type Pages struct {
	DB  *bun.DB
	Web *web.Renderer
	// On reports whether email in runs (the page says so when it does not).
	On bool
	// Domain is where the addresses are.
	Domain string
}

// Nav is the log's entry in the administration menu.
var Nav = []web.NavItem{{Label: "mailin.nav", Path: "/admin/mail-in", Object: "audit", Action: "read", Order: 91, Group: web.GroupAdmin}}

// Install loads the views and catalogs.
func (h *Pages) Install() error { return h.Web.Mount(files, "mailin") }

// Routes registers the page and its API.
func (h *Pages) Routes(r *api.Routes) {
	can := api.Can("audit", "read")
	r.Get("/api/v1/:slug/mail-in/refusals", can, h.list, api.Doc{Summary: "Email in: the messages refused or dropped, newest first, with the reason", Tag: "Core",
		Response: api.List[RefusalEntry]{}, Query: []api.Param{
			{Name: "limit", Type: "integer", Description: "page size, 1-200 (default 50)"},
			{Name: "cursor", Type: "string", Description: "next_cursor of the previous page"},
		}})
	r.Get("/:slug/admin/mail-in", can, h.page)
}

func (h *Pages) list(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	out, err := Refusals(c.UserContext(), h.DB, actor.From(c).AccountID(), p)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

type logData struct {
	On     bool
	Domain string
	Items  []RefusalEntry
	Next   string
}

func (h *Pages) page(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	out, err := Refusals(c.UserContext(), h.DB, actor.From(c).AccountID(), p)
	if err != nil {
		return err
	}
	page := h.Web.NewPage(c, "mailin.title")
	d := logData{On: h.On, Domain: h.Domain, Items: out.Items}
	if out.NextCursor != "" {
		d.Next = "?cursor=" + out.NextCursor
	}
	page.Data = d
	return h.Web.Render(c, "mailin/log", page)
}
