package identity

import (
	"regexp"
	"strings"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`)

// reserved are top-level URL words that an account slug would shadow.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`about account accounts admin api app apps assets auth billing blog
		dav docs download extranet favicon files healthz help home ical invitations invite legal login logout
		mail metrics new openapi password platform plugins privacy public readyz register reset robots s
		security settings share signin signout signup static status support system terms tokens www`) {
		reserved[w] = true
	}
}

// CheckSlug returns a message when s cannot be an account slug, or "".
func CheckSlug(s string) string {
	switch {
	case len(s) < 3 || len(s) > 40:
		return "must be 3 to 40 characters"
	case !slugPattern.MatchString(s) || strings.Contains(s, "--"):
		return "may contain only a-z, 0-9 and single hyphens, not at either end"
	case reserved[s]:
		return "is a reserved word"
	}
	return ""
}

// vatPattern is the shape of an EU intra-community VAT number: a two-letter prefix and 2–13
// letters or digits. Checking it against VIES is the billing module's job.
var vatPattern = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z]{2,13}$`)
