package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/cs"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/fi"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/it"
	"github.com/go-playground/locales/ja"
	"github.com/go-playground/locales/nl"
	"github.com/go-playground/locales/pl"
	"github.com/go-playground/locales/pt"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/sv"
	"github.com/go-playground/locales/zh_Hans"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"groupcamp/core/actor"
)

// Languages the product speaks, in the order offered to users: those whose catalogues are
// complete (TestCatalogsComplete). A language joins this list when every catalogue of core
// and of every module has it (docs/TRANSLATING.md says how).
var Languages = []string{"en", "fr", "ru"}

// calendars are the CLDR data (dates, times, day periods) of every language the product
// may speak, the fourteen GroupCamp offers, from go-playground/locales (generated from
// CLDR): a language needs only its catalogues to join Languages, not a table of month
// names written by hand.
var calendars = map[string]func() locales.Translator{
	"en": en.New, "fr": fr.New, "ru": ru.New, "cs": cs.New, "de": de.New, "es": es.New, "fi": fi.New,
	"it": it.New, "ja": ja.New, "nl": nl.New, "pl": pl.New, "pt": pt.New, "sv": sv.New, "zh": zh_Hans.New,
}

// Endonym is a language's name in itself ("Deutsch", "日本語"), for the language menu of
// signed-out pages, where the reader may not read the page's current language.
func Endonym(lang string) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return lang
	}
	name := display.Self.Name(tag)
	if name == "" {
		return lang
	}
	// CLDR writes some names in lower case ("français", "русский"); a menu entry starts
	// with a capital, as each language's own software writes it.
	r := []rune(name)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

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
	return c.Choose(Choice{Profile: profile, Accept: acceptLanguage})
}

// Choice is what a request says about its reader's language, from the strongest: the
// person's profile, the language they picked on a signed-out page (a cookie), their
// browser's Accept-Language (with its quality values), and the account's default.
type Choice struct {
	Profile, Picked, Accept, Account string
}

// Choose picks the language of a page or a message: the first of the choice's languages
// that the product speaks; a browser's only when it asks for a language the product
// speaks (an Accept-Language of "de, ja" does not beat the account's French); English last.
func (c *Catalog) Choose(ch Choice) string {
	for _, l := range []string{ch.Profile, ch.Picked} {
		if Speaks(l) {
			return l
		}
	}
	if tags, _, err := language.ParseAcceptLanguage(ch.Accept); err == nil && len(tags) > 0 {
		if _, i, conf := c.matcher.Match(tags...); conf != language.No {
			return Languages[i]
		}
	}
	if Speaks(ch.Account) {
		return ch.Account
	}
	return Languages[0]
}

// Speaks reports whether lang is one of Languages.
func Speaks(lang string) bool {
	for _, l := range Languages {
		if lang == l {
			return true
		}
	}
	return false
}

// Localizer translates for one language. It is shared by every request in that language and
// safe for concurrent use.
type Localizer struct {
	Lang     string
	l        *i18n.Localizer
	printer  *message.Printer
	calendar locales.Translator // CLDR dates and times
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
	cal, ok := calendars[lang]
	if !ok {
		cal = en.New
	}
	lz := &Localizer{Lang: lang, l: i18n.NewLocalizer(c.bundle, lang), printer: message.NewPrinter(language.MustParse(lang)), calendar: cal()}
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

// Date formats a calendar day the way the language writes it, CLDR's medium date: "Dec 7,
// 2026", "7 déc. 2026", "7 дек. 2026 г.", "2026/12/07".
func (lz *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return lz.calendar.FmtDateMedium(t)
}

// DateTime formats an instant in the given time zone: the medium date and CLDR's short time
// (a 12-hour clock in English, 24-hour in French and Russian).
func (lz *Localizer) DateTime(t time.Time, tz string) string {
	if t.IsZero() {
		return ""
	}
	if loc := actor.Zone(tz); loc != nil {
		t = t.In(loc)
	}
	sep := " "
	if lz.Lang == "en" {
		sep = ", " // CLDR's English date-time pattern: "{1}, {0}"
	}
	return lz.Date(t) + sep + lz.calendar.FmtTimeShort(t)
}
