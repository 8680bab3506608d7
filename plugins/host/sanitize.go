package host

import (
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// maxFragment bounds a section's HTML: a plugin answering more is answering junk.
const maxFragment = 256 << 10

// policy is what a plugin's HTML may keep: bluemonday's user-generated-content policy (no
// script, style, iframe, form or event attribute; http(s) and mailto links only, opened
// with rel=nofollow noopener), plus the <progress> bar and table captions status sections use.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowElements("progress", "caption", "section", "figure", "figcaption")
	p.AllowAttrs("max", "value").OnElements("progress")
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}()

// Sanitize makes a plugin's HTML safe to put in a page ("" for an oversized answer).
func Sanitize(fragment string) template.HTML {
	if len(fragment) > maxFragment {
		return ""
	}
	fragment = strings.Map(printable, strings.ToValidUTF8(fragment, ""))
	// #nosec: the policy has just removed what could run or restyle the page.
	return template.HTML(policy.Sanitize(fragment))
}

// printable drops control characters (but whitespace) and noncharacters: junk a page would
// show as boxes.
func printable(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return r
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfffe || r == 0xffff:
		return -1
	}
	return r
}
