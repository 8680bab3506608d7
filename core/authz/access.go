package authz

import (
	"context"
	"sync"
	"time"

	"groupcamp/core/identity"
)

// AccessCache remembers, for a few seconds, the active memberships the Gate resolved — the
// account, the role and the company of a person in the account of a slug — so that a request
// does not pay that lookup each time. Only memberships found are kept: someone just invited in
// needs no drop to get in.
//
// The App drops entries whenever what they were read from changes: every write to the
// accounts or memberships tables, as soon as it is committed (db.Watch), and a person's
// entries whenever their credentials are forgotten (auth.Service.OnForget); other instances
// hear it through the revocation broadcast. TTL bounds what a lost broadcast can cost.
type AccessCache struct {
	mu      sync.Mutex
	entries map[accessKey]accessEntry
	// gen counts the drops: a lookup that began before a drop does not store what it read.
	gen uint64
	TTL time.Duration // 0: the default (auth.CacheTTL's 5 s); negative: no caching
}

type accessKey struct {
	userID int64
	slug   string
}

type accessEntry struct {
	access  identity.Access
	expires time.Time
}

const (
	accessTTL       = 5 * time.Second
	maxAccessCached = 10000
)

// Drop forgets the entries of a user, or every entry when userID is 0.
func (c *AccessCache) Drop(userID int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if userID == 0 {
		c.entries = nil
		return
	}
	for k := range c.entries {
		if k.userID == userID {
			delete(c.entries, k)
		}
	}
}

// lookup returns the cached access, or the generation to give back to store.
func (c *AccessCache) lookup(k accessKey, now time.Time) (*identity.Access, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok && now.Before(e.expires) {
		acc := e.access
		return &acc, c.gen
	}
	return nil, c.gen
}

func (c *AccessCache) store(k accessKey, acc *identity.Access, now time.Time, gen uint64) {
	ttl := c.TTL
	if ttl == 0 {
		ttl = accessTTL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.entries == nil || len(c.entries) >= maxAccessCached {
		c.entries = make(map[accessKey]accessEntry) // simplest bound: start over
	}
	c.entries[k] = accessEntry{access: *acc, expires: now.Add(ttl)}
}

// accessFor is People.AccessFor through the cache (when the Gate has one).
func (gt *Gate) accessFor(ctx context.Context, slug string, userID int64) (*identity.Access, error) {
	c := gt.Access
	if c == nil || c.TTL < 0 {
		return gt.People.AccessFor(ctx, slug, userID)
	}
	k := accessKey{userID: userID, slug: slug}
	now := time.Now()
	acc, gen := c.lookup(k, now)
	if acc != nil {
		return acc, nil
	}
	acc, err := gt.People.AccessFor(ctx, slug, userID)
	if err != nil || acc == nil {
		return acc, err
	}
	c.store(k, acc, now, gen)
	return acc, nil
}
