package intranet

import (
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

// WordDiff is the difference between a and b word by word: the texts are cut into words,
// runs of spaces and single other characters; each distinct token becomes one rune, and
// diff-match-patch (github.com/sergi/go-diff, Myers' algorithm with its speed-ups) diffs those
// rune strings — the same trick as its line mode, one level down. Adjacent parts of the same
// kind are merged.
func WordDiff(a, b string) []DiffPart {
	ids := map[string]rune{}
	var words []string
	encode := func(s string) []rune {
		toks := tokens(s)
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
	ra, rb := encode(a), encode(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact: a wiki page is bounded (MaxWiki)
	diffs := dmp.DiffMainRunes(ra, rb, false)
	out := []DiffPart{}
	for _, d := range diffs {
		op := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = OpInsert
		case diffmatchpatch.DiffDelete:
			op = OpDelete
		}
		var text []byte
		for _, r := range d.Text {
			text = append(text, words[runeIndex(r)]...)
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += string(text)
			continue
		}
		out = append(out, DiffPart{Op: op, Text: string(text)})
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
