package modules_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
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

// TestEveryCatalog checks the catalogues of the whole product — core's packages and every
// module, each file LANG.json or LANG.TOPIC.json of a locales folder — as one: every key in
// every language, each plural message with exactly its language's forms, the same placeholders
// in every language, and no French or Russian sentence left in English. Keys "error.<English
// message>" translate a service's English message (web.Page.Err): English needs none, and
// every other language has the same ones.
func TestEveryCatalog(t *testing.T) {
	dirs, err := filepath.Glob("../*/*/locales")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../*/locales")
	dirs = append(dirs, more...)
	if len(dirs) < 5 {
		t.Fatalf("found only %v", dirs)
	}
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "en*.json"))
		for _, enFile := range files {
			topic := strings.TrimPrefix(filepath.Base(enFile), "en")
			cat := map[string]map[string]any{}
			for _, lang := range web.Languages {
				b, err := os.ReadFile(filepath.Join(dir, lang+topic))
				if err != nil {
					t.Errorf("%s: %v", dir, err)
					continue
				}
				m := map[string]any{}
				if err := json.Unmarshal(b, &m); err != nil {
					t.Errorf("%s/%s%s: %v", dir, lang, topic, err)
				}
				cat[lang] = m
			}
			name := filepath.Join(dir, "*"+topic)
			for key, en := range cat["en"] {
				for _, lang := range web.Languages {
					v, ok := cat[lang][key]
					if !ok {
						t.Errorf("%s: %s lacks %q", name, lang, key)
						continue
					}
					if forms, plural := v.(map[string]any); plural {
						var got []string
						for f := range forms {
							got = append(got, f)
						}
						sort.Strings(got)
						if !slices.Equal(got, pluralForms[lang]) {
							t.Errorf("%s: %s %q has plural forms %v, want %v", name, lang, key, got, pluralForms[lang])
						}
						continue
					}
					s, _ := v.(string)
					enText, _ := en.(string)
					// A sentence left in English (one word may well be the same: "Notifications").
					if lang != "en" && s == enText && strings.Contains(s, " ") && len(s) > 12 {
						t.Errorf("%s: %s %q is the English text %q", name, lang, key, s)
					}
					if got, want := placeholders(s), placeholders(enText); !slices.Equal(got, want) {
						t.Errorf("%s: %s %q has placeholders %v, English %v", name, lang, key, got, want)
					}
				}
			}
			for _, lang := range web.Languages[1:] {
				for key := range cat[lang] {
					if _, ok := cat["en"][key]; ok {
						continue
					}
					if !strings.HasPrefix(key, "error.") {
						t.Errorf("%s: %s has %q, English has not", name, lang, key)
					}
					for _, other := range web.Languages[1:] {
						if _, ok := cat[other][key]; !ok {
							t.Errorf("%s: %s lacks %q", name, other, key)
						}
					}
				}
			}
		}
	}
}

// placeholders lists the {{.Name}} of a message, sorted, once each.
func placeholders(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			break
		}
		if p := strings.TrimSpace(s[i+2 : i+j]); !slices.Contains(out, p) {
			out = append(out, p)
		}
		s = s[i+j+2:]
	}
	sort.Strings(out)
	return out
}

// auditAction finds the literal action of an audit.Record call.
var auditAction = regexp.MustCompile(`audit\.Record\([^"\n]*"([a-z_]+\.[a-z_.]*[a-z_])"\s*[,)]`)

// TestEveryAuditActionHasALabel: each action the code records in the audit trail reads as a
// sentence on the audit page (admin.audit.action.<action>) in every language.
func TestEveryAuditActionHasALabel(t *testing.T) {
	labels := map[string]bool{}
	catalogs, _ := filepath.Glob("../*/*/locales/en*.json")
	for _, f := range catalogs {
		b, _ := os.ReadFile(f)
		m := map[string]any{}
		_ = json.Unmarshal(b, &m)
		for k := range m {
			labels[k] = true
		}
	}
	seen := 0 // literal actions found
	for _, root := range []string{"../core", "../modules"} {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, _ := os.ReadFile(path)
			for _, m := range auditAction.FindAllStringSubmatch(string(b), -1) {
				seen++
				if !labels["admin.audit.action."+m[1]] {
					t.Errorf("%s records %q, which has no label admin.audit.action.%s", path, m[1], m[1])
				}
			}
			return nil
		})
	}
	if seen < 20 {
		t.Errorf("found only %d audit actions: is the pattern still right?", seen)
	}
}
