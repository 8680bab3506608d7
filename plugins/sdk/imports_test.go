package sdk

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsNothingOfTheServer: the SDK is the only package a partner imports, so nothing
// under plugins/sdk may import GroupCamp's server (core, modules, the host): only the SDK's
// own packages and third-party ones (which cannot reach GroupCamp's).
func TestImportsNothingOfTheServer(t *testing.T) {
	t.Parallel()
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "groupcamp/") && p != "groupcamp/plugins/sdk" && !strings.HasPrefix(p, "groupcamp/plugins/sdk/") {
				t.Errorf("%s imports %s: the SDK must not import the server", path, p)
			}
		}
		return nil
	})
	if err != nil || files < 4 {
		t.Fatalf("walked %d files: %v", files, err)
	}
}
