package webhooks

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"groupcamp/core/netguard"
)

// Limits of a hook and of a delivery.
const (
	MaxURL       = 2000 // bytes of a URL
	MaxSecret    = 200  // bytes of a secret
	MinSecret    = 16   // bytes of a secret one chooses
	MaxEvents    = 100  // event types of one hook
	MaxHooks     = 50   // hooks of one account
	Timeout      = 10 * time.Second
	ResponseKept = 1024 // bytes of the answer kept in the log
)

// errLocal is a target refused because it is not a public address (core/netguard).
var errLocal = netguard.ErrLocal

// checkURL says what is wrong with a hook's URL ("" when nothing): http or https with a host,
// no credentials, and — unless local targets are allowed — a host that is no private
// address, nor a name that resolves to one (lookup bounds the resolution; a name that does not
// resolve now is accepted, and the dialer checks again at each connection).
func checkURL(ctx context.Context, raw string, allowLocal bool, lookup func(ctx context.Context, host string) ([]netip.Addr, error)) string {
	if raw == "" {
		return "is required"
	}
	if len(raw) > MaxURL {
		return fmt.Sprintf("must be at most %d characters", MaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return "must be an http:// or https:// URL with a host"
	}
	if u.User != nil {
		return "must not carry a user name or password (sign with the secret instead)"
	}
	if u.Fragment != "" {
		return "must not have a #fragment"
	}
	if allowLocal {
		return ""
	}
	if why := netguard.Host(ctx, u.Hostname(), lookup); why != "" {
		return why + ": webhooks may only reach public addresses"
	}
	return ""
}

// guardedClient is the HTTP client of the deliveries: a dialer that checks the address it
// connects to (after resolution, so a name that resolved to a public address when the hook
// was saved and to a private one now — DNS rebinding — is refused), no proxy from the
// environment (it would hide the target), the timeout, no redirects (a 3xx is the answer:
// following it would reach wherever the receiver says, unchecked).
func guardedClient(allowLocal bool) *http.Client {
	dialer := &net.Dialer{Timeout: Timeout, KeepAlive: 30 * time.Second}
	if !allowLocal {
		dialer.Control = netguard.Control
	}
	tr := &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   Timeout,
		ResponseHeaderTimeout: Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr, Timeout: Timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// netLookup resolves host with the system's resolver.
var netLookup = netguard.LookupNet
