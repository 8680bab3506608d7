package admin

import (
	"encoding/json"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"

	"groupcamp/core/web"
)

// pluralForms are the CLDR forms each language needs for whole numbers.
var pluralForms = map[string][]string{
	"en": {"one", "other"},
	"fr": {"many", "one", "other"},
	"ru": {"few", "many", "one", "other"},
}

// TestCatalogs: the three catalogs have the same keys, every plural message has exactly the
// forms of its language, and no message is left in English in French or Russian by mistake.
func TestCatalogs(t *testing.T) {
	raw := map[string]map[string]any{}
	for _, lang := range web.Languages {
		b, err := fs.ReadFile(files, "locales/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		raw[lang] = m
	}
	for key, en := range raw["en"] {
		for _, lang := range web.Languages {
			v, ok := raw[lang][key]
			if !ok {
				t.Errorf("%s.json lacks %q", lang, key)
				continue
			}
			if forms, plural := v.(map[string]any); plural {
				var got []string
				for f := range forms {
					got = append(got, f)
				}
				sort.Strings(got)
				if !slices.Equal(got, pluralForms[lang]) {
					t.Errorf("%s.json %q has plural forms %v, want %v", lang, key, got, pluralForms[lang])
				}
			} else if s, ok := en.(string); ok && lang != "en" && v == s && len(s) > 12 && !strings.HasPrefix(key, "admin.nav.") {
				t.Errorf("%s.json %q is the English text %q", lang, key, s)
			}
		}
	}
	for _, lang := range web.Languages[1:] {
		if len(raw[lang]) != len(raw["en"]) {
			t.Errorf("%s.json has %d keys, en.json %d", lang, len(raw[lang]), len(raw["en"]))
		}
	}
}

// TestPlurals renders the counted messages the way the pages do.
func TestPlurals(t *testing.T) {
	cat, err := web.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(files, "locales")
	if err := cat.Add(sub); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 member"}, {"en", 0, "0 members"}, {"en", 2, "2 members"},
		{"fr", 0, "0 membre"}, {"fr", 1, "1 membre"}, {"fr", 2, "2 membres"}, {"fr", 1000000, "1 000 000 de membres"},
		{"ru", 1, "1 участник"}, {"ru", 3, "3 участника"}, {"ru", 5, "5 участников"}, {"ru", 11, "11 участников"}, {"ru", 21, "21 участник"}, {"ru", 22, "22 участника"},
	} {
		got := cat.For(c.lang).N("admin.teams.count", c.n)
		if strings.ReplaceAll(got, "\u00a0", " ") != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := cat.For("ru").N("admin.companies.headcount", 2); got != "2 человека" {
		t.Errorf("ru 2 people: %q", got)
	}
}
