package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestCatalogsComplete fails when a key of the English catalog is missing in French or
// Russian, anywhere in the repository (core and every module's locales folder).
func TestCatalogsComplete(t *testing.T) {
	root := repoRoot(t)
	var dirs []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "locales" {
			dirs = append(dirs, p)
		}
		return nil
	})
	if len(dirs) == 0 {
		t.Fatal("no locales folders found")
	}
	for _, dir := range dirs {
		cat, err := NewCatalog()
		if err != nil {
			t.Fatal(err)
		}
		if err := cat.Add(os.DirFS(dir)); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for lang, keys := range cat.Missing() {
			sort.Strings(keys)
			t.Errorf("%s: %s lacks %d keys: %s", dir, lang, len(keys), strings.Join(keys, ", "))
		}
	}
}

// TestTemplateKeysExist fails when a template uses a literal message key that the English
// catalog of its package does not define.
func TestTemplateKeysExist(t *testing.T) {
	root := repoRoot(t)
	keyRe := regexp.MustCompile(`\.(?:T|N) "([a-z_][a-z0-9_.\-]*)"`)
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || (d.Name() != "views" && d.Name() != "templates") {
			return nil
		}
		cat, _ := NewCatalog()
		if loc := filepath.Join(filepath.Dir(p), "locales"); exists(loc) && !strings.HasPrefix(loc, filepath.Join(root, "core", "web")) {
			if err := cat.Add(os.DirFS(loc)); err != nil {
				t.Fatal(err)
			}
		}
		_ = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(f, ".html") {
				return nil
			}
			b, _ := os.ReadFile(f)
			for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
				if !cat.Has(m[1]) {
					t.Errorf("%s uses %q, missing from the English catalog", f, m[1])
				}
			}
			return nil
		})
		return filepath.SkipDir
	})
}

func TestPluralsAndFormats(t *testing.T) {
	cat, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	ru := cat.For("ru")
	for n, want := range map[int]string{1: "1 приглашение ожидает", 3: "3 приглашения ожидают", 5: "5 приглашений ожидают", 21: "21 приглашение ожидает"} {
		if got := ru.N("home.invited", n); got != want {
			t.Errorf("ru plural %d = %q, want %q", n, got, want)
		}
	}
	if got := cat.For("en").N("home.invited", 1); got != "1 invitation pending" {
		t.Errorf("en plural = %q", got)
	}
	d := time.Date(2026, 3, 7, 15, 4, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "Mar 7, 2026", "fr": "7 mars 2026", "ru": "7 мар. 2026 г."} {
		if got := cat.For(lang).Date(d); got != want {
			t.Errorf("%s date = %q, want %q", lang, got, want)
		}
	}
	if got := cat.For("fr").Num(1234567); got != "1\u00a0234\u00a0567" {
		t.Errorf("fr number = %q", got)
	}
	if got := cat.For("en").Num(1234567); got != "1,234,567" {
		t.Errorf("en number = %q", got)
	}
	for lang, want := range map[string]string{"en": "1,234,567.89 EUR", "fr": "1\u00a0234\u00a0567,89 EUR", "ru": "1\u00a0234\u00a0567,89 EUR"} {
		if got := cat.For(lang).Money(123456789, "EUR"); got != want {
			t.Errorf("%s money = %q, want %q", lang, got, want)
		}
	}
	if got := cat.For("en").Money(-5, ""); got != "-0.05" {
		t.Errorf("a negative amount without currency = %q", got)
	}
	if got := cat.For("fr").T("invitation.intro", "Account", "Acme", "Email", "a@b.c"); !strings.Contains(got, "Acme") || !strings.Contains(got, "a@b.c") {
		t.Errorf("template data not applied: %q", got)
	}
}

func TestMatchLanguage(t *testing.T) {
	cat, _ := NewCatalog()
	cases := []struct{ profile, accept, want string }{
		{"", "fr-FR,fr;q=0.9,en;q=0.8", "fr"},
		{"", "ru", "ru"},
		{"", "de-DE", "en"},
		{"ru", "fr", "ru"},
		{"", "", "en"},
	}
	for _, c := range cases {
		if got := cat.Match(c.profile, c.accept); got != c.want {
			t.Errorf("Match(%q, %q) = %q, want %q", c.profile, c.accept, got, c.want)
		}
	}
}

func repoRoot(t *testing.T) string {
	dir, _ := os.Getwd()
	for !exists(filepath.Join(dir, "go.mod")) {
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
	return dir
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
