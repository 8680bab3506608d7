package files

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// uploadBody is the content of an upload and its size (-1 when unknown): the multipart part
// "file" (one), read from the connection as it arrives, or JSON {name, content} for a small
// text file ({name, content_base64} for a small binary one; a new version takes no name).
//
// The server streams bodies (core/app, bodylimit.go): the part goes from the connection
// through the hash into the store, with no spool file and no copy in memory. Its exact size is
// known only at its end (size -1: the service asks the quota with the exact size before
// anything holds the bytes); the reader's AtLeast, the body's length less the form's framing
// and a bound on the part's headers, lets it answer a clearly oversized upload with its 413
// before a byte is stored.
func uploadBody(c *fiber.Ctx) (string, io.ReadCloser, int64, error) {
	if isJSON(c) {
		if err := smallBody(c); err != nil {
			return "", nil, 0, err
		}
		var in FileInput
		if err := api.Decode(c, &in); err != nil {
			return "", nil, 0, err
		}
		if in.ContentBase64 != "" {
			if in.Content != "" {
				return "", nil, 0, problem.Invalid(problem.FieldError{Field: "content_base64", Message: "must not be given with content"})
			}
			b, err := base64.StdEncoding.DecodeString(in.ContentBase64)
			if err != nil {
				return "", nil, 0, problem.Invalid(problem.FieldError{Field: "content_base64", Message: "must be standard base64"})
			}
			return in.Name, io.NopCloser(bytes.NewReader(b)), int64(len(b)), nil
		}
		return in.Name, io.NopCloser(strings.NewReader(in.Content)), int64(len(in.Content)), nil
	}
	notForm := problem.BadRequest("the body must be multipart/form-data with the file in the part named file")
	mt, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != fiber.MIMEMultipartForm || params["boundary"] == "" {
		return "", nil, 0, notForm
	}
	body := c.Context().RequestBodyStream()
	if body == nil {
		body = bytes.NewReader(c.Body())
	}
	mr := multipart.NewReader(body, params["boundary"])
	for i := 0; ; i++ {
		p, err := mr.NextPart()
		if err == io.EOF || i == 16 {
			return "", nil, 0, problem.Invalid(problem.FieldError{Field: "file", Message: "must be a file"})
		}
		if err != nil {
			return "", nil, 0, notForm
		}
		if p.FormName() != "file" || p.FileName() == "" {
			// Another field before the file: skipped (its size bounded).
			if _, err := io.CopyN(io.Discard, p, 64<<10); err == nil {
				return "", nil, 0, problem.Invalid(problem.FieldError{Field: p.FormName(), Message: "is too long"})
			}
			continue
		}
		var least int64
		if cl := int64(c.Request().Header.ContentLength()); cl > 0 {
			least = max(0, cl-int64(len("--"+params["boundary"]+"\r\n\r\n--"+params["boundary"]+"--\r\n"))-partHeaders)
		}
		return p.FileName(), &onlyPart{part: p, form: mr, least: least}, -1, nil
	}
}

// errSecondFile fails the read of a form that holds a second file after the first: the store
// then keeps nothing.
var errSecondFile = problem.Invalid(problem.FieldError{Field: "file", Message: "must be one file per request"})

// onlyPart reads the form's one file part; at its end it reads the rest of the form, which
// must hold no other file, so that the end of the part is the end of the upload.
type onlyPart struct {
	part  *multipart.Part
	form  *multipart.Reader
	least int64
}

// partHeaders bounds the headers of a file part (its name, type) for AtLeast: a client
// sending longer ones only gets its bytes stored before the exact check drops them.
const partHeaders = 4 << 10

// AtLeast is a lower bound of the part's size (0: unknown).
func (o *onlyPart) AtLeast() int64 { return o.least }

func (o *onlyPart) Read(b []byte) (int, error) {
	n, err := o.part.Read(b)
	if err != io.EOF {
		return n, err
	}
	for i := 0; ; i++ {
		p, err := o.form.NextPart()
		if err == io.EOF {
			return n, io.EOF
		}
		if err != nil {
			return n, err
		}
		if p.FormName() == "file" || i == 16 {
			return n, errSecondFile
		}
		if _, err := io.CopyN(io.Discard, p, 64<<10); !errors.Is(err, io.EOF) {
			return n, fmt.Errorf("a field after the file: %w", errSecondFile)
		}
	}
}

func (o *onlyPart) Close() error { return o.part.Close() }

// smallBody bounds a body the handler reads whole on a route that takes large ones: the
// server's usual limit (api.MaxRequest), 413 past it.
func smallBody(c *fiber.Ctx) error {
	tooLarge := problem.TooLarge(fmt.Sprintf("the body is larger than %d bytes", api.MaxRequest))
	cl := int64(c.Request().Header.ContentLength())
	if cl > api.MaxRequest {
		return tooLarge
	}
	if s := c.Context().RequestBodyStream(); cl < 0 && s != nil {
		var b bytes.Buffer
		if _, err := b.ReadFrom(io.LimitReader(s, api.MaxRequest+1)); err != nil {
			return problem.BadRequest("the body was cut short")
		}
		if int64(b.Len()) > api.MaxRequest {
			return tooLarge
		}
		c.Request().SetBody(b.Bytes())
	}
	return nil
}
