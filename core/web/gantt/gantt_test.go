package gantt

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// node is a parsed element with what the tests look at.
type node struct {
	name    string
	attr    map[string]string
	text    string // character data directly inside
	parents []*node
}

func (n *node) class() string { return n.attr["class"] }

func (n *node) hasClass(c string) bool {
	for _, f := range strings.Fields(n.class()) {
		if f == c {
			return true
		}
	}
	return false
}

// inherited is the attribute on n or its nearest ancestor that has it.
func (n *node) inherited(a string) (string, bool) {
	if v, ok := n.attr[a]; ok {
		return v, true
	}
	for i := len(n.parents) - 1; i >= 0; i-- {
		if v, ok := n.parents[i].attr[a]; ok {
			return v, true
		}
	}
	return "", false
}

func (n *node) under(class string) bool {
	for _, p := range n.parents {
		if p.hasClass(class) {
			return true
		}
	}
	return false
}

type doc struct {
	raw   string
	nodes []*node
	root  *node
}

// parse checks that out is well-formed XML (encoding/xml in strict mode rejects bad UTF-8,
// characters XML cannot carry, unbalanced tags, undeclared entities) and flattens it.
func parse(t testing.TB, out []byte) *doc {
	t.Helper()
	d := &doc{raw: string(out)}
	if err := parseInto(d, out); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, head(out))
	}
	return d
}

func parseInto(d *doc, out []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = true
	var stack []*node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name.Local, attr: map[string]string{}, parents: append([]*node(nil), stack...)}
			for _, a := range tk.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			if d.root == nil {
				d.root = n
			} else if len(stack) == 0 {
				return errors.New("more than one root element")
			}
			d.nodes = append(d.nodes, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	if d.root == nil || d.root.name != "svg" {
		return errors.New("no svg root")
	}
	return nil
}

func head(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

func (d *doc) find(name, class string) []*node {
	var out []*node
	for _, n := range d.nodes {
		if n.name == name && (class == "" || n.hasClass(class)) {
			out = append(out, n)
		}
	}
	return out
}

func render(t testing.TB, c Chart) *doc {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, c); err != nil {
		t.Fatal(err)
	}
	return parse(t, b.Bytes())
}

var urlRef = regexp.MustCompile(`url\(#([^)]+)\)`)

// checkInvariants: what every output must satisfy, whatever the input.
func checkInvariants(t testing.TB, d *doc) {
	t.Helper()
	r := d.root
	if r.attr["xmlns"] != "http://www.w3.org/2000/svg" || r.attr["role"] != "img" {
		t.Fatalf("root: %v", r.attr)
	}
	w, h := r.attr["width"], r.attr["height"]
	if r.attr["viewBox"] != "0 0 "+w+" "+h {
		t.Fatalf("viewBox %q vs %sx%s", r.attr["viewBox"], w, h)
	}
	ids := map[string]bool{}
	for _, n := range d.nodes {
		if id, ok := n.attr["id"]; ok {
			if ids[id] {
				t.Fatalf("duplicate id %q", id)
			}
			ids[id] = true
		}
		// The CSP forbids inline styles: presentation attributes only.
		if _, ok := n.attr["style"]; ok {
			t.Fatalf("style attribute on <%s>", n.name)
		}
		if n.name == "script" || n.name == "foreignObject" {
			t.Fatalf("<%s> in output", n.name)
		}
		for k, v := range n.attr {
			if strings.HasPrefix(k, "on") {
				t.Fatalf("event handler attribute %s", k)
			}
			for _, m := range urlRef.FindAllStringSubmatch(v, -1) {
				defer func(id string) {
					if !ids[id] {
						t.Errorf("url(#%s) points nowhere", id)
					}
				}(m[1])
			}
		}
		// Every shape is painted by attributes, so it renders without any stylesheet.
		switch n.name {
		case "rect", "path":
			_, f := n.inherited("fill")
			_, s := n.inherited("stroke")
			if !f && !s {
				t.Fatalf("<%s class=%q> has neither fill nor stroke", n.name, n.class())
			}
		case "a":
			href := n.attr["href"]
			if href != "" && !strings.HasPrefix(href, "/") && !strings.HasPrefix(strings.ToLower(href), "http") {
				t.Fatalf("unsafe href %q", href)
			}
		}
	}
	for _, ref := range strings.Fields(r.attr["aria-labelledby"]) {
		if !ids[ref] {
			t.Fatalf("aria-labelledby %q has no element", ref)
		}
	}
	if len(d.find("title", "")) == 0 || len(d.find("desc", "")) == 0 {
		t.Fatal("no title or desc")
	}
}

func TestSampleStructure(t *testing.T) {
	c := sampleChart()
	d := render(t, c)
	checkInvariants(t, d)

	if got := d.root.attr["aria-labelledby"]; got != "gantt-title gantt-desc" {
		t.Fatalf("aria-labelledby %q", got)
	}
	if got := d.find("title", "")[0].text; got != c.Title {
		t.Fatalf("title %q", got)
	}
	// 13 tasks, 12 of them dated; t12 runs past To (clipped, still a bar).
	if n := len(d.find("rect", "bar")); n != 12 {
		t.Fatalf("bars: %d", n)
	}
	if n := len(d.find("path", "diamond")); n != 3 {
		t.Fatalf("diamonds: %d", n)
	}
	if n := len(d.find("path", "summary")); n != 4 {
		t.Fatalf("summaries: %d", n)
	}
	if n := len(d.find("path", "link")); n != len(c.Links) {
		t.Fatalf("arrows: %d, want %d", n, len(c.Links))
	}
	for _, p := range d.find("path", "link") {
		if p.attr["marker-end"] != "url(#gantt-arrow)" {
			t.Fatalf("arrow without head: %v", p.attr)
		}
	}
	if n := len(d.find("g", "label")); n != len(c.Rows) {
		t.Fatalf("labels: %d", n)
	}
	// Progress overlays: tasks with progress > 0 or done.
	if n := len(d.find("rect", "progress")); n != 5 {
		t.Fatalf("progress bars: %d", n)
	}
	// Late and done carry their classes on the row groups, in both columns.
	lates, dones := 0, 0
	for _, g := range d.find("g", "") {
		if g.under("bars") && g.hasClass("late") {
			lates++
		}
		if g.under("bars") && g.hasClass("done") {
			dones++
			if g.attr["opacity"] == "" {
				t.Fatal("done row not dimmed")
			}
		}
	}
	if lates != 1 || dones != 3 {
		t.Fatalf("late %d done %d", lates, dones)
	}
	for _, r := range d.find("rect", "bar") {
		if r.parents[len(r.parents)-1].hasClass("late") && r.attr["stroke"] != cLate {
			t.Fatal("late bar not in the late colour")
		}
	}
	// The linked label.
	if as := d.find("a", ""); len(as) != 1 || as[0].attr["href"] != "/acme/projects/7/tasks/1" {
		t.Fatalf("links: %v", as)
	}
	// The embedded style is there, and scoped.
	st := d.find("style", "")
	if len(st) != 1 || !strings.HasPrefix(st[0].text, "svg.gantt") {
		t.Fatal("style")
	}
	c.OmitStyle = true
	if d := render(t, c); len(d.find("style", "")) != 0 {
		t.Fatal("OmitStyle kept the style")
	}
}

func TestDescription(t *testing.T) {
	c := sampleChart()
	d := render(t, c)
	desc := d.find("desc", "")[0].text
	want := "Gantt chart from 2025-02-24 to 2025-07-06. Tasks: 13, lists: 4, milestones: 3, dependencies: 13."
	if desc != want {
		t.Fatalf("desc %q", desc)
	}
	c.Lang = "ru-RU"
	d = render(t, c)
	if desc := d.find("desc", "")[0].text; !strings.HasPrefix(desc, "Диаграмма Ганта с 2025-02-24 по 2025-07-06") {
		t.Fatalf("ru desc %q", desc)
	}
	if d.root.attr["lang"] != "ru" {
		t.Fatalf("xml:lang %q", d.root.attr["lang"])
	}
}

func labelText(d *doc, i int) (*node, *node) {
	g := d.find("g", "label")[i]
	var title, text *node
	for _, n := range d.nodes {
		if len(n.parents) > 0 && n.parents[len(n.parents)-1] == g && n.name == "title" {
			title = n
		}
		if n.name == "text" {
			for _, p := range n.parents {
				if p == g {
					text = n
				}
			}
		}
	}
	return title, text
}

func TestEscaping(t *testing.T) {
	hostile := []string{
		`<script>alert("x")</script>`,
		`Tom & Jerry's "plan" <b>bold</b> ]]> &amp;`,
		"emoji 👩‍💻 🇫🇷 ok",
		"עברית ועוד",
		"control\x00\x01\x1f chars\ttab\nnewline",
		"bad utf8 \xff\xfe end",
		"nonchars \uFFFE\uFFFF end",
	}
	c := Chart{LabelWidth: 600}
	c.Title = `Title <with> & "quotes"`
	for i, l := range hostile {
		c.Rows = append(c.Rows, Row{ID: strconv.Itoa(i), Label: l, Note: l, Start: day(2025, 1, 6), End: day(2025, 1, 8)})
	}
	var b bytes.Buffer
	if err := Render(&b, c); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("<script")) || bytes.Contains(b.Bytes(), []byte("<b>")) {
		t.Fatal("markup passed through")
	}
	d := parse(t, b.Bytes())
	checkInvariants(t, d)
	if got := d.find("title", "")[0].text; got != c.Title {
		t.Fatalf("title %q", got)
	}
	for i := range 2 {
		title, text := labelText(d, i)
		if text.text != hostile[i] || !strings.HasPrefix(title.text, hostile[i]+" · ") {
			t.Fatalf("row %d: text %q title %q", i, text.text, title.text)
		}
	}
	_, text := labelText(d, 4)
	if text.text != "control\uFFFD\uFFFD\uFFFD chars tab newline" {
		t.Fatalf("controls: %q", text.text)
	}
	_, text = labelText(d, 5)
	if text.text != "bad utf8 \uFFFD\uFFFD end" {
		t.Fatalf("bad utf8: %q", text.text)
	}
	_, text = labelText(d, 6)
	if text.text != "nonchars \uFFFD\uFFFD end" {
		t.Fatalf("non-characters: %q", text.text)
	}
	// Right-to-left labels are laid out right-to-left.
	_, text = labelText(d, 3)
	if text.attr["direction"] != "rtl" {
		t.Fatal("RTL label without direction")
	}
	_, text = labelText(d, 2)
	if _, ok := text.attr["direction"]; ok {
		t.Fatal("LTR label with direction")
	}
}

func TestLongLabelTruncated(t *testing.T) {
	long := strings.Repeat("abcdefghij ", 46)[:500]
	c := Chart{Rows: []Row{
		{Label: long, Start: day(2025, 1, 6)},
		{Label: "short", Start: day(2025, 1, 6)},
		{Label: strings.Repeat("ж", 500), Start: day(2025, 1, 6), Indent: 3},
	}}
	d := render(t, c)
	title, text := labelText(d, 0)
	if !strings.HasSuffix(text.text, "…") || utf8.RuneCountInString(text.text) > 60 {
		t.Fatalf("not cut: %q", text.text)
	}
	if !strings.HasPrefix(long, strings.TrimSuffix(text.text, "…")) {
		t.Fatal("cut label is not a prefix")
	}
	if !strings.HasPrefix(title.text, long) {
		t.Fatal("the full label is not in the title")
	}
	if _, text := labelText(d, 1); text.text != "short" {
		t.Fatalf("short label changed: %q", text.text)
	}
	// The cut label fits the column by the estimate, indent included.
	_, text = labelText(d, 2)
	x, _ := strconv.Atoi(text.attr["x"])
	if w := textWidth(text.text, fontPx); float64(x)+w > 280-labelPad {
		t.Fatalf("label overflows: x %d width %.0f", x, w)
	}
	// And the column clips whatever a wider font does.
	if g := d.find("g", "labels")[0]; g.attr["clip-path"] != "url(#gantt-labels)" {
		t.Fatal("label column not clipped")
	}
}

func TestFit(t *testing.T) {
	cases := []struct {
		s    string
		max  float64
		want string
	}{
		{"hello", 100, "hello"},
		{"hello world and more", 35, "hello"}, // and no trailing blank before the ellipsis
		// Never split a ZWJ sequence, a flag, or a letter from its combining accents.
		{"ab👩‍💻cd", 36, "ab"},
		{"ab🇫🇷🇩🇪", 44, "ab🇫🇷"},
		{"ab🇫🇷🇩🇪", 40, "ab"},
		{"abe\u0301\u0301cdefgh", 30, "abe\u0301\u0301"},
		{"ab👍🏽cdefgh", 35, "ab👍🏽"},
	}
	for _, c := range cases {
		n, cut := fit(c.s, c.max, 10)
		if c.s[:n] != c.want || cut != (c.want != c.s) {
			t.Errorf("fit(%q, %v) = %q, %v; want %q", c.s, c.max, c.s[:n], cut, c.want)
		}
	}
}

func TestTodayLine(t *testing.T) {
	c := Chart{
		From: day(2025, 3, 1), To: day(2025, 3, 31), Scale: Day, Today: day(2025, 3, 11),
		Rows: []Row{{Label: "a", Start: day(2025, 3, 3), End: day(2025, 3, 5)}},
	}
	d := render(t, c)
	g := d.find("g", "today")
	if len(g) != 1 {
		t.Fatal("no today line")
	}
	// The middle of its day: label column 280 + 10 days * 24 px + 12.
	line := d.find("path", "")
	var dAttr string
	for _, p := range line {
		if len(p.parents) > 0 && p.parents[len(p.parents)-1] == g[0] {
			dAttr = p.attr["d"]
			break
		}
	}
	if !strings.HasPrefix(dAttr, "M532 ") {
		t.Fatalf("today line at %q", dAttr)
	}
	// A Today in another zone counts by its own calendar day.
	c.Today = time.Date(2025, 3, 11, 23, 30, 0, 0, time.FixedZone("x", -10*3600))
	d = render(t, c)
	if !strings.Contains(d.raw, `<g class="today" fill="#b3261e"><path stroke="#b3261e" stroke-width="1.5" d="M532 `) {
		t.Fatal("zone shifted the day")
	}
	for _, today := range []time.Time{day(2025, 4, 1), day(2025, 2, 28), {}} {
		c.Today = today
		if d := render(t, c); len(d.find("g", "today")) != 0 {
			t.Fatalf("today line for %v outside the range", today)
		}
	}
}

func TestBarGeometry(t *testing.T) {
	c := Chart{
		From: day(2025, 3, 3), To: day(2025, 3, 16), Scale: Day,
		Rows: []Row{
			{ID: "a", Label: "a", Start: day(2025, 3, 4), End: day(2025, 3, 6), Progress: 50},
			{ID: "b", Label: "b", End: day(2025, 3, 4), Start: day(2025, 3, 6)}, // swapped
			{ID: "c", Label: "c", Start: day(2025, 3, 10)},                      // one day
		},
	}
	d := render(t, c)
	bars := d.find("rect", "bar")
	// a: Mar 4 .. Mar 6 inclusive = 3 days from x = 280 + 24.
	if bars[0].attr["x"] != "304.5" || bars[0].attr["width"] != "71" {
		t.Fatalf("bar a: %v", bars[0].attr)
	}
	if bars[1].attr["x"] != "304.5" || bars[1].attr["width"] != "71" {
		t.Fatalf("bar b: %v", bars[1].attr)
	}
	if bars[2].attr["width"] != "23" {
		t.Fatalf("bar c: %v", bars[2].attr)
	}
	p := d.find("rect", "progress")[0]
	if p.attr["x"] != "306" || p.attr["width"] != "32" { // 36 px of 72, 2 px inset each side
		t.Fatalf("progress: %v", p.attr)
	}
	notes := d.find("text", "note")
	if len(notes) != 1 || notes[0].text != "50%" {
		t.Fatalf("notes: %v", notes)
	}
}

func TestListSpansItsTasks(t *testing.T) {
	c := Chart{
		From: day(2025, 3, 3), To: day(2025, 3, 30), Scale: Day,
		Rows: []Row{
			{ID: "l", Kind: List, Label: "List"},
			{Label: "a", Start: day(2025, 3, 5), End: day(2025, 3, 6), Indent: 1},
			{Kind: List, Label: "Nested", Indent: 1},
			{Label: "b", Start: day(2025, 3, 10), End: day(2025, 3, 12), Indent: 2},
			{Kind: Milestone, Label: "m", Start: day(2025, 3, 14), Indent: 1},
			{Kind: List, Label: "Next list"},
			{Label: "c", Start: day(2025, 3, 20), End: day(2025, 3, 21), Indent: 1},
			{Kind: List, Label: "Own dates", Start: day(2025, 3, 3), End: day(2025, 3, 4)},
			{Label: "d", Start: day(2025, 3, 25), Indent: 1},
			{Kind: List, Label: "Empty list"},
		},
	}
	d := render(t, c)
	sums := d.find("path", "summary")
	if len(sums) != 4 {
		t.Fatalf("summaries: %d", len(sums))
	}
	x := func(dd int) string { return strconv.Itoa(280 + (dd-3)*24) }
	want := []string{
		"M" + x(5) + " 7H" + x(15), // List: Mar 5 .. Mar 14 (the milestone)
		"M" + x(10) + " ",          // Nested: Mar 10 .. Mar 12
		"M" + x(20) + " ",          // Next list
		"M" + x(3) + " ",           // Own dates win
	}
	for i, s := range sums {
		if !strings.HasPrefix(strings.TrimPrefix(s.attr["d"], "M"), strings.TrimPrefix(want[i], "M")[:3]) ||
			!strings.HasPrefix(s.attr["d"], strings.Fields(want[i])[0]) {
			t.Errorf("summary %d: %s, want %s…", i, s.attr["d"], want[i])
		}
	}
	if !strings.Contains(sums[0].attr["d"], "H"+x(15)) {
		t.Errorf("list does not reach its milestone: %s", sums[0].attr["d"])
	}
}

func TestArrowRouting(t *testing.T) {
	base := Chart{From: day(2025, 3, 3), To: day(2025, 3, 30), Scale: Day}
	route := func(a, b Row) string {
		c := base
		a.ID, b.ID = "a", "b"
		c.Rows = []Row{a, b}
		c.Links = []Link{{"a", "b"}}
		d := render(t, c)
		links := d.find("path", "link")
		if len(links) != 1 {
			t.Fatalf("links: %d", len(links))
		}
		return links[0].attr["d"]
	}
	shape := func(d string) string { return regexp.MustCompile(`[^MHVL]`).ReplaceAllString(d, "") }

	// A gap: out, down, in.
	d := route(Row{Start: day(2025, 3, 3), End: day(2025, 3, 4)}, Row{Start: day(2025, 3, 7), End: day(2025, 3, 8)})
	if shape(d) != "MHVH" || !strings.HasPrefix(d, "M328 ") || !strings.HasSuffix(d, "H376") {
		t.Fatalf("elbow: %s", d)
	}
	// The next day (no gap): down into the top of the successor.
	d = route(Row{Start: day(2025, 3, 3), End: day(2025, 3, 4)}, Row{Start: day(2025, 3, 5), End: day(2025, 3, 8)})
	if shape(d) != "MHV" || !strings.HasSuffix(d, "V"+strconv.Itoa(titleH+headerH+rowH+barTop)) {
		t.Fatalf("drop: %s", d)
	}
	// The successor starts well before the predecessor ends: around, through the row gap.
	d = route(Row{Start: day(2025, 3, 10), End: day(2025, 3, 20)}, Row{Start: day(2025, 3, 3), End: day(2025, 3, 5)})
	if shape(d) != "MHVHVH" {
		t.Fatalf("detour: %s", d)
	}
	// Upwards: the successor above the predecessor.
	c := base
	c.Rows = []Row{
		{ID: "s", Start: day(2025, 3, 3), End: day(2025, 3, 4)},
		{ID: "p", Start: day(2025, 3, 10), End: day(2025, 3, 12)},
	}
	c.Links = []Link{{"p", "s"}, {"p", "nope"}, {"p", "p"}, {"", "s"}}
	dd := render(t, c)
	links := dd.find("path", "link")
	if len(links) != 1 || shape(links[0].attr["d"]) != "MHVHVH" {
		t.Fatalf("upward detour: %v", links)
	}
	// Both ends beyond the same edge: no arrow.
	c.Rows[0].Start, c.Rows[0].End = day(2025, 1, 1), day(2025, 1, 2)
	c.Rows[1].Start, c.Rows[1].End = day(2025, 1, 5), day(2025, 1, 6)
	c.Links = []Link{{"s", "p"}}
	if n := len(render(t, c).find("path", "link")); n != 0 {
		t.Fatalf("invisible arrow drawn: %d", n)
	}
}

func TestLocalizedHeaders(t *testing.T) {
	rows := []Row{{Label: "x", Start: day(2025, 3, 5), End: day(2025, 4, 20)}}
	texts := func(c Chart) string {
		d := render(t, c)
		var b strings.Builder
		for _, n := range d.find("text", "") {
			if n.under("ticks") {
				b.WriteString(n.text)
				b.WriteString("|")
			}
		}
		return b.String()
	}
	cases := []struct {
		lang  string
		scale Scale
		want  []string
	}{
		{"en", Day, []string{"March 2025|", "April 2025|", "|5|6|"}},
		{"fr", Day, []string{"Mars 2025|", "Avril 2025|", "Tâche"}},
		{"ru", Day, []string{"Март 2025|", "Апрель 2025|", "Задача"}},
		{"en", Week, []string{"W10|", "W16|", "March 2025|"}},
		{"fr-CA", Week, []string{"S10|", "Mars 2025|"}},
		{"ru", Week, []string{"Н10|", "Март 2025|"}},
		{"fr", Month, []string{"2025|", "Mars|", "Avril|"}},
		{"ru", Month, []string{"2025|", "Март|", "Апрель|"}},
		{"xx", Month, []string{"March|", "April|"}},
	}
	for _, tc := range cases {
		got := texts(Chart{Lang: tc.lang, Scale: tc.scale, Rows: rows})
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s %d: %q not in %q", tc.lang, tc.scale, w, got)
			}
		}
	}
	// Milestone notes use lower-case abbreviations.
	d := render(t, Chart{Lang: "fr", Rows: []Row{{Kind: Milestone, Label: "m", Start: day(2025, 8, 14)}}})
	if n := d.find("text", "note"); len(n) != 1 || n[0].text != "14 août" {
		t.Fatalf("milestone note: %v", n)
	}
}

func TestWeekendShading(t *testing.T) {
	c := Chart{From: day(2025, 3, 2), To: day(2025, 3, 15), Scale: Day, Rows: []Row{{Label: "x"}}}
	d := render(t, c)
	w := d.find("path", "weekend")
	if len(w) != 1 {
		t.Fatal("no weekend shading")
	}
	// Sunday 2 March alone, Sat-Sun 8-9, Saturday 15 alone (clipped by To).
	if got := strings.Count(w[0].attr["d"], "M"); got != 3 {
		t.Fatalf("weekend blocks: %d in %s", got, w[0].attr["d"])
	}
	if !strings.Contains(w[0].attr["d"], "M280 ") || !strings.Contains(w[0].attr["d"], "h48v") {
		t.Fatalf("weekend blocks: %s", w[0].attr["d"])
	}
}

func TestClipping(t *testing.T) {
	c := Chart{
		From: day(2024, 1, 1), To: day(2034, 1, 1), Scale: Month,
		Rows: []Row{
			{ID: "before", Label: "before", Start: day(2023, 1, 1), End: day(2023, 2, 1)},
			{ID: "across", Label: "across", Start: day(2023, 6, 1), End: day(2024, 2, 1), Progress: 90},
			{ID: "inside", Label: "inside", Start: day(2025, 6, 1), End: day(2025, 7, 1)},
			{ID: "after", Label: "after", Start: day(2030, 1, 1), End: day(2030, 2, 1)},
			{ID: "m-after", Kind: Milestone, Label: "m", Start: day(2027, 1, 1)},
			{ID: "m-last", Kind: Milestone, Label: "m", Start: day(2026, 12, 31)},
		},
		Links: []Link{{"before", "across"}, {"across", "inside"}, {"inside", "after"}},
	}
	d := render(t, c)
	checkInvariants(t, d)
	// Three years at most: 2024-01-01 .. 2026-12-31.
	if desc := d.find("desc", "")[0].text; !strings.Contains(desc, "2024-01-01 to 2026-12-31") {
		t.Fatalf("range: %s", desc)
	}
	days := int(daysFromCivil(2027, 1, 1) - daysFromCivil(2024, 1, 1))
	if w := d.root.attr["width"]; w != strconv.Itoa(280+days*3+rightPad) {
		t.Fatalf("width %s for %d days", w, days)
	}
	bars := d.find("rect", "bar")
	if len(bars) != 2 {
		t.Fatalf("bars: %d", len(bars))
	}
	// The crossing bar is clipped at the left edge, square.
	if bars[0].attr["clip-path"] != "url(#gantt-chart)" {
		t.Fatalf("crossing bar not clipped: %v", bars[0].attr)
	}
	if x, _ := strconv.ParseFloat(bars[0].attr["x"], 64); x < 270 || x > 280 {
		t.Fatalf("crossing bar x %v", x)
	}
	if _, ok := bars[1].attr["clip-path"]; ok {
		t.Fatal("inside bar clipped")
	}
	// before, after and the milestone past the end are chevrons at the edges.
	if n := len(d.find("g", "offscreen")); n != 3 {
		t.Fatalf("offscreen rows: %d", n)
	}
	if n := len(d.find("path", "diamond")); n != 1 {
		t.Fatalf("diamonds: %d", n)
	}
	// before→across lies wholly before the window: not drawn. across→inside starts beyond
	// the left edge, inside→after ends beyond the right one: both drawn.
	if n := len(d.find("path", "link")); n != 2 {
		t.Fatalf("links: %d", n)
	}
	// Nothing is drawn left of the label column edge except labels.
	for _, p := range d.find("path", "link") {
		for _, m := range regexp.MustCompile(`[MH](-?\d+)`).FindAllStringSubmatch(p.attr["d"], -1) {
			if x, _ := strconv.Atoi(m[1]); x < 280 {
				t.Fatalf("arrow into the label column: %s", p.attr["d"])
			}
		}
	}
}

func TestWindowDefaults(t *testing.T) {
	rows := []Row{{Label: "x", Start: day(2025, 3, 12), End: day(2025, 3, 20)}}
	cases := []struct {
		c        Chart
		from, to string
	}{
		{Chart{Scale: Day, Rows: rows}, "2025-03-11", "2025-03-21"},
		{Chart{Scale: Week, Rows: rows}, "2025-03-10", "2025-03-23"},
		{Chart{Scale: Month, Rows: rows}, "2025-03-01", "2025-03-31"},
		{Chart{Rows: rows}, "2025-03-11", "2025-03-21"}, // Auto picks Day
		{Chart{From: day(2025, 3, 20), To: day(2025, 3, 10), Scale: Day, Rows: rows}, "2025-03-10", "2025-03-20"},
		{Chart{From: day(2025, 3, 15), Scale: Day, Rows: rows}, "2025-03-15", "2025-03-21"},
		{Chart{To: day(2025, 3, 15), Scale: Day, Rows: rows}, "2025-03-11", "2025-03-15"},
		{Chart{Today: day(2025, 6, 10), Scale: Day, Rows: []Row{{Label: "undated"}}}, "2025-06-02", "2025-07-01"},
		// Month scale widened to whole months, then clipped from 29 February.
		{Chart{From: day(2024, 2, 29), To: day(2030, 1, 1), Scale: Day, Rows: rows}, "2024-02-29", "2027-02-28"},
	}
	for i, tc := range cases {
		d := render(t, tc.c)
		desc := d.find("desc", "")[0].text
		if !strings.Contains(desc, tc.from+" to "+tc.to) {
			t.Errorf("case %d: %s; want %s to %s", i, desc, tc.from, tc.to)
		}
	}
	// Auto scale by length.
	for _, tc := range []struct {
		days int
		want string
	}{{30, "|1|"}, {120, "W"}, {400, "2025|"}} {
		c := Chart{Rows: []Row{{Label: "x", Start: day(2025, 1, 1), End: day(2025, 1, 1).AddDate(0, 0, tc.days)}}}
		d := render(t, c)
		var all string
		for _, n := range d.find("text", "") {
			if n.under("ticks") {
				all += "|" + n.text + "|"
			}
		}
		if !strings.Contains(all, tc.want) {
			t.Errorf("auto scale for %d days: %q lacks %q", tc.days, all, tc.want)
		}
	}
}

func TestEmpty(t *testing.T) {
	for _, lang := range []string{"en", "fr", "ru"} {
		var b bytes.Buffer
		if err := Render(&b, Chart{Lang: lang, Title: "P <1>"}); err != nil {
			t.Fatal(err)
		}
		if b.Len() > 2048 {
			t.Fatalf("empty chart of %d bytes", b.Len())
		}
		d := parse(t, b.Bytes())
		checkInvariants(t, d)
		e := d.find("text", "empty")
		if len(e) != 1 || e[0].text != lookupLocale(lang).empty {
			t.Fatalf("%s: empty text %v", lang, e)
		}
		if d.find("title", "")[0].text != "P <1>" {
			t.Fatal("title")
		}
	}
}

func TestMaxRows(t *testing.T) {
	c := Chart{From: day(2025, 1, 1), To: day(2025, 3, 31), Scale: Week}
	for i := range MaxRows + 7 {
		c.Rows = append(c.Rows, Row{ID: strconv.Itoa(i), Label: "r" + strconv.Itoa(i), Start: day(2025, 1, 1).AddDate(0, 0, i%80)})
	}
	c.Links = []Link{{"1", "2"}, {"1", strconv.Itoa(MaxRows + 3)}}
	d := render(t, c)
	if n := len(d.find("g", "label")); n != MaxRows {
		t.Fatalf("rows drawn: %d", n)
	}
	if n := len(d.find("path", "link")); n != 1 {
		t.Fatalf("link to a hidden row drawn: %d", n)
	}
	more := d.find("text", "more")
	if len(more) != 1 || more[0].text != "+7 rows not shown" {
		t.Fatalf("footnote: %v", more)
	}
	if h, _ := strconv.Atoi(d.root.attr["height"]); h != titleH+headerH+MaxRows*rowH+footerH {
		t.Fatalf("height %d", h)
	}
}

func TestHref(t *testing.T) {
	for in, want := range map[string]string{
		"/acme/projects/1":     "/acme/projects/1",
		"https://example.com/": "https://example.com/",
		"HTTP://example.com/x": "HTTP://example.com/x",
		"javascript:alert(1)":  "",
		" javascript:alert(1)": "",
		"data:text/html,<b>":   "",
		"//evil.example/":      "",
		"/\\evil.example/":     "",
		"relative/path":        "",
		"/":                    "/",
	} {
		if got := safeHref(in); got != want {
			t.Errorf("safeHref(%q) = %q", in, got)
		}
	}
	d := render(t, Chart{Rows: []Row{{Label: "x", Href: `/a?b=1&c="2"`}}})
	if a := d.find("a", ""); len(a) != 1 || a[0].attr["href"] != `/a?b=1&c="2"` {
		t.Fatalf("href: %v", a)
	}
}

func TestIDPrefix(t *testing.T) {
	for in, want := range map[string]string{"": "gantt", "p-1": "p-1", "1x": "g1x", `a"><b`: "ab", "é": "g"} {
		if got := sanitizeID(in); got != want {
			t.Errorf("sanitizeID(%q) = %q", in, got)
		}
	}
	c := sampleChart()
	c.IDPrefix = "proj7"
	d := render(t, c)
	checkInvariants(t, d)
	if d.root.attr["aria-labelledby"] != "proj7-title proj7-desc" {
		t.Fatal(d.root.attr["aria-labelledby"])
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriterError(t *testing.T) {
	if err := Render(&failWriter{n: 100}, benchChart()); err == nil || err.Error() != "disk full" {
		t.Fatalf("error %v", err)
	}
}

func TestCalendar(t *testing.T) {
	// Day numbers, weekdays and ISO weeks agree with package time over 1900..2100.
	for d := daysFromCivil(1900, 1, 1); d < daysFromCivil(2100, 12, 31); d += 3 {
		tm := time.Unix(d*86400, 0).UTC()
		if dayOf(tm) != d {
			t.Fatalf("dayOf(%v) = %d, want %d", tm, dayOf(tm), d)
		}
		y, m, dd := civil(d)
		if int(y) != tm.Year() || m != int(tm.Month()) || dd != tm.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d, want %v", d, y, m, dd, tm)
		}
		if want := (int(tm.Weekday()) + 6) % 7; weekday(d) != want {
			t.Fatalf("weekday(%v) = %d", tm, weekday(d))
		}
		if _, w := tm.ISOWeek(); isoWeek(d) != w {
			t.Fatalf("isoWeek(%v) = %d, want %d", tm, isoWeek(d), w)
		}
	}
	if got := string(appendISO(nil, daysFromCivil(-44, 3, 15))); got != "-0044-03-15" {
		t.Fatal(got)
	}
	// Extreme years neither panic nor lose the round trip.
	for _, y := range []int64{-292277022399, -1, 0, 1, 9999, 292277026596} {
		if yy, m, d := civil(daysFromCivil(y, 2, 28)); yy != y || m != 2 || d != 28 {
			t.Fatalf("round trip %d: %d-%d-%d", y, yy, m, d)
		}
	}
}

func TestExtremeDates(t *testing.T) {
	far := []time.Time{
		{}, time.Unix(1<<62, 0), time.Unix(-1<<62, 0), time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	for i, a := range far {
		for j, b := range far {
			for _, s := range []Scale{Auto, Day, Week, Month, 9} {
				c := Chart{From: a, To: b, Today: b, Scale: s, Rows: []Row{
					{ID: "x", Label: "x", Start: b, End: a},
					{ID: "y", Kind: List, Label: "y"},
					{ID: "z", Kind: Milestone, Label: "z", End: a, Indent: 1},
				}, Links: []Link{{"x", "z"}, {"z", "x"}}}
				d := render(t, c)
				checkInvariants(t, d)
				if w, _ := strconv.Atoi(d.root.attr["width"]); w > 280+1097*24+rightPad {
					t.Fatalf("%d,%d,%d: width %d", i, j, s, w)
				}
			}
		}
	}
}

// Example of the call the projects module makes.
func ExampleRender() {
	var b bytes.Buffer
	_ = Render(&b, Chart{
		Title: "Launch",
		From:  time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC),
		To:    time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC),
		Scale: Day,
		Lang:  "en",
		Rows: []Row{
			{ID: "l1", Kind: List, Label: "Design"},
			{ID: "t1", Label: "Wireframes", Start: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC),
				End: time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC), Progress: 60, Indent: 1},
			{ID: "m1", Kind: Milestone, Label: "Sign-off", Start: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC), Indent: 1},
		},
		Links: []Link{{From: "t1", To: "m1"}},
	})
	fmt.Println(strings.HasPrefix(b.String(), `<svg xmlns="http://www.w3.org/2000/svg"`))
	// Output: true
}

// TestJapaneseLabelsUncut: a Japanese or Chinese label that fits the label column is drawn
// whole (a full em per character in the estimate, not cut short), a longer one is cut at a
// character, and the chart names fonts that have the glyphs.
func TestJapaneseLabelsUncut(t *testing.T) {
	ja := "ウェブサイトのデザイン" // "website design", 11 characters
	zh := strings.Repeat("网站设计", 20)
	d := render(t, Chart{Lang: "ja", Rows: []Row{{Label: ja, Start: day(2025, 1, 6)}, {Label: zh, Start: day(2025, 1, 6)}}})
	if _, text := labelText(d, 0); text.text != ja {
		t.Errorf("the Japanese label is cut: %q", text.text)
	}
	_, text := labelText(d, 1)
	if !strings.HasSuffix(text.text, "…") || !strings.HasPrefix(zh, strings.TrimSuffix(text.text, "…")) {
		t.Errorf("a long Chinese label: %q", text.text)
	}
	if !strings.Contains(fontFamily, "'Noto Sans CJK JP'") || !strings.Contains(fontFamily, "'PingFang SC'") {
		t.Errorf("no CJK fonts in %q", fontFamily)
	}
}
