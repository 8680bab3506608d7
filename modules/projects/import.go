package projects

// Importing tasks from a spreadsheet (CSV or XLSX). Parsing turns the file into rows of
// strings by column name; resolving maps each row onto a TaskInput (list names to ids,
// emails to people) and validates it with the same checks as the service's CreateTask, so a
// preview shows every error of every row at once. Writing goes through ImportTasks: one
// transaction, nothing written while any row is wrong.
//
// Decision: a list named in the file must already exist in the project. Creating lists on
// the fly would need the lists and the tasks in one transaction, which ImportTasks does not
// offer; an unknown list is a row error that says so, and the person adds the list first.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/csvsafe"
	"groupcamp/core/problem"
)

// Limits of an import: the file's bytes and its rows (below the service's MaxImport).
const (
	MaxImportBytes = 5 << 20
	MaxImportRows  = 5000
)

// Limits of an XLSX file once unzipped. An XLSX is a ZIP of XML, and XML that repeats itself
// deflates a thousandfold: a 5 MiB upload can unpack to gigabytes (a zip bomb), which
// excelize's defaults (16 GB in all) would write to memory and disk. A real workbook of
// MaxImportRows rows deflates 3 to 10 times (its text is in a shared strings table, each
// cell a short reference), so ten times the upload limit in all is generous for any file
// within MaxImportBytes, and bounds the memory and the disk an import may take.
//
//   - MaxImportUnzipBytes bounds the sum of the parts' sizes (excelize's UnzipSizeLimit). The
//     sizes are those the archive declares; Go's archive/zip refuses a part that inflates
//     beyond its declared size, so a part cannot lie its way past the limit.
//   - MaxImportUnzipPartBytes bounds any one part but the sheets and the shared strings,
//     which excelize parses whole in memory (styles, theme, workbook): twice the upload
//     limit. It is also excelize's UnzipXMLSizeLimit, the size past which it reads a sheet
//     or the shared strings from a temporary file instead of memory.
//   - MaxImportParts bounds the number of parts (a real workbook has a few dozen).
//   - MaxImportColumns bounds the cells of a row that are kept: a row whose last cell
//     stands in column XFD would otherwise become 16,384 strings, 5,000 times over.
const (
	MaxImportUnzipBytes     = 10 * MaxImportBytes
	MaxImportUnzipPartBytes = 2 * MaxImportBytes
	MaxImportParts          = 1000
	MaxImportColumns        = 64
)

// importColumns are the columns of a file, in the order export writes them.
// "id" names a task of the project the file goes into: that task is updated, so importing an
// export again never makes copies (an id of another project is ignored: the row makes a task).
var importColumns = []string{"id", "list", "title", "description", "starts_on", "due_on", "priority", "status", "assignee_email", "estimate_hours"}

// headerAliases maps a normalized header cell (lower case, accents and punctuation folded)
// to its column: English and French names are accepted.
var headerAliases = map[string]string{
	"id": "id", "task_id": "id",
	"status": "status", "statut": "status", "state": "status", "etat": "status",
	"list": "list", "liste": "list", "task_list": "list",
	"title": "title", "titre": "title",
	"description": "description",
	"starts_on":   "starts_on", "start": "starts_on", "start_date": "starts_on", "debut": "starts_on", "date_de_debut": "starts_on", "commence_le": "starts_on",
	"due_on": "due_on", "due": "due_on", "due_date": "due_on", "echeance": "due_on", "date_d_echeance": "due_on", "date_echeance": "due_on",
	"priority": "priority", "priorite": "priority",
	"assignee_email": "assignee_email", "assignee": "assignee_email", "email": "assignee_email", "e_mail": "assignee_email",
	"email_de_l_assigne": "assignee_email", "e_mail_de_l_assigne": "assignee_email", "assigne": "assignee_email", "email_assigne": "assignee_email",
	"estimate_hours": "estimate_hours", "estimate": "estimate_hours", "estimation_heures": "estimate_hours", "estimation": "estimate_hours",
	"estimation_en_heures": "estimate_hours", "heures_estimees": "estimate_hours",
}

// normalizeHeader folds a header cell for headerAliases.
func normalizeHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	r := strings.NewReplacer("é", "e", "è", "e", "ê", "e", "à", "a", "â", "a", "î", "i", "ô", "o", "û", "u", "ç", "c",
		" ", "_", "-", "_", "'", "_", "’", "_", "(", "", ")", "")
	return r.Replace(s)
}

// ImportRow is one line of a file: its values by column, and the line number a person sees.
type ImportRow struct {
	Line   int               `json:"line"`
	Values map[string]string `json:"values"`
}

// ImportResult is one row of a preview (or of a refused import): what it would create and
// what is wrong with it.
type ImportResult struct {
	Line int `json:"line"`
	// TaskID is the task of the project the row updates (its "id" column), 0 for a new task.
	TaskID int64                `json:"task_id,omitempty"`
	Task   TaskInput            `json:"task"`
	Status string               `json:"status,omitempty"`
	List   string               `json:"list"`
	Email  string               `json:"assignee_email,omitempty"`
	Errors []problem.FieldError `json:"errors"`
}

// ImportReport is the answer of the import API.
type ImportReport struct {
	Rows     []ImportResult `json:"rows"`
	Imported int            `json:"imported"` // tasks created
	Updated  int            `json:"updated"`  // tasks of the project the file named by id
}

// OK reports whether every row is right.
func (r *ImportReport) OK() bool {
	for _, x := range r.Rows {
		if len(x.Errors) > 0 {
			return false
		}
	}
	return len(r.Rows) > 0
}

// ParseImport reads a CSV or XLSX file (by name, then by its first bytes) into rows. The
// first row is the header; empty lines are skipped. Too large a file is a 413, too many rows
// or an unknown column a 422.
func ParseImport(name string, data []byte) ([]ImportRow, error) {
	if len(data) > MaxImportBytes {
		msg := fmt.Sprintf("the file is larger than %d MiB", MaxImportBytes>>20)
		p := problem.TooLarge(msg)
		p.Errors = []problem.FieldError{{Field: "file", Message: msg}}
		return nil, p
	}
	var records [][]string
	var err error
	// An XLSX file is a ZIP archive: "PK" whatever its name says.
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") || bytes.HasPrefix(data, []byte("PK")) {
		records, err = readXLSX(data)
	} else {
		records, err = readCSV(data)
	}
	if err != nil {
		return nil, problem.Invalid(problem.FieldError{Field: "file", Message: err.Error()})
	}
	for _, rec := range records {
		if tooWide(rec) {
			return nil, problem.Invalid(problem.FieldError{Field: "file", Message: fmt.Sprintf("the file has more than %d columns", MaxImportColumns)})
		}
	}
	if len(records) == 0 {
		return nil, problem.Invalid(problem.FieldError{Field: "file", Message: "the file is empty"})
	}
	cols := make([]string, len(records[0]))
	seen := map[string]bool{}
	for i, h := range records[0] {
		key := normalizeHeader(h)
		if key == "" {
			continue
		}
		col, ok := headerAliases[key]
		if !ok {
			return nil, problem.Invalid(problem.FieldError{Field: "file", Message: fmt.Sprintf("unknown column %q; the columns are %s", h, strings.Join(importColumns, ", "))})
		}
		if seen[col] {
			return nil, problem.Invalid(problem.FieldError{Field: "file", Message: fmt.Sprintf("column %q is there twice", h)})
		}
		seen[col], cols[i] = true, col
	}
	if !seen["title"] || !seen["list"] {
		return nil, problem.Invalid(problem.FieldError{Field: "file", Message: "the header row must name at least the columns list and title"})
	}
	var rows []ImportRow
	for i, rec := range records[1:] {
		row := ImportRow{Line: i + 2, Values: map[string]string{}}
		blank := true
		for j, v := range rec {
			if j < len(cols) && cols[j] != "" {
				row.Values[cols[j]] = strings.TrimSpace(v)
				blank = blank && strings.TrimSpace(v) == ""
			}
		}
		if blank {
			continue
		}
		if len(rows) == MaxImportRows {
			return nil, problem.Invalid(problem.FieldError{Field: "file", Message: fmt.Sprintf("the file has more than %d rows", MaxImportRows)})
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, problem.Invalid(problem.FieldError{Field: "file", Message: "the file has no rows under its header"})
	}
	return rows, nil
}

// tooWide reports whether a row has a value past MaxImportColumns.
func tooWide(rec []string) bool {
	for _, v := range rec[min(len(rec), MaxImportColumns):] {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

func readCSV(data []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	// A semicolon is the separator of spreadsheets saved in French.
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	var out [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("not a readable CSV file: %v", err)
		}
		if len(out) > MaxImportRows+1 {
			return out, nil // ParseImport reports the row limit
		}
		for i := range rec {
			rec[i] = csvsafe.Unescape(rec[i]) // an export's '=... cells read back as written
		}
		out = append(out, rec)
	}
}

// checkXLSXSize refuses a workbook whose parts would unpack beyond the limits above, from
// the sizes its archive declares, before anything is inflated.
func checkXLSXSize(data []byte) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return errors.New("not a readable XLSX file")
	}
	if len(z.File) > MaxImportParts {
		return fmt.Errorf("the workbook has more than %d parts; an XLSX file of tasks needs a few dozen", MaxImportParts)
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		big := strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
		if total > MaxImportUnzipBytes || (!big && f.UncompressedSize64 > MaxImportUnzipPartBytes) {
			return fmt.Errorf("the workbook unpacks to more than %d MiB, too much for %d rows of tasks; save the tasks alone in a new file (or as CSV)", MaxImportUnzipBytes>>20, MaxImportRows)
		}
	}
	return nil
}

// readXLSX reads the first sheet of a workbook, within the unzip limits above.
func readXLSX(data []byte) ([][]string, error) {
	if err := checkXLSXSize(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxImportUnzipBytes, UnzipXMLSizeLimit: MaxImportUnzipPartBytes})
	if err != nil {
		return nil, errors.New("not a readable XLSX file")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, errors.New("not a readable XLSX file")
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() && len(out) <= MaxImportRows+1 {
		cols, err := rows.Columns()
		if err != nil {
			return nil, errors.New("not a readable XLSX file")
		}
		if tooWide(cols) {
			return nil, fmt.Errorf("the file has more than %d columns", MaxImportColumns)
		}
		if len(cols) > MaxImportColumns {
			cols = append([]string(nil), cols[:MaxImportColumns]...) // empty cells: let them go
		}
		out = append(out, cols)
	}
	return out, nil
}

// PreviewImport resolves and validates rows against the project as the actor sees it,
// without writing anything.
func (s *Service) PreviewImport(ctx context.Context, a *actor.Actor, projectID int64, rows []ImportRow) (*ImportReport, error) {
	p, err := s.writableProject(ctx, s.tenant(scopeOf(a)), scopeOf(a), projectID)
	if err != nil {
		return nil, err
	}
	sc := scopeOf(a)
	tn := s.tenant(sc)
	lists, err := s.store.lists(ctx, tn, sc, projectID, pageAll)
	if err != nil {
		return nil, err
	}
	byName := map[string]int64{}
	var listIDs []int64
	for _, l := range lists {
		if _, dup := byName[strings.ToLower(l.Name)]; !dup {
			byName[strings.ToLower(l.Name)] = l.ID
		}
		listIDs = append(listIDs, l.ID)
	}
	var want []string
	var named []int64
	for _, r := range rows {
		want = append(want, splitCell(strings.ToLower(r.Values["assignee_email"]))...)
		if id, ok := api.ParseID(r.Values["id"]); ok {
			named = append(named, id)
		}
	}
	existing, err := s.store.liveTaskIDs(ctx, tn, projectID, named)
	if err != nil {
		return nil, err
	}
	emails, err := s.store.peopleByEmail(ctx, tn, want)
	if err != nil {
		return nil, err
	}
	var userIDs []int64
	for _, id := range emails {
		userIDs = append(userIDs, id)
	}
	tc, err := s.loadTaskContext(ctx, tn, a, p, listIDs, dedupe(userIDs))
	if err != nil {
		return nil, err
	}
	now := s.now()
	rep := &ImportReport{Rows: make([]ImportResult, len(rows))}
	for i, r := range rows {
		v := r.Values
		res := ImportResult{Line: r.Line, List: v["list"], Email: v["assignee_email"], Errors: []problem.FieldError{}}
		var f problem.Fields
		in := TaskInput{Title: v["title"], Description: v["description"], StartsOn: v["starts_on"], DueOn: v["due_on"], Priority: strings.ToLower(v["priority"])}
		if v["list"] == "" {
			f.Add("list", "is required")
		} else if id, ok := byName[strings.ToLower(v["list"])]; ok {
			in.ListID = id
		} else {
			f.Add("list", fmt.Sprintf("no list %q in this project; add it before importing", v["list"]))
		}
		if raw := v["id"]; raw != "" {
			if id, ok := api.ParseID(raw); !ok {
				f.Add("id", "must be the id of a task, or empty for a new task")
			} else if existing[id] {
				res.TaskID = id
			}
		}
		if st := strings.ToLower(strings.TrimSpace(v["status"])); st != "" {
			if slices.Contains(statuses, st) {
				res.Status = st
			} else {
				f.Add("status", "must be one of "+strings.Join(statuses, ", "))
			}
		}
		in.Assignees = importAssignees(&f, v, emails)
		// The service's own checks; their field names map back to the file's columns.
		var sf problem.Fields
		tc.check(&sf, "", in, now, a.UserID)
		if err := sf.Err(); err != nil {
			if pr, ok := problem.As(err); ok {
				for _, fe := range pr.Errors {
					switch fe.Field {
					case "list_id":
						if !f.Has("list") {
							f.Add("list", fe.Message)
						}
					case "assignees":
						f.Add("assignee_email", fe.Message)
					default:
						f.Add(fe.Field, fe.Message)
					}
				}
			}
		}
		if err := f.Err(); err != nil {
			if pr, ok := problem.As(err); ok {
				res.Errors = pr.Errors
			}
		}
		res.Task = in
		rep.Rows[i] = res
	}
	return rep, nil
}

// importAssignees reads a row's assignees: emails separated by ";" (or ","), and their
// estimates in hours in the same order ("2; 1.5"), or one estimate for a single assignee.
func importAssignees(f *problem.Fields, v map[string]string, emails map[string]int64) []AssigneeInput {
	who := splitCell(v["assignee_email"])
	hours := strings.Split(v["estimate_hours"], ";")
	if strings.TrimSpace(v["estimate_hours"]) == "" {
		hours = nil
	}
	if len(hours) > 0 && len(hours) != len(who) {
		if len(who) == 0 {
			f.Add("estimate_hours", "an estimate needs an assignee")
		} else {
			f.Add("estimate_hours", "give one estimate per assignee, in the same order, separated by ;")
		}
		return nil
	}
	var out []AssigneeInput
	for i, e := range who {
		id, ok := emails[strings.ToLower(e)]
		if !ok {
			f.Add("assignee_email", fmt.Sprintf("no person with the email %s in this account", e))
			continue
		}
		as := AssigneeInput{UserID: id}
		if len(hours) > 0 {
			if h := strings.Replace(strings.TrimSpace(hours[i]), ",", ".", 1); h != "" {
				x, err := strconv.ParseFloat(h, 64)
				if err != nil || x < 0 || math.IsNaN(x) || x*60 > MaxEstimate {
					f.Add("estimate_hours", fmt.Sprintf("must be a number of hours from 0 to %d", MaxEstimate/60))
					continue
				}
				as.EstimateMinutes = int64(math.Round(x * 60))
			}
		}
		out = append(out, as)
	}
	return out
}

// splitCell splits a cell holding several values separated by ";" or ",".
func splitCell(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' }) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Import previews rows and, when every row is right and dryRun is false, writes them: the new
// tasks all in one transaction, then the changes of the tasks the file names by id, and the
// statuses the rows give. A wrong row makes the report's error a 422 and nothing is written.
func (s *Service) Import(ctx context.Context, a *actor.Actor, projectID int64, rows []ImportRow, dryRun bool) (*ImportReport, error) {
	rep, err := s.PreviewImport(ctx, a, projectID, rows)
	if err != nil {
		return nil, err
	}
	if !rep.OK() {
		return rep, problem.Invalid(problem.FieldError{Field: "rows", Message: "some rows are wrong; nothing was imported"})
	}
	if dryRun {
		return rep, nil
	}
	var in []TaskInput
	var created []*ImportResult
	for i := range rep.Rows {
		if r := &rep.Rows[i]; r.TaskID == 0 {
			in, created = append(in, r.Task), append(created, r)
		}
	}
	if len(in) > 0 {
		ids, err := s.ImportTasks(ctx, a, projectID, in)
		if err != nil {
			return nil, err
		}
		for i, id := range ids {
			created[i].TaskID = id
		}
		rep.Imported = len(ids)
	}
	for _, r := range rep.Rows {
		patch := TaskPatch{}
		if r.Status != "" {
			patch.Status = &r.Status
		}
		if !slices.ContainsFunc(created, func(c *ImportResult) bool { return c.TaskID == r.TaskID }) {
			t := r.Task
			patch.ListID, patch.Title, patch.Description, patch.StartsOn, patch.DueOn = &t.ListID, &t.Title, &t.Description, &t.StartsOn, &t.DueOn
			patch.Assignees = &t.Assignees
			if t.Priority != "" {
				patch.Priority = &t.Priority
			}
			rep.Updated++
		} else if r.Status == "" || r.Status == "open" {
			continue // a new task starts open
		}
		if _, err := s.UpdateTask(ctx, a, r.TaskID, patch); err != nil {
			return rep, err
		}
	}
	return rep, nil
}
