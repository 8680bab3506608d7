package db

import (
	"context"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Cache keeps one value per key (an account's id, mostly) for a short time, for what a request
// or an event handler would otherwise read on every call. Every write in this process to the
// tables it watches drops the lot (Watch); another instance's write shows within the TTL, as
// the memberships' cache does. A value read while a drop happened is not kept: the row may
// have changed under the read.
type Cache[K comparable, V any] struct {
	ttl     time.Duration
	max     int
	mu      sync.Mutex
	gen     uint64
	entries map[K]cacheEntry[V]
}

type cacheEntry[V any] struct {
	v       V
	expires time.Time
}

// NewCache returns a cache of at most max entries kept for ttl, dropped on every write to
// tables through bdb.
func NewCache[K comparable, V any](bdb *bun.DB, ttl time.Duration, max int, tables ...string) *Cache[K, V] {
	c := &Cache[K, V]{ttl: ttl, max: max}
	Watch(bdb, c.Drop, tables...)
	return c
}

// Drop forgets every entry.
func (c *Cache[K, V]) Drop() {
	c.mu.Lock()
	c.gen++
	clear(c.entries)
	c.mu.Unlock()
}

// Get returns the value of key, from the cache or from load (whose error is returned and
// nothing kept). A nil cache always loads.
func (c *Cache[K, V]) Get(ctx context.Context, key K, load func(ctx context.Context) (V, error)) (V, error) {
	if c == nil {
		return load(ctx)
	}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.entries == nil || len(c.entries) >= c.max {
			c.entries = make(map[K]cacheEntry[V])
		}
		c.entries[key] = cacheEntry[V]{v: v, expires: now.Add(c.ttl)}
	}
	c.mu.Unlock()
	return v, nil
}
