package app

import (
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"groupcamp/core/api"
)

// Uploads and downloads of files need what no other route gets: a body far past
// api.MaxRequest, and more than the server's read and write timeouts. fasthttp decides the
// body limit once the headers are read and before any handler runs, so the App tells it per
// request (fasthttp.Server.HeaderReceived) from the routes that declare it (api.Doc.MaxBody,
// api.Doc.Stream): every other route keeps MaxRequest and its 413 at the headers.
//
// An upload with a Content-Length is a multipart form: fasthttp reads it as it comes and
// writes a file part past 16 MiB to a temporary file (mime/multipart), so the memory of an
// upload does not grow with the file; the handler streams the part from there. A chunked
// upload (no Content-Length) would be read into memory: it keeps MaxRequest.
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
			if r.maxBody > api.MaxRequest && h.ContentLength() > 0 {
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
