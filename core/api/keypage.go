package api

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/problem"
)

// KeyPage is a keyset page request over (a sort key, an id): the items after (Key, After) in
// that order, at most Limit of them — for lists sorted by something else than their id (a
// name), where an offset would skip or repeat rows as the list changes between pages. The
// zero Key and After start at the beginning.
type KeyPage struct {
	Limit int
	Key   string
	After int64
}

// MaxKeyLength bounds the sort key a cursor carries.
const MaxKeyLength = 400

// KeyCursor encodes the sort key and id of the last item of a page.
func KeyCursor(key string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10) + ":" + key))
}

// ParseKeyPage reads ?limit= and a ?cursor= of KeyCursor; a bad value is a 422 naming it.
func ParseKeyPage(c *fiber.Ctx) (KeyPage, error) {
	p := KeyPage{Limit: DefaultLimit}
	var f problem.Fields
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		f.Check(err == nil && n >= 1 && n <= MaxLimit, "limit", "must be a whole number from 1 to 200")
		p.Limit = n
	}
	if s := c.Query("cursor"); s != "" {
		key, id, ok := decodeKeyCursor(s)
		f.Check(ok, "cursor", "is not a cursor this API returned")
		p.Key, p.After = key, id
	}
	return p, f.Err()
}

// ParseKeyCursor decodes a cursor of KeyCursor (for lists whose limit is not ParseKeyPage's).
func ParseKeyCursor(s string) (key string, id int64, ok bool) { return decodeKeyCursor(s) }

func decodeKeyCursor(s string) (string, int64, bool) {
	if len(s) > 2*MaxKeyLength {
		return "", 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, false
	}
	idText, key, found := strings.Cut(string(b), ":")
	id, ok := ParseID(idText)
	if !found || !ok {
		return "", 0, false
	}
	return key, id, true
}
