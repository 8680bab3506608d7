package files

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): a folder of the account's
// shared space, shared with the walker's client company (so that the client reads it, and
// uploads into it: clients_upload), holding
// a text file with two versions and a share link; Prepare gives the deleting and restoring routes fresh ones.
type fixtures struct{}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	base := "/api/v1/" + c.Slug()
	p := app.Params{}
	var err error
	if p["folders/:id"], err = app.Created(c, "POST", base+"/folders", map[string]any{"name": fmt.Sprintf("Shared %d", c.N()),
		"visibility": VisibilityClients, "company_ids": []int64{c.ClientCompany()}, "clients_upload": true}); err != nil {
		return nil, err
	}
	if p["files/:id"], err = app.Created(c, "POST", base+"/folders/"+p["folders/:id"]+"/files", map[string]any{"name": fmt.Sprintf("notes-%d.txt", c.N()), "content": "first"}); err != nil {
		return nil, err
	}
	if st, body := c.Do("POST", base+"/files/"+p["files/:id"]+"/versions", map[string]any{"content": "second"}); st != http.StatusCreated {
		return nil, fmt.Errorf("files: seed a version: %d %s", st, body)
	}
	p["files/:id/versions/:n"], p[":n"] = "1", "1"
	if p["links/:link_id"], err = app.Created(c, "POST", base+"/files/"+p["files/:id"]+"/links", map[string]any{"max_downloads": 5}); err != nil {
		return nil, err
	}
	p["files"] = p["files/:id"]
	// No "uploads/:id": a resumable upload is its creator's, and the walkers call as others
	// (who get its 404); TestResumableUpload covers who reaches one.
	// WebDAV's path (/dav/:slug/*): Prepare fills it with the fixture file's current names.
	p["*"] = "file"
	p["client_company"] = itoa(c.ClientCompany())
	return p, nil
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "POST /api/v1/:slug/folders":
		return map[string]any{"name": fmt.Sprintf("Folder %d", n), "parent_id": p.ID("folders/:id")}, true
	case "PATCH /api/v1/:slug/folders/:id":
		return map[string]any{"name": fmt.Sprintf("Shared renamed %d", n)}, true
	case "POST /api/v1/:slug/folders/:id/files":
		return map[string]any{"name": fmt.Sprintf("walker-%d.txt", n), "content": "walker"}, true
	case "POST /api/v1/:slug/folders/:id/uploads":
		return map[string]any{"name": fmt.Sprintf("resumed-%d.bin", n), "size": 5, "sha256": sha256Hex("walks")}, true
	case "POST /api/v1/:slug/files/:id/uploads":
		return map[string]any{"size": 5, "sha256": sha256Hex("walks")}, true
	case "PATCH /api/v1/:slug/trash/files/settings":
		return map[string]any{"trash_days": 30}, true
	case "POST /:slug/files/trash/settings":
		return map[string]any{"trash_days": "30"}, true
	case "POST /api/v1/:slug/trash/files/empty", "POST /:slug/files/trash/empty":
		return nil, true
	case "POST /api/v1/:slug/files/:id/copy":
		return map[string]any{"folder_id": p.ID("folders/:id")}, true
	case "POST /:slug/files/:id/copy":
		return map[string]any{"copy_to": p.ID("folders/:id")}, true
	case "POST /api/v1/:slug/folders/:id/copy":
		return map[string]any{}, true
	case "POST /api/v1/:slug/files/:id/links", "POST /:slug/files/:id/links":
		return map[string]any{"max_downloads": 3}, true
	case "DELETE /api/v1/:slug/files/:id/links/:link_id", "POST /:slug/files/:id/links/:link_id/revoke":
		return nil, true
	case "POST /:slug/files/folders/:id/share":
		// Keeps the fixture folder shared with the walker's client, who reads it afterwards.
		return map[string]any{"company_ids": []int64{p.ID("client_company")}, "clients_upload": "1"}, true
	case "PATCH /api/v1/:slug/files/:id":
		return map[string]any{"folder_id": p.ID("folders/:id")}, true
	case "POST /api/v1/:slug/files/:id/versions":
		return map[string]any{"content": fmt.Sprintf("walker %d", n)}, true
	case "DELETE /api/v1/:slug/folders/:id", "DELETE /api/v1/:slug/files/:id", "POST /api/v1/:slug/folders/:id/restore",
		"POST /api/v1/:slug/files/:id/restore", "POST /api/v1/:slug/files/:id/versions/:n/restore", "POST /api/v1/:slug/trash/files/purge":
		return nil, true
	}
	return nil, false
}

// Prepare gives deleting and restoring (API and pages) a fresh folder or file of their own,
// trashed first for a restore, so the fixture folder and file stay for the other routes.
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	base := "/api/v1/" + c.Slug()
	page := strings.HasPrefix(path, "/:slug/")
	restore := strings.HasSuffix(path, "/restore")
	if strings.HasPrefix(path, "/dav/") {
		return davPath(c, method, p)
	}
	if path == "/api/v1/:slug/files/:id/thumbnail" {
		// An image of its own (the fixture file is text): made through JSON, in base64.
		id, err := app.Created(c, "POST", base+"/folders/"+p["folders/:id"]+"/files", map[string]any{"name": fmt.Sprintf("pixel-%d.png", c.N()), "content_base64": pixelPNG()})
		return base + "/files/" + id + "/thumbnail", err
	}
	var kind, id string
	var err error
	switch method + " " + path {
	case "DELETE /api/v1/:slug/folders/:id", "POST /api/v1/:slug/folders/:id/restore", "POST /:slug/files/folders/:id/delete", "POST /:slug/files/folders/:id/restore":
		kind = "folders"
		id, err = app.Created(c, "POST", base+"/folders", map[string]any{"name": fmt.Sprintf("Scratch %d", c.N()), "parent_id": p.ID("folders/:id")})
	case "DELETE /api/v1/:slug/files/:id", "POST /api/v1/:slug/files/:id/restore", "POST /:slug/files/:id/delete", "POST /:slug/files/:id/restore":
		kind = "files"
		id, err = app.Created(c, "POST", base+"/folders/"+p["folders/:id"]+"/files", map[string]any{"name": fmt.Sprintf("scratch-%d.txt", c.N()), "content": "scratch"})
	default:
		return filled, nil
	}
	if err != nil {
		return "", err
	}
	if restore {
		if st, body := c.Do("DELETE", base+"/"+kind+"/"+id, nil); st != http.StatusNoContent {
			return "", fmt.Errorf("files: trash %s %s: %d %s", kind, id, st, body)
		}
	}
	switch {
	case page && kind == "folders":
		return "/" + c.Slug() + "/files/folders/" + id + path[strings.LastIndex(path, "/"):], nil
	case page:
		return "/" + c.Slug() + "/files/" + id + path[strings.LastIndex(path, "/"):], nil
	case restore:
		return base + "/" + kind + "/" + id + "/restore", nil
	}
	return base + "/" + kind + "/" + id, nil
}

// davPath is the WebDAV path of the fixture file under its current names (the walkers rename
// the folder before they reach /dav/), or of a scratch file for a DELETE.
func davPath(c app.FixtureClient, method string, p app.Params) (string, error) {
	base := "/api/v1/" + c.Slug()
	st, body := c.Do("GET", base+"/folders/"+p["folders/:id"], nil)
	var view struct{ Folder Folder }
	if st != http.StatusOK || json.Unmarshal(body, &view) != nil {
		return "", fmt.Errorf("files: the fixture folder: %d %s", st, body)
	}
	var fi File
	st, body = c.Do("GET", base+"/files/"+p["files/:id"], nil)
	if st != http.StatusOK || json.Unmarshal(body, &fi) != nil {
		return "", fmt.Errorf("files: the fixture file: %d %s", st, body)
	}
	name := fi.Name
	if method == "DELETE" {
		// WebDAV's DELETE trashes a scratch file, not the fixture's.
		name = fmt.Sprintf("dav-scratch-%d.txt", c.N())
		if _, err := app.Created(c, "POST", base+"/folders/"+p["folders/:id"]+"/files", map[string]any{"name": name, "content": "scratch"}); err != nil {
			return "", err
		}
	}
	return "/dav/" + c.Slug() + "/" + url.PathEscape(view.Folder.Name) + "/" + url.PathEscape(name), nil
}

// sha256Hex is the SHA-256 of s in hex.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// pixelPNG is a 2×2 PNG in base64.
func pixelPNG() string {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2)))
	return base64.StdEncoding.EncodeToString(b.Bytes())
}
