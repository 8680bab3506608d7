package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/identity"
	"groupcamp/core/web"
)

// settingsData is what the settings page shows.
type settingsData struct {
	Account   *identity.Account
	Billing   bool // the viewer may change the legal and billing fields (the owner)
	TimeUnits []option
	Languages []option
	Mailbox   string // the dev mailbox's address, when the viewer may open it
}

var settingsFields = []string{"name", "country", "vat_number", "currency", "time_unit", "locale"}

func (h *handlers) settingsPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	acc, err := h.svc.Account(c.UserContext(), a)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"name": acc.Name, "country": acc.Country, "vat_number": acc.VATNumber,
			"currency": acc.Currency, "time_unit": acc.TimeUnit, "locale": acc.Locale})
	}
	p := h.page(c, "admin.settings.title", form)
	d := settingsData{Account: acc, Billing: a.May("account", "billing"),
		TimeUnits: []option{{"hours", "admin.settings.hours"}, {"days", "admin.settings.days"}}}
	for _, l := range web.Languages {
		d.Languages = append(d.Languages, option{l, "lang." + l})
	}
	if h.mailbox != nil && a.May("devmail", "read") {
		d.Mailbox = base(c) + "/dev/mailbox"
	}
	p.Data = d
	return p, nil
}

func (h *handlers) settings(c *fiber.Ctx) error {
	p, err := h.settingsPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/settings", p)
}

func (h *handlers) saveSettings(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, settingsFields...)
	name, unit, locale := form.Get("name"), form.Get("time_unit"), form.Get("locale")
	patch := identity.AccountPatch{Name: &name, TimeUnit: &unit, Locale: &locale}
	if a.May("account", "billing") {
		// Only the owner sees these as inputs; for anyone else they are not part of the form.
		country := strings.ToUpper(strings.TrimSpace(form.Get("country")))
		vat := form.Get("vat_number")
		cur := strings.ToUpper(strings.TrimSpace(form.Get("currency")))
		patch.Country, patch.VATNumber, patch.Currency = &country, &vat, &cur
	}
	if _, err := h.svc.UpdateAccount(c.UserContext(), a, patch); err != nil {
		p, perr := h.settingsPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/settings", p, err)
	}
	return done(c, "admin.settings.saved", base(c)+"/settings")
}
