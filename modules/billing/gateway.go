package billing

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Gateway is the payment service provider. The card number never reaches GroupCamp: the
// browser gives it to the gateway, which answers a token; we keep the token and what the
// gateway tells of the card (last four digits, holder, expiry). Every charge carries an
// idempotency key: the gateway answers a repeated key with the first result.
type Gateway interface {
	// Card is what the gateway tells of the card behind a token.
	Card(ctx context.Context, token string) (Card, error)
	// Authorize reserves amount on the card; it answers the authorization's id.
	Authorize(ctx context.Context, token string, amountMinor int64, currency, key string) (string, error)
	// Capture takes an authorized amount; it answers the charge's id.
	Capture(ctx context.Context, authID string, amountMinor int64, key string) (string, error)
	// Refund gives back (part of) a charge; it answers the refund's id.
	Refund(ctx context.Context, chargeID string, amountMinor int64, key string) (string, error)
	// Verify checks a webhook's signature header against its body.
	Verify(header string, body []byte, now time.Time) error
}

// ErrSignature is a webhook whose signature does not match.
var ErrSignature = errors.New("bad webhook signature")

// TestGateway is the built-in gateway for development and tests: it keeps cards in memory
// (their last four digits only, as a real gateway tells them) and signs its webhooks with
// Secret like GroupCamp's own webhooks (t=UNIX,v1=HEX of HMAC-SHA256 over "t.body").
// The token "tok_test_visa" always works and "tok_test_declined" is always declined.
type TestGateway struct {
	Secret []byte

	mu      sync.Mutex
	cards   map[string]testCard
	results map[string]string // idempotency key → the first answer's id
	charges map[string]int64  // charge id → amount captured, less refunds
}

type testCard struct {
	Card
	declined bool
}

// NewTestGateway returns a test gateway signing with secret.
func NewTestGateway(secret []byte) *TestGateway {
	g := &TestGateway{Secret: secret, cards: map[string]testCard{}, results: map[string]string{}, charges: map[string]int64{}}
	g.cards["tok_test_visa"] = testCard{Card: Card{Last4: "4242", Holder: "Test Holder", Expiry: "12/2030"}}
	g.cards["tok_test_declined"] = testCard{Card: Card{Last4: "0002", Holder: "Test Holder", Expiry: "12/2030"}, declined: true}
	return g
}

// Tokenize stands for the gateway's card form: it takes a card number and answers a token,
// keeping the last four digits only. A number ending in 0002 is declined.
func (g *TestGateway) Tokenize(pan, holder, expiry string) (string, error) {
	pan = strings.ReplaceAll(pan, " ", "")
	if len(pan) < 12 || len(pan) > 19 {
		return "", errors.New("card number must have 12 to 19 digits")
	}
	tok := "tok_" + randHex(12)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cards[tok] = testCard{Card: Card{Last4: pan[len(pan)-4:], Holder: holder, Expiry: expiry}, declined: strings.HasSuffix(pan, "0002")}
	return tok, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Card tells the card behind a token.
func (g *TestGateway) Card(_ context.Context, token string) (Card, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	c, ok := g.cards[token]
	if !ok {
		return Card{}, errors.New("unknown token")
	}
	return c.Card, nil
}

// once answers the first result of key, or runs fn for it.
func (g *TestGateway) once(key string, fn func() (string, error)) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if id, ok := g.results[key]; ok {
		return id, nil
	}
	id, err := fn()
	if err == nil && key != "" {
		g.results[key] = id
	}
	return id, err
}

// Authorize reserves the amount (declined cards fail).
func (g *TestGateway) Authorize(_ context.Context, token string, amount int64, _, key string) (string, error) {
	return g.once("auth:"+key, func() (string, error) {
		c, ok := g.cards[token]
		switch {
		case !ok:
			return "", errors.New("unknown token")
		case c.declined:
			return "", ErrDeclined
		case amount < 0:
			return "", errors.New("negative amount")
		}
		return "auth_" + randHex(8) + "_" + strconv.FormatInt(amount, 10), nil
	})
}

// Capture takes the authorized amount.
func (g *TestGateway) Capture(_ context.Context, auth string, amount int64, key string) (string, error) {
	return g.once("capture:"+key, func() (string, error) {
		if !strings.HasPrefix(auth, "auth_") {
			return "", errors.New("unknown authorization")
		}
		id := "ch_" + randHex(8)
		g.charges[id] = amount
		return id, nil
	})
}

// Refund gives back at most what is left of the charge.
func (g *TestGateway) Refund(_ context.Context, charge string, amount int64, key string) (string, error) {
	return g.once("refund:"+key, func() (string, error) {
		left, ok := g.charges[charge]
		if !ok {
			return "", errors.New("unknown charge")
		}
		if amount <= 0 || amount > left {
			return "", fmt.Errorf("refund of %d: %d left on the charge", amount, left)
		}
		g.charges[charge] = left - amount
		return "re_" + randHex(8), nil
	})
}

// Sign is the signature header the gateway sends with body at t.
func (g *TestGateway) Sign(body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, g.Secret)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks the header: the HMAC in constant time, and a timestamp within 5 minutes (a
// replayed old webhook is refused).
func (g *TestGateway) Verify(header string, body []byte, now time.Time) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(t, 0)).Abs() > 5*time.Minute {
		return ErrSignature
	}
	mac := hmac.New(sha256.New, g.Secret)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	if !hmac.Equal([]byte(sig), []byte(hex.EncodeToString(mac.Sum(nil)))) {
		return ErrSignature
	}
	return nil
}
