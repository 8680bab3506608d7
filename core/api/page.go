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
	return ParseID(string(b))
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

// PathID parses an id path parameter (ParseID); anything else is a 404: a path that names
// nothing, never read as another id ("+1", "01" and "1e0" are not project 1).
func PathID(c *fiber.Ctx, name string) (int64, error) {
	id, ok := ParseID(c.Params(name))
	if !ok {
		return 0, problem.NotFound()
	}
	return id, nil
}

// ParseID reads an id as the API writes it: a positive decimal integer of plain digits, without
// sign, spaces, leading zeros or exponent, that fits in int64. Every spelling of an id is
// refused but the one, so that two different paths never name the same row.
func ParseID(s string) (int64, bool) {
	if s == "" || len(s) > 19 || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
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
