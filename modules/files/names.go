package files

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"groupcamp/core/problem"
)

// MaxName is the longest name of a file or folder, in bytes (what file systems allow).
const MaxName = 255

// checkName validates a file or folder name and returns it in NFC and its key for
// uniqueness: a name is at most 255 bytes of UTF-8, holds no "/", "\", NUL or other control
// character, is not "." or "..", and does not begin or end with a space.
func checkName(f *problem.Fields, field, name string) (string, string) {
	name = norm.NFC.String(strings.TrimSpace(name))
	switch {
	case name == "":
		f.Add(field, "must not be empty")
	case !utf8.ValidString(name):
		f.Add(field, "must be valid UTF-8")
	case len(name) > MaxName:
		f.Add(field, "must be at most 255 bytes")
	case name == "." || name == "..":
		f.Add(field, "must not be . or ..")
	case strings.ContainsAny(name, `/\`):
		f.Add(field, `must not contain / or \`)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		f.Add(field, "must not contain control characters")
	}
	return name, nameKey(name)
}

// nameKey folds a name for comparison: NFC, then Unicode case folding, then NFC again, so
// "Résumé.pdf", "RÉSUMÉ.PDF" and "Re\u0301sume\u0301.pdf" are one name.
func nameKey(name string) string {
	return norm.NFC.String(cases.Fold().String(norm.NFC.String(name)))
}
