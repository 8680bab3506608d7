package files_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// personalTop answers GET /folders/personal as c: the id of the personal space's top folder.
func personalTop(t *testing.T, o *office, c *testkit.Client) int64 {
	t.Helper()
	r := c.Get(o.base + "/folders/personal")
	if r.Status != http.StatusOK {
		t.Fatalf("personal: %d %s", r.Status, r.Body)
	}
	var v struct {
		Folder struct {
			ID      int64  `json:"id"`
			OwnerID *int64 `json:"owner_id"`
		} `json:"folder"`
		Writable bool `json:"writable"`
	}
	r.JSON(t, &v)
	if v.Folder.OwnerID == nil || !v.Writable {
		t.Fatalf("personal: not an owned, writable folder: %s", r.Body)
	}
	return v.Folder.ID
}

// TestPersonalSpace: a member's personal space is made on first use, holds folders and files
// like any other, and is theirs alone: the account's owner and manager, another member and a
// client get 404 for its folders, files and downloads, never list it, search it or find its
// trashed files in their trash; its top is neither renamed, moved nor deleted; nothing in it
// is shared with clients; a file is shared from it by link; what another made moves into it
// only by its maker's hand.
func TestPersonalSpace(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem, mgr, owner, cli := e.As(o.mem), e.As(o.mgr), e.As(o.owner), e.As(o.cli)
		top := personalTop(t, o, mem)
		if again := personalTop(t, o, mem); again != top {
			t.Fatalf("a second personal space: %d then %d", top, again)
		}
		sub := o.created(t, mem, "/folders", map[string]any{"name": "Drafts zebrafinch", "parent_id": top})
		diary := o.uploaded(t, mem, top, "zebrafinch-diary.txt", []byte("private words"))
		draft := o.uploaded(t, mem, sub, "zebrafinch-draft.txt", []byte("draft"))
		if r := mem.Get(fmt.Sprintf("%s/files/%d/download", o.base, draft)); r.Status != http.StatusOK || string(r.Body) != "draft" {
			t.Fatalf("the owner downloads: %d %s", r.Status, r.Body)
		}
		// Another person's own space is another folder.
		if theirs := personalTop(t, o, mgr); theirs == top {
			t.Fatal("the manager got the member's personal space")
		}
		for who, c := range map[string]*testkit.Client{"owner": owner, "manager": mgr, "client": cli} {
			for _, path := range []string{
				fmt.Sprintf("/folders/%d", top), fmt.Sprintf("/folders/%d", sub),
				fmt.Sprintf("/files/%d", diary), fmt.Sprintf("/files/%d/download", draft), fmt.Sprintf("/files/%d/versions", draft),
			} {
				if r := c.Get(o.base + path); r.Status != http.StatusNotFound {
					t.Errorf("%s GET %s: %d, want 404", who, path, r.Status)
				}
			}
			if r := c.Post(fmt.Sprintf("%s/folders", o.base), map[string]any{"name": "Intruder", "parent_id": sub}); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusForbidden {
				t.Errorf("%s makes a folder in it: %d %s", who, r.Status, r.Body)
			}
			if r := c.Get(o.base + "/folders"); strings.Contains(string(r.Body), fmt.Sprintf(`"id":%d,`, top)) {
				t.Errorf("%s lists the personal space: %s", who, r.Body)
			}
		}
		// A plugin of the account reads no personal file.
		if meta, b, err := moduleOf(e).PluginFiles().Read(context.Background(), o.acc.ID, diary, 1<<20); meta != nil || b != nil || err != nil {
			t.Errorf("a plugin reads a personal file: %v %q %v", meta, b, err)
		}
		// Clients have no personal space.
		if r := cli.Get(o.base + "/folders/personal"); r.Status != http.StatusForbidden {
			t.Errorf("client's personal space: %d", r.Status)
		}
		// Its top stays; nothing in it is shared with clients.
		if r := mem.Patch(fmt.Sprintf("%s/folders/%d", o.base, top), map[string]any{"name": "Mine"}); r.Status != http.StatusConflict {
			t.Errorf("rename the top: %d %s", r.Status, r.Body)
		}
		if r := mem.Delete(fmt.Sprintf("%s/folders/%d", o.base, top)); r.Status != http.StatusConflict {
			t.Errorf("delete the top: %d %s", r.Status, r.Body)
		}
		if r := mem.Patch(fmt.Sprintf("%s/folders/%d", o.base, sub), map[string]any{"parent_id": 0}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a second top: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(o.base+"/folders", map[string]any{"name": "For clients", "parent_id": top, "visibility": "clients", "company_ids": []int64{o.company}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "visibility") {
			t.Errorf("a personal folder shared with clients: %d %s", r.Status, r.Body)
		}
		if r := mem.Patch(fmt.Sprintf("%s/folders/%d", o.base, sub), map[string]any{"visibility": "clients", "company_ids": []int64{o.company}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("share a personal folder with clients: %d %s", r.Status, r.Body)
		}
		// A share link: the way out of a personal space.
		if r := mem.Post(fmt.Sprintf("%s/files/%d/links", o.base, diary), map[string]any{}); r.Status != http.StatusCreated {
			t.Errorf("share link: %d %s", r.Status, r.Body)
		}
		// What the member made moves in; what another made does not, by their hand.
		moved := o.created(t, mem, "/folders", map[string]any{"name": "Old notes", "parent_id": o.folder})
		if r := mem.Patch(fmt.Sprintf("%s/folders/%d", o.base, moved), map[string]any{"parent_id": sub}); r.Status != http.StatusOK {
			t.Fatalf("move own folder in: %d %s", r.Status, r.Body)
		}
		if r := owner.Get(fmt.Sprintf("%s/folders/%d", o.base, moved)); r.Status != http.StatusNotFound {
			t.Errorf("a folder moved into the personal space, as the owner: %d", r.Status)
		}
		theirs := o.uploaded(t, mgr, o.folder, "managers-file.txt", []byte("team"))
		if r := mem.Patch(fmt.Sprintf("%s/files/%d", o.base, theirs), map[string]any{"folder_id": top}); r.Status != http.StatusForbidden {
			t.Errorf("move another's file into the personal space: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(fmt.Sprintf("%s/files/%d/copy", o.base, theirs), map[string]any{"folder_id": top}); r.Status != http.StatusCreated {
			t.Errorf("copy another's file into the personal space: %d %s", r.Status, r.Body)
		}
		// Moved out again: the team sees it.
		if r := mem.Patch(fmt.Sprintf("%s/folders/%d", o.base, moved), map[string]any{"parent_id": o.folder}); r.Status != http.StatusOK {
			t.Fatalf("move out: %d %s", r.Status, r.Body)
		}
		if r := owner.Get(fmt.Sprintf("%s/folders/%d", o.base, moved)); r.Status != http.StatusOK {
			t.Errorf("a folder moved out of the personal space, as the owner: %d", r.Status)
		}
		// The trash: the member's, not the owner's (who manages every other file).
		if r := mem.Delete(fmt.Sprintf("%s/files/%d", o.base, draft)); r.Status != http.StatusNoContent {
			t.Fatalf("trash: %d", r.Status)
		}
		if r := owner.Get(o.base + "/trash/files"); strings.Contains(string(r.Body), "zebrafinch") {
			t.Errorf("the owner's trash shows a personal file: %s", r.Body)
		}
		if r := mem.Get(o.base + "/trash/files"); !strings.Contains(string(r.Body), "zebrafinch-draft.txt") {
			t.Errorf("the member's trash: %s", r.Body)
		}
		// Search: the owner finds it, nobody else.
		e.Settle()
		if got := foundFiles(t, o, mem, "zebrafinch"); !slices.Equal(got, []string{"file:zebrafinch-diary.txt", "folder:Drafts zebrafinch"}) {
			t.Errorf("the member finds %v", got)
		}
		for who, c := range map[string]*testkit.Client{"owner": owner, "manager": mgr, "client": cli} {
			if got := foundFiles(t, o, c, "zebrafinch"); len(got) != 0 {
				t.Errorf("%s finds %v", who, got)
			}
		}
		// The pages: reachable from the files page, named in the reader's language.
		if r := mem.Get("/" + o.acc.Slug + "/files"); !strings.Contains(string(r.Body), "/files/personal") {
			t.Errorf("the files page links no personal space")
		}
		if r := mem.Get("/" + o.acc.Slug + "/files/personal"); r.Status != http.StatusOK || !strings.Contains(string(r.Body), "My files") || !strings.Contains(string(r.Body), "zebrafinch-diary.txt") {
			t.Errorf("the personal page: %d", r.Status)
		}
		if r := mem.Get("/" + o.acc.Slug + "/files/personal"); strings.Contains(string(r.Body), fmt.Sprintf("/files/folders/%d/rename", top)) || strings.Contains(string(r.Body), fmt.Sprintf("/files/folders/%d/delete", top)) {
			t.Errorf("the personal page offers to rename or delete its top")
		}
		if r := mem.Send("GET", "/"+o.acc.Slug+"/files/personal", http.Header{"Accept-Language": {"ru"}}, nil); !strings.Contains(string(r.Body), "Мои файлы") {
			t.Errorf("the personal page in Russian has no Мои файлы")
		}
		if r := owner.Get(fmt.Sprintf("/%s/files/folders/%d", o.acc.Slug, top)); r.Status != http.StatusNotFound {
			t.Errorf("the member's personal page as the owner: %d", r.Status)
		}
	})
}

// TestPersonalSpaceData: a person's personal files are theirs: described, exported (the list
// and each one's content, by its path), and deleted by their erasure — folders, files, and
// the blobs' references — while the files they uploaded elsewhere stay with the account.
func TestPersonalSpaceData(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		top := personalTop(t, o, mem)
		sub := o.created(t, mem, "/folders", map[string]any{"name": "Taxes", "parent_id": top})
		mine := o.uploaded(t, mem, sub, "return.txt", []byte("my tax return"))
		upload(mem, fmt.Sprintf("%s/files/%d/versions", o.base, mine), "return.txt", []byte("my tax return, v2"))
		team := o.uploaded(t, mem, o.folder, "team.txt", []byte("for the team"))
		var provider hooks.PersonalData
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "files" {
				provider = p.Hook
			}
		}
		ctx := context.Background()
		// The personal space counts in the account's storage.
		usage, err := e.App.Hooks.Usage(ctx, e.App.DB, o.acc.ID)
		if want := int64(len("my tax return") + len("my tax return, v2") + len("for the team")); err != nil || usage["storage_bytes"] != want {
			t.Errorf("storage used: %v %v, want %d", usage, err, want)
		}
		s := hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email, Name: o.mem.Name}
		cats, err := provider.Describe(ctx, s)
		if err != nil || len(cats) != 3 || cats[2].Count != 1 {
			t.Fatalf("describe: %+v %v", cats, err)
		}
		var x walk.Export
		if err := provider.Export(ctx, s, &x); err != nil {
			t.Fatal(err)
		}
		if got := string(x.Files["files/personal/Taxes/return.txt"]); got != "my tax return, v2" {
			t.Errorf("exported content: %q (files %v)", got, keys(x.Files))
		}
		if !strings.Contains(string(x.Files["files_personal.json"]), `"path":"Taxes/return.txt"`) {
			t.Errorf("files_personal.json: %s", x.Files["files_personal.json"])
		}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := e.App.DB.NewSelect().TableExpr("files_folders").ColumnExpr("COUNT(*)").Where("account_id = ? AND id IN (?, ?)", o.acc.ID, top, sub).Scan(ctx, &left); err != nil || left != 0 {
			t.Errorf("personal folders left: %d %v", left, err)
		}
		if err := e.App.DB.NewSelect().TableExpr("files_files").ColumnExpr("COUNT(*)").Where("account_id = ? AND id = ?", o.acc.ID, mine).Scan(ctx, &left); err != nil || left != 0 {
			t.Errorf("personal files left: %d %v", left, err)
		}
		// The blobs of the erased versions wait for the collector: no reference holds them.
		if err := e.App.DB.NewSelect().TableExpr("files_blobs").ColumnExpr("COUNT(*)").Where("account_id = ? AND refs > 0", o.acc.ID).Scan(ctx, &left); err != nil || left != 1 {
			t.Errorf("blobs still referenced: %d %v, want 1 (the team's file)", left, err)
		}
		if r := e.As(o.owner).Get(fmt.Sprintf("%s/files/%d/download", o.base, team)); r.Status != http.StatusOK || string(r.Body) != "for the team" {
			t.Errorf("the team's file after the erasure: %d %q", r.Status, r.Body)
		}
	})
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
