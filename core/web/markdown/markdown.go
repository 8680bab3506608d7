// Package markdown turns what people write (task descriptions, comments) into HTML that is safe
// to put in a page. Text is Markdown as GitHub writes it (tables, strikethrough, bare links);
// the output goes through an allow-list sanitizer, so whatever HTML a person types — a script,
// an onerror attribute, a javascript: link — never reaches another person's browser. The parser
// passes raw HTML through (its default drops a whole HTML block, so "<div>…</div> please review"
// showed nothing) and the sanitizer is the wall: it keeps the text and the harmless tags, and
// removes scripts, styles, handlers and dangerous link schemes.
package markdown

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// MaxSource is the most of a text that is rendered; callers bound what they store well below
// it, so this only guards against a page stalling on an unexpected giant.
const MaxSource = 200 << 10

var (
	parser = goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		// People type line breaks and expect them kept; raw HTML goes on to the sanitizer.
		goldmark.WithRendererOptions(html.WithHardWraps(), html.WithUnsafe()),
	)
	policy = newPolicy()
	bufs   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// newPolicy allows what Markdown produces and nothing that runs: the user-generated-content
// policy (no scripts, styles, event handlers, or non-http(s)/mailto links), with links marked
// nofollow and opened apart from the page.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true) // also adds rel="noopener"
	p.AllowURLSchemes("http", "https", "mailto")
	return p
}

// HTML renders src as sanitized HTML.
func HTML(src string) template.HTML {
	if src == "" {
		return ""
	}
	if len(src) > MaxSource {
		src = src[:MaxSource]
	}
	buf := bufs.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); bufs.Put(buf) }()
	if err := parser.Convert([]byte(src), buf); err != nil {
		// The parser fails only on a writer error, which a buffer never gives; show the text.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}
