// Package validate holds the input checks shared by core and the modules (emails, names,
// lengths), each returning the message shown next to the field, or "" when the value is fine.
package validate

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxName is the longest name of a person, company, team or account.
const MaxName = 100

// Email checks an address: one plain address, no display name, at most 254 characters.
func Email(s string) string {
	if s == "" {
		return "is required"
	}
	if len(s) > 254 {
		return "must be at most 254 characters"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return "must be a valid email address"
	}
	return ""
}

// NormalizeEmail trims and lower-cases an address so that uniqueness is case-insensitive.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Name checks a required display name of at most max characters without control characters.
func Name(s string, max int) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "is required"
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "must not contain control characters"
	}
	return ""
}

// OneOf checks that s is one of the allowed values.
func OneOf(s string, allowed ...string) string {
	for _, a := range allowed {
		if s == a {
			return ""
		}
	}
	return "must be one of: " + strings.Join(allowed, ", ")
}

// Text checks free text written by people (a description, a comment in Markdown): at most
// max characters, line breaks and tabs allowed, no other control characters (a NUL byte
// cannot be stored in PostgreSQL text). required says whether an empty text is refused.
func Text(s string, max int, required bool) string {
	if required && strings.TrimSpace(s) == "" {
		return "is required"
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0 {
		return "must not contain control characters"
	}
	return ""
}

// Control reports whether s holds a control character (or invalid UTF-8); with multiline, line
// breaks and tabs are allowed.
func Control(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for i := 0; i < len(s); i++ {
		// Fast path: ASCII text without control characters is most of what arrives.
		if b := s[i]; b < 0x20 || b >= 0x7f {
			return strings.IndexFunc(s[i:], func(r rune) bool {
				return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
			}) >= 0
		}
	}
	return false
}

// Clean is s without its control characters and invalid UTF-8 (for naming a field whose very
// name is bad).
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// Clip cuts s to at most n bytes without splitting a character (a byte cut can leave invalid
// UTF-8, which PostgreSQL refuses to store).
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
