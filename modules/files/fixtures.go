package files

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): a folder of the account's
// shared space, shared with the walker's client company (so that the client reads it), holding
// a text file with two versions; Prepare gives the deleting and restoring routes fresh ones.
type fixtures struct{}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	base := "/api/v1/" + c.Slug()
	p := app.Params{}
	var err error
	if p["folders/:id"], err = app.Created(c, "POST", base+"/folders", map[string]any{"name": fmt.Sprintf("Shared %d", c.N()),
		"visibility": VisibilityClients, "company_ids": []int64{c.ClientCompany()}}); err != nil {
		return nil, err
	}
	if p["files/:id"], err = app.Created(c, "POST", base+"/folders/"+p["folders/:id"]+"/files", map[string]any{"name": fmt.Sprintf("notes-%d.txt", c.N()), "content": "first"}); err != nil {
		return nil, err
	}
	if st, body := c.Do("POST", base+"/files/"+p["files/:id"]+"/versions", map[string]any{"content": "second"}); st != http.StatusCreated {
		return nil, fmt.Errorf("files: seed a version: %d %s", st, body)
	}
	p["files/:id/versions/:n"], p[":n"] = "1", "1"
	p["files"] = p["files/:id"]
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

// Prepare gives DELETE and restore a fresh folder or file of their own (trashed, to restore).
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	base := "/api/v1/" + c.Slug()
	switch method + " " + path {
	case "DELETE /api/v1/:slug/folders/:id", "POST /api/v1/:slug/folders/:id/restore":
		id, err := app.Created(c, "POST", base+"/folders", map[string]any{"name": fmt.Sprintf("Scratch %d", c.N()), "parent_id": p.ID("folders/:id")})
		if err != nil {
			return "", err
		}
		if strings.HasSuffix(path, "/restore") {
			if st, body := c.Do("DELETE", base+"/folders/"+id, nil); st != http.StatusNoContent {
				return "", fmt.Errorf("files: trash a folder: %d %s", st, body)
			}
			return base + "/folders/" + id + "/restore", nil
		}
		return base + "/folders/" + id, nil
	case "DELETE /api/v1/:slug/files/:id", "POST /api/v1/:slug/files/:id/restore":
		id, err := app.Created(c, "POST", base+"/folders/"+p["folders/:id"]+"/files", map[string]any{"name": fmt.Sprintf("scratch-%d.txt", c.N()), "content": "scratch"})
		if err != nil {
			return "", err
		}
		if strings.HasSuffix(path, "/restore") {
			if st, body := c.Do("DELETE", base+"/files/"+id, nil); st != http.StatusNoContent {
				return "", fmt.Errorf("files: trash a file: %d %s", st, body)
			}
			return base + "/files/" + id + "/restore", nil
		}
		return base + "/files/" + id, nil
	}
	return filled, nil
}

var _ = json.Marshal
