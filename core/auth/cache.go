package auth

import (
	"sync"
	"time"

	"groupcamp/core/actor"
)

// CacheTTL is how long a resolved credential is trusted without asking the database. Every
// authenticated request would otherwise pay a lookup. Logout, revocation, password changes and
// deactivation drop the person's entries at once on this instance (Forget) and, through
// Service.Broadcast (the App publishes on Redis), on every other one; CacheTTL bounds what a
// lost broadcast can cost.
const CacheTTL = 5 * time.Second

// credCache remembers resolved credentials by their hash for CacheTTL.
type credCache struct {
	mu      sync.Mutex
	entries map[string]cached
	ttl     time.Duration // 0: CacheTTL; negative: no caching
	// gen counts the drops: a lookup that started before a drop does not store what it read
	// (it may have read the credential before the revocation was committed).
	gen uint64
}

// generation is the drop count, taken before a lookup and given back to put.
func (c *credCache) generation() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
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

// put remembers who for the TTL, but never past until (the credential's own expiry), unless
// something was dropped since gen was taken.
func (c *credCache) put(hash string, who *actor.Actor, now, until time.Time, gen uint64) {
	if c == nil || c.ttl < 0 {
		return
	}
	ttl := c.ttl
	if ttl == 0 {
		ttl = CacheTTL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
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
	c.gen++
	for k, e := range c.entries {
		if e.who.UserID == userID {
			delete(c.entries, k)
		}
	}
}

// dropAll forgets every credential.
func (c *credCache) dropAll() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// Forget drops the cached credentials of a user, so that a change to their access (logout,
// revocation, new password, deactivation) takes effect on the next request here, and tells
// the other instances (Broadcast). Call it once the change is committed.
func (s *Service) Forget(userID int64) {
	s.cache.dropUser(userID)
	s.forgotten(userID)
	if s.Broadcast != nil {
		s.Broadcast(userID)
	}
}

// Forgotten applies another instance's Forget here (the App calls it for each broadcast).
func (s *Service) Forgotten(userID int64) {
	s.cache.dropUser(userID)
	s.forgotten(userID)
}

// ForgetAll drops every cached credential (the App calls it when broadcasts may have been
// missed: its subscription was down).
func (s *Service) ForgetAll() {
	s.cache.dropAll()
	s.forgotten(0)
}

// OnForget makes fn run whenever cached credentials are dropped, with the user's id or 0 for
// everyone's, so that what is cached beside them (the Gate's memberships) goes with them.
// Call it before the App serves.
func (s *Service) OnForget(fn func(userID int64)) { s.onForget = append(s.onForget, fn) }

func (s *Service) forgotten(userID int64) {
	for _, fn := range s.onForget {
		fn(userID)
	}
}
