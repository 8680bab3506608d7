package admin

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"groupcamp/core/audit"
)

func TestAuditCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := newAuditCSV(&buf)
	id := int64(7)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	w.Write(audit.Event{ActorID: &id, ActorName: "Ann, \"the\" admin", Action: "user.invited", Target: "=evil()",
		Details: `{"role":"member"}`, IP: "::1", UserAgent: "line\nbreak", CreatedAt: at})
	w.Write(audit.Event{Action: "platform.signed_in", CreatedAt: at})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		auditHeader,
		{"2026-03-04T05:06:07Z", "7", "Ann, \"the\" admin", "user.invited", "'=evil()", `{"role":"member"}`, "::1", "line\nbreak"},
		{"2026-03-04T05:06:07Z", "", "", "platform.signed_in", "", "", "", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("row %d col %d = %q, want %q", i, j, rows[i][j], want[i][j])
			}
		}
	}
}
