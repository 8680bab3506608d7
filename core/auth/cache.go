package auth

import (
	"sync"
	"time"

	"groupcamp/core/actor"
)

// CacheTTL is how long a resolved credential is trusted without asking the database. Every
// authenticated request would otherwise pay a lookup; within this time a revocation made on
// another instance takes effect (on this instance, logout, revocation and password changes
// drop the entries at once).
const CacheTTL = 5 * time.Second

// credCache remembers resolved credentials by their hash for CacheTTL.
type credCache struct {
	mu      sync.Mutex
	entries map[string]cached
	ttl     time.Duration // 0: CacheTTL; negative: no caching
}

type cached struct {
	who     actor.Actor
	expires time.Time
}

const maxCached = 10000

func (c *credCache) get(hash string, now time.Time) (*actor.Actor, bool) {
	if c == nil || c.ttl < 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || now.After(e.expires) {
		return nil, false
	}
	who := e.who // a copy: callers fill in request-specific fields
	return &who, true
}

// put remembers who for the TTL, but never past until (the credential's own expiry).
func (c *credCache) put(hash string, who *actor.Actor, now, until time.Time) {
	if c == nil || c.ttl < 0 {
		return
	}
	ttl := c.ttl
	if ttl == 0 {
		ttl = CacheTTL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCached {
		c.entries = make(map[string]cached) // simplest bound: start over
	}
	expires := now.Add(ttl)
	if !until.IsZero() && until.Before(expires) {
		expires = until
	}
	c.entries[hash] = cached{who: *who, expires: expires}
}

// dropUser forgets every credential of a user.
func (c *credCache) dropUser(userID int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.who.UserID == userID {
			delete(c.entries, k)
		}
	}
}

// Forget drops the cached credentials of a user, so that a change to their access (logout,
// revocation, new password, deactivation) takes effect on the next request here.
func (s *Service) Forget(userID int64) { s.cache.dropUser(userID) }
