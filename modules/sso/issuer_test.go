package sso

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"groupcamp/core/netguard"
)

// TestIssuerOnOwnNetwork: an issuer on the server's own network — a loopback or private
// address, a local name, a name resolving to a private address — is refused when saved, and
// the providers' client will not connect to one (a name that resolved elsewhere when saved);
// the operator's test setting lifts both.
func TestIssuerOnOwnNetwork(t *testing.T) {
	t.Parallel()
	lookup := func(_ context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "idp.corp.example.com":
			return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
		case "idp.example.com":
			return []netip.Addr{netip.MustParseAddr("93.184.215.14")}, nil
		}
		return nil, errors.New("no such host")
	}
	s := &Service{Lookup: lookup}
	ctx := context.Background()
	for issuer, want := range map[string]string{
		"https://127.0.0.1:8443":          "loopback",
		"https://[::1]/realms/x":          "loopback",
		"https://169.254.169.254":         "link-local",
		"https://localhost/realms/x":      "own network",
		"https://idp.corp.example.com/x":  "10.1.2.3",
		"https://keycloak.internal/realm": "own network",
	} {
		if why := s.checkIssuer(ctx, PresetCustom, issuer); !strings.Contains(why, want) {
			t.Errorf("%s: %q, want it refused (%s)", issuer, why, want)
		}
	}
	if why := s.checkIssuer(ctx, PresetCustom, "https://idp.example.com/realms/x"); why != "" {
		t.Errorf("public issuer refused: %s", why)
	}
	allowed := &Service{Lookup: lookup, AllowHTTP: true}
	if why := allowed.checkIssuer(ctx, PresetCustom, "http://127.0.0.1:8080"); why != "" {
		t.Errorf("with the test setting: %s", why)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	if _, err := providerClient(false).Get(srv.URL); !errors.Is(err, netguard.ErrLocal) {
		t.Errorf("guarded client reached %s: %v", srv.URL, err)
	}
	resp, err := providerClient(true).Get(srv.URL)
	if err != nil {
		t.Fatalf("client with the test setting: %v", err)
	}
	_ = resp.Body.Close()
}
