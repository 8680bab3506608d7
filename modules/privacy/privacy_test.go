package privacy_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// busyPerson makes a person of acc with a unique name and email who does what people do: a
// project, a task assigned to them, comments, notifications, sign-ins, emails queued to them.
func busyPerson(t *testing.T, e *testkit.Env, acc *testkit.Account, role string) (*testkit.User, *testkit.Client) {
	t.Helper()
	u := e.NewUser(acc, role)
	c := e.As(u)
	owner := e.As(acc.Owner)
	var p struct{ ID int64 }
	r := owner.Post("/api/v1/"+acc.Slug+"/projects", map[string]any{"name": "Privacy " + u.Name, "leader_id": u.ID})
	if r.Status != http.StatusCreated {
		t.Fatalf("project: %d %s", r.Status, r)
	}
	r.JSON(t, &p)
	var list struct{ ID int64 }
	r = owner.Post(fmt.Sprintf("/api/v1/%s/projects/%d/lists", acc.Slug, p.ID), map[string]any{"name": "To do"})
	if r.Status != http.StatusCreated {
		t.Fatalf("list: %d %s", r.Status, r)
	}
	r.JSON(t, &list)
	var task struct{ ID int64 }
	r = owner.Post(fmt.Sprintf("/api/v1/%s/projects/%d/tasks", acc.Slug, p.ID), map[string]any{"title": "Ask " + u.Name, "list_id": list.ID,
		"description": "Ping " + u.Email, "assignees": []map[string]any{{"user_id": u.ID}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("task: %d %s", r.Status, r)
	}
	r.JSON(t, &task)
	for _, who := range []*testkit.Client{c, owner} {
		if r := who.Post(fmt.Sprintf("/api/v1/%s/tasks/%d/comments", acc.Slug, task.ID), map[string]any{"body": "Note by " + u.Name + " " + u.Email}); r.Status != http.StatusCreated {
			t.Fatalf("comment: %d %s", r.Status, r)
		}
	}
	if r := c.Put(fmt.Sprintf("/api/v1/%s/projects/%d/star", acc.Slug, p.ID), nil); r.Status != http.StatusNoContent {
		t.Fatalf("star: %d %s", r.Status, r)
	}
	if r := c.Post("/api/v1/tokens", map[string]any{"name": "Scripts of " + u.Name}); r.Status != http.StatusCreated {
		t.Fatalf("token: %d %s", r.Status, r)
	}
	if r := c.Put("/api/v1/"+acc.Slug+"/notification-preferences", map[string]any{"preferences": []map[string]string{{"event_type": "user.invited", "channel": "digest"}}}); r.Status != http.StatusOK {
		t.Fatalf("preferences: %d %s", r.Status, r)
	}
	if r := c.Get("/" + acc.Slug); r.Status != http.StatusOK {
		t.Fatalf("home: %d", r.Status)
	}
	if r := c.Post("/api/v1/login", map[string]string{"email": u.Email, "password": "wrong password!"}); r.Status < 400 {
		t.Fatalf("a wrong password signed in: %d", r.Status)
	}
	e.Login(u)
	return u, c
}

func TestAccessReportAndExport(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u, c := busyPerson(t, e, acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug

		var rep struct {
			Person  struct{ Email string }
			Modules []struct {
				Module, Purpose, Retention string
				Data                       []struct {
					Name  string
					Count int64
				}
			}
		}
		r := c.Get(base + "/me/personal-data")
		if r.Status != http.StatusOK {
			t.Fatalf("report: %d %s", r.Status, r)
		}
		r.JSON(t, &rep)
		if rep.Person.Email != u.Email || len(rep.Modules) < 2 {
			t.Fatalf("the report is about %q with %d modules: %s", rep.Person.Email, len(rep.Modules), r)
		}
		for _, m := range rep.Modules {
			if m.Purpose == "" || m.Retention == "" || strings.Contains(m.Purpose, ".data.") {
				t.Errorf("module %s has no readable purpose or retention: %+v", m.Module, m)
			}
		}

		var ex struct {
			ID         int64
			State, URL string
			Progress   int
		}
		r = c.Post(base+"/me/exports", nil)
		if r.Status != http.StatusAccepted {
			t.Fatalf("export: %d %s", r.Status, r)
		}
		r.JSON(t, &ex)
		e.Settle()
		c.Get(fmt.Sprintf("%s/me/exports/%d", base, ex.ID)).JSON(t, &ex)
		if ex.State != "ready" || ex.URL == "" || ex.Progress != 100 {
			t.Fatalf("the export is %+v", ex)
		}
		if m, ok := e.Mailbox.Last(u.Email); !ok || !strings.Contains(m.Text, "/download?token=") {
			t.Errorf("no email with the download link: %+v", m)
		}
		// Another person of the account, and a person of another account, cannot see it.
		other := e.As(e.NewUser(acc, actor.RoleAdmin))
		if r := other.Get(fmt.Sprintf("%s/me/exports/%d", base, ex.ID)); r.Status != http.StatusNotFound {
			t.Errorf("another person reads the export: %d", r.Status)
		}
		if r := other.Get(ex.URL); r.Status != http.StatusNotFound {
			t.Errorf("another person downloads the export: %d", r.Status)
		}
		stranger := e.NewAccount()
		if r := e.As(stranger.Owner).Get(fmt.Sprintf("/api/v1/%s/me/exports/%d", stranger.Slug, ex.ID)); r.Status != http.StatusNotFound {
			t.Errorf("another account reads the export: %d", r.Status)
		}

		r = c.Get(ex.URL)
		if r.Status != http.StatusOK {
			t.Fatalf("download: %d %s", r.Status, r)
		}
		z, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, f := range z.File {
			names[f.Name] = true
		}
		if !names["report.json"] || len(names) < 3 {
			t.Errorf("the archive holds %v", names)
		}
		if r := c.Get(ex.URL); r.Status != http.StatusGone {
			t.Errorf("the link works twice: %d", r.Status)
		}
		if r := c.Get(strings.Replace(ex.URL, "token=", "token=x", 1)); r.Status != http.StatusNotFound {
			t.Errorf("a forged token: %d", r.Status)
		}
	})
}

var linkRE = regexp.MustCompile(`http://\S+/me/privacy/erasure/(\d+)\?token=(\S+)`)

func TestSelfErasureIsConfirmedTwiceAndCancellable(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, actor.RoleMember)
		c := e.As(u)
		base := "/api/v1/" + acc.Slug
		before := e.Snapshot()
		r := c.Post(base+"/me/erasure", map[string]string{"password": "not my password"})
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["password"] == "" {
			t.Fatalf("a wrong password: %d %s", r.Status, r)
		}
		if e.Snapshot() != before {
			t.Error("a refused erasure wrote something")
		}
		var req struct {
			ID    int64
			State string
		}
		r = c.Post(base+"/me/erasure", map[string]string{"password": u.Password})
		if r.Status != http.StatusAccepted {
			t.Fatalf("erasure: %d %s", r.Status, r)
		}
		r.JSON(t, &req)
		if req.State != "unconfirmed" {
			t.Fatalf("state %q", req.State)
		}
		again := c.Post(base+"/me/erasure", map[string]string{"password": u.Password})
		var req2 struct{ ID int64 }
		again.JSON(t, &req2)
		if again.Status != http.StatusAccepted || req2.ID != req.ID {
			t.Errorf("a second request: %d %s", again.Status, again)
		}
		m, ok := e.Mailbox.Last(u.Email)
		if !ok {
			t.Fatal("no confirmation email")
		}
		found := linkRE.FindStringSubmatch(m.Text)
		if found == nil {
			t.Fatalf("no link in %q", m.Text)
		}
		path := strings.TrimPrefix(found[0], e.URL)
		// Another person cannot use it, even with the token.
		if r := e.As(acc.Owner).Get(path); r.Status != http.StatusNotFound {
			t.Errorf("the owner opens the person's link: %d", r.Status)
		}
		b := e.BrowserLogin(u)
		page := b.Get(path)
		if page.Status != http.StatusOK {
			t.Fatalf("confirm page: %d", page.Status)
		}
		if r := b.SubmitForm(path, path, map[string][]string{"token": {found[2]}}); r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", r.Status, r)
		}
		c.Get(base+"/me/erasure").JSON(t, &req)
		if req.State != "scheduled" {
			t.Fatalf("after confirming: %q", req.State)
		}
		if r := c.Delete(base + "/me/erasure"); r.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.Status, r)
		}
		c.Get(base+"/me/erasure").JSON(t, &req)
		if req.State != "none" {
			t.Errorf("a cancelled erasure is still open: %q", req.State)
		}
		if r := e.As(acc.Owner).Post(base+"/me/erasure", map[string]string{"password": acc.Owner.Password}); r.Status != http.StatusConflict {
			t.Errorf("the owner asked to be erased: %d %s", r.Status, r)
		}
	})
}

func TestAdminErasureLeavesNothingOfThePerson(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u, c := busyPerson(t, e, acc, actor.RoleMember)
		admin := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug
		if r := c.Post(base+"/me/exports", nil); r.Status != http.StatusAccepted {
			t.Fatalf("export: %d", r.Status)
		}
		e.Settle()

		// Not at once while they are active; another account's admin cannot reach them.
		if r := admin.Post(fmt.Sprintf("%s/users/%d/erasure", base, u.ID), map[string]any{"immediately": true}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("immediately for an active person: %d %s", r.Status, r)
		}
		stranger := e.NewAccount()
		if r := e.As(stranger.Owner).Post(fmt.Sprintf("/api/v1/%s/users/%d/erasure", stranger.Slug, u.ID), nil); r.Status != http.StatusNotFound {
			t.Errorf("another account erases the person: %d", r.Status)
		}
		if r := admin.Delete(fmt.Sprintf("%s/users/%d", base, u.ID)); r.Status != http.StatusOK {
			t.Fatalf("deactivate: %d %s", r.Status, r)
		}
		var req struct {
			ID    int64
			State string
		}
		r := admin.Post(fmt.Sprintf("%s/users/%d/erasure", base, u.ID), map[string]any{"immediately": true})
		if r.Status != http.StatusAccepted {
			t.Fatalf("erasure: %d %s", r.Status, r)
		}
		r.JSON(t, &req)
		e.Settle()
		admin.Get(fmt.Sprintf("%s/erasures/%d", base, req.ID)).JSON(t, &req)
		if req.State != "done" {
			t.Fatalf("the erasure is %q", req.State)
		}
		var again struct{ ID int64 }
		r = admin.Post(fmt.Sprintf("%s/users/%d/erasure", base, u.ID), nil)
		r.JSON(t, &again)
		if r.Status != http.StatusAccepted || again.ID != req.ID {
			t.Errorf("a second erasure of an erased person: %d %s", r.Status, r)
		}
		if r := e.As(stranger.Owner).Post(fmt.Sprintf("/api/v1/%s/users/%d/erasure", stranger.Slug, u.ID), nil); r.Status != http.StatusNotFound {
			t.Errorf("another account learns of the erasure: %d", r.Status)
		}
		if hits := grep(t, e.App, u.Email, u.Name); len(hits) > 0 {
			t.Errorf("the erased person is still in the database:\n%s", strings.Join(hits, "\n"))
		}
		if hits := grepFiles(t, e, u.Email, u.Name); len(hits) > 0 {
			t.Errorf("the erased person is still in the database files: %v", hits)
		}
		// The account keeps its records, without the person.
		var tasks struct{ Items []struct{ Title string } }
		if r := admin.Get(base + "/my-tasks"); r.Status != http.StatusOK {
			t.Errorf("the account's pages fail after the erasure: %d", r.Status)
		}
		_ = tasks
		var audit struct {
			Items []struct{ Action string }
		}
		admin.Get(base+"/audit").JSON(t, &audit)
		erased := false
		for _, it := range audit.Items {
			erased = erased || it.Action == "privacy.person_erased"
		}
		if !erased {
			t.Error("the audit trail does not say a person was erased")
		}
	})
}

func TestAccountClosureLeavesNoRow(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u, _ := busyPerson(t, e, acc, actor.RoleMember)
		other := e.NewAccount()
		both := e.NewUser(other, actor.RoleMember) // a login that stays: it has another account
		_ = both
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug
		if r := e.As(u).Post(base+"/me/exports", nil); r.Status != http.StatusAccepted {
			t.Fatalf("export: %d", r.Status)
		}
		e.Settle()
		files := filepath.Join(e.App.Config.DataDir, "privacy", strconv.FormatInt(acc.ID, 10))
		if entries, err := os.ReadDir(files); err != nil || len(entries) == 0 {
			t.Fatalf("no export archive in %s (%v)", files, err)
		}
		if r := e.As(u).Post(base+"/account/closure", map[string]any{"password": u.Password}); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Errorf("a member closes the account: %d", r.Status)
		}
		if r := owner.Post(base+"/account/closure", map[string]any{"password": "wrong one"}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a wrong password: %d", r.Status)
		}
		r := owner.Post(base+"/account/closure", map[string]any{"password": acc.Owner.Password, "immediately": true})
		if r.Status != http.StatusAccepted {
			t.Fatalf("closure: %d %s", r.Status, r)
		}
		e.Settle()
		if left := rowsOf(t, e.App, acc.ID); len(left) > 0 {
			t.Errorf("rows left of the closed account: %v", left)
		}
		n, err := e.App.DB.NewSelect().TableExpr("accounts").Where("id = ?", acc.ID).Count(context.Background())
		if err != nil || n != 0 {
			t.Errorf("the account is still there (%d, %v)", n, err)
		}
		if hits := grep(t, e.App, acc.Slug, u.Email, acc.Owner.Email); len(hits) > 0 {
			t.Errorf("the closed account is still in the database:\n%s", strings.Join(hits, "\n"))
		}
		if hits := grepFiles(t, e, u.Email, acc.Owner.Email); len(hits) > 0 {
			t.Errorf("the closed account is still in the database files: %v", hits)
		}
		if _, err := os.Stat(files); !os.IsNotExist(err) {
			t.Errorf("the closed account's files are still there: %v", err)
		}
		if left := rowsOf(t, e.App, other.ID); len(left) == 0 {
			t.Error("the other account lost its rows")
		}
	})
}

// TestOwnerTransfersThenLeaves: the owner cannot be erased; after handing the account to a
// colleague they are an admin, and may ask for their erasure like anyone.
func TestOwnerTransfersThenLeaves(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		heir := e.NewUser(acc, actor.RoleAdmin)
		client := e.NewClient(acc, e.ClientCompany(acc))
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug
		if r := owner.Post(base+"/account/owner", map[string]any{"user_id": client.ID}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["user_id"] == "" {
			t.Errorf("a client as owner: %d %s", r.Status, r)
		}
		if r := e.As(heir).Post(base+"/account/owner", map[string]any{"user_id": heir.ID}); r.Status != http.StatusForbidden {
			t.Errorf("an admin takes the ownership: %d", r.Status)
		}
		if r := owner.Post(base+"/account/owner", map[string]any{"user_id": heir.ID}); r.Status != http.StatusOK {
			t.Fatalf("transfer: %d %s", r.Status, r)
		}
		var me struct{ Role string }
		owner.Get(fmt.Sprintf("%s/users/%d", base, acc.Owner.ID)).JSON(t, &me)
		if me.Role != "admin" {
			t.Errorf("the former owner is %q", me.Role)
		}
		if r := owner.Post(base+"/me/erasure", map[string]string{"password": acc.Owner.Password}); r.Status != http.StatusAccepted {
			t.Errorf("the former owner asks for erasure: %d %s", r.Status, r)
		}
		if r := e.As(heir).Post(fmt.Sprintf("%s/users/%d/erasure", base, heir.ID), nil); r.Status != http.StatusConflict {
			t.Errorf("the new owner is erased by themselves: %d", r.Status)
		}
	})
}
