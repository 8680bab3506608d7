package gantt

import (
	"bytes"
	"testing"
	"time"
)

// FuzzRender: whatever the labels, notes, dates, scale and language, Render does not panic
// and writes a well-formed SVG that keeps the invariants (no style attribute, ids resolve,
// every shape painted). Run with: go test -fuzz FuzzRender ./core/web/gantt/
func FuzzRender(f *testing.F) {
	f.Add("Design", "12 h / 16 h", "/a/p/1", int64(20000), int64(3), int64(19990), int64(60), uint8(0), "en", 50, uint8(0))
	f.Add(`<script>alert("x")</script> & 'q'`, "]]>", "javascript:alert(1)", int64(20100), int64(-4), int64(20000), int64(400), uint8(2), "fr", 120, uint8(5))
	f.Add("👩‍💻🇫🇷e\u0301 עברית العربية", "\x00\xff\ufffe", "//evil", int64(-1), int64(0), int64(0), int64(0), uint8(3), "ru-RU", -5, uint8(255))
	f.Add("", "", "", int64(1)<<40, int64(1)<<40, int64(-1)<<40, int64(1)<<41, uint8(1), "", 101, uint8(7))
	f.Add(string(bytes.Repeat([]byte("Très long libellé "), 40)), "n", "https://x", int64(19000), int64(2000), int64(18990), int64(1200), uint8(9), "xx", 33, uint8(3))
	f.Fuzz(func(t *testing.T, label, note, href string, start, length, from, span int64, scale uint8, lang string, progress int, flags uint8) {
		// Bound the day numbers to what time.Time can hold: its Unix range is wider still, so
		// these reach years far outside 0..9999.
		clamp := func(v int64) int64 { return min(max(v, -1<<40), 1<<40) }
		at := func(d int64) time.Time { return time.Unix(clamp(d)*86400, 0).UTC() }
		s := at(start)
		e := at(clamp(start) + clamp(length))
		c := Chart{
			Title: label,
			Scale: Scale(scale % 5),
			Lang:  lang,
			Rows: []Row{
				{ID: "l", Kind: List, Label: label},
				{ID: "a", Label: label, Note: note, Href: href, BarHref: href, Start: s, End: e, Progress: progress,
					Late: flags&1 != 0, Done: flags&2 != 0, Indent: int(flags >> 2)},
				{ID: "m", Kind: Milestone, Label: note, Start: e, Indent: 1, Late: flags&16 != 0},
				{ID: "b", Kind: Kind(flags % 4), Label: label + note, Start: e, End: s, Indent: int(flags % 3)},
				{ID: "u", Label: label}, // undated
			},
			Links:      []Link{{"a", "m"}, {"m", "b"}, {"b", "a"}, {"a", "u"}, {"l", "b"}},
			LabelWidth: int(flags) * 3,
			IDPrefix:   lang,
			OmitStyle:  flags&32 != 0,
			Script:     flags&4 != 0,
		}
		if flags&64 != 0 {
			c.From = at(from)
		}
		if flags&128 != 0 {
			c.To = at(clamp(from) + clamp(span))
		}
		if flags&8 != 0 {
			c.Today = at(from + span/2)
		}
		var b bytes.Buffer
		if err := Render(&b, c); err != nil {
			t.Fatal(err)
		}
		d := parse(t, b.Bytes())
		checkInvariants(t, d)
		if w := len(d.find("g", "label")); w != len(c.Rows) {
			t.Fatalf("labels: %d", w)
		}
	})
}
