package obs

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const clientIPKey = "clientip"

// TrustProxies returns the middleware that finds the client's address, for ClientIP. The
// connection's peer is the client, unless it is one of the trusted proxies (the
// GROUPCAMP_TRUSTED_PROXIES setting): then the proxies' X-Forwarded-For (or, without one, the
// Forwarded header's for= values) is read from the right, past every trusted proxy, and the
// first address that is not one is the client. Addresses left of it were written by the
// client and are never believed, and without trusted proxies the headers are ignored, so a
// client cannot choose the address the sign-in throttle and the audit trail see.
func TrustProxies(trusted []netip.Prefix) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(clientIPKey, clientIP(c, trusted))
		return c.Next()
	}
}

// ClientIP is the request's client address (see TrustProxies).
func ClientIP(c *fiber.Ctx) string {
	if ip, ok := c.Locals(clientIPKey).(string); ok {
		return ip
	}
	return c.IP()
}

func clientIP(c *fiber.Ctx, trusted []netip.Prefix) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.IP()
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	h := &c.Request().Header
	var hops []string
	for _, v := range h.PeekAll(fiber.HeaderXForwardedFor) {
		for _, part := range strings.Split(string(v), ",") {
			hops = append(hops, strings.TrimSpace(part))
		}
	}
	if len(hops) == 0 {
		for _, v := range h.PeekAll("Forwarded") {
			for _, elem := range strings.Split(string(v), ",") {
				hops = append(hops, forwardedFor(elem))
			}
		}
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break // garbage: the last proxy's word is all we have
		}
		client = a
		if !isTrusted(a, trusted) {
			break
		}
	}
	return client.String()
}

// forwardedFor returns the for= value of one element of a Forwarded header (RFC 7239).
func forwardedFor(elem string) string {
	for _, pair := range strings.Split(elem, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if ok && strings.EqualFold(k, "for") {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// parseHop reads an address as proxies write it: 192.0.2.1, 192.0.2.1:4711, 2001:db8::1,
// [2001:db8::1]:4711.
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
