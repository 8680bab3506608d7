package automation

import (
	"embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
)

//go:embed views locales
var files embed.FS

// Nav is the navigation entry of the rules page.
var Nav = []web.NavItem{{Label: "automation.nav", Path: "/automation", Object: "automation", Action: "manage", Order: 60, Group: web.GroupAdmin}}

// Pages serves the rules pages: list, create, test, enable/disable, run log.
type Pages struct {
	Engine *Engine
	Web    *web.Renderer
	// EventTypes suggests the "when" of a rule.
	EventTypes []string
}

// Install loads the views and catalogs.
func (h *Pages) Install() error { return h.Web.Mount(files, "automation") }

// Routes registers the pages.
func (h *Pages) Routes(r *api.Routes) {
	can := api.Can("automation", "manage")
	r.Get("/:slug/automation", can, h.list)
	r.Post("/:slug/automation", can, h.create)
	r.Get("/:slug/automation/:id", can, h.show)
	r.Post("/:slug/automation/:id/test", can, h.test)
	r.Post("/:slug/automation/:id/enable", can, h.toggle(true))
	r.Post("/:slug/automation/:id/disable", can, h.toggle(false))
	r.Post("/:slug/automation/:id/delete", can, h.remove)
}

type listData struct {
	Rules      []Rule
	EventTypes []string
	Actions    []NamedAction
	Roles      []string
	Ops        []string
	Rows       []int
}

var formFields = []string{"name", "event_type", "action_type", "message", "run_name",
	"cond_field_0", "cond_op_0", "cond_value_0", "cond_field_1", "cond_op_1", "cond_value_1", "cond_field_2", "cond_op_2", "cond_value_2",
	"role_owner", "role_admin", "role_manager", "role_member", "role_client"}

func (h *Pages) listPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	list, err := h.Engine.List(c.UserContext(), actor.From(c), api.Page{Limit: MaxRules})
	if err != nil {
		return nil, err
	}
	p := h.Web.NewPage(c, "automation.title")
	if form == nil {
		form = web.EmptyForm(map[string]string{"action_type": "notify", "role_owner": "on"})
	}
	p.Form = form
	p.Data = listData{Rules: list.Items, EventTypes: h.EventTypes, Actions: h.Engine.Actions(), Roles: roles, Ops: Ops, Rows: []int{0, 1, 2}}
	return p, nil
}

func (h *Pages) list(c *fiber.Ctx) error {
	p, err := h.listPage(c, nil)
	if err != nil {
		return err
	}
	return h.Web.Render(c, "automation/list", p)
}

// inputFrom turns the form into a rule: up to three conditions and one action.
func inputFrom(f *web.Form) RuleInput {
	in := RuleInput{Name: f.Get("name"), EventType: strings.TrimSpace(f.Get("event_type")), Conditions: []Condition{}}
	for i := 0; i < 3; i++ {
		field := strings.TrimSpace(f.Get(fmt.Sprintf("cond_field_%d", i)))
		if field == "" {
			continue
		}
		c := Condition{Field: field, Op: f.Get(fmt.Sprintf("cond_op_%d", i))}
		if v := f.Get(fmt.Sprintf("cond_value_%d", i)); v != "" {
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				c.Value = n
			} else {
				c.Value = v
			}
		}
		in.Conditions = append(in.Conditions, c)
	}
	a := Action{Type: f.Get("action_type")}
	switch a.Type {
	case "notify":
		for _, r := range roles {
			if f.Get("role_"+r) != "" {
				a.Roles = append(a.Roles, r)
			}
		}
		a.Message = f.Get("message")
	case "run":
		a.Name = f.Get("run_name")
	}
	in.Actions = []Action{a}
	return in
}

// formField maps the service's field names to the form's.
func formField(field string) string {
	switch {
	case strings.HasPrefix(field, "conditions["):
		i := field[len("conditions[") : len("conditions[")+1]
		return "cond_" + field[strings.IndexByte(field, '.')+1:] + "_" + i
	case strings.HasSuffix(field, ".users"), strings.HasSuffix(field, ".roles"):
		return "roles"
	case strings.HasSuffix(field, ".message"):
		return "message"
	case strings.HasSuffix(field, ".name"):
		return "run_name"
	case strings.HasSuffix(field, ".type"):
		return "action_type"
	}
	return field
}

func (h *Pages) create(c *fiber.Ctx) error {
	form := web.NewForm(c, formFields...)
	_, err := h.Engine.Create(c.UserContext(), actor.From(c), inputFrom(form))
	if err != nil {
		p, perr := h.listPage(c, form)
		if perr != nil {
			return perr
		}
		if !form.Fail(err) {
			return err
		}
		for k, v := range form.Errors {
			if m := formField(k); m != k {
				form.Errors[m] = v
			}
		}
		p.Status = form.Status(err)
		return h.Web.Render(c, "automation/list", p)
	}
	return web.Done(c, "automation.created", "/"+actor.From(c).Account.Slug+"/automation")
}

type showData struct {
	Rule  *Rule
	Runs  []Run
	Trial *Trial
}

func (h *Pages) showPage(c *fiber.Ctx, trial *Trial) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	r, err := h.Engine.Get(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	runs, err := h.Engine.Runs(c.UserContext(), a, id, api.Page{Limit: 100})
	if err != nil {
		return err
	}
	p := h.Web.NewPage(c, r.Name)
	p.Form = web.EmptyForm(nil)
	p.Data = showData{Rule: r, Runs: runs.Items, Trial: trial}
	return h.Web.Render(c, "automation/show", p)
}

func (h *Pages) show(c *fiber.Ctx) error { return h.showPage(c, nil) }

func (h *Pages) test(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := h.Engine.Test(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return h.showPage(c, t)
}

func (h *Pages) toggle(on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		if _, err := h.Engine.SetEnabled(c.UserContext(), actor.From(c), id, on); err != nil {
			return err
		}
		key := "automation.disabled"
		if on {
			key = "automation.enabled"
		}
		return web.Done(c, key, fmt.Sprintf("/%s/automation/%d", actor.From(c).Account.Slug, id))
	}
}

func (h *Pages) remove(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Engine.Delete(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return web.Done(c, "automation.deleted", "/"+actor.From(c).Account.Slug+"/automation")
}
