package people_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// sendB posts a CSV as the multipart field "file".
func sendB(t testing.TB, c *testkit.Client, path string, data []byte) *testkit.Response {
	return send(t, c, path, "people.csv", data, nil)
}

// send posts a file as the multipart field "file", with the other fields.
func send(t testing.TB, c *testkit.Client, path, name string, data []byte, fields map[string]string) *testkit.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return c.Send(http.MethodPost, path, http.Header{"Content-Type": {mw.FormDataContentType()}}, &buf)
}

func want(t testing.TB, what string, r *testkit.Response, status int) *testkit.Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: %d, want %d: %s", what, r.Status, status, r.Body)
	}
	return r
}

// report is the answer of an import.
type report struct {
	Rows []struct {
		Line   int    `json:"line"`
		Name   string `json:"name"`
		Email  string `json:"email"`
		Role   string `json:"role"`
		Errors []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"rows"`
	Valid   int  `json:"valid"`
	Invalid int  `json:"invalid"`
	DryRun  bool `json:"dry_run"`
	Invited []struct {
		User struct {
			ID     int64  `json:"id"`
			Email  string `json:"email"`
			Role   string `json:"role"`
			Status string `json:"status"`
		} `json:"user"`
		InvitationURL string `json:"invitation_url"`
	} `json:"invited"`
}

// errorsOf maps each row's line to its fields in error.
func (r report) errorsOf() map[int][]string {
	out := map[int][]string{}
	for _, row := range r.Rows {
		for _, e := range row.Errors {
			out[row.Line] = append(out[row.Line], e.Field)
		}
	}
	return out
}
