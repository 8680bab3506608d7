package web

import (
	"encoding/json"
	"io/fs"
	"maps"
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

// TestChooseLanguage: the profile, then the language picked signed out, then the browser's
// (by quality), then the account's default, then English.
func TestChooseLanguage(t *testing.T) {
	cat, _ := NewCatalog()
	cases := []struct {
		ch   Choice
		want string
	}{
		{Choice{Profile: "ru", Picked: "fr", Accept: "fr", Account: "fr"}, "ru"},
		{Choice{Picked: "fr", Accept: "ru", Account: "ru"}, "fr"},
		{Choice{Picked: "xx", Accept: "ru", Account: "fr"}, "ru"},
		{Choice{Accept: "en;q=0.2, ru;q=0.9", Account: "fr"}, "ru"},
		{Choice{Accept: "de-DE, ja", Account: "fr"}, "fr"},
		{Choice{Accept: "", Account: "ru"}, "ru"},
		{Choice{Accept: "*", Account: "ru"}, "ru"},
		{Choice{}, "en"},
	}
	for _, c := range cases {
		if got := cat.Choose(c.ch); got != c.want {
			t.Errorf("Choose(%+v) = %q, want %q", c.ch, got, c.want)
		}
	}
	for lang, want := range map[string]string{"en": "English", "fr": "Français", "ru": "Русский", "de": "Deutsch", "ja": "日本語", "zh": "中文"} {
		if got := Endonym(lang); got != want {
			t.Errorf("Endonym(%s) = %q, want %q", lang, got, want)
		}
	}
}

// TestCLDRFormats: every language GroupCamp may speak has its CLDR dates and times, not a
// table written here.
func TestCLDRFormats(t *testing.T) {
	cat, _ := NewCatalog()
	d := time.Date(2026, 12, 7, 15, 4, 0, 0, time.UTC)
	for lang, want := range map[string]string{
		"en": "Dec 7, 2026, 3:04 pm", "fr": "7 déc. 2026 15:04", "ru": "7 дек. 2026 г. 15:04", "de": "07.12.2026 15:04",
		"ja": "2026/12/07 15:04", "pl": "7 gru 2026 15:04", "zh": "2026年12月7日 下午3:04",
	} {
		if got := cat.For(lang).DateTime(d, "UTC"); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}

// TestCatalogPlaceholders fails when a translation does not use the same placeholders
// ({{.Name}}) as the English message of its key: a value left out or misspelt would show
// wrong, or as "<no value>".
func TestCatalogPlaceholders(t *testing.T) {
	root := repoRoot(t)
	holder := regexp.MustCompile(`\{\{\s*\.(\w+)`)
	holders := func(v any) string {
		set := map[string]bool{}
		var add func(v any)
		add = func(v any) {
			switch v := v.(type) {
			case string:
				for _, m := range holder.FindAllStringSubmatch(v, -1) {
					set[m[1]] = true
				}
			case map[string]any:
				for form, x := range v {
					if form != "description" {
						add(x)
					}
				}
			}
		}
		add(v)
		delete(set, "Count") // a plural's "one" may write the number out ("one task")
		names := make([]string, 0, len(set))
		for n := range set {
			names = append(names, n)
		}
		sort.Strings(names)
		return strings.Join(names, ",")
	}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() != "locales" {
			return nil
		}
		files, _ := filepath.Glob(filepath.Join(p, "*.json"))
		byLang := map[string]map[string]any{}
		for _, f := range files {
			lang, _, _ := strings.Cut(filepath.Base(f), ".")
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if byLang[lang] == nil {
				byLang[lang] = map[string]any{}
			}
			maps.Copy(byLang[lang], m)
		}
		for lang, msgs := range byLang {
			if lang == "en" {
				continue
			}
			for key, v := range msgs {
				en, ok := byLang["en"][key]
				if ok && holders(en) != holders(v) {
					t.Errorf("%s: %s %q uses {%s}, English {%s}", p, lang, key, holders(v), holders(en))
				}
			}
		}
		return nil
	})
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
