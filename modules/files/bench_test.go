package files_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"groupcamp/core/testkit"
)

// BenchmarkFiles measures, on every test database:
//
//   - list: a folder of 10,000 files through the API (target: under 50 ms);
//   - page: the same folder's page (HTML, as a person);
//   - upload and download: 100 MB through the HTTP API (multipart upload, streamed download),
//     reported as MB/s beside a plain copy of the same 100 MB from file to file on the same
//     disk in the same run (copy MB/s), the yardstick of the disk.
func BenchmarkFiles(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			o := newOffice(b, e)
			c := e.As(o.mem)
			big := o.created(b, c, "/folders", map[string]any{"name": "Ten thousand"})
			seedFiles(b, e, o, big, 10000)
			list := fmt.Sprintf("%s/folders/%d", o.base, big)
			b.Run("list", func(b *testing.B) {
				b.ReportAllocs()
				cpu := cpuTime()
				for b.Loop() {
					if r := c.Get(list); r.Status != http.StatusOK {
						b.Fatalf("list: %d", r.Status)
					}
				}
				b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
			})
			// One keyset page of 200 files, deep in the folder (a client walking it).
			var mid struct{ Next string }
			c.Get(list+"?limit=5000").JSON(b, &mid)
			b.Run("list-page", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(list + "?limit=200&cursor=" + mid.Next); r.Status != http.StatusOK {
						b.Fatalf("list page: %d", r.Status)
					}
				}
			})
			browser := e.BrowserLogin(o.mem)
			b.Run("page", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := browser.Get(fmt.Sprintf("/%s/files/folders/%d", o.acc.Slug, big)); r.Status != http.StatusOK {
						b.Fatalf("page: %d", r.Status)
					}
				}
			})
			const size = 100 << 20
			b.Run("copy", func(b *testing.B) {
				dir := b.TempDir()
				src := filepath.Join(dir, "src")
				f, _ := os.Create(src)
				io.Copy(f, &pattern{n: size})
				f.Close()
				b.SetBytes(size)
				for b.Loop() {
					in, _ := os.Open(src)
					out, _ := os.Create(filepath.Join(dir, "dst"))
					h := sha256.New()
					io.Copy(io.MultiWriter(out, h), in)
					out.Sync()
					in.Close()
					out.Close()
				}
			})
			var last int64
			b.Run("upload", func(b *testing.B) {
				b.SetBytes(size)
				n := 0
				for b.Loop() {
					n++
					resp := streamed(b, e, o.mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), fmt.Sprintf("big-%d-%d.bin", time.Now().UnixNano(), n), size)
					var up struct{ ID int64 }
					jsonDecode(resp.Body, &up)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						b.Fatalf("upload: %d", resp.StatusCode)
					}
					last = up.ID
				}
			})
			b.Run("download", func(b *testing.B) {
				b.SetBytes(size)
				for b.Loop() {
					req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s/files/%d/download", e.URL, o.base, last), nil)
					req.Header.Set("Authorization", "Bearer "+o.mem.Token)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					if n, _ := io.Copy(io.Discard, resp.Body); n != size {
						b.Fatalf("downloaded %d bytes", n)
					}
					resp.Body.Close()
				}
			})
		})
	}
}

// seedFiles puts n small files in the folder straight through the service's store (the API
// would take minutes for 10,000), each with its version and blob, as uploads make them.
func seedFiles(b *testing.B, e *testkit.Env, o *office, folder int64, n int) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	// One blob for all: content-addressing keeps identical bytes once.
	id := o.uploaded(b, e.As(o.mem), folder, "file-00000.txt", []byte("seed"))
	var blobID int64
	if err := e.App.DB.NewSelect().TableExpr("files_versions").Column("blob_id").Where("account_id = ? AND file_id = ?", o.acc.ID, id).Scan(ctx, &blobID); err != nil {
		b.Fatal(err)
	}
	const chunk = 500
	for start := 1; start < n; start += chunk {
		tx, err := e.App.DB.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for i := start; i < min(start+chunk, n); i++ {
			name := fmt.Sprintf("file-%05d.txt", i)
			var fid int64
			if err := tx.NewRaw(`INSERT INTO files_files (account_id, folder_id, name, name_key, size, sha256, mime, version, created_by, updated_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, 4, ?, 'text/plain; charset=utf-8', 1, ?, ?, ?, ?) RETURNING id`, o.acc.ID, folder, name, name, sum([]byte("seed")), o.mem.ID, o.mem.ID, now, now).Scan(ctx, &fid); err != nil {
				b.Fatal(err)
			}
			if _, err := tx.NewRaw(`INSERT INTO files_versions (account_id, file_id, n, blob_id, size, sha256, mime, uploaded_by, created_at) VALUES (?, ?, 1, ?, 4, ?, 'text/plain; charset=utf-8', ?, ?)`,
				o.acc.ID, fid, blobID, sum([]byte("seed")), o.mem.ID, now).Exec(ctx); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := e.App.DB.NewRaw("UPDATE files_blobs SET refs = ? WHERE account_id = ? AND id = ?", n, o.acc.ID, blobID).Exec(ctx); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkListService is the listing of a folder of 10,000 files without HTTP: the service
// (the query, the scan, the uploaders' names).
func BenchmarkListService(b *testing.B) {
	e := testkit.Start(b, "sqlite", options())
	o := newOffice(b, e)
	big := o.created(b, e.As(o.mem), "/folders", map[string]any{"name": "Ten thousand"})
	seedFiles(b, e, o, big, 10000)
	svc := moduleOf(e).Service()
	a := actorOf(b, e, o)
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		v, err := svc.Folder(context.Background(), a, big, 0)
		if err != nil || len(v.Files) != 10000 {
			b.Fatalf("%v %d", err, len(v.Files))
		}
	}
	// The machine's other work inflates ns/op; the process's CPU time per listing does not.
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process used so far (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
