package files_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
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
