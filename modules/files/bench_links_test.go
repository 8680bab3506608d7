package files_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"groupcamp/core/testkit"
)

// BenchmarkShareLink measures a download of a 1 MiB file through a share link, signed out:
// without a password (GET), and with one (POST of the form: the argon2id check is most of it).
// Each download is counted in the link and the file's history, as in production.
func BenchmarkShareLink(b *testing.B) {
	e := testkit.Start(b, "sqlite", options())
	o := newOffice(b, e)
	mem := e.As(o.mem)
	content := []byte(strings.Repeat("0123456789abcdef", 1<<16))
	file := o.uploaded(b, mem, o.folder, "report.bin", content)
	open := linkPath(b, o.link(b, mem, file, map[string]any{}))
	locked := linkPath(b, o.link(b, mem, file, map[string]any{"password": "blue-harbour-1987"}))
	get := func(b *testing.B, req *http.Request) {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n != int64(len(content)) {
			b.Fatalf("download: %d, %d bytes", resp.StatusCode, n)
		}
	}
	b.Run("open", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(content)))
		for b.Loop() {
			req, _ := http.NewRequest("GET", e.URL+open+"/download", nil)
			get(b, req)
		}
	})
	b.Run("password", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(content)))
		form := url.Values{"password": {"blue-harbour-1987"}}.Encode()
		for b.Loop() {
			req, _ := http.NewRequest("POST", e.URL+locked+"/download", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			get(b, req)
		}
	})
}

// BenchmarkDavPropfind is a WebDAV listing (PROPFIND, Depth 1) of a folder of 1,000 files, as
// a desktop file manager opens it, signed in with an app password.
func BenchmarkDavPropfind(b *testing.B) {
	e := testkit.Start(b, "sqlite", options())
	o := newOffice(b, e)
	big := o.created(b, e.As(o.mem), "/folders", map[string]any{"name": "Thousand"})
	seedFiles(b, e, o, big, 1000)
	tok := token(b, e, o.mem, nil)
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("PROPFIND", e.URL+"/dav/"+o.acc.Slug+"/Thousand/", nil)
		req.Header.Set("Depth", "1")
		req.SetBasicAuth(o.mem.Email, tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMultiStatus || strings.Count(string(body), "<D:response>") != 1001 {
			b.Fatalf("PROPFIND: %d, %d responses", resp.StatusCode, strings.Count(string(body), "<D:response>"))
		}
	}
}

// BenchmarkConcurrentDownloads is issue 15's "200 concurrent downloads of a 10 MB file without
// errors": each op starts 200 signed-in downloads of one 10 MB file at once through the HTTP
// listener and fails on any error, wrong status or short body. Reported: MB/s over all 200.
func BenchmarkConcurrentDownloads(b *testing.B) {
	const clients, size = 200, 10 << 20
	e := testkit.Start(b, "sqlite", options())
	o := newOffice(b, e)
	content := []byte(strings.Repeat("0123456789abcdef", size/16))
	file := o.uploaded(b, e.As(o.mem), o.folder, "big.bin", content)
	url := e.URL + o.base + "/files/" + strconv.FormatInt(file, 10) + "/download"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	b.SetBytes(clients * size)
	for b.Loop() {
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for range clients {
			wg.Go(func() {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+o.mem.Token)
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				defer resp.Body.Close()
				if n, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != http.StatusOK || n != size {
					errs <- fmt.Errorf("download: %d, %d bytes, %v", resp.StatusCode, n, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
}
