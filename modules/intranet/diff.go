package intranet

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Diff operations.
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
)

// WordDiff is the difference between a and b word by word, in two passes as git's word diff
// does: first line by line (most of a page is untouched paragraphs, which this pass skips in
// one go), then word by word inside each run of changed lines. Both passes use
// diff-match-patch (github.com/sergi/go-diff, Myers' algorithm with its speed-ups) on rune
// strings where each distinct line, then each distinct token (a word, a run of spaces, one
// other character), is one rune — the library's own line-mode trick. Adjacent parts of the
// same kind are merged.
func WordDiff(a, b string) []DiffPart {
	out := []DiffPart{}
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 || ins.Len() > 0 {
			for _, p := range diffTokens(tokens(del.String()), tokens(ins.String())) {
				out = appendPart(out, p.Op, p.Text)
			}
			del.Reset()
			ins.Reset()
		}
	}
	for _, p := range diffTokens(lines(a), lines(b)) {
		switch p.Op {
		case OpDelete:
			del.WriteString(p.Text)
		case OpInsert:
			ins.WriteString(p.Text)
		default:
			flush()
			out = appendPart(out, OpEqual, p.Text)
		}
	}
	flush()
	return out
}

// appendPart adds a part, merged into the last one when it is of the same kind.
func appendPart(out []DiffPart, op, text string) []DiffPart {
	if text == "" {
		return out
	}
	if n := len(out); n > 0 && out[n-1].Op == op {
		out[n-1].Text += text
		return out
	}
	return append(out, DiffPart{Op: op, Text: text})
}

// diffTokens diffs two token lists, each distinct token standing as one rune.
func diffTokens(ta, tb []string) []DiffPart {
	ids := map[string]rune{}
	var words []string
	encode := func(toks []string) []rune {
		out := make([]rune, len(toks))
		for i, t := range toks {
			r, ok := ids[t]
			if !ok {
				r = tokenRune(len(words))
				ids[t] = r
				words = append(words, t)
			}
			out[i] = r
		}
		return out
	}
	ra, rb := encode(ta), encode(tb)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact: a wiki page is bounded (MaxWiki)
	var out []DiffPart
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		op := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = OpInsert
		case diffmatchpatch.DiffDelete:
			op = OpDelete
		}
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(words[runeIndex(r)])
		}
		out = appendPart(out, op, text.String())
	}
	return out
}

// lines cuts s into lines, each with its line break.
func lines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// tokenRune is the rune standing for the i-th distinct token: valid runes only (the surrogate
// range is skipped), as the library turns rune slices into strings and back.
func tokenRune(i int) rune {
	r := rune(i + 1)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

func runeIndex(r rune) int {
	if r >= 0xD800+0x800 {
		r -= 0x800
	}
	return int(r) - 1
}

// tokens cuts s into words (letters, digits, marks), runs of white space, and single other
// characters (punctuation), so that the diff shows whole words.
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case isWordRune(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += n2
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}
