package identity

import (
	"regexp"
	"strings"
	"sync"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`)

// reserved are top-level URL words that an account slug would shadow: the first segments of
// every registered route (Reserve, called by the App once its routes are known), and a few
// words kept for pages and hosts to come, so that no account takes them first.
var (
	reservedMu sync.RWMutex
	reserved   = map[string]bool{}
)

func init() {
	Reserve(strings.Fields(`about account accounts admin api app apps assets auth billing blog
		core dav docs download extranet favicon files help home ical invite legal mail new platform plugins
		privacy public register reset robots s security settings share signin signout status support
		system task terms track www`)...)
}

// Reserve adds top-level words no account slug may take. The set only grows: every App of the
// process (tests run several) reserves the same paths.
func Reserve(words ...string) {
	reservedMu.Lock()
	defer reservedMu.Unlock()
	for _, w := range words {
		reserved[strings.ToLower(w)] = true
	}
}

func isReserved(s string) bool {
	reservedMu.RLock()
	defer reservedMu.RUnlock()
	return reserved[s]
}

// CheckSlug returns a message when s cannot be an account slug, or "".
func CheckSlug(s string) string {
	switch {
	case len(s) < 3 || len(s) > 40:
		return "must be 3 to 40 characters"
	case !slugPattern.MatchString(s) || strings.Contains(s, "--"):
		return "may contain only a-z, 0-9 and single hyphens, not at either end"
	case isReserved(s):
		return "is a reserved word"
	}
	return ""
}

// vatPattern is the shape of an EU intra-community VAT number: a two-letter prefix and 2–13
// letters or digits. Checking it against VIES is the billing module's job.
var vatPattern = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z]{2,13}$`)
