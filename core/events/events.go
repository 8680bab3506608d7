// Package events carries domain events from the service that commits them to the handlers
// that react, through a transactional outbox:
//
//  1. A service writes its rows and its events in one DB transaction (Emit). If the
//     transaction rolls back, the event never existed; if it commits, the event is durable.
//  2. The Relay moves unsent outbox rows to the job broker, with the outbox id as the task id
//     (the broker refuses a second task with the same id, so a row relayed twice — by two
//     instances, or after a crash between enqueue and marking it sent — is one task), then
//     marks them sent. While the broker is down, rows wait in the outbox.
//  3. The dispatch task runs every subscriber of the event type. Each subscriber runs in its
//     own DB transaction together with a receipt row (event id, subscriber name): an event
//     delivered twice finds the receipt and is skipped, so its effect happens once.
//
// Effects outside the database (an email) happen at least once; their subscribers record the
// receipt before sending, which makes a duplicate rare, never a loss.
//
// Two departures from "every event through the broker" (DESIGN.md), both about the broker's
// cost, neither about delivery: the relay keeps at most MaxWaiting tasks waiting in the
// broker (a burst waits in the outbox instead), and with the embedded broker (Bus.Inline) it
// delivers events itself, in this process, handing the broker only the failures to retry.
// The embedded broker runs each queue operation in a new Lua interpreter; going through it
// cost a 2-core server a fifth of its requests per second and a tenth of its memory under
// load, for nothing a single process needs. Delivered events leave the outbox after Retention.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/jobs"
)

// TaskType is the job type that delivers an event to its subscribers.
const TaskType = "events:dispatch"

// relayParallel bounds the enqueues in flight from one relay.
const relayParallel = 16

// dedupWindow is how long the broker keeps a relayed task's id to refuse a second relay of
// the same outbox row. A row is relayed twice only when marking it sent failed after the
// enqueue, and the next relay comes within seconds; a longer window only keeps finished tasks
// in the broker's memory (a 20,000-task seed's 40,000 events held 250+ MB in the embedded
// broker for as long as they were kept). The subscribers' receipts keep the effect single
// even past the window.
const dedupWindow = time.Minute

// Event is one fact that happened in an account.
type Event struct {
	bun.BaseModel `bun:"table:outbox"`

	ID        int64           `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64           `bun:"account_id,nullzero" json:"account_id"`
	Type      string          `bun:"type" json:"type"`
	Payload   json.RawMessage `bun:"payload,type:text" json:"payload"`
	// Depth counts how many events led to this one (an automation rule reacting to an event
	// emits at depth+1), so that chains can be cut before they loop forever.
	Depth     int        `bun:"depth" json:"depth"`
	ActorID   *int64     `bun:"actor_id" json:"actor_id,omitempty"`
	CreatedAt time.Time  `bun:"created_at" json:"created_at"`
	SentAt    *time.Time `bun:"sent_at" json:"-"`
}

// Decode unmarshals the payload into v.
func (e *Event) Decode(v any) error { return json.Unmarshal(e.Payload, v) }

type receipt struct {
	bun.BaseModel `bun:"table:event_receipts"`

	EventID   int64     `bun:"event_id,pk"`
	Handler   string    `bun:"handler,pk"`
	CreatedAt time.Time `bun:"created_at"`
}

type ctxKey struct{}

// Cause returns the event being handled in ctx (nil outside a subscriber).
func Cause(ctx context.Context) *Event {
	ev, _ := ctx.Value(ctxKey{}).(*Event)
	return ev
}

// Emit writes an event in the caller's transaction. Inside a subscriber, the new event is
// one step deeper than the event being handled.
func Emit(ctx context.Context, tx bun.IDB, accountID int64, typ string, payload any) (*Event, error) {
	return EmitBy(ctx, tx, accountID, 0, typ, payload)
}

// EmitBy is Emit with the user who caused the event (0 for the system).
func EmitBy(ctx context.Context, tx bun.IDB, accountID, actorID int64, typ string, payload any) (*Event, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("events: %s: %w", typ, err)
	}
	ev := &Event{AccountID: accountID, Type: typ, Payload: b, CreatedAt: db.Now()}
	if actorID != 0 {
		ev.ActorID = &actorID
	}
	if cause := Cause(ctx); cause != nil {
		ev.Depth = cause.Depth + 1
	}
	_, err = tx.NewInsert().Model(ev).Exec(ctx)
	return ev, err
}

// Pending is an event to emit with EmitAll.
type Pending struct {
	Type    string
	Payload any
}

// emitChunk bounds the rows of one insert (PostgreSQL takes at most 65,535 parameters; an
// event row has 7).
const emitChunk = 1000

// EmitAll is EmitBy for many events at once — an import, a copy of a template — in one
// multi-row insert per thousand events instead of a round trip each, in the order given.
func EmitAll(ctx context.Context, tx bun.IDB, accountID, actorID int64, evs []Pending) error {
	if len(evs) == 0 {
		return nil
	}
	depth := 0
	if cause := Cause(ctx); cause != nil {
		depth = cause.Depth + 1
	}
	var actor *int64
	if actorID != 0 {
		actor = &actorID
	}
	now := db.Now()
	rows := make([]Event, len(evs))
	for i, e := range evs {
		b, err := json.Marshal(e.Payload)
		if err != nil {
			return fmt.Errorf("events: %s: %w", e.Type, err)
		}
		rows[i] = Event{AccountID: accountID, Type: e.Type, Payload: b, Depth: depth, ActorID: actor, CreatedAt: now}
	}
	for chunk := range slices.Chunk(rows, emitChunk) {
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// HandlerFunc reacts to an event inside tx; returning an error rolls back its effect and
// the delivery is retried.
type HandlerFunc func(ctx context.Context, tx bun.Tx, ev *Event) error

// BatchFunc reacts to several events at once inside tx (see OnBatch); returning an error
// rolls back its effect for all of them, and each is retried alone.
type BatchFunc func(ctx context.Context, tx bun.Tx, evs []*Event) error

type subscriber struct {
	typ   string // what it subscribed to: an event type, or anyType
	name  string
	fn    HandlerFunc
	batch BatchFunc // set instead of fn by OnBatch
}

// Bus holds the subscribers and runs the relay.
type Bus struct {
	DB     *bun.DB
	Broker *jobs.Broker
	Log    *slog.Logger
	// MaxWaiting caps the dispatch tasks waiting in the broker (DefaultMaxWaiting when 0):
	// beyond it the relay leaves events in the outbox until workers catch up. A burst
	// (an import, a seed: tens of thousands of events) then waits in the database, where it
	// costs nothing, rather than in the broker's memory — and the embedded broker, whose queue
	// operations cost more the longer the queue, stays fast.
	MaxWaiting int
	// Inline makes the relay deliver the events itself, in this process (a batch per
	// transaction, see relayInline), and hand the broker
	// only the events whose delivery failed (which it retries with backoff, then keeps in its
	// dead list). Meant for the embedded broker: it lives in this process anyway, so going
	// through it only adds its cost — miniredis runs every queue operation as a freshly built
	// Lua interpreter, a few hundred kilobytes of garbage per task, three tasks' worth per
	// event. Delivery is the same either way: each subscriber once, under its receipt.
	Inline bool

	mu   sync.RWMutex
	subs map[string][]subscriber
	wake chan struct{}
}

// NewBus returns a bus on db and broker.
func NewBus(d *bun.DB, b *jobs.Broker, log *slog.Logger) *Bus {
	return &Bus{DB: d, Broker: b, Log: log, subs: map[string][]subscriber{}, wake: make(chan struct{}, 1)}
}

// On subscribes fn, under a name unique for the event type, to events of typ. The name is
// the idempotency key: keep it stable across releases.
func (b *Bus) On(typ, name string, fn HandlerFunc) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs[typ] {
		if s.name == name {
			panic("events: subscriber registered twice: " + typ + "/" + name)
		}
	}
	b.subs[typ] = append(b.subs[typ], subscriber{typ: typ, name: name, fn: fn})
}

// OnBatch subscribes fn, like On, to events of typ (every type when typ is "*"), for a
// subscriber whose work is cheaper done once for many events than once for each: the search
// index refreshes every document a batch touched in one pass, webhooks write every delivery
// of a batch in one statement. The inline relay hands it all the events of its types in one
// of its batches at once (in event order, each under its receipt, in one savepoint); the
// broker's delivery hands it one event at a time. Its context carries no single cause
// (Cause is nil), so it should not emit events of its own.
func (b *Bus) OnBatch(typ, name string, fn BatchFunc) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs[typ] {
		if s.name == name {
			panic("events: subscriber registered twice: " + typ + "/" + name)
		}
	}
	b.subs[typ] = append(b.subs[typ], subscriber{typ: typ, name: name, batch: fn})
}

// anyType subscribes to every event type.
const anyType = "*"

// OnAny subscribes fn to every event (automation rules use it).
func (b *Bus) OnAny(name string, fn HandlerFunc) { b.On(anyType, name, fn) }

// Register adds the dispatch task and the daily purge of old events to the job registry.
func (b *Bus) Register(reg *jobs.Registry) {
	reg.Handle(TaskType, b.dispatch)
	reg.Handle(PurgeTask, func(ctx context.Context, _ []byte) error {
		_, err := b.Purge(ctx, time.Now().Add(-Retention))
		return err
	})
	reg.Every("17 3 * * *", PurgeTask, nil, jobs.Low)
}

// Retention is how long a delivered event stays in the outbox. Events carry personal data
// (a notice's text, an email's recipient), so they must not stay forever; a month covers
// what reads them after delivery — an automation rule tested "on the last matching event",
// a redelivery (whose receipts go with the event: a task older than this is long gone from
// the broker).
const Retention = 30 * 24 * time.Hour

// PurgeTask is the daily job that deletes delivered events older than Retention.
const PurgeTask = "events:purge"

// purgeBatch bounds one delete, so the purge never holds SQLite's writer for long.
const purgeBatch = 5000

// Purge deletes the events delivered before cutoff, with their receipts, in batches, and
// returns how many went. Events not yet relayed stay whatever their age.
func (b *Bus) Purge(ctx context.Context, cutoff time.Time) (int, error) {
	total := 0
	for {
		var ids []int64
		if err := b.DB.NewSelect().Model((*Event)(nil)).Column("id").Where("sent_at IS NOT NULL AND sent_at < ?", cutoff).
			OrderExpr("id").Limit(purgeBatch).Scan(ctx, &ids); err != nil {
			return total, err
		}
		if len(ids) == 0 {
			return total, nil
		}
		err := b.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewDelete().Model((*receipt)(nil)).Where("event_id IN (?)", bun.List(ids)).Exec(ctx); err != nil {
				return err
			}
			_, err := tx.NewDelete().Model((*Event)(nil)).Where("id IN (?)", bun.List(ids)).Exec(ctx)
			return err
		})
		if err != nil {
			return total, err
		}
		total += len(ids)
		if len(ids) < purgeBatch {
			return total, nil
		}
	}
}

// Notify wakes the relay early (call after committing events) instead of waiting for its poll.
func (b *Bus) Notify() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *Bus) dispatch(ctx context.Context, payload []byte) error {
	ev := new(Event)
	if err := json.Unmarshal(payload, ev); err != nil {
		return fmt.Errorf("events: bad task payload: %w", err)
	}
	return b.deliverAll(ctx, ev)
}

// deliverAll runs every subscriber of ev in one transaction, each in its own savepoint with
// its receipt: a subscriber that fails rolls back to its savepoint (its effect and receipt
// go, the others' stay) and is retried with the event; the error joins those that failed.
// One commit per event, not one per subscriber: a task created has half a dozen subscribers
// (notifications, activity, automation, webhooks, search…), and on PostgreSQL each commit is
// a WAL flush — they were most of the cost of a create under load.
func (b *Bus) deliverAll(ctx context.Context, ev *Event) error {
	subs := b.subscribers(ev)
	ctx = context.WithValue(ctx, ctxKey{}, ev)
	switch len(subs) {
	case 0:
		return nil
	case 1:
		if err := b.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return b.handle(ctx, tx, ev, subs[0]) }); err != nil {
			return fmt.Errorf("%s: %w", subs[0].name, err)
		}
		return nil
	}
	var errs error
	err := b.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		errs = b.deliverIn(ctx, tx, ev, subs) // a retried transaction starts over
		return nil
	})
	if err != nil {
		return err // nothing was committed: every subscriber runs again
	}
	return errs
}

// subscribers lists the subscribers of ev's type and of every type.
func (b *Bus) subscribers(ev *Event) []subscriber {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return append(append([]subscriber(nil), b.subs[ev.Type]...), b.subs[anyType]...)
}

// deliverIn runs subs for ev inside tx, each in its own savepoint, and joins the errors of
// those that failed (their savepoints rolled back; the others' work stays in tx).
func (b *Bus) deliverIn(ctx context.Context, tx bun.Tx, ev *Event, subs []subscriber) error {
	var errs []error
	for _, s := range subs {
		// The subscriber gets ctx itself: bun hands a savepoint's callback the context of the
		// outer transaction, which in a batch (relayInline) does not carry this event — and
		// an event emitted without its cause's depth starts a chain afresh (automation's
		// depth limit never came).
		if err := tx.RunInTx(ctx, nil, func(_ context.Context, sp bun.Tx) error { return b.handle(ctx, sp, ev, s) }); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
		}
	}
	return errors.Join(errs...)
}

// inlineBatch bounds the events one inline transaction delivers: enough to make the commit
// and the hand-over of SQLite's writer rare, few enough that a request waiting to write
// waits a few milliseconds, not the whole backlog.
const inlineBatch = 32

// relayInline delivers rows in this process, inlineBatch events per transaction, and marks
// the delivered ones sent in that same transaction. One writer at a time is all SQLite has,
// so delivering in parallel (one transaction per event) only queued the deliveries behind
// each other and in front of the requests, with a commit and a hand-over each. An event a
// subscriber failed goes to the broker, which retries it (the receipts skip the subscribers
// that succeeded); it is marked sent once the broker has it.
func (b *Bus) relayInline(ctx context.Context, rows []Event) (int, error) {
	sent := 0
	var firstErr error
	for start := 0; start < len(rows); start += inlineBatch {
		chunk := rows[start:min(start+inlineBatch, len(rows))]
		var failed []int
		err := b.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			failed = failed[:0] // a retried transaction starts over
			bad := make([]bool, len(chunk))
			batches := map[string]*batchOf{}
			var order []string
			for i := range chunk {
				ev := &chunk[i]
				var single []subscriber
				for _, s := range b.subscribers(ev) {
					if s.batch == nil {
						single = append(single, s)
						continue
					}
					key := s.typ + "/" + s.name
					bt := batches[key]
					if bt == nil {
						bt = &batchOf{sub: s}
						batches[key] = bt
						order = append(order, key)
					}
					bt.at = append(bt.at, i)
				}
				evCtx := context.WithValue(ctx, ctxKey{}, ev)
				if err := b.deliverIn(evCtx, tx, ev, single); err != nil {
					b.Log.Warn("event delivery failed; the broker retries it", "event", ev.ID, "type", ev.Type, "err", err)
					bad[i] = true
				}
			}
			for _, name := range order {
				bt := batches[name]
				evs := make([]*Event, len(bt.at))
				for k, i := range bt.at {
					evs[k] = &chunk[i]
				}
				if err := tx.RunInTx(ctx, nil, func(_ context.Context, sp bun.Tx) error { return b.handleBatch(ctx, sp, evs, bt.sub) }); err != nil {
					b.Log.Warn("batched event delivery failed; the broker retries each event", "subscriber", name, "events", len(evs), "err", err)
					for _, i := range bt.at {
						bad[i] = true
					}
				}
			}
			done := make([]int64, 0, len(chunk))
			for i := range chunk {
				if bad[i] {
					failed = append(failed, i)
				} else {
					done = append(done, chunk[i].ID)
				}
			}
			if len(done) == 0 {
				return nil
			}
			_, err := tx.NewUpdate().Model((*Event)(nil)).Set("sent_at = ?", db.Now()).Where("id IN (?)", bun.List(done)).Exec(ctx)
			return err
		})
		if err != nil {
			b.Log.Warn("inline event delivery failed; the broker retries the batch", "events", len(chunk), "err", err)
			failed = failed[:0]
			for i := range chunk {
				failed = append(failed, i)
			}
		} else {
			sent += len(chunk) - len(failed)
		}
		if len(failed) == 0 {
			continue
		}
		handed := make([]int64, 0, len(failed))
		for _, i := range failed {
			payload, _ := json.Marshal(&chunk[i])
			err := b.Broker.EnqueueOnce(ctx, jobs.Default, "outbox-"+strconv.FormatInt(chunk[i].ID, 10), TaskType, payload, dedupWindow)
			if err != nil && !errors.Is(err, jobs.ErrDuplicate) {
				if firstErr == nil {
					firstErr = err
				}
				continue // not marked sent: the relay tries it again
			}
			handed = append(handed, chunk[i].ID)
		}
		if len(handed) > 0 {
			if err := b.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewUpdate().Model((*Event)(nil)).Set("sent_at = ?", db.Now()).Where("id IN (?)", bun.List(handed)).Exec(ctx)
				return err
			}); err != nil {
				return sent, err
			}
			sent += len(handed)
		}
	}
	return sent, firstErr
}

// handle runs one subscriber in tx under its receipt: the receipt makes a redelivered event
// skip the subscribers that already handled it.
func (b *Bus) handle(ctx context.Context, tx bun.Tx, ev *Event, s subscriber) error {
	res, err := tx.NewInsert().Model(&receipt{EventID: ev.ID, Handler: s.name, CreatedAt: db.Now()}).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // handled before
	}
	if s.batch != nil {
		return s.batch(ctx, tx, []*Event{ev})
	}
	return s.fn(ctx, tx, ev)
}

// batchOf is a batch subscriber and the events of an inline batch it gets (their indexes).
type batchOf struct {
	sub subscriber
	at  []int
}

// handleBatch runs a batch subscriber in tx for the events it has no receipt for, and
// writes their receipts — one statement for each, not one per event.
func (b *Bus) handleBatch(ctx context.Context, tx bun.Tx, evs []*Event, s subscriber) error {
	ids := make([]int64, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	var handled []int64
	if err := tx.NewSelect().Model((*receipt)(nil)).Column("event_id").Where("handler = ?", s.name).Where("event_id IN (?)", bun.List(ids)).Scan(ctx, &handled); err != nil {
		return err
	}
	todo := evs
	if len(handled) > 0 {
		todo = make([]*Event, 0, len(evs))
		for _, ev := range evs {
			if !slices.Contains(handled, ev.ID) {
				todo = append(todo, ev)
			}
		}
		if len(todo) == 0 {
			return nil
		}
	}
	now := db.Now()
	rs := make([]receipt, len(todo))
	for i, ev := range todo {
		rs[i] = receipt{EventID: ev.ID, Handler: s.name, CreatedAt: now}
	}
	if _, err := tx.NewInsert().Model(&rs).Exec(ctx); err != nil {
		return err
	}
	return s.batch(ctx, tx, todo)
}

// RelayOnce moves up to batch unsent events to the broker and returns how many it sent.
func (b *Bus) RelayOnce(ctx context.Context, batch int) (int, error) {
	var rows []Event
	if err := b.DB.NewSelect().Model(&rows).Where("sent_at IS NULL").OrderExpr("id").Limit(int64(batch)).Scan(ctx); err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, nil
	}
	if b.Inline {
		return b.relayInline(ctx, rows)
	}
	// Enqueue in parallel: one round trip per task is the relay's cost, and tasks are
	// independent (the broker does not order them anyway).
	ok := make([]bool, len(rows))
	errs := make([]error, len(rows))
	var wg sync.WaitGroup
	sem := make(chan struct{}, relayParallel)
	for i := range rows {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			payload, _ := json.Marshal(&rows[i])
			err := b.Broker.EnqueueOnce(ctx, jobs.Default, "outbox-"+strconv.FormatInt(rows[i].ID, 10), TaskType, payload, dedupWindow)
			if err != nil && !errors.Is(err, jobs.ErrDuplicate) {
				errs[i] = err
				return
			}
			ok[i] = true
		}(i)
	}
	wg.Wait()
	sent := make([]int64, 0, len(rows))
	var firstErr error
	for i := range rows {
		if ok[i] {
			sent = append(sent, rows[i].ID)
		} else if firstErr == nil {
			firstErr = errs[i]
		}
	}
	if len(sent) > 0 {
		// In a transaction: on SQLite a write outside one does not queue at the write gate
		// (core/db) and waits in SQLite's busy handler behind every transaction that does.
		if err := b.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewUpdate().Model((*Event)(nil)).Set("sent_at = ?", db.Now()).Where("id IN (?)", bun.List(sent)).Exec(ctx)
			return err
		}); err != nil {
			return 0, err
		}
	}
	return len(sent), firstErr
}

// DefaultMaxWaiting is the relay's default cap on dispatch tasks waiting in the broker: a few
// seconds of work for the workers, far more than a quiet instance ever has.
const DefaultMaxWaiting = 2000

// room is how many events the relay may move now: the cap less what waits in the broker.
func (b *Bus) room(ctx context.Context) (int, error) {
	max := b.MaxWaiting
	if max <= 0 {
		max = DefaultMaxWaiting
	}
	waiting, err := b.Broker.Waiting(ctx, jobs.Default)
	if err != nil {
		return 0, err
	}
	return max - waiting, nil
}

// RunRelay relays until ctx ends: right away while there is a backlog (as fast as the
// workers take tasks, see MaxWaiting), then on Notify or every poll interval.
func (b *Bus) RunRelay(ctx context.Context, poll time.Duration) {
	if poll == 0 {
		poll = 100 * time.Millisecond
	}
	backoff := poll
	var last time.Time
	for {
		last = time.Now()
		room, err := b.room(ctx)
		n := 0
		if err == nil && room > 0 {
			n, err = b.RelayOnce(ctx, min(room, 500))
		}
		wait := poll
		switch {
		case err != nil && ctx.Err() == nil:
			b.Log.Warn("event relay: broker unavailable; events wait in the outbox", "err", err)
			backoff = min(backoff*2, 10*time.Second)
			wait = backoff
		case n > 0:
			backoff = poll
			continue
		default:
			backoff = poll
		}
		select {
		case <-ctx.Done():
			return
		case <-b.wake:
			// Woken by a commit: rounds stay at least 100 ms apart, so that under a stream
			// of writes events go in batches rather than one relay transaction each.
			if d := time.Since(last); d < minRelayGap {
				select {
				case <-ctx.Done():
					return
				case <-time.After(minRelayGap - d):
				}
			}
		case <-time.After(wait):
		}
	}
}

// minRelayGap is the least time between two relay rounds woken by commits.
const minRelayGap = 100 * time.Millisecond

// Pending counts events not yet relayed (for readiness and tests).
func (b *Bus) Pending(ctx context.Context) (int, error) {
	n, err := b.DB.NewSelect().Model((*Event)(nil)).Where("sent_at IS NULL").Count(ctx)
	return int(n), err
}
