package files_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules/files"
)

// TestTrashRetention: an administrator sets the account's trash to 5 days (a member may not;
// 0 and 4000 are field errors); the daily purge, 6 days on, deletes what this account trashed
// but not what another account (30 days by default) did; "Empty the trash now" deletes
// everything in the trash at once, is for files managers, and is audited.
func TestTrashRetention(t *testing.T) {
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			e := testkit.Start(t, kind, options())
			svc := moduleOf(e).Service()
			o, other := newOffice(t, e), newOffice(t, e)
			admin := e.NewUser(o.acc, "admin")
			if r := e.As(o.mem).Patch(o.base+"/trash/files/settings", map[string]any{"trash_days": 5}); r.Status != http.StatusForbidden {
				t.Errorf("member sets the retention: %d", r.Status)
			}
			for _, bad := range []int{0, 4000} {
				if r := e.As(admin).Patch(o.base+"/trash/files/settings", map[string]any{"trash_days": bad}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["trash_days"] == "" {
					t.Errorf("trash_days %d: %d %s", bad, r.Status, r.Body)
				}
			}
			if r := e.As(admin).Patch(o.base+"/trash/files/settings", map[string]any{"trash_days": 5}); r.Status != http.StatusOK {
				t.Fatalf("set: %d %s", r.Status, r.Body)
			}
			var st files.Settings
			e.As(o.mem).Get(o.base+"/trash/files/settings").JSON(t, &st)
			if st.TrashDays != 5 {
				t.Errorf("settings %+v", st)
			}
			for _, of := range []*office{o, other} {
				id := of.uploaded(t, e.As(of.mem), of.folder, "old.txt", []byte(fmt.Sprintf("old %d", of.acc.ID)))
				if r := e.As(of.mem).Delete(fmt.Sprintf("%s/files/%d", of.base, id)); r.Status != http.StatusNoContent {
					t.Fatal(r.Status)
				}
			}
			base := time.Now()
			svc.Now = func() time.Time { return base.Add(6 * 24 * time.Hour) }
			if _, err := svc.Purge(context.Background()); err != nil {
				t.Fatal(err)
			}
			svc.Now = nil
			var trash files.TrashList
			e.As(o.owner).Get(o.base+"/trash/files").JSON(t, &trash)
			if len(trash.Files) != 0 {
				t.Errorf("the 5-day trash still holds %+v", trash.Files)
			}
			e.As(other.owner).Get(other.base+"/trash/files").JSON(t, &trash)
			if len(trash.Files) != 1 {
				t.Errorf("the 30-day trash holds %d files, want 1", len(trash.Files))
			}

			// Empty now: a manager of files only, audited, everything goes.
			if r := e.As(other.mem).Post(other.base+"/trash/files/empty", nil); r.Status != http.StatusForbidden {
				t.Errorf("member empties: %d", r.Status)
			}
			b := e.BrowserLogin(other.owner)
			if r := b.SubmitForm("/"+other.acc.Slug+"/files/trash", "/"+other.acc.Slug+"/files/trash/empty", url.Values{}); r.Status != http.StatusSeeOther {
				t.Fatalf("empty now: %d %s", r.Status, r.Body)
			}
			e.As(other.owner).Get(other.base+"/trash/files").JSON(t, &trash)
			if len(trash.Files) != 0 {
				t.Errorf("emptied trash holds %+v", trash.Files)
			}
			if other.audits(t, "files.trash.emptied") != 1 || o.audits(t, "files.settings.changed") != 1 {
				t.Errorf("not audited")
			}
			// The page shows the setting and refuses a bad one with the field's message.
			r := b.SubmitForm("/"+other.acc.Slug+"/files/trash", "/"+other.acc.Slug+"/files/trash/settings", url.Values{"trash_days": {"zero"}})
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("bad form: %d", r.Status)
			}
		})
	}
}
