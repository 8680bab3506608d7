package files_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"groupcamp/core/testkit"
)

// TestSuiteStores: the package's suite runs on both blob stores (eachDB): the shared App on
// PostgreSQL keeps its bytes on S3 (nothing under its data directory), the one on SQLite in
// the local directory; an upload lands in the store either way and downloads back.
func TestSuiteStores(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		if want := e.DB == "postgres"; onS3(e) != want {
			t.Fatalf("on %s, S3 is %v", e.DB, onS3(e))
		}
		o := newOffice(t, e)
		mem := e.As(o.mem)
		id := o.uploaded(t, mem, o.folder, "where.txt", []byte("which store"))
		if r := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, id)); r.Status != http.StatusOK || string(r.Body) != "which store" {
			t.Fatalf("download: %d %q", r.Status, r.Body)
		}
		keys, err := moduleOf(e).Service().Blobs.Keys(context.Background(), fmt.Sprintf("a%d/", o.acc.ID))
		if err != nil || len(keys) != 1 {
			t.Fatalf("the account's keys: %v %v", keys, err)
		}
		_, statErr := os.Stat(filepath.Join(e.App.Config.DataDir, "files", filepath.FromSlash(keys[0])))
		if onS3(e) != (statErr != nil) {
			t.Errorf("on S3 %v, the bytes on the disk: %v", onS3(e), statErr)
		}
	})
}
