package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"groupcamp/modules/files/storage"
	"groupcamp/modules/files/storage/s3test"
)

// stores are the kinds of store the suite runs on: the local directory (the default) and S3.
func stores(t *testing.T) map[string]*storage.Store {
	out := map[string]*storage.Store{}
	local, err := storage.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out["local"] = local
	s3, err := storage.Open(context.Background(), s3test.URL(t, "groupcamp"), "")
	if err != nil {
		t.Fatal(err)
	}
	out["s3"] = s3
	for _, s := range out {
		t.Cleanup(func() { s.Close() })
	}
	return out
}

// failing is a reader that breaks after n bytes, as an upload cut half-way.
type failing struct{ n int }

func (f *failing) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	m := min(len(p), f.n)
	for i := range p[:m] {
		p[i] = 'x'
	}
	f.n -= m
	return m, nil
}

// TestStoreSuite runs on both kinds: Put hashes and counts, Keep moves the content under its
// key, Open reads ranges, a cut or oversized upload leaves nothing, the sweep deletes old
// temporary content only, and closing an account deletes its blobs and no other's.
func TestStoreSuite(t *testing.T) {
	for kind, s := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			content := []byte(strings.Repeat("GroupCamp files ", 70000)) // ~1.1 MB: several S3 parts' worth of buffer
			up, err := s.Put(ctx, 7, bytes.NewReader(content), 0)
			if err != nil {
				t.Fatal(err)
			}
			want := sha256.Sum256(content)
			if up.SHA256 != hex.EncodeToString(want[:]) || up.Size != int64(len(content)) || string(up.Head) != string(content[:512]) {
				t.Fatalf("put: %s %d", up.SHA256, up.Size)
			}
			key := storage.Key(7, up.SHA256, 1)
			if err := s.Keep(ctx, up.TmpKey, key); err != nil {
				t.Fatal(err)
			}
			if ok, _ := s.Exists(ctx, up.TmpKey); ok {
				t.Error("the temporary content is still there")
			}
			r, err := s.Open(ctx, key, 16, 9)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			r.Close()
			if string(b) != "GroupCamp" || err != nil {
				t.Errorf("range: %q %v", b, err)
			}
			r, _ = s.Open(ctx, key, 0, -1)
			all, err := io.ReadAll(r)
			r.Close()
			if !bytes.Equal(all, content) || err != nil {
				t.Errorf("whole: %d bytes %v", len(all), err)
			}
			if _, err := s.Open(ctx, storage.Key(7, up.SHA256, 2), 0, -1); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("missing key: %v", err)
			}
			// Cut half-way, and over the limit: nothing left.
			if _, err := s.Put(ctx, 7, &failing{n: 300000}, 0); err == nil {
				t.Error("a cut upload succeeded")
			}
			if _, err := s.Put(ctx, 7, bytes.NewReader(content), 1000); !errors.Is(err, storage.ErrTooLarge) {
				t.Errorf("over the limit: %v", err)
			}
			if keys, _ := s.Keys(ctx, "tmp/"); len(keys) != 0 {
				t.Errorf("left behind: %v", keys)
			}
			// The sweep takes temporary content older than its time only.
			tmp, err := s.Put(ctx, 7, strings.NewReader("pending"), 0)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := s.SweepTemporary(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
				t.Errorf("sweep of fresh content: %d %v", n, err)
			}
			if n, err := s.SweepTemporary(ctx, time.Now().Add(time.Minute)); err != nil || n != 1 {
				t.Errorf("sweep: %d %v", n, err)
			}
			if ok, _ := s.Exists(ctx, tmp.TmpKey); ok {
				t.Error("swept content still there")
			}
			// Closing account 7 leaves account 8's blobs.
			other, _ := s.Put(ctx, 8, strings.NewReader("eight"), 0)
			if err := s.Keep(ctx, other.TmpKey, storage.Key(8, other.SHA256, 1)); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteAccount(ctx, 7); err != nil {
				t.Fatal(err)
			}
			if keys, _ := s.Keys(ctx, storage.AccountPrefix(7)); len(keys) != 0 {
				t.Errorf("account 7 keeps %v", keys)
			}
			if keys, _ := s.Keys(ctx, storage.AccountPrefix(8)); len(keys) != 1 {
				t.Errorf("account 8 keeps %v", keys)
			}
		})
	}
}
