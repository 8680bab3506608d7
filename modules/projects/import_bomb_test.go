package projects_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"groupcamp/core/problem"
	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// fileError is the message of an import's refusal on its file field.
func fileError(err error) string {
	if p, ok := problem.As(err); ok {
		for _, e := range p.Errors {
			if e.Field == "file" {
				return e.Message
			}
		}
	}
	return fmt.Sprint(err)
}

// bombSize is what the zip bomb's sheet inflates to.
const bombSize = 4 << 30

// deflateChunk is p deflated and flushed (not closed): a run of non-final blocks that ends on
// a byte boundary, so that such runs can follow one another in one deflate stream.
func deflateChunk(t testing.TB, p []byte) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(p)
	w.Flush()
	return b.Bytes()
}

// zipBomb is an .xlsx whose first sheet is a header and then rows of valid tasks, padded with
// spaces between them, inflated to about size bytes; the file itself is a few MiB. The sheet
// is deflated once per MiB of rows and that chunk repeated, so the test does not compress
// gigabytes (deflate blocks may follow one another; a final empty block closes the stream).
func zipBomb(t testing.TB, size int64) []byte {
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>list</t></is></c><c r="B1" t="inlineStr"><is><t>title</t></is></c></row>`)
	tail := []byte(`</sheetData></worksheet>`)
	row := `<row><c t="inlineStr"><is><t>Internal budget</t></is></c><c t="inlineStr"><is><t>Boom</t></is></c></row>` + strings.Repeat(" ", 32000)
	chunk := []byte(strings.Repeat(row, (1<<20)/len(row)))
	n := (size - int64(len(head)+len(tail))) / int64(len(chunk))

	var body bytes.Buffer
	body.Write(deflateChunk(t, head))
	dc := deflateChunk(t, chunk)
	crc := crc32.Update(0, crc32.IEEETable, head)
	for i := int64(0); i < n; i++ {
		body.Write(dc)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	body.Write(deflateChunk(t, tail))
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	body.Write([]byte{0x01, 0x00, 0x00, 0xff, 0xff}) // the final block: stored, empty

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	small := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} {
		w, _ := zw.Create(name)
		w.Write([]byte(small[name]))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(body.Len()), UncompressedSize64: uint64(len(head)+len(tail)) + uint64(n)*uint64(len(chunk)),
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestImportZipBomb posts a 4 MiB .xlsx whose sheet unpacks to 4 GiB to the import API and
// to the import page: each answers a 422 on the file field at once, without unpacking it
// (the server's heap grows by a bounded amount), nothing is written, and the server goes on
// serving.
func TestImportZipBomb(t *testing.T) {
	bomb := zipBomb(t, bombSize)
	if len(bomb) >= projects.MaxImportBytes {
		t.Fatalf("the bomb is %d bytes, over the upload limit", len(bomb))
	}
	// The bomb is a real workbook: its sheet inflates, its CRC and size check (on a part of it).
	if z, err := zip.NewReader(bytes.NewReader(bomb), int64(len(bomb))); err != nil {
		t.Fatal(err)
	} else if f := z.File[len(z.File)-1]; f.UncompressedSize64 < bombSize-(1<<20) {
		t.Fatalf("the sheet declares %d bytes", f.UncompressedSize64)
	} else if rc, err := f.Open(); err != nil {
		t.Fatal(err)
	} else {
		buf := make([]byte, 64<<10)
		if _, err := rc.Read(buf); err != nil || !bytes.Contains(buf, []byte("<sheetData>")) {
			t.Fatalf("the sheet reads %v %.200q", err, buf)
		}
		rc.Close()
	}
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		before := pw.taskCount(t)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "tasks.xlsx")
		fw.Write(bomb)
		mw.Close()
		c := w.as(w.manager)

		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		r := c.Send(http.MethodPost, w.path("/projects/%d/import", pw.pid), http.Header{"Content-Type": {mw.FormDataContentType()}}, &body)
		runtime.ReadMemStats(&m1)
		want(t, "bomb", r, http.StatusUnprocessableEntity)
		var p struct {
			Errors []struct{ Field, Message string }
		}
		r.JSON(t, &p)
		if len(p.Errors) != 1 || p.Errors[0].Field != "file" || !strings.Contains(p.Errors[0].Message, fmt.Sprintf("unpacks to more than %d MiB", projects.MaxImportUnzipBytes>>20)) {
			t.Errorf("the bomb's answer: %s", r.Body)
		}
		// Everything allocated during the request (client and server, both in this process)
		// bounds the heap's growth: a few copies of the upload, never its inflated sheet.
		grew := m1.TotalAlloc - m0.TotalAlloc
		t.Logf("a %d KiB file whose sheet unpacks to %d MiB: %d, %d MiB allocated during the request", len(bomb)>>10, bombSize>>20, r.Status, grew>>20)
		if grew > 256<<20 {
			t.Errorf("the request allocated %d MiB", grew>>20)
		}
		if n := pw.taskCount(t); n != before {
			t.Errorf("tasks %d -> %d after the bomb", before, n)
		}

		// The page says so on its form too.
		page := w.e.BrowserLogin(w.manager)
		form := want(t, "import page", page.Get(pw.page("/projects/%d/import", pw.pid)), http.StatusOK)
		page.CSRF = testkit.CSRFIn(form.Body)
		pr := want(t, "bomb page", sendFile(t, page, pw.page("/projects/%d/import", pw.pid), "t.xlsx", bomb), http.StatusUnprocessableEntity)
		if !strings.Contains(string(pr.Body), "unpacks to more than") {
			t.Errorf("the page does not say why:\n%s", pr.Body)
		}

		// The server goes on: a real workbook still imports.
		want(t, "after the bomb", sendFile(t, c, w.path("/projects/%d/import", pw.pid), "t.csv", []byte("list,title\nInternal budget,After the bomb\n")), http.StatusCreated)
		if n := pw.taskCount(t); n != before+1 {
			t.Errorf("tasks %d -> %d after a good import", before, n)
		}
	})
}

// TestImportWideRows refuses a row with a value past the last column an import keeps, in CSV
// and in XLSX (where a cell in column XFD would make 16,384 cells of a row).
func TestImportWideRows(t *testing.T) {
	wide := "list,title" + strings.Repeat(",", projects.MaxImportColumns) + "x\nInternal budget,A\n"
	if _, err := projects.ParseImport("t.csv", []byte(wide)); err == nil || !strings.Contains(fileError(err), "columns") {
		t.Errorf("a wide CSV: %v", err)
	}
	// Empty cells far to the right are let go.
	ok := "list,title" + strings.Repeat(",", 200) + "\nInternal budget,A" + strings.Repeat(",", 200) + "\n"
	if rows, err := projects.ParseImport("t.csv", []byte(ok)); err != nil || len(rows) != 1 {
		t.Errorf("a CSV with empty columns: %v %v", rows, err)
	}
	sheet := `<row r="1"><c r="A1" t="inlineStr"><is><t>list</t></is></c><c r="B1" t="inlineStr"><is><t>title</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>Internal budget</t></is></c><c r="XFD2" t="inlineStr"><is><t>far</t></is></c></row>`
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	bomb := zipBomb(t, 1<<10) // a small one: its parts, with another sheet
	z, _ := zip.NewReader(bytes.NewReader(bomb), int64(len(bomb)))
	for _, f := range z.File[:len(z.File)-1] {
		w, _ := zw.Create(f.Name)
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		w.Write(b.Bytes())
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + sheet + `</sheetData></worksheet>`))
	zw.Close()
	if _, err := projects.ParseImport("t.xlsx", out.Bytes()); err == nil || !strings.Contains(fileError(err), "columns") {
		t.Errorf("a wide XLSX: %v", err)
	}
}
