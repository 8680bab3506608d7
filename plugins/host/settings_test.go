package host_test

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/plugins/host"
)

// The webhook forwarder's settings are a JSON Schema: every wrong value is a 422 naming the
// setting, nothing is written; right ones are sealed, the secret ones never shown back; the
// admin page's form is made from the schema, and a blank secret keeps its value.
func TestSettingsSchema(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		own := e.As(o.owner)
		path := o.base + "/plugins/webhook-forwarder"
		for field, settings := range map[string]map[string]any{
			"settings.url":     {"secret": "long-enough"},                                 // required
			"settings.url ":    {"url": "ftp://files.example.com/in"},                     // pattern
			"settings.retries": {"url": "https://h.example.com/in", "retries": 7},         // maximum
			"settings.format":  {"url": "https://h.example.com/in", "format": "xml"},      // enum
			"settings.secret":  {"url": "https://h.example.com/in", "secret": "short"},    // minLength
			"settings.active":  {"url": "https://h.example.com/in", "active": "yes"},      // type
			"settings":         {"url": "https://h.example.com/in", "colour": "red"},      // unknown
			"settings.url  ":   {"url": "https://h.example.com/\u0007", "retries": "two"}, // control character
		} {
			r := own.Post(path+"/enable", map[string]any{"settings": settings})
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[strings.TrimSpace(field)] == "" {
				t.Errorf("%v: %d %s", settings, r.Status, r.Body)
			}
		}
		var p host.Plugin
		own.Get(path).JSON(t, &p)
		if p.Enabled || len(p.Configured) != 0 || strings.Contains(own.Get(o.base+"/audit?action=plugin.enabled").String(), "webhook-forwarder") {
			t.Fatalf("a refused enable wrote: %+v", p)
		}
		keys := []string{}
		for _, f := range p.SettingsSchema {
			keys = append(keys, f.Key)
		}
		if strings.Join(keys, ",") != "url,secret,retries,format,active" || !p.SettingsSchema[0].Secret || !p.SettingsSchema[0].Required {
			t.Fatalf("schema: %+v", p.SettingsSchema)
		}

		p = o.enable(t, "webhook-forwarder", nil, map[string]any{"url": "https://h.example.com/in", "secret": "long-enough", "retries": 1, "format": "compact", "active": true})
		if strings.Join(p.Configured, ",") != "active,format,retries,secret,url" || p.Values["retries"] != float64(1) || p.Values["format"] != "compact" || p.Values["active"] != true {
			t.Fatalf("enabled: %+v", p)
		}
		if _, shown := p.Values["url"]; shown {
			t.Fatalf("a secret is shown: %+v", p.Values)
		}

		// The form: a field per setting, of its type; the secrets blank.
		page := own.Get("/" + o.acc.Slug + "/admin/plugins").String()
		for _, want := range []string{`type="password" id="s-webhook-forwarder-url"`, `<select id="s-webhook-forwarder-format"`, `type="number" id="s-webhook-forwarder-retries" name="setting_retries" value="1" min="0" max="2"`, `type="checkbox" id="s-webhook-forwarder-active" name="setting_active" value="1" checked`, "Receiver URL"} {
			if !strings.Contains(page, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		if strings.Contains(page, "h.example.com") || strings.Contains(page, "long-enough") {
			t.Error("the form shows a secret")
		}
		form := func(v url.Values) *testkit.Response {
			return own.Send(http.MethodPost, "/"+o.acc.Slug+"/admin/plugins/webhook-forwarder/enable", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, strings.NewReader(v.Encode()))
		}
		// A number that is no number: refused, nothing changed.
		if r := form(url.Values{"setting_retries": {"two"}, "setting_format": {"full"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("form: %d", r.Status)
		}
		own.Get(path).JSON(t, &p)
		if p.Values["retries"] != float64(1) {
			t.Fatalf("a refused form changed the settings: %+v", p.Values)
		}
		// Blank secrets keep their values, the unchecked box is false, the number is taken.
		if r := form(url.Values{"capabilities": {}, "setting_retries": {"2"}, "setting_format": {"full"}, "setting_url": {""}, "setting_secret": {""}}); r.Status != http.StatusSeeOther && r.Status != http.StatusOK {
			t.Fatalf("form: %d", r.Status)
		}
		own.Get(path).JSON(t, &p)
		if strings.Join(p.Configured, ",") != "active,format,retries,secret,url" || p.Values["retries"] != float64(2) || p.Values["active"] != false || p.Values["format"] != "full" {
			t.Fatalf("after the form: %+v", p)
		}
	})
}

// A manifest whose settings schema the host cannot make a form of, or that is no valid JSON
// Schema, makes the plugin invalid at the scan, with the reason.
func TestSettingsSchemaRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := map[string]any{
		"nested":  map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "object"}}},
		"secret":  map[string]any{"type": "object", "properties": map[string]any{"n": map[string]any{"type": "integer", "secret": true}}},
		"invalid": map[string]any{"type": "object", "properties": map[string]any{"s": map[string]any{"type": "string", "pattern": "("}}},
		"missing": map[string]any{"type": "object", "properties": map[string]any{"s": map[string]any{"type": "string"}}, "required": []string{"t"}},
		"array":   []string{"url"},
	}
	for folder, schema := range bad {
		copyPlugin(t, "status-report", dir, folder)
		rewrite(t, filepath.Join(dir, folder, host.ManifestFile), func(m map[string]any) { m["name"] = "p-" + folder; m["settings"] = schema })
	}
	sup := &host.Supervisor{Dir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), CallTimeout: callTimeout}
	defer sup.Close()
	if err := sup.Scan(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"nested": `type "object"`, "secret": "only a string is secret", "invalid": "not a valid JSON Schema", "missing": `required "t"`, "array": "want a JSON Schema object"}
	for _, s := range sup.Statuses() {
		if s.State != host.StateInvalid || !strings.Contains(s.Reason, want[s.Folder]) {
			t.Errorf("%s: %s (%s)", s.Folder, s.State, s.Reason)
		}
	}
}

// The admin's settings form, refused: the page comes back 422 with each setting's message next
// to its field (aria-invalid, aria-describedby naming the message), a summary on top whose
// links lead to the fields, the values typed kept (never a secret's), in en, fr and ru; the API
// answers the same refusal as a 422 problem with the fields' messages; nothing is written.
func TestSettingsFormErrors(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		admin := e.NewUser(o.acc, actor.RoleAdmin) // follows the browser's language
		b := e.BrowserLogin(admin)
		typed := url.Values{"setting_url": {"https://h.example.com/in"}, "setting_secret": {"short"}, "setting_retries": {"7"}, "setting_format": {"xml"}, "setting_active": {"1"}}
		for lang, want := range map[string][]string{
			"en": {"The settings were not saved", "must be at most 2", "must be at least 8 characters", "must be one of: full, compact"},
			"fr": {"Les réglages n’ont pas été enregistrés", "doit être au plus 2", "doit contenir au moins 8 caractères", "doit être l’une des valeurs : full, compact"},
			"ru": {"Настройки не сохранены", "должно быть не больше 2", "должно содержать не менее 8 символов", "допустимые значения: full, compact"},
		} {
			v := url.Values{"_csrf": {testkit.CSRFIn(b.Get("/" + o.acc.Slug + "/admin/plugins").Body)}}
			for k, vs := range typed {
				v[k] = vs
			}
			r := b.Send(http.MethodPost, "/"+o.acc.Slug+"/admin/plugins/webhook-forwarder/enable",
				http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept-Language": {lang}}, strings.NewReader(v.Encode()))
			body := html.UnescapeString(r.String())
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("%s: %d", lang, r.Status)
			}
			for _, w := range append(want,
				`id="s-webhook-forwarder-retries" name="setting_retries" value="7"`,
				`aria-invalid="true" aria-describedby="e-s-webhook-forwarder-retries"`,
				`<p class="error" id="e-s-webhook-forwarder-retries">`,
				`aria-invalid="true" aria-describedby="e-s-webhook-forwarder-secret d-s-webhook-forwarder-secret"`,
				`<a href="#s-webhook-forwarder-retries">Retries per delivery: `,
				`<a href="#s-webhook-forwarder-secret">Signing secret: `,
				`<a href="#s-webhook-forwarder-format">Body: `,
				`role="alert" id="errors-webhook-forwarder"`) {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the page lacks %s", lang, w)
				}
			}
			if strings.Contains(body, "short") || strings.Contains(body, "h.example.com") {
				t.Errorf("%s: the page shows a secret typed", lang)
			}
			if strings.Contains(body, `aria-invalid="true" aria-describedby="e-s-webhook-forwarder-url`) {
				t.Errorf("%s: a right field is marked wrong", lang)
			}
		}
		var p host.Plugin
		e.As(o.owner).Get(o.base+"/plugins/webhook-forwarder").JSON(t, &p)
		if p.Enabled || len(p.Configured) != 0 {
			t.Fatalf("a refused form wrote: %+v", p)
		}
		// The API: the same refusal, a 422 problem naming each setting with its message.
		r := e.As(o.owner).Post(o.base+"/plugins/webhook-forwarder/enable", map[string]any{"settings": map[string]any{"url": "https://h.example.com/in", "secret": "short", "retries": 7, "format": "xml"}})
		fe := r.FieldErrors()
		if r.Status != http.StatusUnprocessableEntity || fe["settings.retries"] != "must be at most 2" || fe["settings.secret"] != "must be at least 8 characters" || fe["settings.format"] != "must be one of: full, compact" || fe["settings.url"] != "" {
			t.Errorf("API: %d %v", r.Status, fe)
		}
	})
}
