package testkit

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

// CSRFIn returns the _csrf value of the first form in an HTML page.
func CSRFIn(html []byte) string {
	m := csrfField.FindSubmatch(html)
	if m == nil {
		return ""
	}
	return string(m[1])
}

// Form posts an HTML form the way a browser does (application/x-www-form-urlencoded).
func (c *Client) Form(path string, values url.Values) *Response {
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Send(http.MethodPost, path, h, strings.NewReader(values.Encode()))
}

// SubmitForm loads the page at pagePath, takes its CSRF token, and posts values to action.
func (c *Client) SubmitForm(pagePath, action string, values url.Values) *Response {
	c.e.T.Helper()
	page := c.Get(pagePath)
	if page.Status != http.StatusOK {
		c.e.T.Fatalf("testkit: GET %s: %d", pagePath, page.Status)
	}
	v := url.Values{}
	for k, vs := range values {
		v[k] = vs
	}
	v.Set("_csrf", CSRFIn(page.Body))
	return c.Form(action, v)
}

// BrowserLogin signs u in through the sign-in form and returns the browser client.
func (e *Env) BrowserLogin(u *User) *Client {
	e.T.Helper()
	b := e.Browser()
	r := b.SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}})
	if r.Status != http.StatusSeeOther {
		e.T.Fatalf("testkit: browser login %s: %d %s", u.Email, r.Status, r.Body)
	}
	return b
}
