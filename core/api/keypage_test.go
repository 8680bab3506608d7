package api_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/api"
)

// TestKeyCursor: a keyset cursor gives back its key (any text, colons too) and id; anything
// else is a 422 on cursor.
func TestKeyCursor(t *testing.T) {
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error {
		p, err := api.ParseKeyPage(c)
		if err != nil {
			return c.Status(422).SendString(err.Error())
		}
		return c.JSON(fiber.Map{"limit": p.Limit, "key": p.Key, "after": p.After})
	})
	for _, k := range []struct {
		key string
		id  int64
	}{{"ada lovelace", 12}, {"a:b:c", 1}, {"", 7}, {"éloïse", 1 << 40}} {
		req := httptest.NewRequest("GET", "/?limit=3&cursor="+api.KeyCursor(k.key, k.id), nil)
		res, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Limit int
			Key   string
			After int64
		}
		json.NewDecoder(res.Body).Decode(&got)
		if res.StatusCode != 200 || got.Key != k.key || got.After != k.id || got.Limit != 3 {
			t.Errorf("%q %d: %d %+v", k.key, k.id, res.StatusCode, got)
		}
	}
	for _, bad := range []string{"x", base64.RawURLEncoding.EncodeToString([]byte("abc")), base64.RawURLEncoding.EncodeToString([]byte("0:a")), strings.Repeat("A", 900)} {
		res, _ := app.Test(httptest.NewRequest("GET", "/?cursor="+bad, nil))
		if res.StatusCode != 422 {
			t.Errorf("cursor %.20q: %d", bad, res.StatusCode)
		}
	}
}
