package files

import (
	"io/fs"
	"testing"

	"groupcamp/core/web"
)

// TestLocalSize: sizes in the reader's units and decimal separator.
func TestLocalSize(t *testing.T) {
	cat, err := web.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	locales, _ := fs.Sub(files, "locales")
	if err := cat.Add(locales); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 512, "512 B"}, {"en", 1536, "1.5 KB"}, {"en", 3 << 20, "3 MB"},
		{"fr", 1536, "1,5 Ko"}, {"fr", 5 << 30, "5 Go"},
		{"ru", 1536, "1,5 КБ"}, {"ru", 2500 << 20, "2,4 ГБ"},
	} {
		if got := localSize(cat.For(c.lang), c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
