package billing

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"groupcamp/core/db"
)

// standing is what every module request asks billing (is the module on? may it write?): the
// account's state and offerings. Reading billing_subscriptions on each request added a query
// to every request of every module, so the answer is kept per account for standingTTL, and
// every write to billing_subscriptions in this process drops the lot (db.Watch). Another
// instance's change (a payment handled by another server) shows within standingTTL, as the
// memberships' cache does.
type standing struct {
	Found     bool
	State     string
	Offerings []string
}

const (
	standingTTL = 5 * time.Second
	maxStanding = 10000
)

type standingCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[int64]standingEntry
}

type standingEntry struct {
	s       standing
	expires time.Time
}

// drop forgets every account's standing (billing_subscriptions changed).
func (c *standingCache) drop() {
	c.mu.Lock()
	c.gen++
	clear(c.entries)
	c.mu.Unlock()
}

// standing returns the account's standing, from the cache or read afresh.
func (s *Service) standing(ctx context.Context, accountID int64) (standing, error) {
	c := &s.cache
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[accountID]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.s, nil
	}
	var row struct {
		State     string `bun:"state"`
		Offerings string `bun:"offerings"`
	}
	var st standing
	err := s.DB.NewSelect().TableExpr("billing_subscriptions AS s").Column("s.state", "s.offerings").
		Where("s.account_id = ?", accountID).Limit(1).Scan(ctx, &row)
	switch {
	case db.IsNotFound(err):
	case err != nil:
		return st, err
	default:
		st = standing{Found: true, State: row.State}
		if err := json.Unmarshal([]byte(row.Offerings), &st.Offerings); err != nil {
			return st, err
		}
	}
	c.mu.Lock()
	// A drop since the read began means the row may have changed under it: not kept.
	if c.gen == gen {
		if c.entries == nil || len(c.entries) >= maxStanding {
			c.entries = make(map[int64]standingEntry)
		}
		c.entries[accountID] = standingEntry{s: st, expires: now.Add(standingTTL)}
	}
	c.mu.Unlock()
	return st, nil
}
