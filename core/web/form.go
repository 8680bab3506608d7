package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// Form carries submitted values and field errors back into a re-rendered form, so a person
// never retypes what they wrote.
type Form struct {
	Values map[string]string
	Errors map[string]string
	Error  string // a message about the whole form

	// said keeps the refused fields' messages with their templates and values, so that
	// Page.Err translates a message made by problem.Sayf.
	said map[string]problem.FieldError
}

// NewForm copies the named fields of the submitted form (copies: fasthttp reuses buffers).
func NewForm(c *fiber.Ctx, fields ...string) *Form {
	f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range fields {
		f.Values[k] = strings.Clone(c.FormValue(k))
	}
	return f
}

// EmptyForm is a form with nothing entered yet.
func EmptyForm(values map[string]string) *Form {
	if values == nil {
		values = map[string]string{}
	}
	return &Form{Values: values, Errors: map[string]string{}}
}

// CheckForm refuses a submitted form (application/x-www-form-urlencoded) any of whose values
// holds a control character other than a line break or a tab (a NUL byte cannot be stored in
// PostgreSQL text; no other belongs in what people type): a 422 naming the field, before the
// handler reads the form. The app runs it before the handler of every page route; a field that
// must be one line is the service's to check.
func CheckForm(c *fiber.Ctx) error {
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationForm) {
		return c.Next()
	}
	var f problem.Fields
	n := 0
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if n < 20 && (validate.Control(string(v), true) || validate.Control(string(k), false)) {
			n++
			f.Add(validate.Clean(string(k)), "must not contain control characters")
		}
	})
	if err := f.Err(); err != nil {
		return err
	}
	return c.Next()
}

// Get returns a submitted value.
func (f *Form) Get(k string) string { return f.Values[k] }

// Fail takes a service error: when it is a problem a person can fix (4xx), the field messages
// go next to their fields and Fail returns true; other errors return false and should be
// passed on.
func (f *Form) Fail(err error) bool {
	p, ok := problem.As(err)
	if !ok || p.Status >= 500 {
		return false
	}
	for _, e := range p.Errors {
		if _, seen := f.Errors[e.Field]; !seen {
			f.Errors[e.Field] = e.Message
			if e.Key != "" {
				if f.said == nil {
					f.said = map[string]problem.FieldError{}
				}
				f.said[e.Message] = e
			}
		}
	}
	if len(p.Errors) == 0 {
		f.Error = p.Detail
	}
	return true
}

// Status is the HTTP status a failed form is re-rendered with.
func (f *Form) Status(err error) int {
	if p, ok := problem.As(err); ok {
		return p.Status
	}
	return fiber.StatusUnprocessableEntity
}

// FlashMsg is a one-time message shown on the next page.
type FlashMsg struct {
	Kind string // success | info | error
	Key  string // message key
}

var flashCookie = DeclareCookie(Cookie{Name: "groupcamp_flash", Purpose: "cookie.flash.purpose", Lifetime: "cookie.flash.lifetime", HTTPOnly: true})

// Flash queues a message (a catalog key) for the next page the visitor sees.
func Flash(c *fiber.Ctx, kind, key string) {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: url.QueryEscape(kind + "|" + key), Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(5 * time.Minute)})
}

func takeFlash(c *fiber.Ctx) *FlashMsg {
	v := c.Cookies(flashCookie)
	if v == "" {
		return nil
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/", HTTPOnly: true, Expires: time.Unix(0, 0)})
	raw, err := url.QueryUnescape(v)
	if err != nil {
		return nil
	}
	kind, key, ok := strings.Cut(raw, "|")
	if !ok || (kind != "success" && kind != "info" && kind != "error") || len(key) > 100 {
		return nil
	}
	return &FlashMsg{Kind: kind, Key: key}
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// Refuse re-renders a page after a refused form: the values stay, the messages go next to
// their fields, and the status is the problem's (422, 409, ...). Errors nobody can fix (5xx)
// are passed on to the error handler.
func (r *Renderer) Refuse(c *fiber.Ctx, name string, p *Page, err error) error {
	if !p.Form.Fail(err) {
		return err
	}
	p.Status = p.Form.Status(err)
	if pr, ok := problem.As(err); ok && pr.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(pr.RetryAfter))
	}
	return r.Render(c, name, p)
}

// Done queues a success message and sends the browser to the page that shows the result
// (post/redirect/get, so a reload does not resubmit).
func Done(c *fiber.Ctx, key, to string) error {
	Flash(c, "success", key)
	return c.Redirect(to, fiber.StatusSeeOther)
}
