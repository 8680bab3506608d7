package extranet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// TestRoundFiles: a round holds several files (file_ids, up to 10, each shared with the
// company; the old file_id still works and comes first), listed with download links on the
// team's and the client's pages, downloadable by the client, and exported with the
// submitter's rounds; a refused list writes nothing.
func TestRoundFiles(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		folder := o.created(t, mem, "/folders", map[string]any{"name": "Round files", "visibility": "clients", "company_ids": []int64{o.acme}})
		var fs []int64
		for i := 1; i <= 3; i++ {
			fs = append(fs, o.created(t, mem, fmt.Sprintf("/folders/%d/files", folder), map[string]any{"name": fmt.Sprintf("variant-%d.txt", i), "content": "v"}))
		}
		body := func(kv ...any) map[string]any {
			m := map[string]any{"project_id": o.project, "company_id": o.acme, "title": "Logo"}
			for i := 0; i < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		}
		eleven := make([]int64, 11)
		for i := range eleven {
			eleven[i] = int64(1000 + i)
		}
		snap := e.Snapshot()
		wantField(t, mem.Post(o.base+"/deliverables", body("file_ids", eleven)), "file_ids")
		wantField(t, mem.Post(o.base+"/deliverables", body("file_ids", []int64{fs[0], -3})), "file_ids")
		wantField(t, mem.Post(o.base+"/deliverables", body("file_ids", []int64{fs[0], o.secFile})), "file_ids")
		wantField(t, mem.Post(o.base+"/deliverables", body("file_ids", []int64{fs[0], 987654})), "file_ids")
		if e.Snapshot() != snap {
			t.Fatal("a refused list of files wrote something")
		}

		// file_id first, then file_ids without the duplicate.
		id := o.created(t, mem, "/deliverables", body("file_id", fs[2], "file_ids", []int64{fs[0], fs[1], fs[2]}))
		v := o.get(t, e.As(o.cli), id)
		r0 := v.Rounds[0]
		if len(r0.Files) != 3 || *r0.Files[0].FileID != fs[2] || *r0.Files[1].FileID != fs[0] || r0.Files[2].FileName != "variant-2.txt" ||
			r0.FileID == nil || *r0.FileID != fs[2] || r0.FileName != "variant-3.txt" {
			t.Fatalf("the round's files: %+v", r0)
		}
		path := fmt.Sprintf("%s/deliverables/%d", o.base, id)
		if r := mem.Post(path+"/resubmit", map[string]any{"description": "two left", "file_ids": []int64{fs[1], fs[0]}}); r.Status != http.StatusOK {
			t.Fatalf("resubmit: %d %s", r.Status, r.Body)
		}
		wantField(t, mem.Post(path+"/resubmit", map[string]any{"file_ids": eleven}), "file_ids")
		v = o.get(t, e.As(o.cli), id)
		if len(v.Rounds) != 2 || len(v.Rounds[0].Files) != 2 || v.Rounds[0].Files[0].FileName != "variant-2.txt" || len(v.Rounds[1].Files) != 3 {
			t.Fatalf("after the resubmission: %+v", v.Rounds)
		}
		// The page's field takes several numbers.
		page := fmt.Sprintf("/%s/deliverables/%d", o.acc.Slug, id)
		if r := mem.SubmitForm(page, page+"/resubmit", url.Values{"description": {"from the page"}, "file_ids": {fmt.Sprintf("%d, %d", fs[0], fs[2])}}); r.Status >= 400 {
			t.Fatalf("resubmit from the page: %d %.300s", r.Status, r.Body)
		}
		if v = o.get(t, mem, id); len(v.Rounds[0].Files) != 2 || *v.Rounds[0].Files[1].FileID != fs[2] {
			t.Fatalf("the page's round: %+v", v.Rounds[0])
		}

		// Both pages list every file of every round, and the client downloads them.
		for _, p := range []struct {
			who  *testkit.User
			path string
		}{{o.mem, page}, {o.cli, fmt.Sprintf("/%s/extranet/deliverables/%d", o.acc.Slug, id)}} {
			r := e.As(p.who).Get(p.path)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d", p.path, r.Status)
			}
			for _, f := range fs {
				if !strings.Contains(string(r.Body), fmt.Sprintf("/files/%d/download", f)) {
					t.Errorf("%s does not offer file %d: %.300s", p.path, f, r.Body)
				}
			}
		}
		for _, f := range fs {
			if r := e.As(o.cli).Get(fmt.Sprintf("%s/files/%d/download", o.base, f)); r.Status != http.StatusOK {
				t.Errorf("the client downloads %d: %d", f, r.Status)
			}
		}

		// The submitter's export names the files of their rounds.
		var provider hooks.PersonalData
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "extranet" {
				provider = p.Hook
			}
		}
		var x walk.Export
		if err := provider.Export(context.Background(), hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email, Name: o.mem.Name}, &x); err != nil {
			t.Fatal(err)
		}
		if d := string(x.Files["extranet_submitted.json"]); !strings.Contains(d, "variant-1.txt") || !strings.Contains(d, `"files"`) {
			t.Errorf("the submitter's export: %.600s", d)
		}
	})
}
