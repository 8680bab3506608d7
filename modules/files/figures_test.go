package files_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"groupcamp/core/testkit"
)

// TestTransferFigures measures a 300 MB upload through the API and through WebDAV's PUT: the
// heap's peak, the process's RSS high-water mark and the throughput beside a plain copy of the
// same bytes to a file on the same disk. It asserts only that memory does not grow with the
// file; it runs when GROUPCAMP_FILES_FIGURES is set (the figures in the README come from it).
func TestTransferFigures(t *testing.T) {
	if os.Getenv("GROUPCAMP_FILES_FIGURES") == "" || raceDetector {
		t.Skip("set GROUPCAMP_FILES_FIGURES=1 to measure the 300 MB transfers")
	}
	const size = 300 << 20
	e := testkit.Start(t, "sqlite", options())
	o := newOffice(t, e)

	// The disk's own speed: the same bytes copied to a file beside the test's data.
	start := time.Now()
	f, err := os.Create(filepath.Join(t.TempDir(), "plain.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, &pattern{n: size}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	plain := time.Since(start)

	resetHWM()
	var api time.Duration
	apiPeak := peakHeap(func() {
		start := time.Now()
		resp := streamed(t, e, o.mem, fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), "big.bin", size)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		api = time.Since(start)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", resp.StatusCode)
		}
	})
	apiRSS := hwm()

	resetHWM()
	var dav time.Duration
	davPeak := peakHeap(func() {
		start := time.Now()
		req, _ := http.NewRequest("PUT", e.URL+"/dav/"+o.acc.Slug+"/Deliverables/big-dav.bin", &pattern{n: size})
		req.ContentLength = size
		req.SetBasicAuth(o.mem.Email, token(t, e, o.mem, nil))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		dav = time.Since(start)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("PUT: %d", resp.StatusCode)
		}
	})
	davRSS := hwm()
	mbps := func(d time.Duration) float64 { return float64(size) / (1 << 20) / d.Seconds() }
	t.Logf("plain copy: %.0f MB/s", mbps(plain))
	t.Logf("API upload: %.0f MB/s (%.0f%% of the copy), heap peak +%d MiB, RSS high-water %d MiB", mbps(api), 100*plain.Seconds()/api.Seconds(), apiPeak>>20, apiRSS>>20)
	t.Logf("WebDAV PUT: %.0f MB/s (%.0f%% of the copy), heap peak +%d MiB, RSS high-water %d MiB", mbps(dav), 100*plain.Seconds()/dav.Seconds(), davPeak>>20, davRSS>>20)
	if apiPeak > size/2 || davPeak > size/2 {
		t.Errorf("memory grew with the file: API +%d MiB, WebDAV +%d MiB", apiPeak>>20, davPeak>>20)
	}
}
