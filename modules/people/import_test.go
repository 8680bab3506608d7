package people_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestImportCSV: the dry run answers what will be created and writes nothing; the import
// then invites everyone (an email each) in one go, with an audit entry for the import.
func TestImportCSV(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		dom := acc.Slug + ".test" // the logins are shared by the accounts of a database
		owner := e.As(acc.Owner)
		path := "/api/v1/" + acc.Slug + "/people/import"
		csv := "\ufeffName;Email;Role\n" +
			"Ada Lovelace;ADA@" + dom + ";admin\n" +
			"\n" +
			"Alan Turing;alan@" + dom + ";\n" +
			"'=Grace Hopper;grace@" + dom + ";manager\n"
		before := e.Snapshot()
		var rep report
		want(t, "dry run", send(t, owner, path+"?dry_run=true", "team.csv", []byte(csv), nil), http.StatusOK).JSON(t, &rep)
		if rep.Valid != 3 || rep.Invalid != 0 || !rep.DryRun || len(rep.Invited) != 0 {
			t.Fatalf("dry run: %+v", rep)
		}
		if r := rep.Rows; r[0].Email != "ada@"+dom || r[0].Line != 2 || r[1].Role != "member" || r[1].Line != 4 || r[2].Name != "=Grace Hopper" {
			t.Fatalf("rows: %+v", r)
		}
		if after := e.Snapshot(); after != before {
			t.Fatalf("the dry run wrote: %s -> %s", before, after)
		}

		rep = report{}
		want(t, "import", send(t, owner, path, "team.csv", []byte(csv), nil), http.StatusCreated).JSON(t, &rep)
		if len(rep.Invited) != 3 || rep.DryRun {
			t.Fatalf("import: %+v", rep)
		}
		for _, inv := range rep.Invited {
			if inv.User.Status != "invited" || !strings.Contains(inv.InvitationURL, "/invitations/") {
				t.Fatalf("invited %+v", inv)
			}
		}
		r := want(t, "people", owner.Get("/api/v1/"+acc.Slug+"/users?q="+dom+"&limit=50"), http.StatusOK).String()
		for _, m := range []string{"ada@" + dom, "alan@" + dom, "grace@" + dom} {
			if !strings.Contains(r, m) {
				t.Fatalf("%s is not listed: %s", m, r)
			}
		}
		audit := want(t, "audit", owner.Get("/api/v1/"+acc.Slug+"/audit?action=people.imported"), http.StatusOK).String()
		if !strings.Contains(audit, "people.imported") || !strings.Contains(audit, "team.csv") {
			t.Fatalf("no audit entry of the import: %s", audit)
		}
		// The same file again: everyone is in the account now, every row says so, nothing moves.
		before = e.Snapshot()
		rep = report{}
		want(t, "again", send(t, owner, path, "team.csv", []byte(csv), nil), http.StatusUnprocessableEntity).JSON(t, &rep)
		if rep.Invalid != 3 || rep.errorsOf()[2][0] != "email" {
			t.Fatalf("again: %+v", rep)
		}
		if after := e.Snapshot(); after != before {
			t.Fatalf("a refused import wrote: %s -> %s", before, after)
		}
	})
}

// TestImportRowErrors: every wrong row says why, on its line; one wrong row and nothing is
// written, dry run or not.
func TestImportRowErrors(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		dom := acc.Slug + ".test" // the logins are shared by the accounts of a database
		owner := e.As(acc.Owner)
		path := "/api/v1/" + acc.Slug + "/people/import"
		csv := "name,email,role,company_id\n" +
			"Good One,good@" + dom + ",member,\n" + // 2
			"Bad Mail,not-an-email,member,\n" + // 3
			"Boss,boss@" + dom + ",owner,\n" + // 4
			"Twice,good@" + dom + ",member,\n" + // 5
			",noname@" + dom + ",member,\n" + // 6
			"Client,client@" + dom + ",client,\n" + // 7: a client needs a company
			"Company,co@" + dom + ",member,abc\n" + // 8
			"Owner," + acc.Owner.Email + ",member,\n" + // 9: already in the account
			"Broken,\"broken@" + dom + ",member,\n" // 10: a quote never closed
		before := e.Snapshot()
		for _, q := range []string{"?dry_run=true", ""} {
			var rep report
			want(t, "errors"+q, send(t, owner, path+q, "x.csv", []byte(csv), nil), http.StatusUnprocessableEntity).JSON(t, &rep)
			got := rep.errorsOf()
			wantErr := map[int]string{3: "email", 4: "role", 5: "email", 6: "name", 7: "company_id", 8: "file", 9: "email", 10: "file"}
			for line, field := range wantErr {
				if !slices.Contains(got[line], field) {
					t.Errorf("%s line %d: errors %v, want %s (all: %v)", q, line, got[line], field, got)
				}
			}
			if len(got[2]) != 0 || rep.Valid != 1 || rep.Invalid != 8 {
				t.Fatalf("%s: %+v", q, rep)
			}
		}
		if after := e.Snapshot(); after != before {
			t.Fatalf("wrong rows wrote: %s -> %s", before, after)
		}
	})
}

// TestImportVCard: contacts exported from an address book become invitations with the
// role chosen for them; a malformed card is a row error and nothing is written.
func TestImportVCard(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		dom := acc.Slug + ".test" // the logins are shared by the accounts of a database
		owner := e.As(acc.Owner)
		path := "/api/v1/" + acc.Slug + "/people/import"
		good := "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Émilie du Châtelet\r\nEMAIL;PREF=1:emilie@" + dom + "\r\nEND:VCARD\r\n" +
			"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Curie;Marie;;;\r\nEMAIL;TYPE=INTERNET:marie@" + dom + "\r\nEND:VCARD\r\n"
		// A card without name nor email, then one cut short (no END).
		bad := good + "BEGIN:VCARD\r\nVERSION:4.0\r\nFN;broken\r\nEND:VCARD\r\n" + "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Half\r\n"
		before := e.Snapshot()
		var rep report
		want(t, "bad vcard", send(t, owner, path, "contacts.vcf", []byte(bad), map[string]string{"role": "manager"}), http.StatusUnprocessableEntity).JSON(t, &rep)
		if got := rep.errorsOf(); rep.Valid != 2 || rep.Invalid != 2 || !slices.Contains(got[3], "email") || !slices.Contains(got[4], "file") {
			t.Fatalf("bad vcard: %+v", rep)
		}
		if after := e.Snapshot(); after != before {
			t.Fatalf("a malformed vCard wrote: %s -> %s", before, after)
		}
		rep = report{}
		want(t, "vcard", send(t, owner, path, "contacts.vcf", []byte(good), map[string]string{"role": "manager"}), http.StatusCreated).JSON(t, &rep)
		if len(rep.Invited) != 2 || rep.Rows[1].Name != "Marie Curie" || rep.Invited[0].User.Role != "manager" {
			t.Fatalf("vcard: %+v", rep)
		}
	})
}

// TestImportLimits: a file above the size limit is a 413, more rows than the limit a 422 on
// file, an empty or headless file a 422; only those who invite may import.
func TestImportLimits(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		dom := acc.Slug + ".test" // the logins are shared by the accounts of a database
		owner := e.As(acc.Owner)
		path := "/api/v1/" + acc.Slug + "/people/import"
		before := e.Snapshot()
		want(t, "too large", send(t, owner, path, "big.csv", []byte("name,email\n"+strings.Repeat("x", 1<<20)), nil), http.StatusRequestEntityTooLarge)
		var b strings.Builder
		b.WriteString("name,email\n")
		for i := range 501 {
			fmt.Fprintf(&b, "P%d,p%d@"+dom+"\n", i, i)
		}
		r := want(t, "too many", send(t, owner, path, "many.csv", []byte(b.String()), nil), http.StatusUnprocessableEntity)
		if r.FieldErrors()["file"] == "" {
			t.Fatalf("too many: %s", r.Body)
		}
		for name, body := range map[string]string{"empty": "", "header only": "name,email\n", "no email column": "name,mail\nA,a@" + dom + "\n"} {
			if r := want(t, name, send(t, owner, path, "f.csv", []byte(body), nil), http.StatusUnprocessableEntity); r.FieldErrors()["file"] == "" {
				t.Fatalf("%s: %s", name, r.Body)
			}
		}
		want(t, "no file", owner.Post(path, map[string]any{}), http.StatusUnprocessableEntity)
		want(t, "bad company", send(t, owner, path, "f.csv", []byte("name,email\nA,a@"+dom+"\n"), map[string]string{"company_id": "x"}), http.StatusUnprocessableEntity)
		ok := []byte("name,email\nA,a@" + dom + "\n")
		for _, role := range []string{actor.RoleManager, actor.RoleMember} {
			want(t, role, send(t, e.As(e.NewUser(acc, role)), path, "f.csv", ok, nil), http.StatusForbidden)
		}
		client := e.NewClient(acc, e.ClientCompany(acc))
		if r := send(t, e.As(client), path, "f.csv", ok, nil); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Fatalf("client: %d", r.Status)
		}
		// Another account's owner reaches nothing of this one.
		other := e.NewAccount()
		if r := send(t, e.As(other.Owner), path, "f.csv", ok, nil); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Fatalf("other account: %d", r.Status)
		}
		_ = before
	})
}
