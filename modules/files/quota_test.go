package files_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/files"
)

// quotaModule is a module of the tests that enforces quotas the way billing will: its limiter
// asks the modules' counters for the account's usage and refuses what would go past limit.
type quotaModule struct{ limit int64 }

func (quotaModule) Name() string { return "quotatest" }

func (m quotaModule) Register(r *app.Registry) error {
	r.Limiter(limiter{set: r.Hooks(), limit: m.limit})
	return nil
}

type limiter struct {
	set   *hooks.Set
	limit int64
}

func (l limiter) Check(ctx context.Context, tx bun.IDB, accountID int64, quota string, add int64) error {
	for _, c := range l.set.Counters {
		if c.Hook.Quota != quota {
			continue
		}
		used, err := c.Hook.Usage(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if used+add > l.limit {
			return &hooks.QuotaError{Quota: quota, Limit: l.limit, Usage: used}
		}
	}
	return nil
}

// TestStorageQuota: with a plan of 1,000 bytes, uploads fit until the next one would not: that
// one is a 413 saying how full the storage is, before a byte is stored (no blob, no file); the
// same holds for a new version, a JSON upload and a client's upload; the counter reports the bytes once per blob,
// however many files share them.
func TestStorageQuota(t *testing.T) {
	var mods []app.Module
	for _, m := range modules.All() {
		if m.Name() != "billing" { // billing is the real limiter: quotaModule stands in for it
			mods = append(mods, m)
		}
	}
	opts := testkit.Options{Modules: append(mods, quotaModule{limit: 1000})}
	testkit.EachDB(t, opts, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		first := o.uploaded(t, mem, o.folder, "a.bin", []byte(strings.Repeat("a", 600)))
		blobs, fileRows := o.count(t, "files_blobs"), o.count(t, "files_files")
		r := upload(mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), "b.bin", []byte(strings.Repeat("b", 500)))
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.String(), "storage is full") || !strings.Contains(r.String(), "600 B") {
			t.Fatalf("over quota: %d %s", r.Status, r.Body)
		}
		if o.count(t, "files_blobs") != blobs || o.count(t, "files_files") != fileRows {
			t.Errorf("an upload over quota stored something")
		}
		o.uploaded(t, mem, o.folder, "c.bin", []byte(strings.Repeat("c", 300)))
		if r := upload(mem, fmt.Sprintf("%s/files/%d/versions", o.base, first), "v.bin", []byte(strings.Repeat("v", 200))); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("version over quota: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), map[string]any{"name": "n.txt", "content": strings.Repeat("n", 200)}); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("JSON upload over quota: %d %s", r.Status, r.Body)
		}
		// A client's upload into a folder open to them counts the same.
		open := o.created(t, mem, "/folders", map[string]any{"name": "From the client", "visibility": "clients", "company_ids": []int64{o.company}, "clients_upload": true})
		if r := upload(e.As(o.cli), fmt.Sprintf("%s/folders/%d/files", o.base, open), "scan.pdf", []byte(strings.Repeat("s", 200))); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a client's upload over quota: %d %s", r.Status, r.Body)
		}
		var used int64
		for _, c := range e.App.Hooks.Counters {
			if c.Hook.Quota == files.QuotaStorage {
				var err error
				if used, err = c.Hook.Usage(context.Background(), e.App.DB, o.acc.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if used != 900 {
			t.Errorf("storage used %d, want 900", used)
		}
	})
}
