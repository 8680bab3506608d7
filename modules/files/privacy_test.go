package files_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// TestPersonalData: a member's uploads and downloads are described (counted), exported, and on
// erasure the account keeps the files — detached from the person, who leaves no trace in the
// module — while their download history goes.
func TestPersonalData(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		id := o.uploaded(t, mem, o.folder, "report.txt", []byte("report"))
		upload(mem, fmt.Sprintf("%s/files/%d/versions", o.base, id), "report.txt", []byte("report v2"))
		mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, id))
		var provider hooks.PersonalData
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "files" {
				provider = p.Hook
			}
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email, Name: o.mem.Name}
		cats, err := provider.Describe(ctx, s)
		if err != nil || len(cats) != 3 || cats[0].Count != 2 || cats[1].Count != 1 || cats[2].Count != 0 {
			t.Fatalf("describe: %+v %v", cats, err)
		}
		var x walk.Export
		if err := provider.Export(ctx, s, &x); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(x.Files["files_uploads.json"]), `"report.txt"`) || !strings.Contains(string(x.Files["files_downloads.json"]), `"version":2`) {
			t.Errorf("export: %s / %s", x.Files["files_uploads.json"], x.Files["files_downloads.json"])
		}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		if r := e.As(o.owner).Get(fmt.Sprintf("%s/files/%d/download", o.base, id)); r.Status != http.StatusOK || string(r.Body) != "report v2" {
			t.Errorf("the file after the erasure: %d %q", r.Status, r.Body)
		}
		var left int
		if err := e.App.DB.NewSelect().TableExpr("files_downloads").ColumnExpr("COUNT(*)").Where("account_id = ? AND user_id = ?", o.acc.ID, o.mem.ID).Scan(ctx, &left); err != nil || left != 0 {
			t.Errorf("downloads of the person left: %d %v", left, err)
		}
		traces, err := walk.Traces(ctx, e.App.DB, o.acc.ID, o.mem.Email, o.mem.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range traces {
			if strings.HasPrefix(tr, "files_") {
				t.Errorf("trace left: %s", tr)
			}
		}
	})
}
