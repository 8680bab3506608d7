package extranet_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/extranet"
)

// pngBytes is a small logo: an orange disc beside a dark bar, 160×64.
func pngBytes(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 64))
	for y := range 64 {
		for x := range 160 {
			dx, dy := x-32, y-32
			switch {
			case dx*dx+dy*dy < 24*24:
				img.Set(x, y, color.RGBA{R: 240, G: 120, B: 20, A: 255})
			case x > 64 && x < 150 && y > 22 && y < 42:
				img.Set(x, y, color.RGBA{R: 30, G: 40, B: 60, A: 255})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBranding: an admin sets the logo, colour and welcome text; the portal shows them (the
// colour through its stylesheet); bad values are 422 naming the field and change nothing;
// nobody else may change them.
func TestBranding(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		path := o.base + "/extranet/branding"
		logo := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pngBytes(t))
		snap := e.Snapshot()
		for field, body := range map[string]map[string]any{
			"color":   {"color": "blue"},
			"welcome": {"welcome": strings.Repeat("w", extranet.MaxWelcome+1)},
			"logo":    {"logo": "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))},
		} {
			wantField(t, e.As(o.owner).Put(path, body), field)
		}
		wantField(t, e.As(o.owner).Put(path, map[string]any{"logo": "data:image/gif;base64," + base64.StdEncoding.EncodeToString(pngBytes(t))}), "logo")
		if e.Snapshot() != snap {
			t.Fatal("a refused branding wrote something")
		}
		for _, u := range []*testkit.User{o.mgr, o.mem, o.cli} {
			if r := e.As(u).Put(path, map[string]any{"color": "#000000"}); r.Status != http.StatusForbidden {
				t.Fatalf("%s changes the branding: %d", u.Email, r.Status)
			}
		}
		r := e.As(o.owner).Put(path, map[string]any{"logo": logo, "color": "#1D4ED8", "welcome": "Bienvenue chez Acme Studio."})
		if r.Status != http.StatusOK {
			t.Fatalf("set the branding: %d %s", r.Status, r.Body)
		}
		b := e.BrowserLogin(o.cli)
		page := string(b.Get("/" + o.acc.Slug + "/extranet").Body)
		// The page writes "+" as "&#43;" in the attribute (the same URL once read).
		shown := strings.ReplaceAll(logo, "+", "&#43;")
		for _, want := range []string{`src="` + shown + `"`, "Bienvenue chez Acme Studio.", "/extranet/brand.css?v="} {
			if !strings.Contains(page, want) {
				i := strings.Index(page, "portal-logo")
				t.Errorf("the portal lacks %.80q: %.200s", want, page[max(i, 0):])
			}
		}
		// The sign-in page shows it to a visitor headed for the account, and nothing for another.
		anon := e.Browser()
		login := string(anon.Get("/login?next=/" + o.acc.Slug + "/extranet").Body)
		if !strings.Contains(login, "Bienvenue chez Acme Studio.") || !strings.Contains(login, "signin-logo") {
			t.Errorf("the sign-in page lacks the branding: %.2000s", login)
		}
		if login := string(anon.Get("/login?next=/no-such-account/extranet").Body); strings.Contains(login, "signin-brand") {
			t.Errorf("the sign-in page brands an unknown account")
		}
		css := b.Get("/" + o.acc.Slug + "/extranet/brand.css")
		if css.Status != http.StatusOK || !strings.Contains(string(css.Body), ".portal-hero{background:#1d4ed8;color:#ffffff}") {
			t.Errorf("brand.css: %d %s", css.Status, css.Body)
		}
		// The settings page takes an uploaded image and can remove it.
		admin := e.BrowserLogin(o.owner)
		form := admin.Get("/" + o.acc.Slug + "/extranet/branding")
		if form.Status != http.StatusOK || !strings.Contains(string(form.Body), shown) {
			t.Fatalf("the settings page: %d", form.Status)
		}
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("_csrf", testkit.CSRFIn(form.Body))
		w.WriteField("color", "#fafafa")
		w.WriteField("welcome", "")
		fw, _ := w.CreateFormFile("logo", "logo.txt")
		fw.Write([]byte("not an image"))
		w.Close()
		res := admin.Send("POST", "/"+o.acc.Slug+"/extranet/branding", http.Header{"Content-Type": {w.FormDataContentType()}}, &body)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "Choose a PNG, JPEG, GIF or WebP image.") {
			t.Fatalf("a text file as the logo: %d %.300s", res.Status, res.Body)
		}
		r = e.As(o.owner).Put(path, map[string]any{"color": "#fafafa", "logo": ""})
		if r.Status != http.StatusOK {
			t.Fatalf("clear the logo: %d %s", r.Status, r.Body)
		}
		if css := b.Get("/" + o.acc.Slug + "/extranet/brand.css"); !strings.Contains(string(css.Body), "color:#1f2a2e") {
			t.Errorf("a light colour keeps light text: %s", css.Body)
		}
		if page := string(b.Get("/" + o.acc.Slug + "/extranet").Body); strings.Contains(page, "portal-logo") || !strings.Contains(page, "Bienvenue chez Acme Studio.") {
			t.Errorf("after clearing the logo (the welcome kept): %.3000s", page)
		}
		if a := string(e.As(o.owner).Get(o.base + "/audit").Body); !strings.Contains(a, `"extranet.branding.changed"`) {
			t.Errorf("the branding change is not audited")
		}
	})
}
