package app

import (
	"strings"
	"testing"
)

// TestBodyRuleWildcard: a rule whose last segment is "*" (WebDAV's /dav/:slug/*) matches any
// path below its prefix, one segment or more, and only with its method; the other rules keep
// matching their exact number of segments.
func TestBodyRuleWildcard(t *testing.T) {
	dav := bodyRule{method: "PUT", segments: strings.Split("dav/:slug/*", "/")}
	up := bodyRule{method: "POST", segments: strings.Split("api/v1/:slug/folders/:id/files", "/")}
	for _, c := range []struct {
		rule   bodyRule
		method string
		path   string
		want   bool
	}{
		{dav, "PUT", "dav/acme/Docs/a.txt", true},
		{dav, "PUT", "dav/acme/a.txt", true},
		{dav, "PUT", "dav/acme", false},
		{dav, "GET", "dav/acme/a.txt", false},
		{dav, "PUT", "files/acme/a.txt", false},
		{up, "POST", "api/v1/acme/folders/3/files", true},
		{up, "POST", "api/v1/acme/folders/3/files/x", false},
	} {
		if got := c.rule.matches(c.method, strings.Split(c.path, "/")); got != c.want {
			t.Errorf("%v %s %s: %v, want %v", c.rule.segments, c.method, c.path, got, c.want)
		}
	}
}
