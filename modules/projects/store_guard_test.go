package projects

// The rule of the store (store.go): only the store files — store.go and store_*.go — build
// queries or take a Tenant. This test reads the package's other (non-test) files and fails on
// a call of bun's query builders (NewSelect, NewInsert, NewUpdate, NewDelete, NewRaw,
// NewValues, NewMerge, NewCreateTable, ...), of db.For, or of Unscoped: a query outside the
// store cannot come back by accident.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// isStoreFile reports whether a file of the package may hold queries.
func isStoreFile(name string) bool {
	return name == "store.go" || strings.HasPrefix(name, "store_") && !strings.HasSuffix(name, "_test.go")
}

// queryCalls lists the calls of query builders, db.For and Unscoped in a Go file.
func queryCalls(t *testing.T, fset *token.FileSet, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		name := sel.Sel.Name
		pkg, _ := sel.X.(*ast.Ident)
		if builder(name) || name == "Unscoped" || name == "For" && pkg != nil && pkg.Name == "db" {
			out = append(out, fset.Position(call.Pos()).String()+": "+name)
		}
		return true
	})
	return out
}

// builder reports whether name is one of bun.IDB's query builders.
func builder(name string) bool {
	switch name {
	case "NewSelect", "NewInsert", "NewUpdate", "NewDelete", "NewRaw", "NewValues", "NewMerge",
		"NewCreateTable", "NewDropTable", "NewCreateIndex", "NewDropIndex", "NewTruncateTable", "NewAddColumn", "NewDropColumn":
		return true
	}
	return false
}

func TestQueriesOnlyInTheStore(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	inStore := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		calls := queryCalls(t, fset, name)
		if isStoreFile(name) {
			inStore += len(calls)
			continue
		}
		for _, c := range calls {
			t.Errorf("%s: a query outside the store files (store.go, store_*.go): move it into a store method", c)
		}
	}
	if inStore == 0 {
		t.Error("no query found in the store files: the scan finds nothing")
	}
	// The scan sees what it is meant to: a file with each kind of call.
	probe := filepath.Join(t.TempDir(), "probe.go")
	src := "package p\nfunc f() { s.DB.NewSelect(); tx.NewInsert(); db.For(x, 1); tn.Unscoped(); NewService(nil, nil) }\n"
	if err := os.WriteFile(probe, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := queryCalls(t, fset, probe); len(got) != 4 {
		t.Errorf("the scan of a probe found %v, want NewSelect, NewInsert, For, Unscoped", got)
	}
}
