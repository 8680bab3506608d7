package files_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupcamp/core/testkit"
)

// pngOf is a w×h PNG with a gradient (so that the scaled thumbnail has something to keep).
func pngOf(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestThumbnails: an image asked for before the job ran gets its thumbnail there and then;
// after the job ran, an uploaded image has a JPEG thumbnail of at most 256
// pixels a side, flagged in its folder's listing and served under the file's reach; a text
// file and a file whose "image" does not decode have none (404); another account's person
// gets a 404.
func TestThumbnails(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		svc := moduleOf(e).Service()
		o, other := newOffice(t, e), newOffice(t, e)
		mem := e.As(o.mem)
		early := o.uploaded(t, mem, o.folder, "early.png", pngOf(t, 40, 20))
		pic := o.uploaded(t, mem, o.folder, "photo.png", pngOf(t, 600, 300))
		txt := o.uploaded(t, mem, o.folder, "notes.txt", []byte("not an image"))
		bad := o.uploaded(t, mem, o.folder, "broken.png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...))
		thumb := func(id int64) string { return fmt.Sprintf("%s/files/%d/thumbnail", o.base, id) }
		// Asked before the job came to it, a thumbnail is made there and then.
		if r := mem.Get(thumb(early)); r.Status != http.StatusOK {
			t.Errorf("before the job: %d", r.Status)
		}
		if n, err := svc.Thumbnails(context.Background()); err != nil || n != 1 {
			t.Fatalf("the job made %d: %v", n, err)
		}
		r := mem.Get(thumb(pic))
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("thumbnail: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		img, err := jpeg.Decode(bytes.NewReader(r.Body))
		if err != nil || img.Bounds().Dx() != 256 || img.Bounds().Dy() != 128 {
			t.Errorf("thumbnail %v: %v", img.Bounds(), err)
		}
		for _, id := range []int64{txt, bad} {
			if r := mem.Get(thumb(id)); r.Status != http.StatusNotFound {
				t.Errorf("file %d: %d", id, r.Status)
			}
		}
		var v struct {
			Files []struct {
				Name  string
				Thumb bool
			}
		}
		mem.Get(fmt.Sprintf("%s/folders/%d", o.base, o.folder)).JSON(t, &v)
		for _, f := range v.Files {
			if f.Thumb != (f.Name == "photo.png" || f.Name == "early.png") {
				t.Errorf("listing: %s thumb %v", f.Name, f.Thumb)
			}
		}
		// The file's page previews an image by its thumbnail (a link to the whole image) and a
		// PDF by an icon and a link to the browser's viewer; other types show their type. The
		// page itself downloads nothing: the history stays empty.
		page := func(id int64) string {
			r := mem.Get(fmt.Sprintf("/%s/files/%d", o.acc.Slug, id))
			if r.Status != http.StatusOK {
				t.Fatalf("file page %d: %d", id, r.Status)
			}
			return r.String()
		}
		if p := page(pic); !strings.Contains(p, fmt.Sprintf(`class="preview-img" src="%s/files/%d/thumbnail"`, o.base, pic)) || !strings.Contains(p, fmt.Sprintf(`%s/files/%d/download?inline=1`, o.base, pic)) {
			t.Errorf("an image's page has no preview")
		}
		pdf := o.uploaded(t, mem, o.folder, "Report.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
		if p := page(pdf); !strings.Contains(p, `id="open-pdf"`) || !strings.Contains(p, `data-type="PDF"`) {
			t.Errorf("a PDF's page has no icon and link")
		}
		if p := page(txt); !strings.Contains(p, `data-type="TXT"`) || strings.Contains(p, `id="open-pdf"`) || strings.Contains(p, "preview-img") {
			t.Errorf("a text file's page: no type icon")
		}
		if n, err := e.App.DB.NewSelect().Table("files_downloads").Where("file_id IN (?)", bun.In([]int64{pic, pdf, txt})).Count(context.Background()); err != nil || n != 0 {
			t.Errorf("showing the pages wrote %d downloads", n)
		}
		if r := mem.Get(fmt.Sprintf("/%s/files/folders/%d", o.acc.Slug, o.folder)); !strings.Contains(r.String(), `<span class="ficon" data-type="PDF" aria-hidden="true"></span>`) {
			t.Errorf("the listing shows no type for a PDF: %d", r.Status)
		}
		if r := e.As(other.mem).Get(fmt.Sprintf("%s/files/%d/thumbnail", other.base, pic)); r.Status != http.StatusNotFound {
			t.Errorf("another account's: %d", r.Status)
		}
		// A small binary file through JSON: base64, checked.
		for body, field := range map[string]string{`{"name":"x.png","content_base64":"%%%"}`: "content_base64", `{"name":"x.png","content":"a","content_base64":"YQ=="}`: "content_base64"} {
			r := mem.Send("POST", fmt.Sprintf("%s/folders/%d/files", o.base, o.folder), http.Header{"Content-Type": {"application/json"}}, strings.NewReader(body))
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `"`+field+`"`) {
				t.Errorf("%s: %d %s", body, r.Status, r.Body)
			}
		}
		// A second run has nothing left to do.
		if n, err := svc.Thumbnails(context.Background()); err != nil || n != 0 {
			t.Errorf("second run: %d %v", n, err)
		}
	})
}
