package browser

import "github.com/chromedp/chromedp"

// Upload puts the files (paths on this machine) into the file input labelled label, as a
// person choosing them in the file dialog would; nothing is sent until the form is.
func (tab *Tab) Upload(label string, files ...string) {
	tab.t.Helper()
	id := tab.control(label)
	tab.do("choose files for "+label, chromedp.SetUploadFiles(chromedp.ID(id), files))
}
