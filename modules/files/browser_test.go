package files_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// filesWords are what a person reads and clicks on the way, in their language.
type filesWords struct {
	lang, email, password, signIn, nav, empty, folderName, create, created, choose, upload,
	newVersion, uploadVersion, versionAdded, deleteFile, trashed, trash, restored string
	linkPassword, createLink, linkCreated, sharedHeading, sharedPassword string
}

var filesStory = []filesWords{
	{"en", "Email", "Password", "Sign in", "Files", "No folder yet", "Folder name", "Create the folder", "The folder is created.",
		"Files to upload", "Upload", "New version", "Upload the new version", "The new version is uploaded.", "Delete the file",
		"Moved to the trash.", "Trash", "Restored from the trash.",
		"Link password", "Create the link", "The share link is created.", "A file was shared with you", "Password"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Fichiers", "Aucun dossier pour l'instant", "Nom du dossier", "Créer le dossier", "Le dossier est créé.",
		"Fichiers à déposer", "Déposer", "Nouvelle version", "Déposer la nouvelle version", "La nouvelle version est déposée.", "Supprimer le fichier",
		"Mis à la corbeille.", "Corbeille", "Restauré depuis la corbeille.",
		"Mot de passe du lien", "Créer le lien", "Le lien de partage est créé.", "Un fichier a été partagé avec vous", "Mot de passe"},
}

// TestBrowserFiles: in English and French, a member opens Files from the navigation (empty),
// creates a folder, uploads three files at once through the progress bars (the image as a
// resumable upload in chunks, resumed after a failed chunk), uploads a new
// version of one, downloads it (the new content), moves it to the trash and restores it; then
// shares it by a link with a password, and someone signed out (a fresh browser context) opens
// the link, types the password and downloads the file.
func TestBrowserFiles(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, w := range filesStory {
		t.Run(w.lang, func(t *testing.T) {
			acc := e.NewAccount()
			mem := e.NewUser(acc, "member")
			tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
			tab.Go("/login")
			tab.Fill(w.email, mem.Email)
			tab.Fill(w.password, mem.Password)
			tab.Submit(w.signIn)
			tab.Go("/" + acc.Slug)
			tab.Nav(w.nav)
			tab.WantText(w.empty)
			tab.Screenshot("files-empty-" + w.lang)
			tab.Fill(w.folderName, "Livrables "+w.lang)
			tab.Submit(w.create)
			tab.WaitText(w.created)

			a := write("plan-"+w.lang+".txt", "plan v1")
			c := write("Compte rendu été "+w.lang+".txt", "minutes")
			img := write("maquette-"+w.lang+".png", string(pngOf(t, 120, 80)))
			tab.Upload(w.choose, a, c, img)
			// The image goes as a resumable upload in chunks of 64 bytes (upload.js), and the
			// network fails the second chunk once: the uploader asks where it stands and goes on.
			browser.Evaluate[bool](tab, "chunk the image, fail a chunk", `(() => {
				const form = document.getElementById("upload-form");
				form.dataset.chunked = "100";
				form.dataset.chunk = "64";
				const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
				let puts = 0;
				XMLHttpRequest.prototype.open = function (m) { this.method = m; return open.apply(this, arguments); };
				XMLHttpRequest.prototype.send = function () {
					if (this.method === "PUT") sessionStorage.setItem("puts", ++puts);
					if (this.method === "PUT" && puts === 2) { setTimeout(() => this.dispatchEvent(new Event("error")), 0); return; }
					return send.apply(this, arguments);
				};
				return true;
			})()`)
			tab.Click(w.upload)
			tab.WaitFor("the uploads", `document.querySelectorAll("#upload-progress li.done").length === 3`)
			tab.WaitFor("the page shows them", `document.querySelectorAll("#content-table tbody tr").length === 3`)
			if n := browser.Evaluate[int](tab, "count the chunks", `Number(sessionStorage.getItem("puts"))`); n < 4 {
				t.Errorf("the image went in %d PUTs, want chunks and a retry", n)
			}
			tab.WantText("plan-"+w.lang+".txt", "Compte rendu été "+w.lang+".txt")
			// The image shows its thumbnail (made when the page asks for it).
			tab.WaitFor("the thumbnail", `[...document.querySelectorAll("#content-table img.thumb")].some(i => i.complete && i.naturalWidth > 0)`)
			tab.Screenshot("files-folder-" + w.lang)

			tab.Follow("plan-" + w.lang + ".txt")
			tab.Upload(w.newVersion, write("plan-v2.txt", "plan v2, after the review"))
			tab.Submit(w.uploadVersion)
			tab.WaitText(w.versionAdded)
			if n := browser.Evaluate[int](tab, "count the versions", `document.querySelectorAll("#versions-table tbody tr").length`); n != 2 {
				t.Errorf("%d versions listed, want 2", n)
			}
			got := browser.Evaluate[string](tab, "download", `(() => { const x = new XMLHttpRequest(); x.open("GET", document.getElementById("download").href, false); x.send(); return x.status + " " + x.responseText; })()`)
			if got != "200 plan v2, after the review" {
				t.Errorf("download: %q", got)
			}
			tab.Go(tab.Path())
			tab.WantText(mem.Name) // the download history, shown to the uploader
			tab.Screenshot("files-file-" + w.lang)

			browser.Evaluate[bool](tab, "accept the confirmation", `window.confirm = () => true; true`)
			tab.Submit(w.deleteFile)
			tab.WaitText(w.trashed)
			if strings.Contains(tab.Text(), "plan-"+w.lang+".txt") {
				t.Errorf("the trashed file is still listed")
			}
			tab.Go("/" + acc.Slug + "/files/trash")
			tab.WantText("plan-" + w.lang + ".txt")
			tab.Screenshot("files-trash-" + w.lang)
			tab.Submit(fmt.Sprintf(map[string]string{"en": "Restore %s", "fr": "Restaurer %s"}[w.lang], "plan-"+w.lang+".txt"))
			tab.WaitText(w.restored)

			// Share it by link, with a password.
			browser.Evaluate[bool](tab, "open the share dialog", `document.querySelector("details.share-dialog").open = true; true`)
			tab.Fill(w.linkPassword, "harbour-lights-42")
			tab.Submit(w.createLink)
			tab.WaitText(w.linkCreated)
			tab.Screenshot("files-links-" + w.lang)
			link := browser.Evaluate[string](tab, "read the link", `document.querySelector("input.link-url").value`)
			path := link[strings.Index(link, "/s/"):]

			// Someone signed out opens it, types the password and downloads.
			out := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
			out.Go(path)
			out.WantText(w.sharedHeading, "plan-"+w.lang+".txt")
			out.Fill(w.sharedPassword, "harbour-lights-42")
			out.Screenshot("files-shared-" + w.lang)
			got = browser.Evaluate[string](out, "download through the link", `(() => { const f = document.getElementById("shared-form"); const x = new XMLHttpRequest(); x.open("POST", f.action, false); x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded"); x.send(new URLSearchParams(new FormData(f))); return x.status + " " + x.responseText; })()`)
			if got != "200 plan v2, after the review" {
				t.Errorf("download through the link: %q", got)
			}
		})
	}
}
