package webhooks

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// TestDialerRefusesLocal: the deliveries' client checks the address it connects to, after
// resolution — a name that resolves to the loopback interface (as a rebinding name would, after
// it resolved to a public address when the hook was saved) is refused at connection time; with
// local targets allowed the same request goes through. Redirects are not followed.
func TestDialerRefusesLocal(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	// "localhost" resolves to the loopback address, like a rebinding name would.
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{srv.URL, byName} {
		_, err := guardedClient(false).Post(u, "application/json", strings.NewReader("{}"))
		if !errors.Is(err, errLocal) {
			t.Errorf("%s: %v, want the local refusal", u, err)
		}
	}
	if hits != 0 {
		t.Fatalf("the server was reached %d times", hits)
	}
	resp, err := guardedClient(true).Post(byName+"/redirect", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || hits != 1 {
		t.Fatalf("redirect: %d after %d requests, want the 302 itself", resp.StatusCode, hits)
	}
}

// TestCheckURLResolves: a name is resolved when the hook is saved, and refused when any of its
// addresses is local; a name that does not resolve now is taken (the dialer checks later).
func TestCheckURLResolves(t *testing.T) {
	lookup := func(_ context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "rebind.example.com":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.7")}, nil
		case "public.example.com":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
		}
		return nil, errors.New("no such host")
	}
	ctx := context.Background()
	if why := checkURL(ctx, "https://rebind.example.com/x", false, lookup); !strings.Contains(why, "10.0.0.7") {
		t.Errorf("rebind: %q", why)
	}
	for _, u := range []string{"https://public.example.com/x", "https://unknown.example.com/x"} {
		if why := checkURL(ctx, u, false, lookup); why != "" {
			t.Errorf("%s: %q", u, why)
		}
	}
	if why := checkURL(ctx, "http://10.0.0.7/x", true, lookup); why != "" {
		t.Errorf("allowed local: %q", why)
	}
}
