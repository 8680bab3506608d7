package app

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// Uploads and downloads of files need what no other route gets: a body far past
// api.MaxRequest, and more than the server's read and write timeouts. fasthttp decides the
// body limit once the headers are read and before any handler runs, so the App tells it per
// request (fasthttp.Server.HeaderReceived) from the routes that declare it (api.Doc.MaxBody,
// api.Doc.Stream): every other route keeps MaxRequest and its 413 at the headers.
//
// The server streams request bodies (fasthttp's StreamRequestBody): it reads the first 8 KiB
// and hands the rest to whoever reads the body, so an upload route reads its file from the
// connection straight into the store (one write to disk, not a spool file and then the
// store), and WebDAV's PUT no longer holds the file in memory. With streaming, fasthttp no
// longer answers a body past its limit with a 413: bodyGuard does, before any handler (a
// chunked body of an ordinary route is read up to its limit there). What a handler leaves
// unread is drained (up to drainMax) so the connection serves the next request; past that the
// connection closes, so that the rest is never parsed as the next request.
const (
	uploadReadTimeout    = 2 * time.Hour
	downloadWriteTimeout = 2 * time.Hour
)

// bodyRule is a route pattern with what it may read and write.
type bodyRule struct {
	method   string
	segments []string // ":x" matches any one segment
	maxBody  int64
	stream   bool
}

func (b bodyRule) matches(method string, segs []string) bool {
	if method != b.method {
		return false
	}
	// A last segment "*" matches the rest of the path, one segment or more (WebDAV's paths).
	if n := len(b.segments); n > 0 && b.segments[n-1] == "*" {
		if len(segs) < n {
			return false
		}
		segs = segs[:n]
	} else if len(segs) != n {
		return false
	}
	for i, s := range b.segments {
		if !strings.HasPrefix(s, ":") && s != "*" && s != segs[i] {
			return false
		}
	}
	return true
}

// bodyRules are the routes that declare a larger body or a streamed answer.
func bodyRules(routes []api.Route) []bodyRule {
	var out []bodyRule
	for _, r := range routes {
		if r.Doc.MaxBody > api.MaxRequest || r.Doc.Stream {
			out = append(out, bodyRule{method: r.Method, segments: strings.Split(strings.Trim(r.Path, "/"), "/"), maxBody: r.Doc.MaxBody, stream: r.Doc.Stream})
		}
	}
	return out
}

// requestConfig is the server's HeaderReceived: the limits of the route the request is for.
func requestConfig(rules []bodyRule) func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		if len(rules) == 0 {
			return fasthttp.RequestConfig{}
		}
		p := string(h.RequestURI())
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		segs := strings.Split(strings.Trim(p, "/"), "/")
		method := string(h.Method())
		if method == fasthttp.MethodHead {
			method = fasthttp.MethodGet
		}
		for _, r := range rules {
			if !r.matches(method, segs) {
				continue
			}
			var rc fasthttp.RequestConfig
			if cl := h.ContentLength(); r.maxBody > api.MaxRequest && (cl > 0 || cl == -1) {
				rc.MaxRequestBodySize = int(r.maxBody)
				rc.ReadTimeout = uploadReadTimeout
			}
			if r.stream {
				rc.WriteTimeout = downloadWriteTimeout
			}
			return rc
		}
		return fasthttp.RequestConfig{}
	}
}

// prefetched is what fasthttp reads of a streamed body before the handler runs: a body of at
// most this length is whole in memory, and nothing of it is left on the connection.
const prefetched = 8 << 10

// limitOf is the largest body the route of method and path reads.
func limitOf(rules []bodyRule, method, path string) int64 {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range rules {
		if r.matches(method, segs) && r.maxBody > api.MaxRequest {
			return r.maxBody
		}
	}
	return api.MaxRequest
}

// bodyGuard enforces the routes' body limits on streamed bodies (see the top of the file).
func bodyGuard(rules []bodyRule) fiber.Handler {
	return func(c *fiber.Ctx) error {
		req := c.Request()
		cl := int64(req.Header.ContentLength())
		if !req.IsBodyStream() || (cl >= 0 && cl <= prefetched) {
			return c.Next()
		}
		limit := limitOf(rules, c.Method(), c.Path())
		tooLarge := problem.TooLarge(fmt.Sprintf("the body is larger than %d bytes", limit))
		if cl > limit {
			c.Context().SetConnectionClose()
			return tooLarge
		}
		if cl < 0 && limit == api.MaxRequest {
			// A chunked body of an ordinary route: read here, up to its limit.
			var b bytes.Buffer
			if _, err := b.ReadFrom(io.LimitReader(c.Context().RequestBodyStream(), limit+1)); err != nil {
				c.Context().SetConnectionClose()
				return problem.BadRequest("the body was cut short")
			}
			if int64(b.Len()) > limit {
				c.Context().SetConnectionClose()
				return tooLarge
			}
			req.SetBody(b.Bytes())
		}
		err := c.Next()
		if req.IsBodyStream() && !drain(c.Context().RequestBodyStream()) {
			// The handler left more of the stream than drain reads: the rest must not be read
			// as the next request.
			c.Context().SetConnectionClose()
		}
		return err
	}
}

// drainMax is how much of a body its handler left unread the server still reads, so that the
// connection can serve the next request. A handler that answers before reading (a 404, a
// 403) would otherwise close the connection while the client is still sending: the client's
// kernel then resets it, and the client may lose the answer (the route walker saw "connection
// reset by peer" instead of the 404). Go's net/http reads 256 KiB the same way; an ordinary
// route's whole body (api.MaxRequest) is read here, an upload left unread is not.
const drainMax = api.MaxRequest

// drain reads what is left of a body stream, up to drainMax, and reports whether it reached
// the end.
func drain(stream io.Reader) bool {
	if stream == nil {
		return true
	}
	n, err := io.CopyN(io.Discard, stream, drainMax+1)
	return n <= drainMax && err == io.EOF
}
