package markdown

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRendersMarkdown(t *testing.T) {
	got := string(HTML("**bold** and _it_\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ see https://example.com"))
	for _, want := range []string{"<strong>bold</strong>", "<em>it</em>", "<li>one</li>", "<table>", "<td>1</td>", "<del>gone</del>",
		`href="https://example.com"`, `rel="nofollow noopener"`, `target="_blank"`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
}

func TestKeepsLineBreaks(t *testing.T) {
	if got := string(HTML("first\nsecond")); !strings.Contains(got, "<br") {
		t.Errorf("a typed line break is lost: %s", got)
	}
}

// Nothing a person writes may run in another person's browser.
func TestSanitizes(t *testing.T) {
	for _, src := range []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror="alert(1)">`,
		`[click](javascript:alert(1))`,
		`[click](JaVaScRiPt:alert(1))`,
		`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		`<a href="javascript:alert(1)">x</a>`,
		`<iframe src="https://evil.example"></iframe>`,
		`<div style="background:url(javascript:alert(1))">x</div>`,
		"![x](https://example.com/a.png\" onerror=\"alert(1))",
		`<svg/onload=alert(1)>`,
	} {
		if bad := unsafePart(string(HTML(src))); bad != "" {
			t.Errorf("%q renders %q, which holds %s", src, HTML(src), bad)
		}
	}
}

// unsafePart names what in markup could run: an element other than text formatting, an event
// handler or style attribute, a link or source with a scheme other than http(s)/mailto. Text
// that merely reads "onerror=" is harmless: it is escaped, and the tokenizer sees it as text.
func unsafePart(markup string) string {
	z := html.NewTokenizer(strings.NewReader(markup))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "iframe", "svg", "object", "embed", "style", "form", "input":
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(a.Key, "on"), a.Key == "style":
					return "attribute " + a.Key
				case (a.Key == "href" || a.Key == "src") && hasScheme(v) && !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "mailto:")):
					return a.Key + "=" + v
				}
			}
		}
	}
}

func TestEmptyAndHuge(t *testing.T) {
	if HTML("") != "" {
		t.Fatal("empty text should render nothing")
	}
	if got := HTML(strings.Repeat("a ", MaxSource)); len(got) == 0 || len(got) > 2*MaxSource {
		t.Fatalf("a giant text renders %d bytes", len(got))
	}
}

func FuzzHTML(f *testing.F) {
	f.Add(`<a href="javascript:x">y</a> **z**`)
	f.Fuzz(func(t *testing.T, src string) {
		if bad := unsafePart(string(HTML(src))); bad != "" {
			t.Fatalf("%q renders %q, which holds %s", src, HTML(src), bad)
		}
	})
}

func BenchmarkHTML(b *testing.B) {
	src := strings.Repeat("A paragraph with **bold**, a [link](https://example.com) and `code`.\n\n- item\n- item\n\n", 20)
	b.ReportAllocs()
	for b.Loop() {
		HTML(src)
	}
}

// hasScheme tells a URL with a scheme ("x:...") from a relative one ("/a", "b?c:d").
func hasScheme(u string) bool {
	i := strings.IndexAny(u, ":/?#")
	return i > 0 && u[i] == ':'
}

// TestKeepsTheTextOfHTMLBlocks: a comment that begins with an HTML block keeps its text (the
// parser's default dropped the whole block).
func TestKeepsTheTextOfHTMLBlocks(t *testing.T) {
	for src, want := range map[string]string{
		"<div>hello</div> please review":         "please review",
		"<p>para</p>\ntext":                      "text",
		"<div onclick=\"x()\">click</div> after": "click",
		"<script>alert(1)</script> safe":         "safe",
	} {
		got := string(HTML(src))
		if !strings.Contains(got, want) {
			t.Errorf("%q renders %q, without %q", src, got, want)
		}
		if strings.Contains(got, "onclick") || strings.Contains(got, "<script") || strings.Contains(got, "alert(1)") {
			t.Errorf("%q renders %q, which runs something", src, got)
		}
	}
}
