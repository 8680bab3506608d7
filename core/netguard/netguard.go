// Package netguard keeps requests that an account's settings make the server send (outgoing
// webhooks, a single sign-on provider's discovery and token calls) off the server's own
// network: loopback, private ranges, link-local (cloud metadata at 169.254.169.254), and the
// like. An account administrator chooses those URLs; without this check they could make the
// server reach its database, its metadata service or an internal admin page (SSRF).
//
// Two checks, always both: Host when the URL is saved (a clear message for the form), and
// Control on the dialer at each connection, after name resolution, so that a name that
// resolved to a public address when saved and to a private one now (DNS rebinding) is refused.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// ErrLocal is a connection refused because its address is not public.
var ErrLocal = errors.New("the address is not public")

// Refused says why ip is no public address ("" when it is).
func Refused(ip netip.Addr) string {
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

// Lookup resolves a host name (LookupNet, or a test's resolver).
type Lookup func(ctx context.Context, host string) ([]netip.Addr, error)

// LookupNet resolves host with the system's resolver.
func LookupNet(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// Host says why host (a URL's host name, without port) is on the server's own network ("" when
// it is not): a local name, an address that is not public, or a name that resolves to one.
// The resolution is bounded to 2 s; a name that does not resolve now is accepted (Control
// checks again at each connection).
func Host(ctx context.Context, host string, lookup Lookup) string {
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") || strings.HasSuffix(host, ".internal") {
		return "points at the server's own network (" + host + ")"
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := Refused(ip); why != "" {
			return "points at " + ip.String() + ", which " + why
		}
		return ""
	}
	if lookup == nil {
		lookup = LookupNet
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	addrs, err := lookup(ctx, host)
	if err != nil {
		return ""
	}
	for _, ip := range addrs {
		if why := Refused(ip); why != "" {
			return "resolves to " + ip.String() + ", which " + why
		}
	}
	return ""
}

// Control is a net.Dialer Control that refuses to connect to an address that is not public.
func Control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrLocal, address)
	}
	if why := Refused(ip); why != "" {
		return fmt.Errorf("%w: %s %s", ErrLocal, ip, why)
	}
	return nil
}
