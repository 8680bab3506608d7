package mailin

import (
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// Mail clients still send text in the charsets of their users' systems — ISO-8859-1 and
// Windows-1252 in Western Europe, KOI8-R and Windows-1251 in Russia — and headers encoded
// by RFC 2047 in any of them. Everything is turned into UTF-8 here, once, so that a comment
// or a file name never holds mojibake.

// encodingOf is the decoder of a charset label, by the WHATWG's names (which browsers
// agree on: "latin1" and "iso-8859-1" are Windows-1252, a superset) and then IANA's; nil
// for UTF-8, ASCII or an unknown label.
func encodingOf(label string) encoding.Encoding {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"`))
	switch label {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return nil
	}
	if e, err := htmlindex.Get(label); err == nil && e != nil {
		return e
	}
	if e, err := ianaindex.MIME.Encoding(label); err == nil && e != nil {
		return e
	}
	return nil
}

// toUTF8 decodes b from charset. Text that claims UTF-8 (or nothing) but is not, is read as
// Windows-1252: the usual culprit, and every byte is a character in it.
func toUTF8(b []byte, charset string) string {
	if e := encodingOf(charset); e != nil {
		if out, err := e.NewDecoder().Bytes(b); err == nil {
			return string(out)
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return string(out)
}

// words decodes RFC 2047 encoded words in any charset encodingOf knows.
var words = &mime.WordDecoder{CharsetReader: func(charset string, in io.Reader) (io.Reader, error) {
	if e := encodingOf(charset); e != nil {
		return e.NewDecoder().Reader(in), nil
	}
	return in, nil // UTF-8, ASCII; an unknown charset is passed through rather than refused
}}

// DecodeHeader is a header's value as text: its encoded words decoded, and raw 8-bit bytes
// (which some clients still send) read as Windows-1252 when they are not UTF-8.
func DecodeHeader(v string) string {
	if d, err := words.DecodeHeader(v); err == nil {
		v = d
	}
	return toUTF8([]byte(v), "")
}

// HTMLText turns an HTML body into readable text: paragraphs and line breaks kept, lists as
// "- " items, a link's address after its text, quoted blocks as "> " lines (so that Clean
// strips them from a reply like a plain-text quote), scripts, styles and the head left out.
func HTMLText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return ""
	}
	w := textWriter{bol: true}
	w.node(doc)
	lines := strings.Split(w.b.String(), "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(strings.TrimLeft(l, ">")) == "" && l != "" {
			l = strings.TrimSpace(l)
		}
		if l == "" {
			blank++
			if blank > 1 {
				continue // at most one blank line in a row
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// textWriter writes the text of an HTML tree, with the quote prefix of its nesting.
type textWriter struct {
	b     strings.Builder
	quote int
	bol   bool // at the beginning of a line
	space bool // a space is pending between two words
}

func (w *textWriter) newline() {
	w.b.WriteString("\n")
	w.bol, w.space = true, false
}

func (w *textWriter) text(s string) {
	if s == "" {
		return
	}
	if isSpace(s[0]) {
		w.space = true
	}
	fs := strings.Fields(s)
	for i, f := range fs {
		if w.bol {
			w.b.WriteString(strings.Repeat("> ", w.quote))
			w.bol = false
		} else if (w.space || i > 0) && w.b.Len() > 0 {
			w.b.WriteString(" ")
		}
		w.b.WriteString(f)
		w.space = false
	}
	if len(fs) > 0 && isSpace(s[len(s)-1]) {
		w.space = true
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' }

// blocks are the elements that start and end a line.
var blocks = map[atom.Atom]bool{atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Pre: true, atom.Table: true, atom.Ul: true, atom.Ol: true,
	atom.Blockquote: true, atom.Hr: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true, atom.Dd: true, atom.Dt: true}

func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Head, atom.Title, atom.Template:
			return
		case atom.Br:
			w.newline()
			return
		case atom.Img:
			for _, a := range n.Attr {
				if a.Key == "alt" && strings.TrimSpace(a.Val) != "" {
					w.text("[" + strings.TrimSpace(a.Val) + "]")
				}
			}
			return
		}
	}
	block := n.Type == html.ElementNode && blocks[n.DataAtom]
	if block && !w.bol && w.b.Len() > 0 {
		w.newline()
	}
	if n.DataAtom == atom.Blockquote {
		w.quote++
	}
	if n.DataAtom == atom.Li {
		w.text("-")
		w.space = true
	}
	if n.DataAtom == atom.Hr {
		w.text("---")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if n.DataAtom == atom.A {
		for _, a := range n.Attr {
			if a.Key == "href" && (strings.HasPrefix(a.Val, "http://") || strings.HasPrefix(a.Val, "https://")) && !strings.Contains(textOf(n), a.Val) {
				w.text(" <" + a.Val + ">")
			}
		}
	}
	if n.DataAtom == atom.Blockquote {
		w.quote--
	}
	if block {
		if !w.bol {
			w.newline()
		}
		if n.DataAtom == atom.P || n.DataAtom == atom.Blockquote {
			w.newline() // a paragraph ends with a blank line
		}
	}
}

// textOf is the text inside n.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
