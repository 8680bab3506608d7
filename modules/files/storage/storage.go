// Package storage is the files module's blob store: bytes kept under a key, over
// gocloud.dev/blob, so that one instance keeps them in a local directory (file://, the
// default, under the data directory) and a fleet in S3-compatible storage (s3://bucket?...).
//
// Content is addressed per account: Put streams the bytes to a temporary key while hashing
// them (SHA-256) and counting them, never holding the file in memory; the caller then keeps
// the bytes under their final key (Keep) once the database says which blob row owns them, or
// drops them when the account already holds the same bytes. The key of a kept blob names its
// row ("a{account}/{sha[:2]}/{sha}-{row}"): a blob the garbage collector deletes and the same
// bytes uploaded again a moment later never share a key, so a late delete cannot remove the
// new copy. Temporary keys live under "tmp/" and are swept when older than an hour (an upload
// cut half-way leaves one behind at most).
package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // s3:// URLs
	"gocloud.dev/gcerrors"
)

// ErrTooLarge is returned by Put when the content passes the limit given.
var ErrTooLarge = errors.New("storage: content over the limit")

// ErrNotFound is returned when a key holds nothing.
var ErrNotFound = errors.New("storage: no such blob")

// Store keeps blobs in one bucket.
type Store struct {
	bucket *blob.Bucket
	// dir is the local directory of a file:// store ("" for another kind): Keep renames there
	// instead of copying.
	dir string
}

// Open opens the store at rawURL: "" for dataDir/files, a file:// URL, or an s3:// URL
// (s3://bucket?endpoint=http://host:9000&use_path_style=true&region=...).
func Open(ctx context.Context, rawURL, dataDir string) (*Store, error) {
	if rawURL == "" {
		dir, err := filepath.Abs(filepath.Join(dataDir, "files"))
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
		b, err := fileblob.OpenBucket(dir, &fileblob.Options{Metadata: fileblob.MetadataDontWrite, NoTempDir: true})
		if err != nil {
			return nil, err
		}
		return &Store{bucket: b, dir: dir}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("storage: GROUPCAMP_BLOB_URL: %w", err)
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s://%s: %w", u.Scheme, u.Host, err)
	}
	s := &Store{bucket: b}
	if u.Scheme == "file" {
		s.dir = u.Path
	}
	return s, nil
}

// Close releases the bucket.
func (s *Store) Close() error { return s.bucket.Close() }

// Key is where the blob row id of the account keeps the bytes of sum.
func Key(accountID int64, sum string, id int64) string {
	return fmt.Sprintf("a%d/%s/%s-%d", accountID, sum[:2], sum, id)
}

// AccountPrefix is the prefix of every key of the account (kept and temporary).
func AccountPrefix(accountID int64) string { return fmt.Sprintf("a%d/", accountID) }

func tmpPrefix(accountID int64) string { return fmt.Sprintf("tmp/a%d/", accountID) }

// ChunkPrefix is where the chunks of a resumable upload session live: outside "tmp/", whose
// sweep takes keys an hour old, since a session lives for days.
func ChunkPrefix(accountID, session int64) string {
	return fmt.Sprintf("up/a%d/%d/", accountID, session)
}

// PutAt streams r to key, refusing (deleting what it wrote) content over limit bytes, and
// returns how many bytes it kept. When r fails or ctx ends, nothing is kept.
func (s *Store) PutAt(ctx context.Context, key string, r io.Reader, limit int64) (int64, error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: "application/octet-stream", DisableContentTypeDetection: true})
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(w, io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err != nil {
		cancel()
		_ = w.Close()
		_ = s.bucket.Delete(context.WithoutCancel(ctx), key)
		return 0, err
	}
	if err := w.Close(); err != nil {
		_ = s.bucket.Delete(context.WithoutCancel(ctx), key)
		return 0, err
	}
	return n, nil
}

// DropUnder deletes every key under prefix and returns how many.
func (s *Store) DropUnder(ctx context.Context, prefix string) (int, error) {
	return s.deleteUnder(ctx, prefix, nil)
}

// SweepChunks deletes the chunks of resumable uploads written before before (of sessions
// whose row went without them: the collector deletes an expired session's chunks itself).
func (s *Store) SweepChunks(ctx context.Context, before time.Time) (int, error) {
	return s.deleteUnder(ctx, "up/", func(o *blob.ListObject) bool { return o.ModTime.Before(before) })
}

// Upload is content Put wrote to a temporary key.
type Upload struct {
	TmpKey string
	SHA256 string
	Size   int64
	// Head is the first 512 bytes (for sniffing the type).
	Head []byte
}

// Put streams r to a fresh temporary key of the account, hashing it, and refuses (deleting
// what it wrote) content over limit bytes (0: no limit). When r fails or ctx ends, nothing is
// kept.
func (s *Store) Put(ctx context.Context, accountID int64, r io.Reader, limit int64) (*Upload, error) {
	var rnd [12]byte
	_, _ = rand.Read(rnd[:])
	key := tmpPrefix(accountID) + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(rnd[:])
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: "application/octet-stream", DisableContentTypeDetection: true})
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	up := &Upload{TmpKey: key}
	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit+1)
	}
	head := &headWriter{max: 512}
	n, err := io.Copy(w, io.TeeReader(src, io.MultiWriter(h, head)))
	if err == nil && limit > 0 && n > limit {
		err = ErrTooLarge
	}
	if err != nil {
		cancel() // a cancelled writer keeps nothing
		_ = w.Close()
		_ = s.bucket.Delete(context.WithoutCancel(ctx), key)
		return nil, err
	}
	if err := w.Close(); err != nil {
		_ = s.bucket.Delete(context.WithoutCancel(ctx), key)
		return nil, err
	}
	up.Size, up.SHA256, up.Head = n, hex.EncodeToString(h.Sum(nil)), head.b
	return up, nil
}

type headWriter struct {
	b   []byte
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.b); room > 0 {
		w.b = append(w.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// Keep moves the temporary content to key (a rename on a local directory, a copy then a
// delete elsewhere). Keeping the same bytes twice is harmless.
func (s *Store) Keep(ctx context.Context, tmpKey, key string) error {
	if s.dir != "" {
		to := filepath.Join(s.dir, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
			return err
		}
		return os.Rename(filepath.Join(s.dir, filepath.FromSlash(tmpKey)), to)
	}
	if err := s.bucket.Copy(ctx, key, tmpKey, nil); err != nil {
		return err
	}
	return s.Drop(ctx, tmpKey)
}

// WriteAll writes small content (a thumbnail) at key in one go.
func (s *Store) WriteAll(ctx context.Context, key string, b []byte) error {
	return s.bucket.WriteAll(ctx, key, b, nil)
}

// Drop deletes a key; a key already gone is no error.
func (s *Store) Drop(ctx context.Context, key string) error {
	if err := s.bucket.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return err
	}
	return nil
}

// Exists reports whether key holds a blob.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	return s.bucket.Exists(ctx, key)
}

// Open reads length bytes of key from offset (length < 0: to the end).
func (s *Store) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	r, err := s.bucket.NewRangeReader(ctx, key, offset, length, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, ErrNotFound
	}
	return r, err
}

// SweepTemporary deletes the temporary keys (of every account) written before before: what
// uploads cut half-way or crashed left behind. It returns how many it deleted.
func (s *Store) SweepTemporary(ctx context.Context, before time.Time) (int, error) {
	return s.deleteUnder(ctx, "tmp/", func(o *blob.ListObject) bool { return o.ModTime.Before(before) })
}

// DeleteAccount deletes every blob of the account, kept or temporary.
func (s *Store) DeleteAccount(ctx context.Context, accountID int64) error {
	if _, err := s.deleteUnder(ctx, AccountPrefix(accountID), nil); err != nil {
		return err
	}
	if _, err := s.deleteUnder(ctx, fmt.Sprintf("up/a%d/", accountID), nil); err != nil {
		return err
	}
	_, err := s.deleteUnder(ctx, tmpPrefix(accountID), nil)
	return err
}

// Keys lists the keys under prefix (tests and the administrator's checks).
func (s *Store) Keys(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	it := s.bucket.List(&blob.ListOptions{Prefix: prefix})
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if !o.IsDir {
			out = append(out, o.Key)
		}
	}
}

func (s *Store) deleteUnder(ctx context.Context, prefix string, keep func(*blob.ListObject) bool) (int, error) {
	it := s.bucket.List(&blob.ListOptions{Prefix: prefix})
	n := 0
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if o.IsDir || strings.HasSuffix(o.Key, "/") || (keep != nil && !keep(o)) {
			continue
		}
		if err := s.Drop(ctx, o.Key); err != nil {
			return n, err
		}
		n++
	}
}
