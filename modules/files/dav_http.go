package files

import (
	"bytes"
	"io"
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"
)

// serveHTTP runs a net/http handler (the WebDAV server) on a Fiber request. Unlike Fiber's
// adaptor, which hands the handler the body read whole into memory, the handler reads the
// request's body from the connection as it arrives (core/app streams bodies): a PUT of any
// size goes to the store through a pipe. The answer is kept in memory and sent at the end, as
// with the adaptor: WebDAV's answers are XML listings, and GETs of large files are better
// served by the API's streamed download.
func serveHTTP(c *fiber.Ctx, h http.Handler) error {
	fc := c.Context()
	u, err := url.ParseRequestURI(string(fc.RequestURI()))
	if err != nil {
		return fiber.ErrBadRequest
	}
	var body io.Reader = fc.RequestBodyStream()
	if body == nil {
		body = bytes.NewReader(fc.PostBody())
	}
	r := (&http.Request{
		Method: c.Method(), URL: u, RequestURI: u.RequestURI(), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Host: string(fc.Host()), RemoteAddr: fc.RemoteAddr().String(),
		ContentLength: int64(fc.Request.Header.ContentLength()), Body: io.NopCloser(body),
	}).WithContext(c.UserContext())
	if r.ContentLength < 0 {
		r.ContentLength = -1
	}
	fc.Request.Header.VisitAll(func(k, v []byte) {
		if string(k) != fiber.HeaderTransferEncoding {
			r.Header.Add(string(k), string(v))
		}
	})
	w := &davResponse{c: c, h: http.Header{}}
	h.ServeHTTP(w, r)
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return nil
}

// davResponse is the http.ResponseWriter of serveHTTP: it writes into Fiber's response.
type davResponse struct {
	c     *fiber.Ctx
	h     http.Header
	wrote bool
}

func (w *davResponse) Header() http.Header { return w.h }

func (w *davResponse) WriteHeader(code int) {
	if w.wrote {
		return
	}
	w.wrote = true
	w.c.Status(code)
	for k, vs := range w.h {
		for i, v := range vs {
			if i == 0 {
				w.c.Set(k, v)
			} else {
				w.c.Append(k, v)
			}
		}
	}
}

func (w *davResponse) Write(b []byte) (int, error) {
	if !w.wrote {
		if w.h.Get(fiber.HeaderContentType) == "" {
			w.h.Set(fiber.HeaderContentType, http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	return w.c.Response().BodyWriter().Write(b)
}
