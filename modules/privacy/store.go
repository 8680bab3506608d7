package privacy

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// store holds every query of the module, on the account's Tenant.
type store struct{ t db.Tenant }

func (st store) settings(ctx context.Context) (*Settings, error) {
	out := new(Settings)
	return out, st.t.Select(out).Scan(ctx)
}

func (st store) saveSettings(ctx context.Context, v *Settings) error {
	_, err := st.t.Insert(v).On("CONFLICT (account_id) DO UPDATE").
		Set("connection_days = EXCLUDED.connection_days").Set("keep_text = EXCLUDED.keep_text").
		Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

func (st store) insert(ctx context.Context, r *Request) error {
	_, err := st.t.Insert(r).Returning("id").Exec(ctx)
	return err
}

func (st store) request(ctx context.Context, id int64) (*Request, error) {
	r := new(Request)
	return r, st.t.Select(r).Where("r.id = ?", id).Scan(ctx)
}

// open returns the person's open request of kind (the latest), if any.
func (st store) open(ctx context.Context, kind string, userID int64) (*Request, error) {
	r := new(Request)
	q := st.t.Select(r).Where("r.kind = ?", kind).
		Where("r.state IN (?, ?, ?, ?)", StateUnconfirmed, StateScheduled, StateQueued, StateRunning).
		OrderExpr("r.id DESC").Limit(1)
	if userID != 0 {
		q = q.Where("r.user_id = ?", userID)
	}
	return r, q.Scan(ctx)
}

// erasedAs returns the latest finished erasure of the person whose keyed hash is subject.
func (st store) erasedAs(ctx context.Context, subject string) (*Request, error) {
	r := new(Request)
	return r, st.t.Select(r).Where("r.kind = ? AND r.subject = ? AND r.state = ?", KindErasure, subject, StateDone).
		OrderExpr("r.id DESC").Limit(1).Scan(ctx)
}

// mine lists the person's requests, newest first.
func (st store) mine(ctx context.Context, userID int64, limit int) ([]Request, error) {
	var out []Request
	return out, st.t.Select(&out).Where("r.user_id = ?", userID).OrderExpr("r.id DESC").Limit(int64(limit)).Scan(ctx)
}

// erasures lists the account's erasure and closure requests, newest first.
func (st store) erasures(ctx context.Context, limit int) ([]Request, error) {
	var out []Request
	return out, st.t.Select(&out).Where("r.kind IN (?, ?)", KindErasure, KindClosure).OrderExpr("r.id DESC").Limit(int64(limit)).Scan(ctx)
}

// move changes a request's state, only from one of the states from (0 rows: it moved already).
func (st store) move(ctx context.Context, id int64, to string, now time.Time, from ...string) (bool, error) {
	q := st.t.Update((*Request)(nil)).Set("state = ?", to).Set("updated_at = ?", now).Where("r.id = ?", id)
	if len(from) > 0 {
		q = q.Where("r.state IN (?)", bun.In(from))
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func (st store) schedule(ctx context.Context, id int64, due, now time.Time) (bool, error) {
	res, err := st.t.Update((*Request)(nil)).Set("state = ?", StateScheduled).Set("due_at = ?", due).Set("updated_at = ?", now).
		Where("r.id = ? AND r.state = ?", id, StateUnconfirmed).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func (st store) progress(ctx context.Context, id int64, pct int, now time.Time) error {
	_, err := st.t.Update((*Request)(nil)).Set("progress = ?", pct).Set("updated_at = ?", now).Where("r.id = ?", id).Exec(ctx)
	return err
}

// step records a finished step of a running request, in the transaction of the step's work.
func (st store) step(ctx context.Context, r *Request, step string, pct int, now time.Time) error {
	steps := step
	if r.Steps != "" {
		steps = r.Steps + "," + step
	}
	if _, err := st.t.Update((*Request)(nil)).Set("steps = ?", steps).Set("progress = ?", pct).Set("updated_at = ?", now).
		Where("r.id = ?", r.ID).Exec(ctx); err != nil {
		return err
	}
	r.Steps = steps
	return nil
}

// finish ends a request in state (done, ready, failed), with what its end sets.
func (st store) finish(ctx context.Context, id int64, state, errText string, expires *time.Time, now time.Time) error {
	_, err := st.t.Update((*Request)(nil)).Set("state = ?", state).Set("error = ?", errText).Set("progress = ?", 100).
		Set("expires_at = ?", expires).Set("finished_at = ?", now).Set("updated_at = ?", now).Where("r.id = ?", id).Exec(ctx)
	return err
}

// use marks a ready export downloaded, once: false when it was used or is no longer ready.
func (st store) use(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := st.t.Update((*Request)(nil)).Set("state = ?", StateDownloaded).Set("used_at = ?", now).Set("updated_at = ?", now).
		Where("r.id = ? AND r.state = ? AND r.used_at IS NULL AND r.expires_at > ?", id, StateReady, now).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// cancelExports cancels the person's exports that are not downloaded yet and returns their ids
// (their archives are removed by the caller).
func (st store) cancelExports(ctx context.Context, userID int64, now time.Time) ([]int64, error) {
	var ids []int64
	if err := st.t.SelectFrom("privacy_requests", "r").Column("r.id").
		Where("r.kind = ? AND r.user_id = ? AND r.state IN (?, ?, ?)", KindExport, userID, StateQueued, StateRunning, StateReady).
		Scan(ctx, &ids); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	_, err := st.t.Update((*Request)(nil)).Set("state = ?", StateCancelled).Set("updated_at = ?", now).
		Where("r.id IN (?)", bun.In(ids)).Exec(ctx)
	return ids, err
}

// forget is the module's own erasure: the person's exports go, and the requests that stay
// (their erasure, one an admin asked for) no longer name them. With open false, the requests
// still open keep the person as their subject: the running erasure needs it to resume after a
// crash, and clears it at its end (forget with open true).
func (st store) forget(ctx context.Context, userID int64, open bool) ([]int64, error) {
	var ids []int64
	if err := st.t.SelectFrom("privacy_requests", "r").Column("r.id").Where("r.kind = ? AND r.user_id = ?", KindExport, userID).
		Scan(ctx, &ids); err != nil {
		return nil, err
	}
	if _, err := st.t.Delete((*Request)(nil)).Where("r.kind = ? AND r.user_id = ?", KindExport, userID).Exec(ctx); err != nil {
		return nil, err
	}
	q := st.t.Update((*Request)(nil)).Set("user_id = NULL").Where("r.user_id = ?", userID)
	if !open {
		q = q.Where("r.state NOT IN (?)", bun.In([]string{StateUnconfirmed, StateScheduled, StateQueued, StateRunning}))
	}
	if _, err := q.Exec(ctx); err != nil {
		return nil, err
	}
	_, err := st.t.Update((*Request)(nil)).Set("requested_by = NULL").Where("r.requested_by = ?", userID).Exec(ctx)
	return ids, err
}

// countFor counts the person's requests, for the access report.
func (st store) countFor(ctx context.Context, userID int64) (int64, error) {
	n, err := st.t.SelectFrom("privacy_requests", "r").Where("r.user_id = ? OR r.requested_by = ?", userID, userID).Count(ctx)
	return int64(n), err
}

// due lists the scheduled requests of every account whose grace period is over. It crosses
// accounts: it is the scheduler's question, and it returns only ids.
func due(ctx context.Context, idb bun.IDB, now time.Time) ([]Request, error) {
	var out []Request
	return out, idb.NewSelect().Model(&out).Where("r.state = ? AND r.due_at <= ?", StateScheduled, now).Limit(100).Scan(ctx)
}

// expired lists ready exports of every account whose link has expired, and unconfirmed
// erasures whose link has; they cross accounts for the same reason.
func expired(ctx context.Context, idb bun.IDB, now time.Time) ([]Request, error) {
	var out []Request
	return out, idb.NewSelect().Model(&out).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("r.kind = ? AND r.state = ? AND r.expires_at <= ?", KindExport, StateReady, now).
				WhereOr("r.kind = ? AND r.state = ? AND r.created_at <= ?", KindErasure, StateUnconfirmed, now.Add(-LinkLife))
		}).Limit(500).Scan(ctx)
}

func (st store) expire(ctx context.Context, r *Request, now time.Time) error {
	to := StateExpired
	if r.Kind == KindErasure {
		to = StateCancelled
	}
	_, err := st.move(ctx, r.ID, to, now, r.State)
	return err
}
