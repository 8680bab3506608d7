package admin

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"groupcamp/core/audit"
)

// auditCSV writes audit events as CSV (RFC 4180, one header line). Cells that a spreadsheet
// would take for a formula are neutralized: see safeCell.
type auditCSV struct {
	w *csv.Writer
}

var auditHeader = []string{"time", "actor_id", "actor", "action", "target", "details", "ip", "user_agent"}

func newAuditCSV(w io.Writer) *auditCSV {
	c := &auditCSV{w: csv.NewWriter(w)}
	_ = c.w.Write(auditHeader)
	return c
}

// Write adds one event; errors surface in Flush.
func (c *auditCSV) Write(e audit.Event) {
	actorID := ""
	if e.ActorID != nil {
		actorID = strconv.FormatInt(*e.ActorID, 10)
	}
	row := []string{e.CreatedAt.UTC().Format(time.RFC3339), actorID, e.ActorName, e.Action, e.Target, e.Details, e.IP, e.UserAgent}
	for i := range row {
		row[i] = safeCell(row[i])
	}
	_ = c.w.Write(row)
}

// Flush writes what is buffered and reports the first error.
func (c *auditCSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// safeCell defuses CSV formula injection: a cell starting with = + - @ (or a tab or carriage
// return, which some spreadsheets skip before reading a formula) gets a leading apostrophe,
// so a spreadsheet shows it as text instead of running it. Quoting and escaping of commas,
// quotes and line breaks is encoding/csv's work.
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
