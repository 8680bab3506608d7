package admin

import (
	"io"
	"strconv"
	"time"

	"groupcamp/core/audit"
	"groupcamp/core/csvsafe"
)

// auditCSV writes audit events as CSV (RFC 4180, one header line). Cells that a spreadsheet
// would take for a formula are neutralized (core/csvsafe).
type auditCSV struct {
	w *csvsafe.Writer
}

var auditHeader = []string{"time", "actor_id", "actor", "action", "target", "details", "ip", "user_agent"}

func newAuditCSV(w io.Writer) *auditCSV {
	c := &auditCSV{w: csvsafe.NewWriter(w)}
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
	_ = c.w.Write(row)
}

// Flush writes what is buffered and reports the first error.
func (c *auditCSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
