package files_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules/files/storage"
)

// sendChunk PUTs content as the chunk at start of the session, of total bytes in all.
func sendChunk(c *testkit.Client, base string, id, start, total int64, content []byte) *testkit.Response {
	h := http.Header{"Content-Range": {fmt.Sprintf("bytes %d-%d/%d", start, start+int64(len(content))-1, total)}, "Content-Type": {"application/octet-stream"}}
	return c.Send("PUT", fmt.Sprintf("%s/uploads/%d", base, id), h, bytes.NewReader(content))
}

// TestResumableUpload: a session opened with size and SHA-256 takes its chunks in order (a
// chunk at the wrong offset is a 409 saying where; one cut short is dropped and the offset
// stays), tells where it stands, and its finish makes the file — or, opened on
// a file, its next version — with exactly the bytes sent; a wrong SHA-256 keeps nothing; a
// session is its creator's; bad input is a field error that opens nothing; an expired session
// goes with its chunks at the collector's run.
func TestResumableUpload(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		content := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
		sha := sum(content)
		open := func(body map[string]any) *testkit.Response {
			return mem.Post(fmt.Sprintf("%s/folders/%d/uploads", o.base, o.folder), body)
		}
		sessions := func() int64 {
			n, err := e.App.DB.NewSelect().TableExpr("files_uploads").Where("account_id = ?", o.acc.ID).Count(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Bad input: field errors, nothing opened.
		for field, body := range map[string]map[string]any{
			"sha256": {"name": "a.bin", "size": 10, "sha256": "nope"},
			"size":   {"name": "a.bin", "size": -1, "sha256": sha},
			"name":   {"name": "../x", "size": 10, "sha256": sha},
		} {
			if r := open(body); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Errorf("%s: %d %s", field, r.Status, r.Body)
			}
		}
		if r := open(map[string]any{"name": "huge.bin", "size": int64(20 << 30), "sha256": sha}); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("over MaxUpload: %d %s", r.Status, r.Body)
		}
		if n := sessions(); n != 0 {
			t.Fatalf("bad input opened %d sessions", n)
		}

		var up struct{ ID, Offset, Size int64 }
		r := open(map[string]any{"name": "big.bin", "size": len(content), "sha256": sha})
		if r.Status != http.StatusCreated {
			t.Fatalf("open: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &up)
		// Another person (a manager, even) does not reach it.
		if r := e.As(o.mgr).Get(fmt.Sprintf("%s/uploads/%d", o.base, up.ID)); r.Status != http.StatusNotFound {
			t.Errorf("manager reads another's session: %d", r.Status)
		}
		if r := sendChunk(e.As(o.mgr), o.base, up.ID, 0, int64(len(content)), content[:100]); r.Status != http.StatusNotFound {
			t.Errorf("manager sends a chunk: %d", r.Status)
		}
		first := content[:20000]
		if r := sendChunk(mem, o.base, up.ID, 0, int64(len(content)), first); r.Status != http.StatusOK {
			t.Fatalf("chunk 1: %d %s", r.Status, r.Body)
		}
		// Again at 0 (a retry after a lost answer): 409 saying where it stands.
		if r := sendChunk(mem, o.base, up.ID, 0, int64(len(content)), first); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "20000") {
			t.Errorf("chunk 1 again: %d %s", r.Status, r.Body)
		}
		// A wrong total, a bad header: field errors.
		if r := sendChunk(mem, o.base, up.ID, 20000, 5, content[20000:20004]); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["content_range"] == "" {
			t.Errorf("wrong total: %d %s", r.Status, r.Body)
		}
		if r := mem.Send("PUT", fmt.Sprintf("%s/uploads/%d", o.base, up.ID), http.Header{"Content-Range": {"bytes=0-"}}, strings.NewReader("x")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad Content-Range: %d %s", r.Status, r.Body)
		}
		// A chunk whose body is shorter than its range (a connection cut): dropped.
		cut := http.Header{"Content-Range": {fmt.Sprintf("bytes 20000-39999/%d", len(content))}}
		if r := mem.Send("PUT", fmt.Sprintf("%s/uploads/%d", o.base, up.ID), cut, bytes.NewReader(content[20000:30000])); r.Status != http.StatusBadRequest {
			t.Errorf("short chunk: %d %s", r.Status, r.Body)
		}
		// Where it stands: GET, and HEAD's header.
		var st struct{ Offset int64 }
		mem.Get(fmt.Sprintf("%s/uploads/%d", o.base, up.ID)).JSON(t, &st)
		if st.Offset != 20000 {
			t.Errorf("offset after the cut chunk: %d", st.Offset)
		}
		if r := mem.Get(fmt.Sprintf("%s/uploads/%d", o.base, up.ID)); r.Header.Get("Upload-Offset") != "20000" {
			t.Errorf("Upload-Offset: %q", r.Header.Get("Upload-Offset"))
		}
		other := e.NewAccount()
		if r := e.As(other.Owner).Get(fmt.Sprintf("/api/v1/%s/uploads/%d", other.Slug, up.ID)); r.Status != http.StatusNotFound {
			t.Errorf("another account's owner reads the session: %d", r.Status)
		}
		// Finishing early: 409.
		if r := mem.Post(fmt.Sprintf("%s/uploads/%d/finish", o.base, up.ID), nil); r.Status != http.StatusConflict {
			t.Errorf("early finish: %d %s", r.Status, r.Body)
		}
		if r := sendChunk(mem, o.base, up.ID, 20000, int64(len(content)), content[20000:]); r.Status != http.StatusOK {
			t.Fatalf("chunk 2: %d %s", r.Status, r.Body)
		}
		var made struct {
			ID      int64
			SHA256  string
			Version int
		}
		r = mem.Post(fmt.Sprintf("%s/uploads/%d/finish", o.base, up.ID), nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("finish: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &made)
		if made.SHA256 != sha || made.Version != 1 {
			t.Errorf("made %+v", made)
		}
		if got := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, made.ID)); !bytes.Equal(got.Body, content) {
			t.Errorf("downloaded %d bytes, not the content", len(got.Body))
		}
		if r := mem.Get(fmt.Sprintf("%s/uploads/%d", o.base, up.ID)); r.Status != http.StatusNotFound {
			t.Errorf("session after its finish: %d", r.Status)
		}
		// The name is now taken: a second session for it is a 409.
		if r := open(map[string]any{"name": "BIG.bin", "size": 3, "sha256": sum([]byte("abc"))}); r.Status != http.StatusConflict {
			t.Errorf("taken name: %d %s", r.Status, r.Body)
		}

		// A new version, in one chunk; then a wrong SHA-256, which keeps nothing.
		v2 := []byte("second version")
		r = mem.Post(fmt.Sprintf("%s/files/%d/uploads", o.base, made.ID), map[string]any{"size": len(v2), "sha256": sum(v2)})
		if r.Status != http.StatusCreated {
			t.Fatalf("open a version: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &up)
		sendChunk(mem, o.base, up.ID, 0, int64(len(v2)), v2)
		r = mem.Post(fmt.Sprintf("%s/uploads/%d/finish", o.base, up.ID), nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("finish a version: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &made)
		if made.Version != 2 {
			t.Errorf("version %d", made.Version)
		}
		r = open(map[string]any{"name": "liar.bin", "size": 4, "sha256": sum([]byte("abcd"))})
		r.JSON(t, &up)
		sendChunk(mem, o.base, up.ID, 0, 4, []byte("abce"))
		if r := mem.Post(fmt.Sprintf("%s/uploads/%d/finish", o.base, up.ID), nil); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["sha256"] == "" {
			t.Errorf("wrong sha256: %d %s", r.Status, r.Body)
		}
		if n := sessions(); n != 0 {
			t.Errorf("%d sessions left", n)
		}
		var files int
		if err := e.App.DB.NewSelect().TableExpr("files_files").ColumnExpr("COUNT(*)").Where("account_id = ? AND name = 'liar.bin'", o.acc.ID).Scan(context.Background(), &files); err != nil || files != 0 {
			t.Errorf("the liar's file: %d %v", files, err)
		}

		// Cancelled: 204, then gone; expired: the collector deletes row and chunks.
		r = open(map[string]any{"name": "cancel.bin", "size": 4, "sha256": sum([]byte("abcd"))})
		r.JSON(t, &up)
		if r := mem.Delete(fmt.Sprintf("%s/uploads/%d", o.base, up.ID)); r.Status != http.StatusNoContent {
			t.Errorf("cancel: %d", r.Status)
		}
		r = open(map[string]any{"name": "stale.bin", "size": 4, "sha256": sum([]byte("abcd"))})
		r.JSON(t, &up)
		if r := sendChunk(mem, o.base, up.ID, 0, 4, []byte("ab")); r.Status != http.StatusOK {
			t.Fatalf("half: %d %s", r.Status, r.Body)
		}
		ctx := context.Background()
		blobs := moduleOf(e).Service().Blobs
		if keys, _ := blobs.Keys(ctx, storage.ChunkPrefix(o.acc.ID, up.ID)); len(keys) != 1 {
			t.Fatalf("chunks kept: %v", keys)
		}
		if _, err := e.App.DB.NewRaw("UPDATE files_uploads SET expires_at = ? WHERE id = ?", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), up.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := moduleOf(e).Service().Collect(ctx); err != nil {
			t.Fatal(err)
		}
		if n := sessions(); n != 0 {
			t.Errorf("expired session stays: %d", n)
		}
		if keys, _ := blobs.Keys(ctx, storage.ChunkPrefix(o.acc.ID, up.ID)); len(keys) != 0 {
			t.Errorf("expired chunks stay: %v", keys)
		}
	})
}
