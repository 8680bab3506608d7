package modules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFieldMessageTemplates: problem.Sayf and Fields.Addf take a template with {name}
// placeholders and name/value pairs, not a printf format. A "%d" in one reached people as
// written ("must be at most %d days after %s"), and its key matched no catalogue entry.
func TestFieldMessageTemplates(t *testing.T) {
	fset := token.NewFileSet()
	found := 0
	for _, root := range []string{".", "../core"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) < 2 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "Addf" && sel.Sel.Name != "Sayf") {
					return true
				}
				lit, ok := call.Args[1].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				found++
				tmpl, _ := strconv.Unquote(lit.Value)
				if strings.Contains(tmpl, "%") {
					t.Errorf("%s: %q is a printf format; use {name} placeholders with name/value pairs", fset.Position(lit.Pos()), tmpl)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if found == 0 {
		t.Error("no Addf/Sayf call found: the scan looks in the wrong place")
	}
}
