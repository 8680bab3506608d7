package timesheet

import (
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"groupcamp/core/csvsafe"
)

// sheet formats of the downloads.
const (
	formatCSV  = "csv"
	formatXLSX = "xlsx"
)

// table is a download: a header and rows of cells, each a string (what people typed: made
// safe for spreadsheets by core/csvsafe, in CSV and XLSX alike, so no cell runs as a formula)
// or a number (int64 or float64, written as a number in XLSX).
type table struct {
	Name   string // the file's name, without extension
	Header []string
	Rows   [][]any
}

func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return ""
}

// writeCSV writes the table as CSV.
func (t *table) writeCSV(w io.Writer) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	line := make([]string, 0, len(t.Header))
	for _, r := range t.Rows {
		line = line[:0]
		for _, v := range r {
			line = append(line, cellText(v))
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeXLSX writes the table as a workbook of one sheet, numbers as numbers.
func (t *table) writeXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	put := func(row int, cells []any) error {
		out := make([]any, len(cells))
		for i, v := range cells {
			if s, ok := v.(string); ok {
				v = csvsafe.Cell(s)
			}
			out[i] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return f.SetSheetRow(sheet, cell, &out)
	}
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = h
	}
	if err := put(1, head); err != nil {
		return err
	}
	for i, r := range t.Rows {
		if err := put(i+2, r); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

// send answers the table as a download in the format.
func (t *table) send(c *fiber.Ctx, format string) error {
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+t.Name+"."+format+`"`)
	c.Status(fiber.StatusOK)
	if format == formatXLSX {
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		return t.writeXLSX(c.Response().BodyWriter())
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	return t.writeCSV(c.Response().BodyWriter())
}

// hours is minutes in decimal hours, as spreadsheets sum them.
func hours(minutes int64) float64 { return float64(minutes) / 60 }
