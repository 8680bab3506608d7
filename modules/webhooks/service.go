package webhooks

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/core/seal"
	"groupcamp/core/validate"
)

// Backoff is the wait before each retry of a delivery: the first attempt is at once, the
// second a minute later, ... the eighth 12 hours after the seventh (a day and a half in all).
var Backoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour, 6 * time.Hour, 12 * time.Hour}

// MaxAttempts is how often a delivery is tried before it fails.
var MaxAttempts = len(Backoff) + 1

// MaxFailures is how many deliveries in a row may fail before their hook is disabled.
const MaxFailures = 10

// NoticeDisabled is the notice the account's admins get when a hook is disabled.
const NoticeDisabled = "webhooks.disabled"

// Service holds the use cases: plain Go, an actor and a context in, domain errors out.
type Service struct {
	DB *bun.DB
	// EventTypes are the event types modules publish (the choices of a hook), complete once
	// the App is built.
	EventTypes func() []string
	// AllowLocal lets hooks reach private and loopback addresses (the operator's setting).
	AllowLocal bool
	Notifier   automation.Notifier
	// Kick asks the job to send what is due soon (nil: the minute's sweep does).
	Kick func(ctx context.Context)
	// Now is the clock (tests move it); nil is the real one.
	Now func() time.Time
	// Box seals the hooks' secrets (SealPurpose) with the server key.
	Box *seal.Box

	sealedClear atomic.Bool // SealClear ran once since the start

	// listening is each account's enabled hooks (id and event types), which Record reads for
	// every event of every account: a query per event, most of them answering "none". Any
	// write to the hooks drops it (db.Cache); another instance's change shows within
	// listeningTTL.
	listening *db.Cache[int64, []Webhook]

	client     *http.Client
	clientOnce sync.Once
	kicked     atomic.Int64 // the second of the last kick
	// lookup resolves a host name when a hook is saved (net.DefaultResolver).
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// listeningTTL bounds how long another instance's change to the hooks takes to show.
const listeningTTL = 5 * time.Second

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

func (s *Service) http() *http.Client {
	s.clientOnce.Do(func() { s.client = guardedClient(s.AllowLocal) })
	return s.client
}

// Choices are the event types a hook may ask for, sorted, "*" first.
func (s *Service) Choices() []string {
	var types []string
	if s.EventTypes != nil {
		types = slices.Clone(s.EventTypes())
	}
	slices.Sort(types)
	return append([]string{"*"}, slices.Compact(types)...)
}

// mayManage: only admins (and the owner) manage hooks; the route's guard says so too, this is
// the service's own word for callers that are no route.
func mayManage(a *actor.Actor) error {
	if a == nil || !a.May("webhooks", "manage") {
		return problem.Forbidden("Only the account's administrators manage webhooks.")
	}
	return nil
}

// ---- Validation ----

func (s *Service) checkURL(ctx context.Context, raw string) string {
	lookup := s.lookup
	if lookup == nil {
		lookup = netLookup
	}
	return checkURL(ctx, raw, s.AllowLocal, lookup)
}

func (s *Service) checkEvents(f *problem.Fields, evs []string) []string {
	if len(evs) == 0 {
		f.Add("events", "choose at least one event type (or \"*\" for all)")
		return nil
	}
	if len(evs) > MaxEvents {
		f.Addf("events", "at most {max} event types", "max", MaxEvents)
		return nil
	}
	choices := s.Choices()
	out := make([]string, 0, len(evs))
	for _, e := range evs {
		e = strings.TrimSpace(e)
		if !slices.Contains(choices, e) {
			f.Add("events", fmt.Sprintf("%q is not an event type of this server: choose among %s", validate.Clip(e, 60), strings.Join(choices, ", ")))
			return nil
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	if slices.Contains(out, "*") {
		return []string{"*"}
	}
	slices.Sort(out)
	return out
}

func checkSecret(f *problem.Fields, secret string) {
	switch {
	case len(secret) > MaxSecret:
		f.Addf("secret", "must be at most {max} characters", "max", MaxSecret)
	case len(secret) < MinSecret:
		f.Addf("secret", "must be at least {min} characters (leave it blank to have one generated)", "min", MinSecret)
	case validate.Control(secret, false):
		f.Add("secret", "must not contain control characters")
	}
}

func checkDescription(f *problem.Fields, d string) string {
	d = strings.TrimSpace(d)
	if len(d) > 200 {
		f.Add("description", "must be at most 200 characters")
	} else if validate.Control(d, false) {
		f.Add("description", "must not contain control characters")
	}
	return d
}

// newSecret is 32 random bytes, hex: what signs a hook's deliveries when its admin gave none.
func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "whsec_" + hex.EncodeToString(b)
}

// ---- Hooks ----

// List is the account's hooks, oldest first.
func (s *Service) List(ctx context.Context, a *actor.Actor) ([]Webhook, error) {
	if err := mayManage(a); err != nil {
		return nil, err
	}
	out := []Webhook{}
	err := s.tenant(a.AccountID()).Select(&out).OrderExpr("h.id").Limit(MaxHooks).Scan(ctx)
	return out, err
}

// Get is one hook of the account (404 for any other).
func (s *Service) Get(ctx context.Context, a *actor.Actor, id int64) (Webhook, error) {
	if err := mayManage(a); err != nil {
		return Webhook{}, err
	}
	return s.get(ctx, s.tenant(a.AccountID()), id)
}

func (s *Service) get(ctx context.Context, tn db.Tenant, id int64) (Webhook, error) {
	var h Webhook
	err := tn.Select(&h).Where("h.id = ?", id).Scan(ctx)
	if db.IsNotFound(err) {
		return h, problem.NotFound()
	}
	return h, err
}

// Create registers a hook; its secret is answered this once.
func (s *Service) Create(ctx context.Context, a *actor.Actor, in WebhookInput) (NewWebhook, error) {
	if err := mayManage(a); err != nil {
		return NewWebhook{}, err
	}
	var f problem.Fields
	in.URL = strings.TrimSpace(in.URL)
	if why := s.checkURL(ctx, in.URL); why != "" {
		f.Add("url", why)
	}
	evs := s.checkEvents(&f, in.Events)
	if in.Secret != "" {
		checkSecret(&f, in.Secret)
	}
	desc := checkDescription(&f, in.Description)
	if err := f.Err(); err != nil {
		return NewWebhook{}, err
	}
	if in.Secret == "" {
		in.Secret = newSecret()
	}
	now := s.now()
	by := a.UserID
	clear := in.Secret
	// The sealed secret is bound to the row, whose id the insert gives: the row is inserted
	// without it and sealed within the same transaction.
	h := Webhook{URL: in.URL, Description: desc, Events: evs, Enabled: true, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		n, err := tn.SelectFrom("webhooks_hooks", "h").Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxHooks {
			return problem.Conflict("url", fmt.Sprintf("an account has at most %d webhooks: delete one first", MaxHooks))
		}
		if _, err := tn.Insert(&h).Exec(ctx); err != nil {
			return err
		}
		h.AccountID = tn.AccountID
		h.Secret = s.sealSecret(&h, clear)
		if _, err := tn.Update(&h).Column("secret").Where("h.id = ?", h.ID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "webhook.created", "webhook:"+strconv.FormatInt(h.ID, 10), map[string]any{"url": h.URL, "events": h.Events})
	})
	if err != nil {
		return NewWebhook{}, err
	}
	return NewWebhook{Webhook: h, Secret: clear}, nil
}

// Update changes a hook's URL, events, secret or description.
func (s *Service) Update(ctx context.Context, a *actor.Actor, id int64, in WebhookPatch) (Webhook, error) {
	if err := mayManage(a); err != nil {
		return Webhook{}, err
	}
	tn := s.tenant(a.AccountID())
	h, err := s.get(ctx, tn, id)
	if err != nil {
		return h, err
	}
	var f problem.Fields
	if in.URL != nil {
		u := strings.TrimSpace(*in.URL)
		if why := s.checkURL(ctx, u); why != "" {
			f.Add("url", why)
		}
		h.URL = u
	}
	if in.Events != nil {
		h.Events = s.checkEvents(&f, *in.Events)
	}
	if in.Secret != nil && *in.Secret != "" {
		checkSecret(&f, *in.Secret)
		h.Secret = s.sealSecret(&h, *in.Secret)
	}
	if in.Description != nil {
		h.Description = checkDescription(&f, *in.Description)
	}
	if err := f.Err(); err != nil {
		return Webhook{}, err
	}
	h.UpdatedAt = s.now()
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Update(&h).Column("url", "events", "secret", "description", "updated_at").Where("h.id = ?", h.ID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "webhook.updated", "webhook:"+strconv.FormatInt(h.ID, 10), map[string]any{"url": h.URL, "events": h.Events, "secret_changed": in.Secret != nil && *in.Secret != ""})
	})
	return h, err
}

// Delete removes a hook with its delivery log.
func (s *Service) Delete(ctx context.Context, a *actor.Actor, id int64) error {
	if err := mayManage(a); err != nil {
		return err
	}
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		h, err := s.get(ctx, tn, id)
		if err != nil {
			return err
		}
		if _, err := tn.Delete((*Delivery)(nil)).Where("d.webhook_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if _, err := tn.Delete((*Webhook)(nil)).Where("h.id = ?", id).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "webhook.deleted", "webhook:"+strconv.FormatInt(id, 10), map[string]any{"url": h.URL})
	})
}

// Enable turns a hook on again (after it was disabled for its failures): its count of failures
// starts over, and the deliveries that waited are sent.
func (s *Service) Enable(ctx context.Context, a *actor.Actor, id int64) (Webhook, error) {
	if err := mayManage(a); err != nil {
		return Webhook{}, err
	}
	var h Webhook
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		var err error
		if h, err = s.get(ctx, tn, id); err != nil {
			return err
		}
		if h.Enabled {
			return nil
		}
		h.Enabled, h.Failures, h.DisabledAt, h.UpdatedAt = true, 0, nil, s.now()
		if _, err := tn.Update(&h).Column("enabled", "failures", "disabled_at", "updated_at").Where("h.id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if _, err := tn.Update((*Delivery)(nil)).Set("next_at = ?", h.UpdatedAt).Where("d.webhook_id = ? AND d.state = ?", id, StatePending).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "webhook.enabled", "webhook:"+strconv.FormatInt(id, 10), nil)
	})
	if err == nil {
		s.kicked.Store(0) // the waiting deliveries go now, whatever was kicked this second
		s.kick(ctx)
	}
	return h, err
}

// Deliveries is a page of a hook's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, a *actor.Actor, id int64, p api.Page) (api.List[Delivery], error) {
	if err := mayManage(a); err != nil {
		return api.List[Delivery]{}, err
	}
	tn := s.tenant(a.AccountID())
	if _, err := s.get(ctx, tn, id); err != nil {
		return api.List[Delivery]{}, err
	}
	var out []Delivery
	q := tn.Select(&out).Where("d.webhook_id = ?", id).OrderExpr("d.id DESC").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("d.id < ?", p.After)
	}
	if err := q.Scan(ctx); err != nil {
		return api.List[Delivery]{}, err
	}
	return api.MakeList(out, p, func(d Delivery) int64 { return d.ID }), nil
}

// Test sends a ping to the hook now, whether it is enabled or not, and answers the delivery
// with what the receiver said. A ping that fails is not retried and counts no failure.
func (s *Service) Test(ctx context.Context, a *actor.Actor, id int64) (Delivery, error) {
	if err := mayManage(a); err != nil {
		return Delivery{}, err
	}
	tn := s.tenant(a.AccountID())
	h, err := s.get(ctx, tn, id)
	if err != nil {
		return Delivery{}, err
	}
	now := s.now()
	body, err := json.Marshal(Message{Type: PingType, Account: a.Account.Slug, CreatedAt: now, Data: map[string]any{"webhook_id": h.ID, "url": h.URL}})
	if err != nil {
		return Delivery{}, err
	}
	m := stored{EventType: PingType, Body: string(body), CreatedAt: now}
	d := Delivery{WebhookID: h.ID, EventType: PingType, Body: m.Body, State: StatePending, CreatedAt: now}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(&m).Exec(ctx); err != nil {
			return err
		}
		d.MessageID = m.ID
		_, err := tn.Insert(&d).Exec(ctx)
		return err
	})
	if err != nil {
		return Delivery{}, err
	}
	return s.attempt(ctx, &h, d, true)
}

// ---- Deliveries ----

// Record is the outbox subscriber for one event (see RecordAll).
func (s *Service) Record(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	return s.RecordAll(ctx, tx, []*events.Event{ev})
}

// RecordAll is the outbox subscriber (a batch one, events.OnBatch): in the events'
// transaction, a delivery row for every enabled hook of the account that asked for the
// event's type. Only the published event types go out — never the kernel's own (a queued
// email, with its sealed link). A batch costs three statements per account it touches (its
// slug, the messages, the deliveries), not three per event: with twenty hooks, these writes
// were a quarter of the CPU of task creation under the load tool.
func (s *Service) RecordAll(ctx context.Context, tx bun.Tx, evs []*events.Event) error {
	if s.EventTypes == nil {
		return nil
	}
	published := s.EventTypes()
	byAccount := map[int64][]*events.Event{}
	var accounts []int64
	for _, ev := range evs {
		if ev.AccountID <= 0 || !slices.Contains(published, ev.Type) {
			continue
		}
		if _, ok := byAccount[ev.AccountID]; !ok {
			accounts = append(accounts, ev.AccountID)
		}
		byAccount[ev.AccountID] = append(byAccount[ev.AccountID], ev)
	}
	wrote := false
	for _, id := range accounts {
		n, err := s.recordFor(ctx, tx, id, byAccount[id])
		if err != nil {
			return err
		}
		wrote = wrote || n > 0
	}
	if wrote {
		s.kick(ctx)
	}
	return nil
}

// recordFor writes the messages and deliveries of one account's events, and returns how
// many deliveries it wrote.
func (s *Service) recordFor(ctx context.Context, tx bun.Tx, accountID int64, evs []*events.Event) (int, error) {
	tn := db.For(tx, accountID)
	hooks, err := s.listening.Get(ctx, accountID, func(ctx context.Context) ([]Webhook, error) {
		var hooks []Webhook
		err := tn.Select(&hooks).Column("id", "events").Where("h.enabled = ?", true).Scan(ctx)
		return hooks, err
	})
	if err != nil || len(hooks) == 0 {
		return 0, err
	}
	// Which events some hook asked for, and the hooks of each.
	var wanted []*events.Event
	var to [][]int64
	for _, ev := range evs {
		var ids []int64
		for _, h := range hooks {
			if slices.Contains(h.Events, "*") || slices.Contains(h.Events, ev.Type) {
				ids = append(ids, h.ID)
			}
		}
		if len(ids) > 0 {
			wanted = append(wanted, ev)
			to = append(to, ids)
		}
	}
	if len(wanted) == 0 {
		return 0, nil
	}
	var slug string
	if err := tx.NewSelect().Table("accounts").Column("slug").Where("id = ?", accountID).Scan(ctx, &slug); err != nil {
		return 0, err
	}
	// The body once per event, however many hooks: the rows of the deliveries stay small.
	now := s.now()
	msgs := make([]stored, len(wanted))
	for i, ev := range wanted {
		body, err := json.Marshal(Message{ID: ev.ID, Type: ev.Type, Account: slug, CreatedAt: ev.CreatedAt.UTC(), Data: ev.Payload})
		if err != nil {
			return 0, err
		}
		msgs[i] = stored{EventID: ev.ID, EventType: ev.Type, Body: string(body), CreatedAt: now}
	}
	if _, err := tn.Insert(&msgs).Exec(ctx); err != nil {
		return 0, err
	}
	var rows []Delivery
	for i, ev := range wanted {
		for _, hookID := range to[i] {
			rows = append(rows, Delivery{WebhookID: hookID, EventID: ev.ID, EventType: ev.Type, MessageID: msgs[i].ID, State: StatePending, NextAt: &now, CreatedAt: now})
		}
	}
	if _, err := tn.Insert(&rows).Exec(ctx); err != nil {
		return 0, err
	}
	return len(rows), nil
}

// kick asks the job for a sending pass, at most once a second from this process, and never
// inside the caller's transaction: the broker's round trip would hold SQLite's one writer (the
// write gate of core/db) for its duration — measured, it halved the requests per second of
// task creation with 20 hooks. The job's task runs a second later, after the commit.
func (s *Service) kick(ctx context.Context) {
	if s.Kick == nil {
		return
	}
	sec := time.Now().Unix()
	if s.kicked.Swap(sec) == sec {
		return
	}
	go s.Kick(context.WithoutCancel(ctx))
}

// sendBatch bounds the deliveries one pass takes; sendParallel those in flight.
const (
	sendBatch    = 64
	sendParallel = 16
)

// claimFor is how long a sender holds its batch: longer than the batch can take (every attempt
// to its timeout), so that another sender (the sweep, another worker) leaves it alone, and
// short enough that a batch whose sender died is tried again soon.
const claimFor = (sendBatch/sendParallel + 1) * Timeout

// SendDue sends the deliveries due now, of enabled hooks, and returns how many it tried. The
// job calls it (kicked after each event, and every minute for the retries); it may run in
// several workers at once: each delivery is claimed by one. A pass costs two write
// transactions whatever its size — the claim of the batch, then the outcomes — so that a
// burst of deliveries does not queue one SQLite write per delivery behind the requests'.
func (s *Service) SendDue(ctx context.Context) (int, error) {
	if !s.sealedClear.Load() {
		if _, err := s.SealClear(ctx); err != nil {
			return 0, err
		}
		s.sealedClear.Store(true)
	}
	total := 0
	for {
		n, err := s.sendBatch(ctx)
		total += n
		if err != nil || n < sendBatch {
			return total, err
		}
	}
}

// sendBatch claims up to sendBatch due deliveries, sends them, records what they got.
func (s *Service) sendBatch(ctx context.Context) (int, error) {
	now := s.now()
	// The queries of this pass cross accounts: which deliveries are due is no one account's
	// question. Each row keeps its account; the outcomes are written through its Tenant.
	var due []int64
	if err := s.DB.NewSelect().Model((*Delivery)(nil)).Column("d.id").
		Join("JOIN webhooks_hooks AS h ON h.account_id = d.account_id AND h.id = d.webhook_id").
		Where("d.state = ? AND d.next_at <= ? AND h.enabled = ?", StatePending, now, true).
		Where("(d.claimed_until IS NULL OR d.claimed_until < ?)", now).
		OrderExpr("d.next_at, d.id").Limit(sendBatch).Scan(ctx, &due); err != nil || len(due) == 0 {
		return 0, err
	}
	var claimed []Delivery
	if err := s.DB.NewUpdate().Model((*Delivery)(nil)).Set("claimed_until = ?", now.Add(claimFor)).
		Where("d.id IN (?) AND d.state = ? AND (d.claimed_until IS NULL OR d.claimed_until < ?)", bun.List(due), StatePending, now).
		Returning("*").Scan(ctx, &claimed); err != nil {
		return 0, err
	}
	if len(claimed) == 0 {
		return len(due), nil // another sender has them
	}
	hookIDs := make([]int64, 0, len(claimed))
	msgIDs := make([]int64, 0, len(claimed))
	for _, d := range claimed {
		hookIDs = append(hookIDs, d.WebhookID)
		msgIDs = append(msgIDs, d.MessageID)
	}
	var hooks []Webhook
	if err := s.DB.NewSelect().Model(&hooks).Where("h.id IN (?)", bun.List(hookIDs)).Scan(ctx); err != nil {
		return 0, err
	}
	var msgs []stored
	if err := s.DB.NewSelect().Model(&msgs).Column("id", "account_id", "body").Where("m.id IN (?)", bun.List(msgIDs)).Scan(ctx); err != nil {
		return 0, err
	}
	bodies := make(map[int64]stored, len(msgs))
	for _, m := range msgs {
		bodies[m.ID] = m
	}
	byID := make(map[int64]*Webhook, len(hooks))
	for i := range hooks {
		byID[hooks[i].ID] = &hooks[i]
	}
	results := make([]result, 0, len(claimed))
	for _, d := range claimed {
		h, m := byID[d.WebhookID], bodies[d.MessageID]
		if h != nil && h.AccountID == d.AccountID && m.AccountID == d.AccountID {
			d.Body = m.Body
			results = append(results, result{h: h, d: d})
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, sendParallel)
	for i := range results {
		wg.Add(1)
		sem <- struct{}{}
		go func(r *result) {
			defer func() { <-sem; wg.Done() }()
			r.o = s.post(ctx, r.h, &r.d)
		}(&results[i])
	}
	wg.Wait()
	return len(due), s.save(ctx, results)
}

// Signature is the X-GroupCamp-Signature of body sent at t with secret:
// "t=UNIX,v1=HEX(HMAC-SHA256(secret, "UNIX.body"))".
func Signature(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// outcome is what one attempt got.
type outcome struct {
	status   int
	duration time.Duration
	err      string
	response string
}

func (o outcome) ok() bool { return o.err == "" && o.status >= 200 && o.status < 300 }

// result is one attempt of a delivery to its hook, sent, to record.
type result struct {
	h    *Webhook
	d    Delivery
	o    outcome
	ping bool
}

// post sends one attempt of d to h.
func (s *Service) post(ctx context.Context, h *Webhook, d *Delivery) outcome {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader([]byte(d.Body)))
	if err != nil {
		return outcome{err: validate.Clip(err.Error(), 500)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GroupCamp-Webhooks/1")
	req.Header.Set("X-GroupCamp-Event", d.EventType)
	req.Header.Set("X-GroupCamp-Delivery", strconv.FormatInt(d.ID, 10))
	secret, err := s.openSecret(h)
	if err != nil {
		// Sealed under another server key (GROUPCAMP_SECRET_KEY changed): set a new secret.
		return outcome{err: "the hook's secret cannot be opened with this server's key: set a new secret"}
	}
	req.Header.Set("X-GroupCamp-Signature", Signature(secret, s.now(), []byte(d.Body)))
	resp, err := s.http().Do(req)
	if err != nil {
		return outcome{duration: time.Since(start), err: validate.Clip(err.Error(), 500)}
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, ResponseKept))
	// Drain a little more so the connection can be reused; never the whole of a huge answer.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	o := outcome{status: resp.StatusCode, duration: time.Since(start), response: strings.ToValidUTF8(string(head), "?")}
	if !o.ok() {
		o.err = fmt.Sprintf("the receiver answered %d", resp.StatusCode)
	}
	return o
}

// attempt sends d once, now, and records the outcome (the test's ping).
func (s *Service) attempt(ctx context.Context, h *Webhook, d Delivery, ping bool) (Delivery, error) {
	r := []result{{h: h, d: d, o: s.post(ctx, h, &d), ping: ping}}
	err := s.save(ctx, r)
	return r[0].d, err
}

// save records the outcomes of attempts in one transaction, in the order of the deliveries: a
// success ends its delivery and its hook's run of failures; a failure schedules the next
// attempt (Backoff), or fails the delivery after MaxAttempts — and a hook whose MaxFailures
// last deliveries failed is disabled, its admins told. A ping (test) is tried once and counts
// for nothing.
func (s *Service) save(ctx context.Context, results []result) error {
	slices.SortFunc(results, func(a, b result) int { return cmp.Compare(a.d.ID, b.d.ID) })
	now := s.now()
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		failing := map[int64]bool{}
		for i := range results {
			r := &results[i]
			d, o := &r.d, r.o
			d.Attempts++
			d.StatusCode, d.DurationMS, d.Error, d.Response, d.AttemptedAt, d.ClaimedUntil = o.status, int(o.duration/time.Millisecond), o.err, o.response, &now, nil
			final := false
			switch {
			case o.ok():
				d.State, d.NextAt = StateSucceeded, nil
			case r.ping || d.Attempts >= MaxAttempts:
				d.State, d.NextAt = StateFailed, nil
				final = !r.ping
			default:
				next := now.Add(Backoff[min(d.Attempts-1, len(Backoff)-1)])
				d.NextAt = &next
			}
			tn := db.For(tx, r.h.AccountID)
			if _, err := tn.Update(d).Column("state", "attempts", "next_at", "claimed_until", "status_code", "duration_ms", "error", "response", "attempted_at").
				Where("d.id = ?", d.ID).Exec(ctx); err != nil {
				return err
			}
			q := tn.Update((*Webhook)(nil)).Set("last_delivery_at = ?, last_status = ?", now, o.status).Where("h.id = ?", r.h.ID)
			switch {
			case r.ping:
			case o.ok():
				q = q.Set("failures = 0")
				delete(failing, r.h.ID)
			case final:
				q = q.Set("failures = failures + 1")
				failing[r.h.ID] = true
			}
			if _, err := q.Exec(ctx); err != nil {
				return err
			}
		}
		for i := range results {
			if h := results[i].h; failing[h.ID] {
				delete(failing, h.ID)
				if err := s.disableIfFailing(ctx, db.For(tx, h.AccountID), h.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// disableIfFailing disables the hook once MaxFailures deliveries in a row failed, in the same
// transaction as the failure that reached the limit, and tells the account's admins.
func (s *Service) disableIfFailing(ctx context.Context, tn db.Tenant, id int64) error {
	now := s.now()
	res, err := tn.Update((*Webhook)(nil)).Set("enabled = ?, disabled_at = ?", false, now).
		Where("h.id = ? AND h.enabled = ? AND h.failures >= ?", id, true, MaxFailures).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	h, err := s.get(ctx, tn, id)
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, tn.Unscoped(), nil, tn.AccountID, "webhook.disabled", "webhook:"+strconv.FormatInt(id, 10),
		map[string]any{"url": h.URL, "failures": h.Failures}); err != nil {
		return err
	}
	if s.Notifier == nil {
		return nil
	}
	return s.Notifier.Notify(ctx, tn.Unscoped(), automation.Notice{AccountID: tn.AccountID, Roles: []string{actor.RoleOwner, actor.RoleAdmin}, EventType: NoticeDisabled,
		Key: "webhooks.notice.disabled", Args: []any{"URL", h.URL, "Count", h.Failures}, Text: "A webhook was disabled after " + strconv.Itoa(h.Failures) + " failed deliveries in a row: " + h.URL,
		Path: "/admin/webhooks/" + strconv.FormatInt(id, 10)})
}

// Retention is how long the delivery log keeps a finished delivery.
const Retention = 30 * 24 * time.Hour

// Purge deletes the finished deliveries older than Retention, then the messages older than
// that which no delivery holds any more, and returns how many deliveries went.
func (s *Service) Purge(ctx context.Context) (int, error) {
	if _, err := s.SealClear(ctx); err != nil {
		return 0, err
	}
	// Crosses accounts on purpose: the log's age, not any one account's data, decides.
	cutoff := s.now().Add(-Retention)
	res, err := s.DB.NewDelete().Model((*Delivery)(nil)).Where("d.state <> ? AND d.created_at < ?", StatePending, cutoff).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	_, err = s.DB.NewDelete().Model((*stored)(nil)).Where("m.created_at < ?", cutoff).
		Where("NOT EXISTS (SELECT 1 FROM webhooks_deliveries AS d WHERE d.account_id = m.account_id AND d.message_id = m.id)").Exec(ctx)
	return int(n), err
}
