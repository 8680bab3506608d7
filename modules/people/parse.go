package people

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/emersion/go-vcard"

	"groupcamp/core/csvsafe"
	"groupcamp/core/problem"
)

// Limits of one import: the file's size and its number of people.
const (
	MaxBytes = 1 << 20
	MaxRows  = 500
)

// Row is one person read from the file. Line is the CSV line (the header is line 1) or the
// vCard's position in the file (1 for the first card).
type Row struct {
	Line      int    `json:"line"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	CompanyID int64  `json:"company_id,omitempty"`
	// Error is what made the row unreadable (a malformed line or card); such a row is shown
	// with its error and blocks the import.
	Error string `json:"-"`
}

// Defaults fill what a row leaves blank: a vCard has no role, a CSV may omit the column.
type Defaults struct {
	Role      string
	CompanyID int64
}

// Parse reads a CSV (header row: name, email, role, company_id; comma or semicolon) or a
// vCard file (3.0 or 4.0, several cards), chosen by the file's first bytes rather than its
// name. A problem on the whole file (empty, too many rows, no email column) is a 422 on
// "file"; a malformed row or card becomes that row's Error.
func Parse(data []byte, d Defaults) ([]Row, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var rows []Row
	var err error
	if bytes.HasPrefix(bytes.ToUpper(bytes.TrimSpace(data)), []byte("BEGIN:VCARD")) {
		rows, err = parseVCard(data)
	} else {
		rows, err = parseCSV(data)
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fileErr("the file holds nobody to invite")
	}
	for i := range rows {
		if rows[i].Role == "" {
			rows[i].Role = d.Role
		}
		if rows[i].CompanyID == 0 {
			rows[i].CompanyID = d.CompanyID
		}
	}
	return rows, nil
}

func fileErr(msg string, args ...any) error {
	return problem.Invalid(problem.Sayf("file", msg, args...))
}

var tooMany = "the file holds more than {max} people; split it"

func parseCSV(data []byte) ([]Row, error) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';' // the spreadsheets of the locales whose decimal mark is a comma
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	head, err := r.Read()
	if err != nil {
		return nil, fileErr("the first line must name the columns: name, email, role, company_id")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if _, ok := col["email"]; !ok {
		return nil, fileErr("the first line must name the columns: name, email, role, company_id")
	}
	cell := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		// An export of ours escapes formulas with an apostrophe: undo it.
		return csvsafe.Unescape(strings.TrimSpace(rec[i]))
	}
	var rows []Row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			// A broken quote leaves the reader unable to find the next row: the row is
			// reported and the rest of the file is not read.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rows = append(rows, Row{Line: line, Error: "this line is not valid CSV (a quote is not closed?)"})
			break
		}
		if len(rows) == MaxRows {
			return nil, fileErr(tooMany, "max", MaxRows)
		}
		row := Row{Line: line, Name: cell(rec, "name"), Email: cell(rec, "email"), Role: strings.ToLower(cell(rec, "role"))}
		if s := cell(rec, "company_id"); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				row.Error = "company_id must be a company's number"
			}
			row.CompanyID = id
		}
		if row.Name == "" && row.Email == "" && row.Role == "" && row.Error == "" {
			continue // a blank line of a spreadsheet
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func parseVCard(data []byte) ([]Row, error) {
	dec := vcard.NewDecoder(bytes.NewReader(data))
	var rows []Row
	for n := 1; ; n++ {
		card, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			// The decoder cannot resynchronise after a broken card: it is the last row.
			rows = append(rows, Row{Line: n, Error: "this card is not a valid vCard"})
			break
		}
		if len(rows) == MaxRows {
			return nil, fileErr(tooMany, "max", MaxRows)
		}
		name := strings.TrimSpace(card.PreferredValue(vcard.FieldFormattedName))
		if name == "" {
			if nm := card.Name(); nm != nil {
				name = strings.TrimSpace(nm.GivenName + " " + nm.FamilyName)
			}
		}
		rows = append(rows, Row{Line: n, Name: name, Email: strings.TrimSpace(card.PreferredValue(vcard.FieldEmail))})
	}
	return rows, nil
}
