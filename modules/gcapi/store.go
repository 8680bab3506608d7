package gcapi

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// store holds the module's queries (its two tables), always through the account's db.Tenant
// but for activeKey: a request names its key before its account is known.
type store struct{}

func (s *Service) store() store { return store{} }

func (store) keys(ctx context.Context, tn db.Tenant) ([]Key, error) {
	out := []Key{}
	return out, tn.Select(&out).OrderExpr("k.id DESC").Limit(200).Scan(ctx)
}

func (store) activeKeys(ctx context.Context, tn db.Tenant) (int64, error) {
	return tn.SelectFrom("gcapi_keys", "k").Where("k.revoked_at IS NULL").Count(ctx)
}

// insertKey inserts k, then writes its secret sealed to its row (the seal binds the row id).
func (store) insertKey(ctx context.Context, tn db.Tenant, k *Key, sealed func(id int64) string) error {
	if _, err := tn.Insert(k).Exec(ctx); err != nil {
		return err
	}
	k.Secret = sealed(k.ID)
	_, err := tn.Update(k).Column("secret").WherePK().Exec(ctx)
	return err
}

func (store) key(ctx context.Context, tn db.Tenant, keyID string) (*Key, error) {
	k := new(Key)
	if err := tn.Select(k).Where("k.key_id = ?", keyID).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return nil, problem.NotFound()
		}
		return nil, err
	}
	return k, nil
}

func (store) revoke(ctx context.Context, tn db.Tenant, id int64, at time.Time) error {
	_, err := tn.Update((*Key)(nil)).Set("revoked_at = ?", at).Where("id = ?", id).Exec(ctx)
	return err
}

// activeKey finds a key by the id a request sends, in any account: the key names its account.
func (store) activeKey(ctx context.Context, idb bun.IDB, keyID string) (*Key, error) {
	k := new(Key)
	err := idb.NewSelect().Model(k).Where("k.key_id = ? AND k.revoked_at IS NULL", keyID).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return k, err
}

// touch records when a key was last used (at most once a minute per key: see auth.go).
func (store) touch(ctx context.Context, tn db.Tenant, id int64, at time.Time) error {
	_, err := tn.Update((*Key)(nil)).Set("last_used_at = ?", at).Where("id = ?", id).Exec(ctx)
	return err
}

// savePages keeps the pages of a "full" answer until expires, and drops the account's
// expired ones (the hourly purge does the others').
func (store) savePages(ctx context.Context, tn db.Tenant, rows []page, now time.Time) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := tn.Delete((*page)(nil)).Where("expires_at <= ?", now).Exec(ctx); err != nil {
		return err
	}
	_, err := tn.Insert(&rows).Exec(ctx)
	return err
}

// page is one kept page, nil when it is gone (expired, purged or never made).
func (store) page(ctx context.Context, tn db.Tenant, token string, n int, now time.Time) (*page, error) {
	p := new(page)
	err := tn.Select(p).Where("pg.token = ? AND pg.page = ? AND pg.expires_at > ?", token, n, now).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return p, err
}

// purgePages deletes the expired pages of every account (the hourly job).
func (store) purgePages(ctx context.Context, idb bun.IDB, now time.Time) (int64, error) {
	res, err := idb.NewDelete().TableExpr("gcapi_pages").Where("expires_at <= ?", now).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
