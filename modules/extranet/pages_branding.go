package extranet

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// brandingRoutes registers the branding: its API and settings page (admins), and the portal's
// stylesheet of the account's colour (a file, since the CSP allows no inline style).
func (h *handlers) brandingRoutes(r routes) {
	manage := api.Can("extranet.branding", "manage")
	r.Get("/api/v1/:slug/extranet/branding", manage, h.getBranding, api.Doc{Summary: "The client portal's branding: logo (a data URL), primary colour, welcome text", Tag: "Extranet", Response: Branding{}})
	r.Put("/api/v1/:slug/extranet/branding", manage, h.putBranding, api.Doc{Summary: "Change the portal's branding; a field left out keeps its value, \"\" clears it; the logo a PNG, JPEG, GIF or WebP data URL of at most 256 KiB", Tag: "Extranet",
		Request: BrandingInput{}, Response: Branding{}, MaxBody: MaxLogo*4/3 + 16<<10})
	r.Get("/:slug/extranet/branding", manage, h.brandingPage)
	r.Post("/:slug/extranet/branding", manage, h.brandingForm, api.Doc{MaxBody: MaxLogo + 64<<10})
	// Everyone of the account: clients on the portal, administrators in its preview.
	r.Get("/:slug/extranet/brand.css", api.Can("extranet.deliverables", "read"), h.brandCSS)
}

func (h *handlers) getBranding(c *fiber.Ctx) error {
	b, err := h.svc.BrandingFor(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, b)
}

func (h *handlers) putBranding(c *fiber.Ctx) error {
	var in BrandingInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	b, err := h.svc.SetBranding(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, b)
}

func (h *handlers) brandingView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	b, err := h.svc.BrandingFor(c.UserContext(), actor.From(c))
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"color": b.Color, "welcome": b.Welcome})
	}
	p := h.web.NewPage(c, "extranet.branding.title")
	p.Data = brandingData{Branding: b, LogoURL: logoURL(b.Logo)}
	p.Form = form
	return p, nil
}

func (h *handlers) brandingPage(c *fiber.Ctx) error {
	p, err := h.brandingView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "extranet/branding", p)
}

func (h *handlers) brandingForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "color", "welcome", "remove_logo")
	color, welcome := form.Get("color"), form.Get("welcome")
	in := BrandingInput{Color: &color, Welcome: &welcome}
	var err error
	if form.Get("remove_logo") != "" {
		empty := ""
		in.Logo = &empty
	} else if fh, ferr := c.FormFile("logo"); ferr == nil && fh.Size > 0 {
		var logo string
		if logo, err = readLogo(fh.Open); err == nil {
			in.Logo = &logo
		}
	}
	if err == nil {
		_, err = h.svc.SetBranding(c.UserContext(), a, in)
	}
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.brandingView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "extranet/branding", p, err)
	}
	return web.Done(c, "extranet.flash.branding", "/"+a.Account.Slug+"/extranet/branding")
}

// brandingData is what the settings page shows.
type brandingData struct {
	*Branding
	LogoURL template.URL
}

// logoURL marks a stored logo safe for an img src: it was checked to be a data URL of an image
// (never SVG) when it was saved, and is checked again here.
func logoURL(s string) template.URL {
	for _, t := range logoTypes {
		if strings.HasPrefix(s, "data:"+t+";base64,") {
			return template.URL(s)
		}
	}
	return ""
}

// readLogo reads an uploaded image (at most MaxLogo bytes) as a data URL.
func readLogo[R io.ReadCloser](open func() (R, error)) (string, error) {
	f, err := open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxLogo+1))
	if err != nil {
		return "", err
	}
	url, msg := LogoDataURL(b)
	if msg != "" {
		return "", problem.Invalid(problem.FieldError{Field: "logo", Message: msg})
	}
	return url, nil
}

// brandCSS is the stylesheet of the account's colour for the portal (empty without one). The
// text on the colour turns dark when the colour is light, so the welcome stays readable.
func (h *handlers) brandCSS(c *fiber.Ctx) error {
	b, err := h.svc.Branding(c.UserContext(), actor.From(c).AccountID())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	if !colorRE.MatchString(b.Color) {
		return c.SendString("")
	}
	ink := "#ffffff"
	if luminance(b.Color) > 0.6 {
		ink = "#1f2a2e"
	}
	return c.SendString(fmt.Sprintf(".portal-hero{background:%[1]s;color:%[2]s}"+
		".portal-nav a[aria-current=\"page\"]{border-bottom-color:%[1]s}.portal-tile h2,.portal-figures .stat{color:%[1]s}"+
		".portal-tile:hover,.portal-tile:focus{border-color:%[1]s}\n", b.Color, ink))
}

// luminance is the relative brightness of a #rrggbb colour, from 0 to 1.
func luminance(hex string) float64 {
	n, _ := strconv.ParseUint(hex[1:], 16, 32)
	r, g, b := float64(n>>16&0xff), float64(n>>8&0xff), float64(n&0xff)
	return (0.299*r + 0.587*g + 0.114*b) / 255
}

// signInData is the banner of the sign-in page for an account's clients.
type signInData struct {
	Name    string
	Logo    template.URL
	Welcome string
}

// signInBanner is the sign-in page's banner (hooks.Set.SignIn) for a visitor headed for the
// account of slug: its name, logo and welcome text when it has a branding, "" otherwise (an
// unknown slug as well, so the page says nothing about which accounts exist).
func (h *handlers) signInBanner(c *fiber.Ctx, p *web.Page, slug string) (template.HTML, error) {
	id, name, err := h.svc.store.accountBySlug(c.UserContext(), h.svc.DB, slug)
	if err != nil || id == 0 {
		return "", err
	}
	b, err := h.svc.Branding(c.UserContext(), id)
	if err != nil || (b.Logo == "" && b.Welcome == "") {
		return "", err
	}
	q := *p
	q.Data = signInData{Name: name, Logo: logoURL(b.Logo), Welcome: b.Welcome}
	return h.web.Fragment("extranet/signin", &q)
}
