package netguard

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
)

func TestHost(t *testing.T) {
	t.Parallel()
	lookup := func(_ context.Context, host string) ([]netip.Addr, error) {
		if host == "rebind.example.com" {
			return []netip.Addr{netip.MustParseAddr("93.184.215.14"), netip.MustParseAddr("192.168.1.9")}, nil
		}
		return nil, errors.New("no such host")
	}
	for host, want := range map[string]string{
		"127.0.0.1": "loopback", "[::1]": "loopback", "10.2.3.4": "private", "169.254.169.254": "link-local",
		"100.64.0.1": "carrier-grade", "0.1.2.3": "this host", "::ffff:10.0.0.1": "private",
		"localhost": "own network", "db.internal": "own network", "rebind.example.com": "192.168.1.9",
	} {
		if why := Host(context.Background(), host, lookup); !strings.Contains(why, want) {
			t.Errorf("%s: %q, want %q", host, why, want)
		}
	}
	for _, host := range []string{"93.184.215.14", "unresolved.example.com"} {
		if why := Host(context.Background(), host, lookup); why != "" {
			t.Errorf("%s refused: %s", host, why)
		}
	}
	if err := Control("tcp", "127.0.0.1:80", nil); !errors.Is(err, ErrLocal) {
		t.Errorf("Control(loopback) = %v", err)
	}
	if err := Control("tcp", net.JoinHostPort("93.184.215.14", "443"), nil); err != nil {
		t.Errorf("Control(public) = %v", err)
	}
}
