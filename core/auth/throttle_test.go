package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"groupcamp/core/auth"
	"groupcamp/core/config"
	"groupcamp/core/testkit"
)

// loginFrom signs in through the API with the given X-Forwarded-For ("" sends none).
func loginFrom(e *testkit.Env, xff, email, password string) *testkit.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	if xff != "" {
		h.Set("X-Forwarded-For", xff)
	}
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	return e.Anonymous().Send(http.MethodPost, "/api/v1/login", h, strings.NewReader(body))
}

// Behind a reverse proxy every person shares the proxy's IP: one person's failures lock out
// that person's address from that client, never the others' correct passwords.
func TestThrottleIsPerAddressNotPerSharedIP(t *testing.T) {
	t.Parallel()
	behindProxy := testkit.Options{Config: func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	}}
	testkit.EachDB(t, behindProxy, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		victim, colleague := e.NewUser(acc, "member"), e.NewUser(acc, "member")
		const office = "203.0.113.7"
		for i := 1; i <= auth.MaxFailures; i++ {
			// The office's proxy chain: the client, then a trusted proxy of ours.
			want(t, fmt.Sprintf("failure %d", i), loginFrom(e, office+", 10.1.2.3", victim.Email, "wrong password"), http.StatusUnauthorized)
		}
		want(t, "the colleague from the same IP", loginFrom(e, office, colleague.Email, colleague.Password), http.StatusOK)
		want(t, "the address from that IP", loginFrom(e, office, victim.Email, victim.Password), http.StatusTooManyRequests)
		// A client cannot pick its address: what it wrote left of the proxy's entry is not read.
		want(t, "spoofed left entry", loginFrom(e, "198.51.100.10, "+office, victim.Email, victim.Password), http.StatusTooManyRequests)
		// The Forwarded header (RFC 7239) when the proxy sends no X-Forwarded-For.
		h := http.Header{"Content-Type": {"application/json"}, "Forwarded": {`for="` + office + `:4711";proto=https`}}
		r := e.Anonymous().Send(http.MethodPost, "/api/v1/login", h, strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, victim.Email, victim.Password)))
		want(t, "Forwarded from that IP", r, http.StatusTooManyRequests)
		// The failures were recorded with the client's address, not the proxy's.
		var ips []string
		if err := e.App.DB.NewSelect().Table("login_failures").Column("ip").Where("email = ?", victim.Email).Scan(context.Background(), &ips); err != nil {
			t.Fatal(err)
		}
		if len(ips) != auth.MaxFailures {
			t.Errorf("%d failures recorded, want %d", len(ips), auth.MaxFailures)
		}
		for _, ip := range ips {
			if ip != office {
				t.Errorf("failure recorded from %q, want %q", ip, office)
			}
		}
		// The person, from elsewhere, signs in (which clears the address's failures).
		want(t, "the address from elsewhere", loginFrom(e, "198.51.100.9", victim.Email, victim.Password), http.StatusOK)
		want(t, "then from the office again", loginFrom(e, office, victim.Email, victim.Password), http.StatusOK)
	})
}

// Without trusted proxies the forwarding headers are not believed: a client that writes a new
// X-Forwarded-For on every guess is still one IP.
func TestThrottleIgnoresForwardingHeadersWithoutTrustedProxies(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		victim, colleague := e.NewUser(acc, "member"), e.NewUser(acc, "member")
		for i := 1; i <= auth.MaxFailures; i++ {
			want(t, fmt.Sprintf("failure %d", i), loginFrom(e, fmt.Sprintf("198.51.100.%d", i), victim.Email, "wrong password"), http.StatusUnauthorized)
		}
		want(t, "the address, another forged IP", loginFrom(e, "198.51.100.200", victim.Email, victim.Password), http.StatusTooManyRequests)
		want(t, "a colleague from the same IP", loginFrom(e, "", colleague.Email, colleague.Password), http.StatusOK)
	})
}

// The per-address limit (from any IP) and the per-IP limit (whatever the address) hold too.
func TestThrottleAddressAndIPLimits(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		svc := e.App.Auth
		for i := 0; i < auth.MaxAddressFailures-1; i++ {
			if err := svc.Failed(ctx, "spread@example.test", fmt.Sprintf("198.51.100.%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Throttled(ctx, "spread@example.test", "192.0.2.1"); err != nil {
			t.Fatalf("below the address limit: %v", err)
		}
		if err := svc.Failed(ctx, "spread@example.test", "198.51.100.250"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Throttled(ctx, "spread@example.test", "192.0.2.1"); err == nil {
			t.Fatal("the address is not throttled after failures from many IPs")
		}
		for i := 0; i < auth.MaxIPFailures; i++ {
			if err := svc.Failed(ctx, fmt.Sprintf("person%d@example.test", i), "192.0.2.99"); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Throttled(ctx, "someone-else@example.test", "192.0.2.99"); err == nil {
			t.Fatal("the IP is not throttled after failures for many addresses")
		}
		if err := svc.Throttled(ctx, "someone-else@example.test", "192.0.2.100"); err != nil {
			t.Fatalf("another IP: %v", err)
		}
	})
}
