package files

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// serveHTTP runs a net/http handler (the WebDAV server) on a Fiber request. Unlike Fiber's
// adaptor, which hands the handler the body read whole into memory, the handler reads the
// request's body from the connection as it arrives (core/app streams bodies): a PUT of any
// size goes to the store through a pipe. A GET's answer streams too (streamGet); the other
// answers, XML listings and statuses, are kept in memory and sent at the end, as with the
// adaptor.
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
	if r.Method == http.MethodGet {
		return streamGet(c, h, r)
	}
	w := &davResponse{c: c, h: http.Header{}}
	h.ServeHTTP(w, r)
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return nil
}

// streamGet serves a GET whose answer (a file of any size) streams: the WebDAV handler runs on
// a goroutine of its own and writes into a pipe, which fasthttp sends as the response's body
// stream once the handler returns. The handler's status and headers are set when it writes
// them (the Fiber handler waits for that, so the two never touch the response at once); then
// it only writes into the pipe, which fasthttp closes when the client goes, ending the
// goroutine. The request's context outlives the Fiber handler, hence WithoutCancel.
func streamGet(c *fiber.Ctx, h http.Handler, r *http.Request) error {
	pr, pw := io.Pipe()
	w := &davResponse{c: c, h: http.Header{}, pipe: pw, ready: make(chan struct{})}
	r = r.WithContext(context.WithoutCancel(r.Context()))
	go func() {
		defer func() {
			if !w.wrote {
				w.WriteHeader(http.StatusOK)
			}
			_ = pw.Close()
		}()
		h.ServeHTTP(w, r)
	}()
	<-w.ready
	size := int64(-1)
	if n, err := strconv.ParseInt(w.h.Get(fiber.HeaderContentLength), 10, 64); err == nil {
		size = n
	}
	c.Context().SetBodyStream(pr, int(size))
	return nil
}

// davResponse is the http.ResponseWriter of serveHTTP: it writes into Fiber's response, or
// into pipe when the answer streams (closing ready once the status and headers are set).
type davResponse struct {
	c     *fiber.Ctx
	h     http.Header
	wrote bool
	pipe  *io.PipeWriter
	ready chan struct{}
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
	if w.ready != nil {
		close(w.ready)
	}
}

func (w *davResponse) Write(b []byte) (int, error) {
	if !w.wrote {
		if w.h.Get(fiber.HeaderContentType) == "" {
			w.h.Set(fiber.HeaderContentType, http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.pipe != nil {
		return w.pipe.Write(b)
	}
	return w.c.Response().BodyWriter().Write(b)
}
