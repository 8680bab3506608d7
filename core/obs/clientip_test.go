package obs

import (
	"io"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestClientIP(t *testing.T) {
	t.Parallel()
	// app.Test's in-memory connection comes from 0.0.0.0.
	peer := netip.MustParsePrefix("0.0.0.0/32")
	proxies := []netip.Prefix{peer, netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	cases := []struct {
		name    string
		trusted []netip.Prefix
		headers map[string]string
		want    string
	}{
		{"no proxies: headers ignored", nil, map[string]string{"X-Forwarded-For": "203.0.113.7"}, "0.0.0.0"},
		{"no header", proxies, nil, "0.0.0.0"},
		{"one hop", proxies, map[string]string{"X-Forwarded-For": "203.0.113.7"}, "203.0.113.7"},
		{"past trusted hops", proxies, map[string]string{"X-Forwarded-For": "203.0.113.7, 10.1.1.1, 10.2.2.2"}, "203.0.113.7"},
		{"client's own entry not believed", proxies, map[string]string{"X-Forwarded-For": "1.1.1.1, 203.0.113.7, 10.1.1.1"}, "203.0.113.7"},
		{"garbage right of the client", proxies, map[string]string{"X-Forwarded-For": "203.0.113.7, nonsense, 10.1.1.1"}, "10.1.1.1"},
		{"only trusted hops", proxies, map[string]string{"X-Forwarded-For": "10.9.9.9, 10.1.1.1"}, "10.9.9.9"},
		{"with a port", proxies, map[string]string{"X-Forwarded-For": "203.0.113.7:5555"}, "203.0.113.7"},
		{"IPv6", proxies, map[string]string{"X-Forwarded-For": "2001:db9::1, 2001:db8::5"}, "2001:db9::1"},
		{"Forwarded", proxies, map[string]string{"Forwarded": `for=1.1.1.1, for="[2001:db9::2]:4711";proto=https, for=10.1.1.1`}, "2001:db9::2"},
		{"X-Forwarded-For wins over Forwarded", proxies, map[string]string{"X-Forwarded-For": "203.0.113.7", "Forwarded": "for=1.1.1.1"}, "203.0.113.7"},
		{"Forwarded unknown", proxies, map[string]string{"Forwarded": "for=unknown"}, "0.0.0.0"},
	}
	for _, c := range cases {
		app := fiber.New()
		app.Use(TrustProxies(c.trusted))
		app.Get("/", func(ctx *fiber.Ctx) error { return ctx.SendString(ClientIP(ctx)) })
		req := httptest.NewRequest("GET", "/", nil)
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		resp, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		if string(b) != c.want {
			t.Errorf("%s: client %q, want %q", c.name, b, c.want)
		}
	}
}
