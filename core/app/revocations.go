package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Revocations reach every `serve` instance: each caches resolved credentials and memberships
// for a few seconds (auth.CacheTTL, authz.AccessCache), so a logout, a revoked token, a password change or a deactivation
// made on one instance is published on Redis and every instance drops that person's cached
// credentials at once. With the embedded broker there is one process, and auth.Forget's own
// drop is all it takes.
//
// The channel is named after the secret key, which the instances of one deployment share, so
// that deployments (or test Apps) sharing a Redis do not hear each other.

// revocationChannel is the deployment's channel.
func (a *App) revocationChannel() string {
	sum := sha256.Sum256([]byte("groupcamp revocations\x00" + a.Config.SecretKey))
	return "groupcamp:revoked:" + hex.EncodeToString(sum[:8])
}

// publishRevocations makes auth.Forget publish on Redis (a real one only).
func (a *App) publishRevocations() {
	if a.Jobs.Embedded != nil {
		return
	}
	channel := a.revocationChannel()
	a.Auth.Broadcast = func(userID int64) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := a.Jobs.Redis.Publish(ctx, channel, strconv.FormatInt(userID, 10)).Err(); err != nil {
			// The other instances drop the entry within auth.CacheTTL anyway.
			a.Log.Warn("revocation not published", "user_id", userID, "err", err)
		}
	}
}

// accessChanged drops the memberships the Gate cached, here and on the other instances:
// the accounts or memberships tables changed (db.Watch calls it).
func (a *App) accessChanged() {
	a.access.Drop(0)
	if a.Jobs.Embedded != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := a.Jobs.Redis.Publish(ctx, a.revocationChannel(), accessMessage).Err(); err != nil {
		a.Log.Warn("membership change not published", "err", err)
	}
}

// accessMessage on the revocation channel: every cached membership is to be dropped.
const accessMessage = "access"

// subscribeRevocations listens to the other instances' revocations until ctx ends. It returns
// once the subscription is in place (or has failed: the caches then expire as before), so
// that nothing revoked after Serve starts is missed.
func (a *App) subscribeRevocations(ctx context.Context) (done <-chan struct{}) {
	finished := make(chan struct{})
	if a.Jobs.Embedded != nil {
		close(finished)
		return finished
	}
	ps := a.Jobs.Redis.Subscribe(ctx, a.revocationChannel())
	first, cancel := context.WithTimeout(ctx, 5*time.Second)
	_, err := ps.Receive(first) // the subscription's confirmation
	cancel()
	if err != nil {
		a.Log.Warn("revocations: subscription not confirmed", "err", err)
	}
	// go-redis does not end a blocking Receive when its context is cancelled: closing the
	// subscription does.
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	go func() {
		defer close(finished)
		defer stop()
		defer ps.Close()
		down := false
		for {
			msg, err := ps.Receive(ctx)
			if ctx.Err() != nil {
				return
			}
			switch m := msg.(type) {
			case *redis.Message:
				if m.Payload == accessMessage {
					a.access.Drop(0)
					a.Auth.RulesChanged()
				} else if id, err := strconv.ParseInt(m.Payload, 10, 64); err == nil {
					a.Auth.Forgotten(id)
				}
				continue
			case *redis.Subscription:
				// (Re)subscribed after a reconnection: what was published meanwhile is lost.
				a.Auth.ForgetAll()
				down = false
				continue
			case *redis.Pong:
				continue
			}
			if err != nil {
				// The connection dropped; go-redis reconnects and resubscribes on the next
				// Receive. Broadcasts may be missed until then: trust no cached credential.
				a.Auth.ForgetAll()
				if !down && !errors.Is(err, context.Canceled) {
					a.Log.Warn("revocations: subscription interrupted", "err", err)
				}
				down = true
				select {
				case <-ctx.Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}
	}()
	return finished
}
