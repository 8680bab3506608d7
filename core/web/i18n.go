package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"groupcamp/core/actor"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Languages the product speaks, in the order offered to users.
var Languages = []string{"en", "fr", "ru"}

//go:embed locales/*.json
var coreLocales embed.FS

// Catalog holds the message catalogs of core and of every module (modules add theirs with
// Add). Messages are go-i18n JSON: "key": "text" or "key": {"one": ..., "few": ..., "many":
// ..., "other": ...}; plural forms follow CLDR rules per language (Russian has four).
type Catalog struct {
	bundle  *i18n.Bundle
	keys    map[string]map[string]bool // lang -> keys
	matcher language.Matcher

	mu         sync.Mutex
	localizers map[string]*Localizer // one per language, built once catalogs are loaded
}

// NewCatalog loads the core catalogs.
func NewCatalog() (*Catalog, error) {
	c := &Catalog{bundle: i18n.NewBundle(language.English), keys: map[string]map[string]bool{}}
	c.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.MustParse(l)
	}
	c.matcher = language.NewMatcher(tags)
	sub, _ := fs.Sub(coreLocales, "locales")
	return c, c.Add(sub)
}

// Add loads every LANG.json and LANG.PART.json of fsys (a module's locales folder). A module
// may split its catalog by feature (en.calendar.json beside en.json): the language is what
// comes before the first dot.
func (c *Catalog) Add(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		stem, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		lang, _, _ := strings.Cut(stem, ".")
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return err
		}
		mf, err := c.bundle.ParseMessageFileBytes(b, path.Join(lang, lang+".json"))
		if err != nil {
			return fmt.Errorf("i18n: %s: %w", e.Name(), err)
		}
		c.mu.Lock()
		c.localizers = nil // messages changed: localizers built so far may hold stale answers
		c.mu.Unlock()
		if c.keys[lang] == nil {
			c.keys[lang] = map[string]bool{}
		}
		for _, m := range mf.Messages {
			c.keys[lang][m.ID] = true
		}
	}
	return nil
}

// Missing lists, per language, the keys that English has and that language lacks.
func (c *Catalog) Missing() map[string][]string {
	out := map[string][]string{}
	for _, l := range Languages[1:] {
		for k := range c.keys["en"] {
			if !c.keys[l][k] {
				out[l] = append(out[l], k)
			}
		}
	}
	return out
}

// Has reports whether the English catalog has key.
func (c *Catalog) Has(key string) bool { return c.keys["en"][key] }

// Match picks the best supported language for a profile language and an Accept-Language
// header: the profile wins when set.
func (c *Catalog) Match(profile, acceptLanguage string) string {
	for _, l := range Languages {
		if profile == l {
			return l
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	_, i, _ := c.matcher.Match(tags...)
	return Languages[i]
}

// Localizer translates for one language. It is shared by every request in that language and
// safe for concurrent use.
type Localizer struct {
	Lang    string
	l       *i18n.Localizer
	printer *message.Printer
	// plain remembers messages without arguments: a page with a hundred rows asks for the
	// same labels a hundred times, and go-i18n executes a template for each.
	plain sync.Map // key -> string
}

// For returns the localizer of lang.
func (c *Catalog) For(lang string) *Localizer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if lz, ok := c.localizers[lang]; ok {
		return lz
	}
	if c.localizers == nil {
		c.localizers = map[string]*Localizer{}
	}
	lz := &Localizer{Lang: lang, l: i18n.NewLocalizer(c.bundle, lang), printer: message.NewPrinter(language.MustParse(lang))}
	c.localizers[lang] = lz
	return lz
}

// T translates key; args are name/value pairs for the message template. A missing key shows
// itself, so it is seen (and the catalog test fails).
func (lz *Localizer) T(key string, args ...any) string {
	if len(args) == 0 {
		if s, ok := lz.plain.Load(key); ok {
			return s.(string)
		}
	}
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
		cfg.TemplateData = data
	}
	s, err := lz.l.Localize(cfg)
	if err != nil {
		return key
	}
	if len(args) == 0 {
		lz.plain.Store(key, s)
	}
	return s
}

// N translates key with the plural form for count ({{.Count}} in the message).
func (lz *Localizer) N(key string, count int, args ...any) string {
	data := map[string]any{"Count": lz.Num(count)}
	for i := 0; i+1 < len(args); i += 2 {
		data[fmt.Sprint(args[i])] = args[i+1]
	}
	s, err := lz.l.Localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: count, TemplateData: data})
	if err != nil {
		return key
	}
	return s
}

// Num formats a number with the language's grouping (1,234 / 1 234).
func (lz *Localizer) Num(n any) string { return lz.printer.Sprint(n) }

// Money formats an amount in minor units (cents) with two decimals, the language's grouping
// and decimal mark, and the currency code after it when given: "1,234.50 EUR" in English,
// "1 234,50 EUR" in French and Russian.
func (lz *Localizer) Money(minor int64, currency string) string {
	s := lz.printer.Sprint(number.Decimal(float64(minor)/100, number.Scale(2)))
	if currency != "" {
		s += " " + currency
	}
	return s
}

var months = map[string][12]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
	"ru": {"янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек."},
}

// Date formats a calendar day the way the language writes it.
func (lz *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	m := months[lz.Lang][t.Month()-1]
	switch lz.Lang {
	case "fr":
		return fmt.Sprintf("%d %s %d", t.Day(), m, t.Year())
	case "ru":
		return fmt.Sprintf("%d %s %d г.", t.Day(), m, t.Year())
	default:
		return fmt.Sprintf("%s %d, %d", m, t.Day(), t.Year())
	}
}

// DateTime formats an instant in the given time zone (24-hour clock in fr and ru).
func (lz *Localizer) DateTime(t time.Time, tz string) string {
	if t.IsZero() {
		return ""
	}
	if loc := actor.Zone(tz); loc != nil {
		t = t.In(loc)
	}
	if lz.Lang == "en" {
		return lz.Date(t) + ", " + t.Format("3:04 PM")
	}
	return lz.Date(t) + " " + t.Format("15:04")
}
