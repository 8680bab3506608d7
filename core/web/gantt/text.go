package gantt

import (
	"unicode"
	"unicode/utf8"
)

// Text measurement without font metrics: the SVG is rendered by whatever the viewer has
// (browser, rsvg, a print driver), so exact widths are unknowable here. The estimate leans
// wide, so that a label cut to the column fits in common sans-serif fonts; the label column
// also has a clip path, so a font wider still clips instead of running into the bars.

// asciiEm holds the estimated advance of ASCII characters in em; a table, because labels are
// measured on every render and a switch per character showed in profiles.
var asciiEm = func() (t [utf8.RuneSelf]float64) {
	for r := range t {
		t[r] = 0.6
	}
	for r := 'A'; r <= 'Z'; r++ {
		t[r] = 0.7
	}
	for r := '0'; r <= '9'; r++ {
		t[r] = 0.64
	}
	for _, r := range " iljI.,:;!|'`" {
		t[r] = 0.32
	}
	for _, r := range `ftr()[]-/"` {
		t[r] = 0.42
	}
	for _, r := range "mwMW@%" {
		t[r] = 0.92
	}
	return t
}()

// runeEm is the estimated advance of r in em.
func runeEm(r rune) float64 {
	if r >= 0 && r < utf8.RuneSelf {
		return asciiEm[r]
	}
	switch {
	case zeroWidth(r):
		return 0
	case wide(r):
		return 1.1
	default:
		// Cyrillic, Greek, Latin with diacritics, Arabic, Hebrew...: a little wider than
		// ASCII lower case on average.
		return 0.66
	}
}

// zeroWidth: combining marks, joiners, variation selectors, bidi controls.
func zeroWidth(r rune) bool {
	switch {
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF:
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	case r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069):
		return true
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin-tone modifiers join the emoji before them
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me)
}

// wide: East Asian wide and fullwidth characters, emoji.
func wide(r rune) bool {
	return (r >= 0x1100 && r <= 0x115F) || (r >= 0x2E80 && r <= 0xA4CF) ||
		(r >= 0xAC00 && r <= 0xD7A3) || (r >= 0xF900 && r <= 0xFAFF) ||
		(r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF60) ||
		(r >= 0xFFE0 && r <= 0xFFE6) || (r >= 0x2600 && r <= 0x27BF) ||
		(r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x20000 && r <= 0x3FFFD)
}

func regionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// textWidth is the estimated width of s in pixels at font size px.
func textWidth(s string, px float64) float64 {
	var em float64
	for _, r := range s {
		em += runeEm(r)
	}
	return em * px
}

const ellipsisEm = 1.0

// fit returns how many bytes of s to keep so that s fits in max pixels at font size px, and
// whether it was cut (the caller then appends "…", whose width is accounted for). The cut
// never splits a character from the combining marks, joiners or variation selectors after
// it, nor a flag's pair of regional indicators, so a cut emoji sequence disappears whole
// instead of decaying into a different glyph or a lone modifier.
func fit(s string, max, px float64) (n int, cut bool) {
	if textWidth(s, px) <= max {
		return len(s), false
	}
	budget := max/px - ellipsisEm
	var em float64
	n = 0
	// Zero-width characters always fit, so the walk stops before a visible character: the
	// characters kept so far end on a complete cluster unless the last one is a joiner.
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		w := runeEm(r)
		if em+w > budget {
			break
		}
		em += w
		n += size
	}
	if last, _ := utf8.DecodeLastRuneInString(s[:n]); last == 0x200D {
		// The joined sequence (👩‍💻) lost its last part: drop it whole.
		n = clusterStart(s, n)
	}
	n = trimJoiners(s, n)
	// Regional indicators pair up into flags: never keep an odd trailing one.
	ri := 0
	for j := n; j > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !regionalIndicator(r) {
			break
		}
		ri++
		j -= size
	}
	if ri%2 == 1 {
		_, size := utf8.DecodeLastRuneInString(s[:n])
		n -= size
	}
	// No trailing blanks before the ellipsis.
	for n > 0 && s[n-1] == ' ' {
		n--
	}
	return n, true
}

// clusterStart is the start of the character, with its trailing zero-width extenders, that
// ends at byte n (walking back over extenders and joined characters).
func clusterStart(s string, n int) int {
	for n > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:n])
		n -= size
		if !zeroWidth(r) {
			// r is a base; if it is itself joined to what precedes, keep walking.
			if n > 0 {
				p, _ := utf8.DecodeLastRuneInString(s[:n])
				if p == 0x200D {
					continue
				}
			}
			return n
		}
	}
	return 0
}

// trimJoiners drops zero-width characters dangling at the end of s[:n].
func trimJoiners(s string, n int) int {
	for n > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:n])
		if r != 0x200D && !(r >= 0x202A && r <= 0x202E) && !(r >= 0x2066 && r <= 0x2069) {
			return n
		}
		n -= size
	}
	return n
}

// rtl reports whether the first strong character of s is right-to-left (Hebrew, Arabic,
// Syriac, Thaana, N'Ko...), so the label is laid out right-to-left and its ellipsis lands at
// its logical end.
func rtl(s string) bool {
	for _, r := range s {
		if r < 0x590 {
			if unicode.IsLetter(r) {
				return false
			}
			continue
		}
		if (r >= 0x590 && r <= 0x8FF) || (r >= 0xFB1D && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF) ||
			(r >= 0x10800 && r <= 0x10FFF) || (r >= 0x1E800 && r <= 0x1EFFF) {
			if unicode.IsLetter(r) {
				return true
			}
			continue
		}
		if unicode.IsLetter(r) {
			return false
		}
	}
	return false
}
