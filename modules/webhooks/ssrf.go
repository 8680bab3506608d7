package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
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

// errLocal is a target refused because it is not a public address.
var errLocal = errors.New("webhooks: the address is not public")

// refusedAddr says why ip may not be a webhook's target ("" when it may): the server's own
// network — loopback, private ranges, link-local (cloud metadata at 169.254.169.254), the
// unspecified address, multicast — is no place an account admin may send requests to.
func refusedAddr(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "is a loopback address"
	case ip.IsPrivate():
		return "is a private address"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "is a link-local address"
	case ip.IsUnspecified():
		return "is the unspecified address"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "is a multicast address"
	case ip.Is4() && ip.As4()[0] == 0:
		return "is in 0.0.0.0/8, this host"
	case ip.Is4() && ip.As4()[0] == 100 && ip.As4()[1]&0xc0 == 64:
		return "is a carrier-grade NAT address"
	}
	return ""
}

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
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") || strings.HasSuffix(host, ".internal") {
		return "points at the server's own network (" + host + "), which webhooks may not reach"
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := refusedAddr(ip); why != "" {
			return "points at " + ip.String() + ", which " + why + ": webhooks may only reach public addresses"
		}
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	addrs, err := lookup(ctx, host)
	if err != nil {
		return ""
	}
	for _, ip := range addrs {
		if why := refusedAddr(ip); why != "" {
			return "resolves to " + ip.String() + ", which " + why + ": webhooks may only reach public addresses"
		}
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
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return fmt.Errorf("%w: %s", errLocal, address)
			}
			if why := refusedAddr(ip); why != "" {
				return fmt.Errorf("%w: %s %s", errLocal, ip, why)
			}
			return nil
		}
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
func netLookup(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}
