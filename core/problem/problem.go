// Package problem is the domain error of GroupCamp: an RFC 9457 problem with an HTTP status
// and field-level messages. Services return these (they carry no Fiber types), the API writes
// them as application/problem+json and the web layer shows the field messages next to fields.
package problem

import (
	"fmt"
	"net/http"
	"strings"
)

// FieldError is one message about one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Key and Args are the message before its values were put in (Sayf): the web layer
	// translates it from the catalogue entry "error.<Key>" with the Args, and names the fields
	// an Arg refers to (a Field) by their labels. The API shows Message, in English.
	Key  string         `json:"-"`
	Args map[string]any `json:"-"`
}

// Field is an Arg of a message that names another input field ("must not be before
// {other}"): the API's English message says its JSON name (starts_on), a page says its label
// (the catalogue's "field.<name>", e.g. "start date").
type Field string

// Sayf builds a message from a template whose {name} placeholders take args (name/value
// pairs): "must be at most {max} people", "max", 5. The template is the translation key.
func Sayf(field, template string, args ...any) FieldError {
	m := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		m[fmt.Sprint(args[i])] = args[i+1]
	}
	msg := template
	for k, v := range m {
		msg = strings.ReplaceAll(msg, "{"+k+"}", fmt.Sprint(v))
	}
	return FieldError{Field: field, Message: msg, Key: template, Args: m}
}

// Problem is an error a client can act on.
type Problem struct {
	Type       string       `json:"type"`
	Title      string       `json:"title"`
	Status     int          `json:"status"`
	Detail     string       `json:"detail,omitempty"`
	Errors     []FieldError `json:"errors,omitempty"`
	RetryAfter int          `json:"-"` // seconds, for 429
	Allowed    []string     `json:"allowed,omitempty"`
}

func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", p.Status, p.Title)
	if p.Detail != "" {
		b.WriteString(": " + p.Detail)
	}
	for _, e := range p.Errors {
		fmt.Fprintf(&b, "; %s: %s", e.Field, e.Message)
	}
	return b.String()
}

// New builds a problem with the standard title for status.
func New(status int, detail string) *Problem {
	slug := strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "-")
	return &Problem{Type: "https://groupcamp.dev/problems/" + slug, Title: http.StatusText(status), Status: status, Detail: detail}
}

func BadRequest(detail string) *Problem   { return New(http.StatusBadRequest, detail) }
func Unauthorized(detail string) *Problem { return New(http.StatusUnauthorized, detail) }
func Forbidden(detail string) *Problem    { return New(http.StatusForbidden, detail) }
func NotFound() *Problem                  { return New(http.StatusNotFound, "not found") }
func Gone(detail string) *Problem         { return New(http.StatusGone, detail) }
func TooLarge(detail string) *Problem     { return New(http.StatusRequestEntityTooLarge, detail) }

// Conflict is a 409 about one field (a taken slug or email) or about a state.
func Conflict(field, message string) *Problem {
	p := New(http.StatusConflict, message)
	if field != "" {
		p.Errors = []FieldError{{Field: field, Message: message}}
	}
	return p
}

// TooManyRequests is a 429 telling the client when to try again.
func TooManyRequests(retryAfterSeconds int) *Problem {
	p := New(http.StatusTooManyRequests, "too many attempts; try again later")
	p.RetryAfter = retryAfterSeconds
	return p
}

// Invalid is a 422 listing the fields that are wrong.
func Invalid(errs ...FieldError) *Problem {
	p := New(http.StatusUnprocessableEntity, "some fields are not valid")
	p.Errors = errs
	return p
}

// Fields collects field errors while a service validates its input.
type Fields struct{ errs []FieldError }

// Add records a message for field.
func (f *Fields) Add(field, message string) {
	f.errs = append(f.errs, FieldError{Field: field, Message: message})
}

// Addf records a message made by Sayf (a template with {name} placeholders and its values).
func (f *Fields) Addf(field, template string, args ...any) {
	f.errs = append(f.errs, Sayf(field, template, args...))
}

// Put records a message already made (by Sayf).
func (f *Fields) Put(e FieldError) { f.errs = append(f.errs, e) }

// Check records message for field unless ok.
func (f *Fields) Check(ok bool, field, message string) {
	if !ok {
		f.Add(field, message)
	}
}

// Has reports whether field already has a message (so later checks can skip it).
func (f *Fields) Has(field string) bool {
	for _, e := range f.errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err is nil when no field failed, else a 422 problem.
func (f *Fields) Err() error {
	if len(f.errs) == 0 {
		return nil
	}
	return Invalid(f.errs...)
}

// As returns err as a *Problem when it is one.
func As(err error) (*Problem, bool) {
	p, ok := err.(*Problem)
	return p, ok
}
