package auth

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// Scopes of a personal API token. They narrow what the token may do; they never widen its
// owner's role, whose capability check still applies to every request.
//
//   - ScopeWrite: everything the person may do (the default, and what every token issued
//     before scopes existed holds).
//   - ScopeRead: reads anywhere the person may read; any request other than GET or HEAD is
//     refused (403).
//   - "<prefix>:read" and "<prefix>:write": only routes whose capability object is prefix or
//     starts with "prefix." ("projects:read" reaches projects, projects.tasks and
//     projects.comments, and nothing else in the account); :write adds that module's writes.
//
// Outside an account (GET /api/v1/me, the token list) any token may read; writing there
// (creating a token, changing the profile) needs ScopeWrite, so a narrow token cannot mint a
// wider one. Platform consoles need ScopeRead or ScopeWrite. Sessions (browser cookie, login
// token) have no scopes: they are the person.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
	// MaxScopes bounds the scopes of one token.
	MaxScopes = 20
)

// Scopes is a token's list of scopes, kept in the database as one space-separated text.
type Scopes []string

// Value stores the scopes as "read projects:write".
func (s Scopes) Value() (driver.Value, error) { return strings.Join(s, " "), nil }

// Scan reads the space-separated text back.
func (s *Scopes) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s = nil
	case string:
		*s = strings.Fields(v)
	case []byte:
		*s = strings.Fields(string(v))
	default:
		return fmt.Errorf("auth: scopes from %T", src)
	}
	return nil
}

// Full reports whether the scopes allow everything the person's role allows (no scopes at
// all is a session's case: full too).
func (s Scopes) Full() bool { return len(s) == 0 || slices.Contains(s, ScopeWrite) }

// writes reports whether any scope allows a write somewhere.
func (s Scopes) writes() bool {
	for _, sc := range s {
		if sc == ScopeWrite || strings.HasSuffix(sc, ":"+ScopeWrite) {
			return true
		}
	}
	return false
}

// covers reports whether a module scope of s reaches object, for a write or for a read.
func (s Scopes) covers(object string, write bool) bool {
	for _, sc := range s {
		prefix, level, ok := strings.Cut(sc, ":")
		if !ok || (write && level != ScopeWrite) {
			continue
		}
		if object == prefix || strings.HasPrefix(object, prefix+".") {
			return true
		}
	}
	return false
}

// isWrite reports whether a request with this method changes something (anything but GET,
// HEAD and OPTIONS), as the Gate counts it.
func isWrite(method string) bool {
	// PROPFIND is WebDAV's listing (RFC 4918: safe): a read-only token mounts the files.
	return method != fiber.MethodGet && method != fiber.MethodHead && method != fiber.MethodOptions && method != "PROPFIND"
}

// AppPassword reports whether raw is a personal API token: the only secret HTTP Basic may
// carry as its password (WebDAV clients' "app password"), never a session's.
func AppPassword(raw string) bool { return strings.HasPrefix(raw, prefixPersonal) }

// Permit answers whether a token holding s may send a request with that method to a route
// guarded by g: nil when it may, else a 403 problem that says why. Public routes never get
// here (nobody is authenticated on them).
func (s Scopes) Permit(method string, g api.Guard) error {
	if s.Full() {
		return nil
	}
	write := isWrite(method)
	if write && !s.writes() {
		return problem.Forbidden("this API token is read-only: it may only send GET and HEAD requests")
	}
	read := slices.Contains(s, ScopeRead)
	switch {
	case g.Authenticated:
		if !write {
			return nil
		}
		return problem.Forbidden(fmt.Sprintf("this API token is limited to %s: changes outside an account need a token with the %q scope", strings.Join(s, " "), ScopeWrite))
	case g.Object == "":
		if !write && read {
			return nil
		}
	case s.covers(g.Object, write) || (!write && read):
		return nil
	}
	verb := "read"
	if write {
		verb = "change"
	}
	what := "this"
	if g.Object != "" {
		what = g.Object
	}
	return problem.Forbidden(fmt.Sprintf("this API token is limited to %s: it may not %s %s", strings.Join(s, " "), verb, what))
}

// ScopeObjects are the capability objects of a policy and their dotted prefixes
// ("projects.tasks" also makes "projects"): what a module scope may name. The App sets
// Service.Objects from the policy it assembled (core's and every module's).
func ScopeObjects(capabilities []string) []string {
	seen := map[string]bool{}
	for _, c := range capabilities {
		obj, _, _ := strings.Cut(c, ":")
		if obj == "" || strings.ContainsAny(obj, "*?() ") {
			continue
		}
		for {
			seen[obj] = true
			i := strings.LastIndexByte(obj, '.')
			if i <= 0 {
				break
			}
			obj = obj[:i]
		}
	}
	out := make([]string, 0, len(seen))
	for o := range seen {
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}

// CheckScopes normalizes the scopes asked for a new token (trimmed, lower case, without
// repeats; none means ScopeWrite) and reports each unknown one into f on its field, scopes[i];
// objects are the known ones (ScopeObjects).
func CheckScopes(in, objects []string, f *problem.Fields) Scopes {
	if len(in) == 0 {
		return Scopes{ScopeWrite}
	}
	if len(in) > MaxScopes {
		f.Add("scopes", fmt.Sprintf("must hold at most %d scopes", MaxScopes))
		return nil
	}
	out := make(Scopes, 0, len(in))
	for i, raw := range in {
		sc := strings.ToLower(strings.TrimSpace(raw))
		ok := sc == ScopeRead || sc == ScopeWrite
		if prefix, level, cut := strings.Cut(sc, ":"); cut && (level == ScopeRead || level == ScopeWrite) {
			_, ok = slices.BinarySearch(objects, prefix)
		}
		if !ok {
			f.Add(fmt.Sprintf("scopes[%d]", i), fmt.Sprintf("is not a scope: use %q, %q, or <module>:read / <module>:write with a module among %s",
				ScopeRead, ScopeWrite, strings.Join(objects, ", ")))
			continue
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out
}
