package files

import (
	"context"
	"mime/multipart"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// fileParts are the `file` parts of a multipart upload; 400 when the body is no multipart
// form, 422 when it holds no file.
func fileParts(c *fiber.Ctx) ([]*multipart.FileHeader, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, problem.BadRequest("the body must be multipart/form-data with the file in the part named file")
	}
	parts := form.File["file"]
	if len(parts) == 0 {
		return nil, problem.Invalid(problem.FieldError{Field: "file", Message: "must be a file"})
	}
	if len(parts) > 100 {
		return nil, problem.Invalid(problem.FieldError{Field: "file", Message: "must be at most 100 files at once"})
	}
	return parts, nil
}

// inlineTypes are the types a browser may show on the app's origin (?inline=1): none of them
// runs script. Everything else — HTML, SVG, XML, JavaScript, unknown — is always an attachment.
var inlineTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true,
	"application/pdf": true, "text/plain": true, "video/mp4": true, "video/webm": true, "audio/mpeg": true, "audio/wave": true, "audio/ogg": true}

// scripted are the extensions a browser could run as a page, whatever the sniffed type says.
var scripted = map[string]bool{".html": true, ".htm": true, ".xhtml": true, ".svg": true, ".svgz": true, ".xml": true, ".xsl": true, ".js": true, ".mjs": true}

// inline reports whether the file may be shown in the browser.
func inline(name, mime string) bool {
	base, _, _ := strings.Cut(mime, ";")
	return inlineTypes[strings.TrimSpace(base)] && !scripted[strings.ToLower(path.Ext(name))]
}

// disposition is the Content-Disposition of name (RFC 6266): an ASCII fallback in filename
// and the UTF-8 name in filename* (RFC 8187).
func disposition(kind, name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || r == '"' || r == '\\' || r == '%' || r > 0x7e:
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return kind + `; filename="` + ascii.String() + `"; filename*=UTF-8''` + strings.ReplaceAll(url.PathEscape(name), "+", "%2B")
}

// byteRange is the one range a request asks for, from its Range header.
type byteRange struct{ start, length int64 }

// parseRange reads a single "bytes=" range of size bytes: ok false when the header is absent,
// not understood or asks for several ranges (the whole file is sent), satisfiable false when
// the range lies past the end (416).
func parseRange(h string, size int64) (r byteRange, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return r, false, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return r, false, false
	}
	if first == "" {
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return r, false, false
		}
		if n == 0 || size == 0 {
			return r, true, false
		}
		n = min(n, size)
		return byteRange{size - n, n}, true, true
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return r, false, false
	}
	end := size - 1
	if last != "" {
		if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
			return r, false, false
		}
		end = min(end, size-1)
	}
	if start >= size {
		return r, true, false
	}
	return byteRange{start, end - start + 1}, true, true
}

func (h *handlers) download(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var f problem.Fields
	n := queryInt(c, "version", &f)
	if err := f.Err(); err != nil {
		return err
	}
	a := actor.From(c)
	ct, err := h.svc.Open(c.UserContext(), a, id, n)
	if err != nil {
		return err
	}
	return h.send(c, ct, c.QueryBool("inline"), func(ctx context.Context) error { return h.svc.Downloaded(ctx, a, ct) })
}

// send streams the content: ETag (the SHA-256), conditional requests, one Range, the original
// name, and never a type a browser would run on the app's origin. record writes the download
// into the history (it may refuse it: a share link without downloads left).
func (h *handlers) send(c *fiber.Ctx, ct *Content, wantInline bool, record func(context.Context) error) error {
	v := ct.Version
	etag := `"` + v.SHA256 + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderLastModified, v.CreatedAt.UTC().Format(time.RFC1123Z))
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	kind := "attachment"
	if wantInline && inline(ct.File.Name, v.MIME) {
		kind = "inline"
	}
	c.Set(fiber.HeaderContentDisposition, disposition(kind, ct.File.Name))
	c.Set(fiber.HeaderContentType, v.MIME)
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && (inm == etag || inm == "*" || strings.Contains(inm, etag)) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	start, length := int64(0), v.Size
	status := fiber.StatusOK
	if rh := c.Get(fiber.HeaderRange); rh != "" {
		ir := c.Get(fiber.HeaderIfRange)
		if ir == "" || ir == etag {
			r, ok, satisfiable := parseRange(rh, v.Size)
			switch {
			case ok && !satisfiable:
				c.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(v.Size, 10))
				return api.WriteProblem(c, problem.New(fiber.StatusRequestedRangeNotSatisfiable, "the range lies outside the file"))
			case ok:
				start, length, status = r.start, r.length, fiber.StatusPartialContent
				c.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(r.start, 10)+"-"+strconv.FormatInt(r.start+r.length-1, 10)+"/"+strconv.FormatInt(v.Size, 10))
			}
		}
	}
	if start == 0 {
		// A download begins at the first byte; the further ranges of a resumed download or of
		// a player are the same download.
		if err := record(c.UserContext()); err != nil {
			return err
		}
	}
	c.Status(status)
	if length == 0 {
		return c.Send(nil)
	}
	// The body is read after the handler returns: the reader's context must outlive it.
	body, err := h.svc.Blobs.Open(context.WithoutCancel(c.UserContext()), ct.Key, start, length)
	if err != nil {
		return err
	}
	c.Response().SetBodyStream(body, int(length))
	return nil
}

// thumbnail serves the thumbnail of a file's current version (thumbs.go).
func (h *handlers) thumbnail(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	tn := h.svc.tenant(a.AccountID())
	fi, _, err := h.svc.reachFile(c.UserContext(), tn, a, id, false)
	if err != nil {
		return err
	}
	return h.sendThumb(c, tn, fi)
}

// sendThumb serves the thumbnail of the file's current version (404 when it has none).
func (h *handlers) sendThumb(c *fiber.Ctx, tn db.Tenant, fi *File) error {
	key, err := h.svc.thumbOf(c.UserContext(), tn, fi)
	if err != nil {
		return err
	}
	etag := `"` + fi.SHA256 + `-thumb"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	r, err := h.svc.Blobs.Open(c.UserContext(), key, 0, -1)
	if err != nil {
		return problem.NotFound()
	}
	c.Set(fiber.HeaderContentType, "image/jpeg")
	return c.SendStream(r)
}
