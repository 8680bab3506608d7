package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLocalPath bounds a redirect target taken from a request.
const MaxLocalPath = 2048

// LocalPath reports whether raw — a redirect target that came from the request (a "next" or
// "back" query or form value) — is a path of this site, and so safe to put in a Location
// header. It is the one check of every such target (SafeNext wraps it).
//
// Browsers are lenient: they drop tabs and newlines anywhere in a URL, read a backslash as a
// slash, and take "//host" (or "/\t/host", "/\\host") as another site. So a target must start
// with exactly one "/", hold no control, space or backslash, no "//" in its path, no scheme,
// host or user; and the same must hold once its path is percent-decoded (once, twice, ...), so
// that a target decoded again on the way (a proxy, a later redirect) stays local too.
func LocalPath(raw string) bool {
	if raw == "" || len(raw) > MaxLocalPath || !utf8.ValidString(raw) {
		return false
	}
	if !localForm(raw) {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	// The path part, decoded until it stops changing (a few rounds at most).
	p, _, _ := strings.Cut(raw, "?")
	p, _, _ = strings.Cut(p, "#")
	for range 3 {
		d, err := url.PathUnescape(p)
		if err != nil || !utf8.ValidString(d) {
			return false
		}
		if d == p {
			break
		}
		if !localForm(d) {
			return false
		}
		p = d
	}
	return !strings.Contains(p, "//")
}

// localForm checks the characters and the start of a target, as given or decoded.
func localForm(s string) bool {
	if len(s) == 0 || s[0] != '/' || (len(s) > 1 && s[1] == '/') {
		return false
	}
	path, _, _ := strings.Cut(s, "?")
	path, _, _ = strings.Cut(path, "#")
	if strings.Contains(path, "//") {
		return false
	}
	for _, r := range s {
		if r == '\\' || r == ' ' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// SafeNext returns next when it is a local path (LocalPath), else fallback. Every redirect to
// a target from the request goes through it.
func SafeNext(next, fallback string) string {
	if LocalPath(next) {
		return next
	}
	return fallback
}
