package host_test

import (
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/plugins/host"
)

// TestPluginsQuota: the plan's "plugins" quota is asked when a plugin is turned on. On the
// starter plan (no plugins) enabling one is a 402 naming the quota and the team plan that
// lifts it, and nothing is enabled; once on the team plan it goes on, and saving its settings
// again (already on) is no second plugin.
func TestPluginsQuota(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		own := e.As(o.owner)
		billing := o.base + "/billing"
		for _, step := range []struct {
			path string
			body map[string]any
		}{
			{"/details", map[string]any{"legal_name": "Office " + o.acc.Slug, "address": "1 Main Street", "country": "FR"}},
			{"/payment-method", map[string]any{"gateway_token": "tok_test_visa"}},
			{"/subscription", map[string]any{"plan": "starter", "offerings": []string{"projects", "files"}, "seats": 3}},
		} {
			put := own.Post
			if step.path == "/details" {
				put = own.Put
			}
			if r := put(billing+step.path, step.body); r.Status != http.StatusOK {
				t.Fatalf("billing %s: %d %s", step.path, r.Status, r.Body)
			}
		}
		r := own.Post(o.base+"/plugins/status-report/enable", nil)
		body := r.String()
		if r.Status != http.StatusPaymentRequired || !strings.Contains(body, "plugins") || !strings.Contains(body, "team") || r.FieldErrors()["quota"] == "" {
			t.Fatalf("a plugin on the starter plan: %d %s, want a 402 naming the plugins quota and the team plan", r.Status, body)
		}
		var p host.Plugin
		own.Get(o.base+"/plugins/status-report").JSON(t, &p)
		if p.Enabled {
			t.Fatal("the refused plugin is on")
		}
		if r := own.Post(billing+"/subscription", map[string]any{"plan": "team", "offerings": []string{"projects", "files"}, "seats": 3}); r.Status != http.StatusOK {
			t.Fatalf("upgrade: %d %s", r.Status, r.Body)
		}
		o.enable(t, "status-report", nil, nil)
		o.enable(t, "status-report", nil, nil) // already on: not counted again
	})
}
