package files

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// loadFiles is how many files the seed puts in the load's folder.
const loadFiles = 300

// Load is the files module's part of the load tool (cmd/gcload): a seed of a shared folder
// (shared with the client company, so every role of the run reads it) holding loadFiles text
// files of 16 KiB and a share link of one, and the requests of the files API — listing the
// folder, downloading a file, downloading through the share link signed out, uploading a
// small file.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "files",
		Seed: func(ctx context.Context, env *load.Env) error {
			if err := m.seedLoad(ctx, env); err != nil {
				return err
			}
			return seedAttachLoad(ctx, env) // load_attach.go
		},
		Scenarios: append(attachScenarios(), []load.Scenario{
			{Name: "files.folder", Endpoint: "GET /api/v1/{slug}/folders/{id}", Weight: 2, Run: func(ctx context.Context, w *load.Worker) error {
				folder, _ := w.Env.Get("files.folder").(int64)
				r, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/folders/%d", w.Env.Slug, folder))
				if err != nil {
					return err
				}
				var v FolderView
				if err := r.JSON(&v); err != nil {
					return err
				}
				if len(v.Files) < loadFiles {
					return fmt.Errorf("%d files listed, want %d at least", len(v.Files), loadFiles)
				}
				return nil
			}},
			{Name: "files.folder.pages", Endpoint: "GET /api/v1/{slug}/folders/{id}?cursor=", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				// A client walking the folder in keyset pages: the first, then the one after.
				folder, _ := w.Env.Get("files.folder").(int64)
				var v FolderView
				for _, q := range []string{"?limit=50", ""} {
					if q == "" {
						q = "?limit=50&cursor=" + url.QueryEscape(v.Next)
					}
					r, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/folders/%d%s", w.Env.Slug, folder, q))
					if err != nil {
						return err
					}
					if err := r.JSON(&v); err != nil {
						return err
					}
					if len(v.Files) != 50 {
						return fmt.Errorf("%d files in a page, want 50", len(v.Files))
					}
				}
				return nil
			}},
			{Name: "files.download", Endpoint: "GET /api/v1/{slug}/files/{id}/download", Weight: 3, Run: func(ctx context.Context, w *load.Worker) error {
				ids, _ := w.Env.Get("files.ids").([]int64)
				if len(ids) == 0 {
					return errors.New("no seeded file")
				}
				_, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/files/%d/download", w.Env.Slug, ids[w.Rand.IntN(len(ids))]))
				return err
			}},
			{Name: "files.link", Endpoint: "GET /s/{token}/download", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				link, _ := w.Env.Get("files.link").(string)
				if link == "" {
					return errors.New("no seeded share link")
				}
				_, err := w.Get(ctx, link+"/download")
				return err
			}},
			{Name: "files.upload", Endpoint: "POST /api/v1/{slug}/folders/{id}/files", Weight: 1, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
				folder, _ := w.Env.Get("files.folder").(int64)
				_, err := w.Post(ctx, fmt.Sprintf("/api/v1/%s/folders/%d/files", w.Env.Slug, folder),
					FileInput{Name: w.Unique("load") + ".txt", Content: "load"})
				return err
			}},
		}...),
	}
}

// seedLoad makes the folder and its files through the API, as the account's owner.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	api := env.API(owner)
	base := "/api/v1/" + env.Slug
	in := FolderInput{Name: "Load files"}
	if env.ClientCompanyID != 0 {
		in.Visibility, in.CompanyIDs = VisibilityClients, []int64{env.ClientCompanyID}
	}
	var folder Folder
	if err := api.Post(ctx, base+"/folders", in, &folder); err != nil {
		return fmt.Errorf("files: seed the folder: %w", err)
	}
	content := strings.Repeat("GroupCamp load file. ", 16<<10/21)
	ids := make([]int64, 0, loadFiles)
	for i := range loadFiles {
		var up Uploaded
		if err := api.Post(ctx, fmt.Sprintf("%s/folders/%d/files", base, folder.ID), FileInput{Name: fmt.Sprintf("file-%04d.txt", i), Content: fmt.Sprintf("%d %s", i, content)}, &up); err != nil {
			return fmt.Errorf("files: seed a file: %w", err)
		}
		ids = append(ids, up.ID)
		if (i+1)%100 == 0 {
			env.Progressf("files: %d of %d files", i+1, loadFiles)
		}
	}
	// A share link of the first file, without a password or a limit: the signed-out download.
	var link Link
	if err := api.Post(ctx, fmt.Sprintf("%s/files/%d/links", base, ids[0]), LinkInput{}, &link); err != nil {
		return fmt.Errorf("files: seed a share link: %w", err)
	}
	u, err := url.Parse(link.URL)
	if err != nil {
		return err
	}
	env.Set("files.link", u.Path)
	env.Set("files.folder", folder.ID)
	env.Set("files.ids", ids)
	return nil
}
