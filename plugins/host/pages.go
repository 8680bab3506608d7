package host

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
	"groupcamp/plugins/sdk/pluginv1"
)

// maxEndpointBody bounds a request passed to a plugin's endpoint.
const maxEndpointBody = 1 << 20

// pageRoutes registers the admin page, the portal section and the plugins' endpoints.
func (h *handlers) pageRoutes(r routes) {
	manage := api.Can("plugins", "manage")
	r.Get("/:slug/admin/plugins", manage, h.adminPage)
	r.Post("/:slug/admin/plugins/rescan", manage, h.rescanForm)
	r.Post("/:slug/admin/plugins/:name/enable", manage, h.enableForm)
	r.Post("/:slug/admin/plugins/:name/disable", manage, h.disableForm)
	r.Get("/:slug/portal/plugins", api.Can("plugins.portal", "read"), h.portalPage)
	use := api.Can("plugins.endpoints", "use")
	for _, m := range []string{fiber.MethodGet, fiber.MethodPost} {
		r.Handle(m, "/:slug/x/:plugin", use, h.endpoint)
		r.Handle(m, "/:slug/x/:plugin/*", use, h.endpoint)
	}
}

// adminData is what /{slug}/admin/plugins shows.
type adminData struct {
	Plugins []adminRow
	Waiting map[string]int
	Dir     bool // a plugins folder is configured
}

// adminRow is a plugin with its form's choices.
type adminRow struct {
	Plugin
	Caps     []choice  // requested capabilities, checked when granted (all, before enabling)
	Settings []setting // the settings' form, from the manifest's JSON Schema
	// Failed: this plugin's form was just refused (422); its fields show the values typed and
	// their messages (Page.Form.Errors, keyed "settings.<key>"), Summary lists them on top.
	Failed  bool
	Summary []fieldError
}

// fieldError is one line of a refused form's summary: the field's id on the page ("" for a
// message about no one field), its label and its message.
type fieldError struct {
	ID, Label, Message string
}

// setting is one field of a plugin's settings form: Set when the account has a value, Value
// its text (never a secret's).
type setting struct {
	Field
	Set   bool
	Value string
	On    bool // a boolean's value
}

type choice struct {
	Key     string
	Checked bool
}

func rowOf(p Plugin) adminRow {
	r := adminRow{Plugin: p}
	for _, c := range p.Requested {
		r.Caps = append(r.Caps, choice{Key: c, Checked: !p.Enabled || slices.Contains(p.Granted, c)})
	}
	for _, f := range p.SettingsSchema {
		st := setting{Field: f, Set: slices.Contains(p.Configured, f.Key)}
		if v, ok := p.Values[f.Key]; ok {
			st.On = v == true
			st.Value = fmt.Sprint(v)
		}
		r.Settings = append(r.Settings, st)
	}
	return r
}

func (h *handlers) adminView(c *fiber.Ctx) (*web.Page, error) {
	a := actor.From(c)
	ps, err := h.svc.List(c.UserContext(), a)
	if err != nil {
		return nil, err
	}
	waiting, err := h.svc.Waiting(c.UserContext(), a.AccountID())
	if err != nil {
		return nil, err
	}
	p := h.web.NewPage(c, "plugins.title")
	d := &adminData{Waiting: waiting, Dir: h.svc.Sup.Dir != ""}
	for _, pl := range ps {
		d.Plugins = append(d.Plugins, rowOf(pl))
	}
	p.Data = d
	p.Form = web.EmptyForm(nil)
	return p, nil
}

// refused re-renders the plugins page after the named plugin's form was refused (422): the
// values typed stay in its fields (never a secret's), each message goes next to its field
// (aria-invalid, aria-describedby) and in a summary on top of the form whose links take the
// keyboard to the field.
func (h *handlers) refused(c *fiber.Ctx, name string, caps []string, err error) error {
	p, verr := h.adminView(c)
	if verr != nil {
		return verr
	}
	p.Form.Fail(err)
	p.Status = fiber.StatusUnprocessableEntity
	d := p.Data.(*adminData)
	i := slices.IndexFunc(d.Plugins, func(r adminRow) bool { return r.Name == name })
	if i < 0 {
		return err
	}
	r := &d.Plugins[i]
	r.Failed = true
	for j := range r.Caps {
		r.Caps[j].Checked = slices.Contains(caps, r.Caps[j].Key)
	}
	shown := map[string]bool{}
	for j := range r.Settings {
		st := &r.Settings[j]
		v := strings.TrimSpace(c.FormValue("setting_" + st.Key))
		switch {
		case st.Type == "boolean":
			st.On = v != ""
		case !st.Secret:
			st.Value = v
		}
		field := "settings." + st.Key
		if msg, ok := p.Form.Errors[field]; ok {
			shown[field] = true
			r.Summary = append(r.Summary, fieldError{ID: "s-" + r.Name + "-" + st.Key, Label: cmp.Or(st.Title, st.Key), Message: p.Err(msg)})
		}
	}
	if pr, ok := problem.As(err); ok {
		for _, fe := range pr.Errors {
			if !shown[fe.Field] {
				shown[fe.Field] = true
				r.Summary = append(r.Summary, fieldError{Label: fe.Field, Message: p.Err(fe.Message)})
			}
		}
	}
	return h.web.Render(c, "plugins/admin", p)
}

func (h *handlers) adminPage(c *fiber.Ctx) error {
	p, err := h.adminView(c)
	if err != nil {
		return err
	}
	return h.web.Render(c, "plugins/admin", p)
}

func (h *handlers) back(c *fiber.Ctx) string {
	return "/" + actor.From(c).Account.Slug + "/admin/plugins"
}

func (h *handlers) rescanForm(c *fiber.Ctx) error {
	if err := h.svc.Sup.Scan(); err != nil {
		return err
	}
	return web.Done(c, "plugins.flash.rescanned", h.back(c))
}

func (h *handlers) enableForm(c *fiber.Ctx) error {
	a := actor.From(c)
	name := c.Params("name")
	pl, err := h.svc.Get(c.UserContext(), a, name)
	if err != nil {
		return err
	}
	caps := []string{}
	for _, raw := range c.Request().PostArgs().PeekMulti("capabilities") {
		caps = append(caps, string(raw))
	}
	settings := formSettings(c, pl.SettingsSchema)
	_, err = h.svc.Enable(c.UserContext(), a, name, EnableInput{Capabilities: &caps, Settings: settings})
	if pr, ok := problem.As(err); ok && pr.Status == fiber.StatusUnprocessableEntity {
		return h.refused(c, name, caps, err)
	}
	if err != nil {
		return err
	}
	return web.Done(c, "plugins.flash.enabled", h.back(c))
}

func (h *handlers) disableForm(c *fiber.Ctx) error {
	if _, err := h.svc.Disable(c.UserContext(), actor.From(c), c.Params("name")); err != nil {
		return err
	}
	return web.Done(c, "plugins.flash.disabled", h.back(c))
}

// rendered is one plugin section on a page: its HTML, or unavailable.
type rendered struct {
	Plugin, Key, Title string
	HTML               template.HTML
	Unavailable        bool
}

// sectionsFor renders every section shown at place of every plugin the account enabled, for
// the viewer. A failing plugin makes its sections unavailable, never the page fail.
func (h *handlers) sectionsFor(ctx context.Context, a *actor.Actor, place string) ([]rendered, error) {
	act, err := h.svc.Active(ctx, a.AccountID())
	if err != nil {
		return nil, err
	}
	var out []rendered
	for _, p := range act {
		sc := h.svc.scope(p, a.Account.Slug, a)
		for _, s := range p.Sections {
			if !s.At(place) {
				continue
			}
			r := rendered{Plugin: p.Name, Key: s.Key, Title: s.Title}
			html, err := h.svc.Sup.RenderSection(ctx, p.Name, s.Key, sc)
			if err != nil {
				h.svc.Log.Warn("plugin section unavailable", "plugin", p.Name, "section", s.Key, "error", err)
				r.Unavailable = true
			} else {
				r.HTML = Sanitize(html)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// hasSections tells the portal whether the account enabled a plugin with sections.
func (h *handlers) hasSections(ctx context.Context, a *actor.Actor) (bool, error) {
	act, err := h.svc.Active(ctx, a.AccountID())
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(act, func(p active) bool {
		return slices.ContainsFunc(p.Sections, func(s Section) bool { return s.At(PlacePortal) })
	}), nil
}

func (h *handlers) portalPage(c *fiber.Ctx) error {
	secs, err := h.sectionsFor(c.UserContext(), actor.From(c), PlacePortal)
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "plugins.portal.title")
	p.Data = secs
	return h.web.Render(c, "plugins/portal", p)
}

// homeSection renders, on a colleague's home page, the sections the account's plugins show
// there ("home"); nothing for a client (their page is the portal) or without such a section.
func (h *handlers) homeSection(c *fiber.Ctx, home *web.Page) (template.HTML, error) {
	a := actor.From(c)
	if a.Role == actor.RoleClient || !a.May("plugins.endpoints", "use") {
		return "", nil
	}
	secs, err := h.sectionsFor(c.UserContext(), a, PlaceHome)
	if err != nil || len(secs) == 0 {
		return "", err
	}
	p := *home
	p.Data = secs
	return h.web.Fragment("plugins/home", &p)
}

// endpoint passes a request under /{slug}/x/{plugin}/ to the plugin, and serves its answer
// sandboxed: whatever HTML it returns runs no script in the server's origin.
func (h *handlers) endpoint(c *fiber.Ctx) error {
	a := actor.From(c)
	name := c.Params("plugin")
	act, err := h.svc.Active(c.UserContext(), a.AccountID())
	if err != nil {
		return err
	}
	i := slices.IndexFunc(act, func(p active) bool { return p.Name == name && p.HTTP })
	if i < 0 {
		return problem.NotFound()
	}
	if len(c.Body()) > maxEndpointBody {
		return problem.TooLarge("at most 1 MiB")
	}
	headers := map[string]string{}
	for _, k := range []string{fiber.HeaderContentType, fiber.HeaderAccept, fiber.HeaderAcceptLanguage} {
		if v := c.Get(k); v != "" {
			headers[k] = strings.Clone(v)
		}
	}
	req := &pluginv1.ServeHTTPRequest{Method: c.Method(), Path: "/" + c.Params("*"), Query: string(c.Request().URI().QueryString()), Headers: headers, Body: slices.Clone(c.Body())}
	res, err := h.svc.Sup.ServeHTTP(c.UserContext(), name, h.svc.scope(act[i], a.Account.Slug, a), req)
	if errors.Is(err, ErrUnavailable) {
		return problem.New(fiber.StatusBadGateway, "the plugin is unavailable")
	}
	if err != nil {
		return err
	}
	status := int(res.Status)
	if status < 200 || status > 599 {
		status = fiber.StatusBadGateway
	}
	ct := res.Headers[fiber.HeaderContentType]
	if ct == "" {
		ct = fiber.MIMETextPlainCharsetUTF8
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderContentSecurityPolicy, "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(status).Send(res.Body)
}

// formSettings reads the settings form: a blank secret keeps its value, another blank field
// removes its value, a checkbox is its boolean; a number that does not parse is passed on as
// typed, for the schema to refuse with the field.
func formSettings(c *fiber.Ctx, fields []Field) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		v := strings.TrimSpace(c.FormValue("setting_" + f.Key))
		switch {
		case f.Type == "boolean":
			out[f.Key] = v != ""
		case v == "" && f.Secret:
		case v == "":
			out[f.Key] = nil
		case f.Type == "integer" || f.Type == "number":
			var n json.Number
			if err := json.Unmarshal([]byte(v), &n); err == nil {
				out[f.Key] = n
			} else {
				out[f.Key] = v
			}
		default:
			out[f.Key] = v
		}
	}
	return out
}
