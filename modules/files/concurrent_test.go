package files_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"groupcamp/core/testkit"
)

// TestConcurrentUploads: 200 uploads at once into one folder — 100 of the same bytes, 100 of
// their own — all succeed and are all stored: 200 files, 101 blobs, the shared one held by 100
// versions and each other by one, every key in the store, and each file downloads as sent.
func TestConcurrentUploads(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		folder := o.created(t, e.As(o.mem), "/folders", map[string]any{"name": "Crowd"})
		const n = 200
		content := func(i int) []byte {
			if i%2 == 0 {
				return []byte("the same bytes for everyone")
			}
			return []byte(fmt.Sprintf("bytes of upload %d", i))
		}
		ids := make([]int64, n)
		// A client of its own, whose connections close at the end (the shared App's shutdown
		// waits for open ones).
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
		defer client.CloseIdleConnections()
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				body, ct := multipartBody(fmt.Sprintf("crowd-%03d.txt", i), content(i))
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s%s/folders/%d/files", e.URL, o.base, folder), body)
				req.Header.Set("Content-Type", ct)
				req.Header.Set("Authorization", "Bearer "+o.mem.Token)
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				defer resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b, _ := io.ReadAll(resp.Body)
					errs <- fmt.Errorf("upload %d: %d %s", i, resp.StatusCode, b)
					return
				}
				var up struct{ ID int64 }
				if err := jsonDecode(resp.Body, &up); err != nil {
					errs <- err
					return
				}
				ids[i] = up.ID
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if t.Failed() {
			return
		}
		ctx := context.Background()
		var refs []int
		if err := e.App.DB.NewSelect().TableExpr("files_blobs").Column("refs").Where("account_id = ? AND stored", o.acc.ID).
			OrderExpr("refs DESC").Scan(ctx, &refs); err != nil {
			t.Fatal(err)
		}
		// The office's folder holds nothing; only the crowd's blobs are the account's.
		if len(refs) != n/2+1 || refs[0] != n/2 || refs[1] != 1 || refs[len(refs)-1] != 1 {
			t.Errorf("blobs: %d, refs from %v", len(refs), refs[:min(3, len(refs))])
		}
		if c, err := e.App.DB.NewSelect().TableExpr("files_files").Where("account_id = ? AND folder_id = ?", o.acc.ID, folder).Count(ctx); err != nil || c != n {
			t.Errorf("%d files %v", c, err)
		}
		keys, err := moduleOf(e).Service().Blobs.Keys(ctx, fmt.Sprintf("a%d/", o.acc.ID))
		if err != nil || len(keys) != n/2+1 {
			t.Errorf("store keys: %d %v", len(keys), err)
		}
		mem := e.As(o.mem)
		for _, i := range []int{0, 1, 2, 99, 198, 199} {
			if r := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, ids[i])); !bytes.Equal(r.Body, content(i)) {
				t.Errorf("file %d downloads %q", i, r.Body)
			}
		}
	})
}
