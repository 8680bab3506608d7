// Package webhooks is outgoing webhooks (issue 21, shared/API.md "Sign-in and integrations"):
// an account's administrators register URLs for some of the event types the modules publish
// (the automation rules' "when" choices, "*" for all); each matching event is POSTed to them as
// signed JSON, retried with back-off, logged, and a hook that keeps failing is disabled and its
// admins told.
//
// # Delivery
//
// Built on the outbox (core/events): a subscriber of every event writes, in the event's own
// transaction, one delivery row per enabled hook that asked for the event's type — so a
// restart between the event and the request loses nothing. Only the published event types go
// out, never the kernel's own (a queued email carries a sealed link). The job (SendTask) then
// sends what is due: right after the event (the subscriber enqueues it) and every minute for
// the retries. Each delivery is claimed by one sender (claimed_until) before its request, so
// several workers never send it twice at once; a sender that dies leaves its claim to expire.
// An attempt that gets no 2xx is tried again after 1 min, 5 min, 30 min, 2 h, 6 h, 6 h, 12 h
// (Backoff), then the delivery fails; after MaxFailures failed deliveries in a row the hook is
// disabled (audit entry; its owner and admins get the notice webhooks.disabled, by email as
// they prefer) and its deliveries wait until an admin enables it again from its page.
//
// The body is {id, type, account, created_at, data} (data is the event's payload), the same
// bytes on every attempt; the header X-GroupCamp-Signature is "t=UNIX,v1=HEX" where HEX is
// HMAC-SHA256(secret, "UNIX.body") (Signature). The README shows how a receiver checks it.
// HMAC needs the secret in clear, so it is sealed (core/seal, purpose SealPurpose, bound to the
// hook's row), not hashed; a secret stored in clear before sealing is used as it is and sealed
// by the first sending pass after a start (SealClear).
//
// # The server's own network
//
// A hook's URL is http(s) with a host; loopback, private, link-local, multicast and
// unspecified addresses are refused when the hook is saved (422 on url, with the reason; a
// name is resolved to check it) and again at each connection, by the dialer's Control on the
// address it is about to connect to — a name that resolves elsewhere later (DNS rebinding) is
// caught there. Only the operator may lift this (GROUPCAMP_WEBHOOKS_ALLOW_LOCAL), never an
// account admin. Requests time out after 10 s, redirects are not followed, and at most 1 KiB
// of the answer is kept.
//
// # Pages
//
// /{slug}/admin/webhooks (in the administration menu) lists the hooks with their state, last
// delivery and failures, and registers a new one (event checkboxes); a hook's page edits it,
// sends a test, enables it again, deletes it (with confirmation), and pages through its
// delivery log.
package webhooks

import (
	"context"
	"embed"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"groupcamp/core/app"
	"groupcamp/core/db"
	"groupcamp/core/seal"
	"groupcamp/core/web"
	"groupcamp/jobs"
)

//go:embed views locales static policy.csv matrix.csv
var files embed.FS

// Job task types.
const (
	SendTask  = "webhooks:send"
	PurgeTask = "webhooks:purge"
)

// Module is the webhooks module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "webhooks" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// routes is where the module registers its routes.
type routes = *app.Registry

// Register declares the capabilities, the subscriber, the jobs, the notice, the personal
// data, the walkers' fixtures, the routes, the pages and the navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	broker := r.Jobs()
	m.svc = &Service{DB: r.DB(), EventTypes: r.EventTypes(), AllowLocal: r.Config().WebhooksAllowLocal, Notifier: r.Notifier(),
		Box: seal.MustNew(r.Config().SecretKey, SealPurpose),
		Kick: func(ctx context.Context) {
			// One pass a second at most, a second after the first kick of that second: the
			// events of a burst share one pass (two write transactions whatever its size) instead
			// of a pass each, and the second lets the event's transaction commit first. A kick
			// refused as a duplicate is one whose pass is still to come; a kick lost (the broker
			// down) waits for the minute's sweep.
			id := "webhooks-send-" + strconv.FormatInt(time.Now().Unix(), 10)
			_ = broker.EnqueueOnce(ctx, jobs.Default, id, SendTask, nil, 2*time.Second, asynq.ProcessIn(time.Second))
		}}
	m.svc.listening = db.NewCache[int64, []Webhook](r.DB(), listeningTTL, 10000, "webhooks_hooks")
	r.OnAnyBatch("webhooks.deliveries", m.svc.RecordAll)
	r.Notices(NoticeDisabled)
	r.PersonalData(personalData{m.svc})
	r.Fixtures(fixtures{})
	r.Task(SendTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.SendDue(ctx); return err })
	r.Task(PurgeTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.Purge(ctx); return err })
	r.Every("* * * * *", SendTask, nil, jobs.Default)
	r.Every("@daily", PurgeTask, nil, jobs.Low)
	h := &handlers{svc: m.svc, web: r.Web()}
	h.apiRoutes(r)
	h.pageRoutes(r)
	r.Nav(web.NavItem{Label: "webhooks.nav", Path: "/admin/webhooks", Object: "webhooks", Action: "manage", Order: 85, Group: web.GroupAdmin})
	return nil
}
