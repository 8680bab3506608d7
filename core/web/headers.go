package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// CSP allows nothing inline: scripts and styles come from our own static files only.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// SecurityHeaders sets the headers every response carries; HSTS only when served over https.
func SecurityHeaders(https bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := &c.Response().Header
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if https {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return c.Next()
	}
}

//go:embed static
var staticFS embed.FS

// Assets serves the embedded static files under /static/HASH/NAME: the content hash in the
// URL changes with the file, so browsers may cache each URL forever.
type Assets struct {
	hash  map[string]string // name -> short hash
	files map[string][]byte // name -> content
}

// NewAssets hashes the embedded static files.
func NewAssets() *Assets {
	a := &Assets{hash: map[string]string{}, files: map[string][]byte{}}
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		a.hash[name] = hex.EncodeToString(sum[:5])
		a.files[name] = b
		return nil
	})
	return a
}

// URL is the cache-busted address of a static file.
func (a *Assets) URL(name string) string { return "/static/" + a.hash[name] + "/" + name }

// Handler serves /static/:hash/*; an outdated hash still gets the current file, uncached.
func (a *Assets) Handler(c *fiber.Ctx) error {
	name := c.Params("*")
	b, ok := a.files[name]
	if !ok {
		return fiber.ErrNotFound
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		c.Set(fiber.HeaderContentType, ct)
	}
	if c.Params("hash") == a.hash[name] {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	return c.Send(b)
}

// Add serves a module's static files under "<module>/<name>", so that no module can replace
// another's (or core's) files.
func (a *Assets) Add(module string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := module + "/" + p
		if _, dup := a.files[name]; dup {
			return fmt.Errorf("web: the static file %s is added twice", name)
		}
		sum := sha256.Sum256(b)
		a.hash[name] = hex.EncodeToString(sum[:5])
		a.files[name] = b
		return nil
	})
}
