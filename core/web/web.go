// Package web is the server-rendered face of GroupCamp: one layout with navigation built
// from the registered modules, html/template views (embedded; modules add theirs), English,
// French and Russian catalogs, forms that work without JavaScript and show field errors next to
// their fields, flash messages, CSRF fields, HTML error pages, security headers and
// cache-busted static assets. It knows no service: the app fills the per-request parts
// (CSRF token, account switcher, navigation) through the Renderer's hooks.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/web/markdown"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
)

//go:embed all:templates
var coreTemplates embed.FS

// NavItem is an entry of the main navigation, shown to roles that hold its capability.
type NavItem struct {
	Label  string // message key
	Path   string // under /{slug}; "" is the account home
	Object string
	Action string
	Order  int
	// Group "admin" puts the entry in the administration menu instead of the main bar.
	Group string
	// Module is the module that added the entry ("" for core): hidden where the account has
	// the module off.
	Module string
}

// AccountLink is one entry of the account switcher.
type AccountLink struct {
	Slug, Name, Role string
}

// NavLink is a rendered navigation entry.
type NavLink struct {
	Label, Href string
	Active      bool
}

// GroupAdmin is the navigation group of administration pages.
const GroupAdmin = "admin"

// Page is what every template receives.
type Page struct {
	Title    string // message key (translated) or plain text
	Lang     string
	L        *Localizer
	Actor    *actor.Actor
	Accounts []AccountLink
	Nav      []NavLink
	AdminNav []NavLink // the administration menu
	Flash    *FlashMsg
	CSRF     string
	Path     string
	Status   int
	Data     any
	Form     *Form
	Bare     bool // no navigation (sign-in pages)
	Bell     *Bell
	// Banners are notices across the top of every page of an account (core/shell asks the
	// modules' hooks.Banner for them: billing's "read-only after a missed payment").
	Banners []Banner
	r       *Renderer
}

// Banner is a notice the layout shows at the top of a page, under the flash: a message key of
// the catalogues, its kind (the flash classes: error, info), an id for tests and styles, and
// optionally a link (Href, labelled by the message key Link).
type Banner struct {
	ID, Kind, Key string
	Href, Link    string
}

// Bell is the layout's notification bell: where it leads and how many are unread (core/notify
// fills it on account pages).
type Bell struct {
	Href   string
	Unread int
}

// T translates a message key.
func (p *Page) T(key string, args ...any) string { return p.L.T(key, args...) }

// N translates with the plural form for count.
func (p *Page) N(key string, count int, args ...any) string { return p.L.N(key, count, args...) }

// Date formats a day in the page's language.
func (p *Page) Date(t any) string {
	switch v := t.(type) {
	case time.Time:
		return p.L.Date(v)
	case *time.Time:
		if v != nil {
			return p.L.Date(*v)
		}
	}
	return ""
}

// When formats an instant in the viewer's language and time zone (their profile's; UTC for
// someone signed out or who chose none).
func (p *Page) When(t any) string {
	tz := "UTC"
	if p.Actor != nil && p.Actor.TimeZone != "" {
		tz = p.Actor.TimeZone
	}
	switch v := t.(type) {
	case time.Time:
		return p.L.DateTime(v, tz)
	case *time.Time:
		if v != nil {
			return p.L.DateTime(*v, tz)
		}
	}
	return ""
}

// LanguageMenu is the menu of the signed-out pages: every language the product speaks, named
// in itself, each a link that picks it and comes back to this page.
func (p *Page) LanguageMenu() []LanguageChoice {
	out := make([]LanguageChoice, len(Languages))
	for i, l := range Languages {
		out[i] = LanguageChoice{Code: l, Name: Endonym(l), Href: "/language/" + l + "?next=" + url.QueryEscape(p.Path), Current: l == p.Lang}
	}
	return out
}

// LanguageChoice is one entry of LanguageMenu.
type LanguageChoice struct {
	Code, Name, Href string
	Current          bool
}

// Num formats a number.
func (p *Page) Num(n any) string { return p.L.Num(n) }

// Money formats an amount in minor units with its currency, for the reader's language.
func (p *Page) Money(minor int64, currency string) string { return p.L.Money(minor, currency) }

// Err translates a field message coming from a service (messages are catalog keys
// "error.<english text>"; unknown ones show as they are). A message made from a template
// (problem.Sayf) is translated from "error.<template>" with its values: numbers in the
// reader's format, the fields it names by their labels ("field.<name>").
func (p *Page) Err(msg string) string {
	fe := problem.FieldError{Message: msg}
	if p.Form != nil {
		if said, ok := p.Form.said[msg]; ok {
			fe = said
		}
	}
	return p.r.Catalog.FieldMessage(p.L, fe)
}

// FieldMessage is fe's message in lz's language (see Page.Err), for pages and for the
// answers the pages' scripts get from the API (core/app's error handler).
func (c *Catalog) FieldMessage(lz *Localizer, fe problem.FieldError) string {
	if fe.Key != "" && c.Has("error."+fe.Key) {
		args := make([]any, 0, 2*len(fe.Args))
		for k, v := range fe.Args {
			switch v := v.(type) {
			case problem.Field:
				label := string(v)
				if c.Has("field." + label) {
					label = lz.T("field." + label)
				}
				args = append(args, k, label)
			case int, int64:
				args = append(args, k, lz.Num(v))
			default:
				args = append(args, k, v)
			}
		}
		return lz.T("error."+fe.Key, args...)
	}
	if c.Has("error." + fe.Message) {
		return lz.T("error." + fe.Message)
	}
	return fe.Message
}

// Slug is the current account's slug, or "".
func (p *Page) Slug() string {
	if p.Actor != nil && p.Actor.Account != nil {
		return p.Actor.Account.Slug
	}
	return ""
}

// Can reports whether the viewer holds a capability in the current account.
func (p *Page) Can(object, action string) bool { return p.Actor.May(object, action) }

// Renderer renders pages and error pages.
type Renderer struct {
	Catalog *Catalog
	Assets  *Assets
	// Decorate fills the per-request parts of a page (CSRF token, accounts, navigation).
	Decorate func(c *fiber.Ctx, p *Page)

	base  *template.Template
	pages map[string]*template.Template
}

// NewRenderer parses the core layout and pages.
func NewRenderer(cat *Catalog) (*Renderer, error) {
	r := &Renderer{Catalog: cat, Assets: NewAssets(), pages: map[string]*template.Template{}}
	funcs := template.FuncMap{
		"asset": r.Assets.URL,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"add": func(a, b int) int { return a + b },
		// pairs makes <select> options: pairs "value" "label-key" "value2" "label-key2".
		"pairs": func(kv ...string) [][]string {
			var out [][]string
			for i := 0; i+1 < len(kv); i += 2 {
				out = append(out, []string{kv[i], kv[i+1]})
			}
			return out
		},
		"lower": strings.ToLower,
		// markdown renders what people wrote (descriptions, comments) as sanitized HTML.
		"markdown": markdown.HTML,
		"initials": func(name string) string {
			var out []rune
			for _, w := range strings.Fields(name) {
				out = append(out, []rune(strings.ToUpper(w))[0])
				if len(out) == 2 {
					break
				}
			}
			return string(out)
		},
	}
	var err error
	r.base, err = template.New("").Funcs(funcs).ParseFS(coreTemplates, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	sub, _ := fs.Sub(coreTemplates, "templates")
	return r, r.Load(sub, "")
}

// Load parses every page template (*.html not starting with "_") of fsys; a page is named by
// prefix + its path without ".html" ("people/list", "projects/board").
func (r *Renderer) Load(fsys fs.FS, prefix string) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || strings.HasPrefix(path.Base(p), "_") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		t, err := r.base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.New(p).Parse(string(b)); err != nil {
			return fmt.Errorf("web: %s: %w", p, err)
		}
		name := strings.TrimSuffix(p, ".html")
		if prefix != "" {
			name = prefix + "/" + name
		}
		r.pages[name] = t
		return nil
	})
}

// Mount adds a package's pages and catalogs: the "views" folder of files, named
// "<prefix>/<file>", and the "locales" folder (en.json, fr.json, ru.json).
func (r *Renderer) Mount(files fs.FS, prefix string) error {
	views, err := fs.Sub(files, "views")
	if err != nil {
		return err
	}
	if err := r.Load(views, prefix); err != nil {
		return err
	}
	locales, err := fs.Sub(files, "locales")
	if err != nil {
		return err
	}
	return r.Catalog.Add(locales)
}

// LangCookie holds the language a reader picked from the menu of the signed-out pages.
const LangCookie = "gc_lang"

// ReaderChoice is what the request says about its reader's language: their profile's, the
// one they picked signed out, their browser's, the account's default.
func ReaderChoice(c *fiber.Ctx) Choice {
	ch := Choice{Picked: c.Cookies(LangCookie), Accept: c.Get(fiber.HeaderAcceptLanguage)}
	if a := actor.From(c); a != nil {
		ch.Profile = a.Locale
		if a.Account != nil {
			ch.Account = a.Account.Locale
		}
	}
	return ch
}

// NewPage prepares a page for the request: language, viewer, flash, CSRF, navigation.
func (r *Renderer) NewPage(c *fiber.Ctx, title string) *Page {
	a := actor.From(c)
	lang := r.Catalog.Choose(ReaderChoice(c))
	p := &Page{Title: title, Lang: lang, L: r.Catalog.For(lang), Actor: a, Path: string(c.Request().URI().Path()), Status: http.StatusOK, r: r}
	p.Flash = takeFlash(c)
	if r.Decorate != nil {
		r.Decorate(c, p)
	}
	return p
}

// Render writes the named page with the layout.
func (r *Renderer) Render(c *fiber.Ctx, name string, p *Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	c.Status(p.Status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	out := buf.Bytes()
	// A refused form comes back with what was typed, which may hold bytes that are no UTF-8
	// (the service refuses them): the page says it is UTF-8, so it must be.
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return c.Send(out)
}

// Fragment renders the "content" of the named page without the layout: a part of another
// page (a module's section of the home), as trusted HTML.
func (r *Renderer) Fragment(name string, p *Page) (template.HTML, error) {
	t, ok := r.pages[name]
	if !ok {
		return "", fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "content", p); err != nil {
		return "", fmt.Errorf("web: render %s: %w", name, err)
	}
	return template.HTML(bytes.ToValidUTF8(buf.Bytes(), []byte("\uFFFD"))), nil
}

// ErrorData is what the error page shows.
type ErrorData struct {
	Problem *problem.Problem
	Body    string // message key of the explanation
}

// ErrorPage renders an error inside the layout. A 401 on a page sends the visitor to sign in.
func (r *Renderer) ErrorPage(c *fiber.Ctx, p *problem.Problem) error {
	if p.Status == http.StatusUnauthorized && c.Method() == fiber.MethodGet {
		return c.Redirect("/login?next="+urlQueryEscape(string(c.Request().URI().RequestURI())), http.StatusSeeOther)
	}
	page := r.NewPage(c, fmt.Sprintf("error.%d.title", p.Status))
	body := fmt.Sprintf("error.%d.body", p.Status)
	if !r.Catalog.Has(page.Title) {
		page.Title, body = "error.generic.title", "error.generic.body"
	}
	page.Status = p.Status
	page.Data = ErrorData{Problem: p, Body: body}
	if p.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(p.RetryAfter))
	}
	return r.Render(c, "error", page)
}
