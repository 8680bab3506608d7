package extranet_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/extranet"
)

// TestDeliverableRounds: a member submits to Acme; Acme's client sees it, Globex's does not;
// staff cannot decide; a reject needs a comment; a resubmission is a new round; an approval
// ends the rounds; every step is audited and notified.
func TestDeliverableRounds(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		id := o.submit(t, "Home page mock-ups")
		path := fmt.Sprintf("%s/deliverables/%d", o.base, id)

		v := o.get(t, e.As(o.cli), id)
		if v.State != extranet.StatePending || v.Round != 1 || len(v.Rounds) != 1 || !v.Decidable || v.CompanyName == "" || v.ProjectName != "Website" {
			t.Fatalf("the client reads %+v", v)
		}
		if r := e.As(o.other).Get(path); r.Status != http.StatusNotFound {
			t.Fatalf("a client of another company reads it: %d", r.Status)
		}
		if r := e.As(o.other).Post(path+"/approve", map[string]any{}); r.Status != http.StatusNotFound {
			t.Fatalf("a client of another company approves: %d %s", r.Status, r.Body)
		}
		for _, u := range []*testkit.User{o.owner, o.mgr, o.mem} {
			if r := e.As(u).Post(path+"/approve", map[string]any{}); r.Status != http.StatusForbidden {
				t.Fatalf("%s approves: %d %s", u.Email, r.Status, r.Body)
			}
		}
		if r := e.As(o.cli).Post(path+"/resubmit", map[string]any{}); r.Status != http.StatusForbidden {
			t.Fatalf("the client resubmits: %d %s", r.Status, r.Body)
		}

		snap := e.Snapshot()
		wantField(t, e.As(o.cli).Post(path+"/reject", map[string]any{"comment": "  "}), "comment")
		wantField(t, e.As(o.cli).Post(path+"/approve", map[string]any{"comment": strings.Repeat("x", extranet.MaxComment+1)}), "comment")
		if e.Snapshot() != snap {
			t.Fatal("a refused decision wrote something")
		}

		if r := e.As(o.cli).Post(path+"/reject", map[string]any{"comment": "Darker blue, please."}); r.Status != http.StatusOK {
			t.Fatalf("reject: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.cli).Post(path+"/approve", map[string]any{}); r.Status != http.StatusConflict {
			t.Fatalf("approve a rejected one: %d %s", r.Status, r.Body)
		}
		r := e.As(o.mgr).Post(path+"/resubmit", map[string]any{"description": "darker", "file_id": o.sharedFile})
		if r.Status != http.StatusOK {
			t.Fatalf("resubmit: %d %s", r.Status, r.Body)
		}
		v = o.get(t, e.As(o.cli), id)
		if v.Round != 2 || v.State != extranet.StatePending || len(v.Rounds) != 2 || v.Rounds[0].FileName != "mockups.txt" ||
			v.Rounds[1].State != extranet.StateRejected || v.Rounds[1].Comment != "Darker blue, please." {
			t.Fatalf("after the resubmission: %+v", v)
		}
		// A resubmission while a round is pending supersedes it.
		if r := e.As(o.mem).Post(path+"/resubmit", map[string]any{"description": "darker still"}); r.Status != http.StatusOK {
			t.Fatalf("resubmit again: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.cli).Post(path+"/approve", map[string]any{"comment": "Perfect"}); r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		v = o.get(t, e.As(o.mem), id)
		if v.State != extranet.StateApproved || v.Round != 3 || v.Rounds[0].DeciderName != o.cli.Name || v.Rounds[1].State != extranet.StateSuperseded || v.Resubmittable {
			t.Fatalf("after the approval: %+v", v)
		}
		if r := e.As(o.mem).Post(path+"/resubmit", map[string]any{}); r.Status != http.StatusConflict {
			t.Fatalf("resubmit an approved one: %d %s", r.Status, r.Body)
		}

		// The trail and the notices.
		r = e.As(o.owner).Get(o.base + "/audit")
		for _, a := range []string{"submitted", "resubmitted", "approved", "rejected"} {
			if !strings.Contains(string(r.Body), `"extranet.deliverable.`+a+`"`) {
				t.Errorf("no audit of %s: %.400s", a, r.Body)
			}
		}
		if n := notices(t, e, o, o.cli); !strings.Contains(n, "Home page mock-ups") {
			t.Errorf("the client was not told of the submission: %.400s", n)
		}
		if n := notices(t, e, o, o.mem); !strings.Contains(n, "/deliverables/") {
			t.Errorf("the submitter was not told of the decision: %.400s", n)
		}
		if n := notices(t, e, o, o.other); strings.Contains(n, "Home page mock-ups") {
			t.Errorf("another company's client was told: %.400s", n)
		}
	})
}

func notices(t *testing.T, e *testkit.Env, o *office, u *testkit.User) string {
	t.Helper()
	r := e.As(u).Get(o.base + "/notifications")
	if r.Status != http.StatusOK {
		t.Fatalf("notifications: %d %s", r.Status, r.Body)
	}
	return string(r.Body)
}

// TestSubmitRefusals: the project must be one the member sees and the company is a client of;
// the company a client company; the file one the submitter sees, shared with the company.
func TestSubmitRefusals(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		closed := o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Secret", "access": "invite", "client_company_id": o.acme})
		internalCo := o.created(t, e.As(o.owner), "/companies", map[string]any{"name": "Subco", "kind": "supplier"})
		snap := e.Snapshot()
		mem := e.As(o.mem)
		body := func(kv ...any) map[string]any {
			m := map[string]any{"project_id": o.project, "company_id": o.acme, "title": "Draft"}
			for i := 0; i < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		}
		for _, c := range []struct {
			field string
			body  map[string]any
		}{
			{"title", body("title", "")},
			{"title", body("title", strings.Repeat("t", extranet.MaxTitle+1))},
			{"title", body("title", "a\x00b")},
			{"description", body("description", strings.Repeat("d", extranet.MaxDescription+1))},
			{"project_id", body("project_id", 0)},
			{"project_id", body("project_id", closed)},
			{"project_id", body("project_id", 999999999)},
			{"company_id", body("company_id", o.globex)},
			{"company_id", body("company_id", internalCo)},
			{"company_id", body("project_id", o.internal)},
			{"file_id", body("file_id", o.secFile)},
			{"file_id", body("file_id", 999999999)},
			{"file_id", body("file_id", -3)},
		} {
			wantField(t, mem.Post(o.base+"/deliverables", c.body), c.field)
		}
		if r := e.As(o.cli).Post(o.base+"/deliverables", body()); r.Status != http.StatusForbidden {
			t.Fatalf("a client submits: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(o.base+"/deliverables", `{"title": 3}`); r.Status != http.StatusBadRequest && r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a bad body: %d %s", r.Status, r.Body)
		}
		if e.Snapshot() != snap {
			t.Fatal("a refused submission wrote something")
		}
		wantField(t, mem.Get(o.base+"/deliverables?state=lost"), "state")
		// A client member of the project makes the company one of its clients too.
		if r := e.As(o.owner).Patch(fmt.Sprintf("%s/projects/%d", o.base, o.internal), map[string]any{"guests_allowed": true}); r.Status != http.StatusOK {
			t.Fatalf("allow guests: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.owner).Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, o.internal, o.other.ID), map[string]any{"role": "client"}); r.Status >= 300 {
			t.Fatalf("add a client member: %d %s", r.Status, r.Body)
		}
		o.created(t, mem, "/deliverables", body("project_id", o.internal, "company_id", o.globex))
	})
}

// TestDeliverableLists: each reads the deliverables of their scope, filtered and paged.
func TestDeliverableLists(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		a, b, c := o.submit(t, "One"), o.submit(t, "Two"), o.submit(t, "Three")
		e.As(o.cli).Post(fmt.Sprintf("%s/deliverables/%d/approve", o.base, b), map[string]any{})
		list := func(u *testkit.User, q string) []int64 {
			r := e.As(u).Get(o.base + "/deliverables" + q)
			if r.Status != http.StatusOK {
				t.Fatalf("list %s: %d %s", q, r.Status, r.Body)
			}
			var l struct {
				Items []extranet.Deliverable
			}
			r.JSON(t, &l)
			var ids []int64
			for _, d := range l.Items {
				ids = append(ids, d.ID)
			}
			return ids
		}
		if got := fmt.Sprint(list(o.cli, "")); got != fmt.Sprint([]int64{c, b, a}) {
			t.Errorf("the client lists %s", got)
		}
		if got := list(o.other, ""); len(got) != 0 {
			t.Errorf("another company's client lists %v", got)
		}
		if got := fmt.Sprint(list(o.mem, "?state=pending")); got != fmt.Sprint([]int64{c, a}) {
			t.Errorf("pending: %s", got)
		}
		if got := fmt.Sprint(list(o.owner, fmt.Sprintf("?project_id=%d&limit=1", o.project))); got != fmt.Sprint([]int64{c}) {
			t.Errorf("paged: %s", got)
		}
	})
}

// TestPortal: a client lands on the portal, which names their company and lists the sections
// of projects, files and deliverables; colleagues keep their home and have no portal.
func TestPortal(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		b := e.BrowserLogin(o.cli)
		r := b.Get("/" + o.acc.Slug)
		if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "/"+o.acc.Slug+"/extranet") {
			t.Fatalf("the client's home: %d %s", r.Status, r.Header.Get("Location"))
		}
		r = b.Get("/" + o.acc.Slug + "/extranet")
		page := string(r.Body)
		if r.Status != http.StatusOK {
			t.Fatalf("portal: %d %.300s", r.Status, page)
		}
		for _, want := range []string{"Welcome, Client of " + o.acc.Slug, `href="/` + o.acc.Slug + `/projects"`, `href="/` + o.acc.Slug + `/files"`, `href="/` + o.acc.Slug + `/extranet/deliverables"`, "Nothing yet", "Your projects"} {
			if !strings.Contains(page, want) {
				t.Errorf("the portal lacks %q", want)
			}
		}
		// Each section says whether it has something for the client: a folder is shared with
		// Acme, but no project (the client is a member of none) and no deliverable yet.
		tile := func(page, key string) string {
			_, rest, _ := strings.Cut(page, `id="tile-`+key+`"`)
			body, _, _ := strings.Cut(rest, "</a>")
			return body
		}
		for key, empty := range map[string]bool{"projects.projects": true, "files.files": false, "extranet.deliverables": true} {
			if got := strings.Contains(tile(page, key), "Nothing yet"); got != empty {
				t.Errorf("the %s tile says nothing yet: %v, want %v", key, got, empty)
			}
		}
		id := o.submit(t, "Logo")
		page = string(b.Get("/" + o.acc.Slug + "/extranet").Body)
		if !strings.Contains(page, "Awaiting your decision") || !strings.Contains(page, "Logo") {
			t.Errorf("the portal does not show what waits: %.2000s", page)
		}
		// Deciding from the page: the box confirms.
		detail := fmt.Sprintf("/%s/extranet/deliverables/%d", o.acc.Slug, id)
		r = b.SubmitForm(detail, detail+"/approve", url.Values{"comment": {"ok"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "Tick the box") {
			t.Fatalf("approve without confirming: %d %.300s", r.Status, r.Body)
		}
		if r = b.SubmitForm(detail, detail+"/reject", url.Values{"confirm": {"1"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("reject without a comment: %d", r.Status)
		}
		if r = b.SubmitForm(detail, detail+"/approve", url.Values{"confirm": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("approve: %d %.300s", r.Status, r.Body)
		}
		if v := o.get(t, e.As(o.mem), id); v.State != extranet.StateApproved {
			t.Fatalf("after the form: %s", v.State)
		}
		staff := e.BrowserLogin(o.mem)
		if r := staff.Get("/" + o.acc.Slug); r.Status != http.StatusOK {
			t.Fatalf("a member's home: %d", r.Status)
		}
		if r := staff.Get("/" + o.acc.Slug + "/extranet"); r.Status != http.StatusForbidden {
			t.Fatalf("a member's portal: %d", r.Status)
		}
		if r := staff.Get("/" + o.acc.Slug + "/deliverables?state=approved"); r.Status != http.StatusOK || !strings.Contains(string(r.Body), "Logo") {
			t.Fatalf("the team's list: %d", r.Status)
		}
	})
}

// TestPreview: an administrator sees the portal as a client company sees it — its
// deliverables, not another company's — without links into the client's pages, each view
// audited; nobody else may.
func TestPreview(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		o.submit(t, "Acme logo")
		admin := e.BrowserLogin(o.owner)
		base := "/" + o.acc.Slug + "/extranet/preview"
		chooser := string(admin.Get(base).Body)
		if !strings.Contains(chooser, fmt.Sprintf("%s?company=%d", base, o.globex)) {
			t.Fatalf("the chooser lacks Globex: %.2000s", chooser)
		}
		r := admin.Get(fmt.Sprintf("%s?company=%d", base, o.acme))
		page := string(r.Body)
		if r.Status != http.StatusOK || !strings.Contains(page, "read-only") || !strings.Contains(page, "Acme logo") || !strings.Contains(page, o.cli.Name) {
			t.Fatalf("the preview of Acme: %d %.3000s", r.Status, page)
		}
		if _, portal, _ := strings.Cut(page, "preview-banner"); strings.Contains(portal, "/extranet/deliverables") || strings.Contains(portal, "<form") {
			t.Errorf("the preview links into the client's pages or has a form")
		}
		if page := string(admin.Get(fmt.Sprintf("%s?company=%d", base, o.globex)).Body); strings.Contains(page, "Acme logo") {
			t.Errorf("Globex's preview shows Acme's deliverable")
		}
		if r := admin.Get(base + "?company=999999999"); r.Status != http.StatusNotFound {
			t.Errorf("an unknown company: %d", r.Status)
		}
		if a := string(e.As(o.owner).Get(o.base + "/audit").Body); strings.Count(a, `"extranet.preview.viewed"`) != 2 {
			t.Errorf("the previews are not audited once each: %.600s", a)
		}
		for _, u := range []*testkit.User{o.mgr, o.mem, o.cli} {
			if r := e.BrowserLogin(u).Get(fmt.Sprintf("%s?company=%d", base, o.acme)); r.Status != http.StatusForbidden {
				t.Errorf("%s previews: %d", u.Email, r.Status)
			}
		}
	})
}
