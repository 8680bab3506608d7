package api

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/problem"
)

// Page limits.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page is a cursor page request: items after the id in Cursor, at most Limit of them.
type Page struct {
	Limit int
	After int64
}

// List is the envelope of every list response.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// ParsePage reads ?limit= and ?cursor=; a bad value is a 422 naming the parameter.
func ParsePage(c *fiber.Ctx) (Page, error) {
	p := Page{Limit: DefaultLimit}
	var f problem.Fields
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		f.Check(err == nil && n >= 1 && n <= MaxLimit, "limit", "must be a whole number from 1 to 200")
		p.Limit = n
	}
	if s := c.Query("cursor"); s != "" {
		id, ok := decodeCursor(s)
		f.Check(ok, "cursor", "is not a cursor this API returned")
		p.After = id
	}
	return p, f.Err()
}

// Cursor encodes the id of the last item of a page.
func Cursor(lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(lastID, 10)))
}

func decodeCursor(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	return id, err == nil && id > 0
}

// MakeList trims a page fetched with Limit+1 rows and sets the cursor when more remain.
func MakeList[T any](items []T, p Page, id func(T) int64) List[T] {
	out := List[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(items) > p.Limit {
		out.Items = items[:p.Limit]
		out.NextCursor = Cursor(id(out.Items[p.Limit-1]))
	}
	return out
}

// PathID parses a positive integer path parameter; anything else is a 404 (no such row).
func PathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.NotFound()
	}
	return id, nil
}

// QueryText reads a free-text query parameter (a search, a filter value): at most max
// characters of valid UTF-8 without control characters (a NUL byte cannot reach a query), else
// a 422 naming the parameter. The value is a copy, safe to keep after the handler returns.
func QueryText(c *fiber.Ctx, name string, max int) (string, error) {
	s := c.Query(name)
	switch {
	case !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", problem.Invalid(problem.FieldError{Field: name, Message: "must be text without control characters"})
	case utf8.RuneCountInString(s) > max:
		return "", problem.Invalid(problem.FieldError{Field: name, Message: fmt.Sprintf("must be at most %d characters", max)})
	}
	return strings.Clone(s), nil
}
