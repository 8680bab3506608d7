package web

import (
	"slices"
	"sync"
)

// Cookie describes one cookie GroupCamp sets, for the cookie notice (modules/privacy renders
// it from this list, so the notice is the code's own list). Every cookie is first-party.
type Cookie struct {
	Name     string
	Purpose  string // message key
	Lifetime string // message key
	HTTPOnly bool
}

var (
	cookiesMu sync.Mutex
	cookies   []Cookie
)

// DeclareCookie adds a cookie to the list; the package that sets a cookie declares it beside
// the name it sets (a test checks that every Set-Cookie a flow sees is declared).
func DeclareCookie(c Cookie) string {
	cookiesMu.Lock()
	defer cookiesMu.Unlock()
	if !slices.ContainsFunc(cookies, func(d Cookie) bool { return d.Name == c.Name }) {
		cookies = append(cookies, c)
	}
	return c.Name
}

// Cookies lists the declared cookies, by name.
func Cookies() []Cookie {
	cookiesMu.Lock()
	defer cookiesMu.Unlock()
	out := slices.Clone(cookies)
	slices.SortFunc(out, func(a, b Cookie) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}
