package host

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/validate"
	"groupcamp/plugins/sdk/pluginv1"
)

// Events reach a plugin through the outbox and a job, never from the relay itself: the
// subscriber (Record) only writes a row per listening plugin in the event's transaction, and
// the job (Deliver) calls the plugins, each under the call deadline, retrying with back-off.
// A plugin that hangs or crashes delays its own deliveries only.

// claimFor is how long a delivery pass holds the rows it took.
const claimFor = 2 * time.Minute

// batch bounds the deliveries of one pass.
const batch = 500

// Record is the outbox subscriber: a delivery row for every plugin the event's account
// enabled that listens to its type. Only the modules' published event types go out (not the
// kernel's own, such as a queued email).
func (s *Service) Record(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	if ev.AccountID == 0 || s.Published == nil || !slices.Contains(s.Published(), ev.Type) {
		return nil
	}
	var listening []string
	for _, m := range s.Sup.Runnable() {
		if m.Listens(ev.Type) {
			listening = append(listening, m.Name)
		}
	}
	if len(listening) == 0 {
		return nil
	}
	var on []string
	if err := db.For(tx, ev.AccountID).SelectFrom("plugin_enablements", "e").Column("e.plugin").
		Where("e.enabled AND e.plugin IN (?)", bun.List(listening)).Scan(ctx, &on); err != nil {
		return err
	}
	if len(on) == 0 {
		return nil
	}
	now := db.Now()
	rows := make([]delivery, 0, len(on))
	for _, name := range on {
		rows = append(rows, delivery{AccountID: ev.AccountID, Plugin: name, EventID: ev.ID, EventType: ev.Type, Payload: string(ev.Payload), EventAt: ev.CreatedAt, NextAt: now})
	}
	if _, err := tx.NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return err
	}
	if s.Kick != nil {
		s.Kick(ctx)
	}
	return nil
}

// Deliver hands the due events to their plugins: each plugin's in its own goroutine, in
// event order. It answers how many were delivered.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	now := db.Now()
	var due []delivery
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&due).Where("next_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)", now, now).
			OrderExpr("id").Limit(batch).Scan(ctx); err != nil || len(due) == 0 {
			return err
		}
		ids := make([]int64, len(due))
		for i, d := range due {
			ids[i] = d.ID
		}
		_, err := tx.NewUpdate().Model((*delivery)(nil)).Set("claimed_until = ?", now.Add(claimFor)).Where("id IN (?)", bun.List(ids)).Exec(ctx)
		return err
	})
	if err != nil || len(due) == 0 {
		return 0, err
	}
	byPlugin := map[string][]delivery{}
	for _, d := range due {
		byPlugin[d.Plugin] = append(byPlugin[d.Plugin], d)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for name, ds := range byPlugin {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := s.deliverTo(ctx, name, ds)
			mu.Lock()
			done += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return done, nil
}

// deliverTo hands ds to one plugin in order; once the plugin is unavailable (down, hung) the
// rest wait for a later pass.
func (s *Service) deliverTo(ctx context.Context, name string, ds []delivery) int {
	slugs := map[int64]string{}
	enabled := map[int64]*enablement{}
	var delivered []int64
	n := 0
	for i, d := range ds {
		if ctx.Err() != nil {
			s.retry(context.WithoutCancel(ctx), ds[i:], ctx.Err())
			break
		}
		r, ok := enabled[d.AccountID]
		if !ok {
			r, _ = s.row(ctx, d.AccountID, name)
			enabled[d.AccountID] = r
			slugs[d.AccountID] = s.slug(ctx, d.AccountID)
		}
		m, runnable := s.Sup.Manifest(name)
		if r == nil || !r.Enabled || !runnable || !m.Listens(d.EventType) {
			delivered = append(delivered, d.ID) // no longer wanted: dropped
			continue
		}
		sc := s.scope(active{Manifest: *m, row: r}, slugs[d.AccountID], nil)
		err := s.Sup.HandleEvent(ctx, name, sc, &pluginv1.HandleEventRequest{EventId: d.EventID, Type: d.EventType, Payload: []byte(d.Payload), CreatedUnix: d.EventAt.Unix()})
		if err != nil {
			var ce *CallError
			if errors.As(err, &ce) {
				s.retry(ctx, ds[i:i+1], err) // the plugin failed this one: the next may pass
				continue
			}
			s.retry(ctx, ds[i:], err)
			break
		}
		delivered = append(delivered, d.ID)
		n++
	}
	if len(delivered) > 0 {
		if _, err := s.DB.NewDelete().Model((*delivery)(nil)).Where("id IN (?)", bun.List(delivered)).Exec(context.WithoutCancel(ctx)); err != nil {
			s.Log.Error("plugin deliveries: delete", "plugin", name, "error", err)
		}
	}
	return n
}

// retry puts ds back with back-off after cause; past the last back-off a delivery is dropped
// (logged: the plugin's partner sees it in the server's log).
func (s *Service) retry(ctx context.Context, ds []delivery, cause error) {
	now := db.Now()
	msg := validate.Clip(cause.Error(), 500)
	for _, d := range ds {
		if d.Attempts >= len(deliveryBackoff) {
			s.Log.Error("plugin delivery dropped after its retries", "plugin", d.Plugin, "event_id", d.EventID, "error", msg)
			_, _ = s.DB.NewDelete().Model((*delivery)(nil)).Where("id = ?", d.ID).Exec(ctx)
			continue
		}
		_, err := s.DB.NewUpdate().Model((*delivery)(nil)).Set("attempts = attempts + 1").Set("next_at = ?", now.Add(deliveryBackoff[d.Attempts])).
			Set("claimed_until = NULL").Set("last_error = ?", msg).Where("id = ?", d.ID).Exec(ctx)
		if err != nil {
			s.Log.Error("plugin deliveries: retry", "plugin", d.Plugin, "error", err)
		}
	}
}

// slug is the account's slug ("" when gone).
func (s *Service) slug(ctx context.Context, accountID int64) string {
	var slug string
	_ = s.DB.NewSelect().Table("accounts").Column("slug").Where("id = ?", accountID).Scan(ctx, &slug)
	return slug
}

// Waiting counts the account's events waiting for a plugin (the admin page shows it).
func (s *Service) Waiting(ctx context.Context, accountID int64) (map[string]int, error) {
	var rows []struct {
		Plugin string `bun:"plugin"`
		N      int    `bun:"n"`
	}
	if err := s.tenant(accountID).SelectFrom("plugin_deliveries", "d").Column("d.plugin").ColumnExpr("count(*) AS n").Group("d.plugin").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Plugin] = r.N
	}
	return out, nil
}
