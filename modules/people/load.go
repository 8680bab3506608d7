package people

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// loadRows is the size of the file the load's scenario previews.
const loadRows = 100

// Load is the module's part of the load tool (cmd/gcload): an administrator previews the
// import of a file of loadRows people (the dry run: every row checked, nothing written, so
// the scenario repeats without filling the account). The confirmed import is the same checks
// plus the writes of as many invitations, measured by the invitations' own scenarios.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "people",
		Scenarios: []load.Scenario{
			{Name: "people.import.preview", Endpoint: "POST /api/v1/{slug}/people/import?dry_run=true", Weight: 1, Role: actor.RoleAdmin, Run: func(ctx context.Context, w *load.Worker) error {
				body, ctype := loadFile(strings.ReplaceAll(w.Unique("imp"), " ", "-"))
				r, err := w.DoWith(ctx, http.MethodPost, "/api/v1/"+w.Env.Slug+"/people/import?dry_run=true", http.Header{"Content-Type": {ctype}}, body)
				if err != nil {
					return err
				}
				var rep Report
				if err := r.JSON(&rep); err != nil {
					return err
				}
				if rep.Valid != loadRows {
					return fmt.Errorf("%d valid rows of %d", rep.Valid, loadRows)
				}
				return nil
			}},
		},
	}
}

// loadFile is a multipart body with a CSV of loadRows new people.
func loadFile(prefix string) ([]byte, string) {
	var csv strings.Builder
	csv.WriteString("name,email,role\n")
	for i := range loadRows {
		fmt.Fprintf(&csv, "Person %d,%s-%d@example.test,member\n", i, prefix, i)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "people.csv")
	_, _ = fw.Write([]byte(csv.String()))
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}
