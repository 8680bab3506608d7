package files_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules/files/storage/s3test"
)

// pattern is a reader of n bytes of a repeating pattern, never held in memory.
type pattern struct{ n, off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	m := min(int64(len(b)), p.n-p.off)
	for i := range m {
		b[i] = byte((p.off + i) % 251)
	}
	p.off += m
	return int(m), nil
}

// streamed uploads size bytes of the pattern as a multipart body with a Content-Length (as a
// browser sends it), never holding it in memory.
func streamed(t testing.TB, e *testkit.Env, u *testkit.User, path, name string, size int64) *http.Response {
	t.Helper()
	var head strings.Builder
	w := multipart.NewWriter(&head)
	if _, err := w.CreateFormFile("file", name); err != nil {
		t.Fatal(err)
	}
	prefix := head.String()
	suffix := "\r\n--" + w.Boundary() + "--\r\n"
	body := io.MultiReader(strings.NewReader(prefix), &pattern{n: size}, strings.NewReader(suffix))
	req, err := http.NewRequest("POST", e.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(prefix)) + size + int64(len(suffix))
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+u.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// peakHeap samples the heap in use while fn runs and returns its peak above the start.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > base && m.HeapInuse-base > peak.Load() {
					peak.Store(m.HeapInuse - base)
				}
			}
		}
	}()
	fn()
	close(done)
	return peak.Load()
}

// rss is the process's resident memory high-water mark (VmHWM) in bytes, after resetting it.
func resetHWM() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func hwm() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb uint64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// TestStreamingMemory uploads and downloads 200 MB through the HTTP API and checks that the
// process's memory does not grow with the file: the heap's peak during each transfer stays
// under 64 MiB (fasthttp keeps up to 16 MiB of a part in memory before it spools to disk;
// the rest is buffers), and the content comes back whole (SHA-256).
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("200 MB transfer")
	}
	if raceDetector {
		t.Skip("memory is measured without the race detector (the plain pass runs this test)")
	}
	e := testkit.Start(t, "sqlite", options())
	o := newOffice(t, e)
	const size = 200 << 20
	var up struct {
		ID     int64
		SHA256 string
	}
	resetHWM()
	before := hwm()
	upPeak := peakHeap(func() {
		resp := streamed(t, e, o.mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), "big.bin", size)
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("upload: %d %s", resp.StatusCode, b)
		}
		if err := jsonDecode(resp.Body, &up); err != nil {
			t.Fatal(err)
		}
	})
	upRSS := hwm()
	h := sha256.New()
	io.Copy(h, &pattern{n: size})
	if want := hex.EncodeToString(h.Sum(nil)); up.SHA256 != want {
		t.Fatalf("sha256 %s, want %s", up.SHA256, want)
	}
	resetHWM()
	var got string
	downPeak := peakHeap(func() {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s/files/%d/download", e.URL, o.base, up.ID), nil)
		req.Header.Set("Authorization", "Bearer "+o.mem.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		h := sha256.New()
		n, _ := io.Copy(h, resp.Body)
		if n != size {
			t.Errorf("downloaded %d bytes", n)
		}
		got = hex.EncodeToString(h.Sum(nil))
	})
	downRSS := hwm()
	if got != up.SHA256 {
		t.Errorf("downloaded sha256 %s", got)
	}
	// The same file through WebDAV's GET (dav_http.go, streamGet).
	resetHWM()
	tok := token(t, e, o.mem, nil)
	var davGot string
	davPeak := peakHeap(func() {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/dav/%s/Deliverables/big.bin", e.URL, o.acc.Slug), nil)
		req.SetBasicAuth(o.mem.Email, tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		h := sha256.New()
		n, _ := io.Copy(h, resp.Body)
		if resp.StatusCode != http.StatusOK || n != size {
			t.Errorf("WebDAV GET: %d, %d bytes", resp.StatusCode, n)
		}
		davGot = hex.EncodeToString(h.Sum(nil))
	})
	davRSS := hwm()
	if davGot != up.SHA256 {
		t.Errorf("WebDAV GET sha256 %s", davGot)
	}
	t.Logf("200 MB upload: heap peak +%d MiB, RSS high-water %d MiB (from %d MiB); download: heap peak +%d MiB, RSS high-water %d MiB; WebDAV GET: heap peak +%d MiB, RSS high-water %d MiB",
		upPeak>>20, upRSS>>20, before>>20, downPeak>>20, downRSS>>20, davPeak>>20, davRSS>>20)
	if upPeak > size/2 || downPeak > size/2 || davPeak > size/4 {
		t.Errorf("memory grew with the file: upload +%d MiB, download +%d MiB, WebDAV GET +%d MiB", upPeak>>20, downPeak>>20, davPeak>>20)
	}
}

// TestCutUpload: an upload whose connection drops half-way leaves no file and, once the
// collector ran, no stored content.
func TestCutUpload(t *testing.T) {
	e := testkit.Start(t, "sqlite", options())
	svc := moduleOf(e).Service()
	o := newOffice(t, e)
	before := e.Count("files_files")
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	var head strings.Builder
	w := multipart.NewWriter(&head)
	w.CreateFormFile("file", "cut.bin")
	fmt.Fprintf(conn, "POST %s/folders/%d/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
		o.base, o.folder, o.mem.Token, w.FormDataContentType(), 40<<20, head.String())
	io.CopyN(conn, &pattern{n: 20 << 20}, 20<<20)
	conn.Close()
	time.Sleep(200 * time.Millisecond)
	if n := e.Count("files_files"); n != before {
		t.Errorf("a cut upload made a file: %d files, was %d", n, before)
	}
	svc.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	defer func() { svc.Now = nil }()
	if _, err := svc.Collect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if keys, _ := svc.Blobs.Keys(context.Background(), "tmp/"); len(keys) != 0 {
		t.Errorf("temporary content left: %v", keys)
	}
	if keys, _ := svc.Blobs.Keys(context.Background(), fmt.Sprintf("a%d/", o.acc.ID)); len(keys) != 0 {
		t.Errorf("content left: %v", keys)
	}
	// The server still answers on a fresh connection.
	if r := e.As(o.mem).Get(fmt.Sprintf("%s/folders/%d", o.base, o.folder)); r.Status != http.StatusOK {
		t.Errorf("after the cut: %d", r.Status)
	}
	_ = bufio.NewReader
}

// TestOnS3: the API's uploads, versions, ranges and the collector on S3-compatible storage
// (an in-process S3 server), on an App of its own on SQLite. The whole HTTP suite runs on S3
// on PostgreSQL (eachDB); this keeps the S3 path in a run on SQLite alone (the CI's second
// pass, a machine without PostgreSQL).
func TestOnS3(t *testing.T) {
	url := s3test.URL(t, "groupcamp-test")
	opts := options()
	opts.Config = func(c *config) { c.BlobURL = url }
	e := testkit.Start(t, "sqlite", opts)
	o := newOffice(t, e)
	mem := e.As(o.mem)
	content := []byte(strings.Repeat("s3 bytes ", 1000))
	id := o.uploaded(t, mem, o.folder, "on-s3.txt", content)
	if r := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, id)); r.Status != http.StatusOK || string(r.Body) != string(content) {
		t.Fatalf("download: %d %.40s", r.Status, r.Body)
	}
	if r := mem.Send("GET", fmt.Sprintf("%s/files/%d/download", o.base, id), http.Header{"Range": {"bytes=3-7"}}, nil); r.Status != http.StatusPartialContent || string(r.Body) != "bytes" {
		t.Errorf("range: %d %q", r.Status, r.Body)
	}
	if r := upload(mem, fmt.Sprintf("%s/files/%d/versions", o.base, id), "v2.txt", []byte("v2")); r.Status != http.StatusCreated {
		t.Errorf("version: %d %s", r.Status, r.Body)
	}
	if r := mem.Get(fmt.Sprintf("%s/files/%d/download?version=1", o.base, id)); string(r.Body) != string(content) {
		t.Errorf("version 1 on S3: %d", r.Status)
	}
	svc := moduleOf(e).Service()
	keys, err := svc.Blobs.Keys(context.Background(), fmt.Sprintf("a%d/", o.acc.ID))
	if err != nil || len(keys) != 2 {
		t.Errorf("S3 keys %v %v", keys, err)
	}
}
