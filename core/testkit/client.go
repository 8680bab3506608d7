package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"time"
)

// Client calls the App over HTTP, as an anonymous visitor, with a bearer token, or as a
// browser with a cookie jar.
type Client struct {
	e     *Env
	http  *http.Client
	Token string // sent as Authorization: Bearer
	CSRF  string // sent as X-CSRF-Token on writes (browser clients)
}

// Response is a fully read HTTP response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Anonymous returns a client without credentials.
func (e *Env) Anonymous() *Client {
	return &Client{e: e, http: &http.Client{Timeout: 30 * time.Second}}
}

// As returns a client that authenticates with u's login token.
func (e *Env) As(u *User) *Client {
	c := e.Anonymous()
	c.Token = u.Token
	return c
}

// WithToken returns a client that authenticates with the given bearer token.
func (e *Env) WithToken(token string) *Client {
	c := e.Anonymous()
	c.Token = token
	return c
}

// Browser returns a client with a cookie jar, the way a browser talks to the App.
func (e *Env) Browser() *Client {
	jar, _ := cookiejar.New(nil)
	c := e.Anonymous()
	c.http.Jar = jar
	c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// Do sends body as JSON (a string or []byte is sent as is, with a JSON content type).
func (c *Client) Do(method, path string, body any) *Response {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			c.e.T.Fatalf("testkit: marshal: %v", err)
		}
		rd = bytes.NewReader(buf)
	}
	h := http.Header{}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	return c.Send(method, path, h, rd)
}

// Send issues a request with the given headers and body.
func (c *Client) Send(method, path string, h http.Header, body io.Reader) *Response {
	c.e.T.Helper()
	req, err := http.NewRequest(method, c.e.URL+path, body)
	if err != nil {
		c.e.T.Fatalf("testkit: %v", err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if c.CSRF != "" && method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.T.Fatalf("testkit: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.e.T.Fatalf("testkit: read %s %s: %v", method, path, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func (c *Client) Get(path string) *Response             { return c.Do(http.MethodGet, path, nil) }
func (c *Client) Post(path string, body any) *Response  { return c.Do(http.MethodPost, path, body) }
func (c *Client) Patch(path string, body any) *Response { return c.Do(http.MethodPatch, path, body) }
func (c *Client) Put(path string, body any) *Response   { return c.Do(http.MethodPut, path, body) }
func (c *Client) Delete(path string) *Response          { return c.Do(http.MethodDelete, path, nil) }

// JSON decodes the body into v, failing the test when it is not JSON.
func (r *Response) JSON(t interface{ Fatalf(string, ...any) }, v any) {
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("testkit: body is not JSON (%v): %s", err, r.Body)
	}
}

// Map decodes a JSON object body.
func (r *Response) Map() map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// FieldErrors returns the field -> message map of a problem response.
func (r *Response) FieldErrors() map[string]string {
	var p struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	_ = json.Unmarshal(r.Body, &p)
	out := map[string]string{}
	for _, e := range p.Errors {
		out[e.Field] = e.Message
	}
	return out
}

func (r *Response) String() string { return string(r.Body) }
