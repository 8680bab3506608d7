package projects

// The pages about projects as a whole: the projects list (tabs Active / Starred / Templates /
// Archived / Trash, filters, sorting, stars), the "New project" page (blank or from a
// template), and a project's settings (its fields, apps, tag colours, template mark, state,
// members). They work without JavaScript: every action is a form (app.js only adds the
// confirmations of data-confirm), and the list sorts and filters on the server.

import (
	"cmp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// registerProjectPages declares the pages of this file; /projects/new comes before the
// pages of /projects/:id (which would take "new" for an id).
func registerProjectPages(r *app.Registry, h *pages) {
	read, create, manage := api.Can("projects", "read"), api.Can("projects", "create"), api.Can("projects", "manage")
	r.Get("/:slug/projects/new", create, h.newProject)
	r.Get("/:slug/projects/:id/settings", manage, h.settings)
	r.Post("/:slug/projects/:id/settings", manage, h.saveSettings)
	r.Post("/:slug/projects/:id/archive", manage, h.changeState("archive"))
	r.Post("/:slug/projects/:id/trash", manage, h.changeState("trash"))
	r.Post("/:slug/projects/:id/restore", manage, h.changeState("restore"))
	r.Post("/:slug/projects/:id/star", read, h.star(true))
	r.Post("/:slug/projects/:id/unstar", read, h.star(false))
	r.Post("/:slug/projects/:id/members", manage, h.addMember)
	r.Post("/:slug/projects/:id/members/:user_id", manage, h.changeMember)
	r.Post("/:slug/projects/:id/members/:user_id/remove", manage, h.removeMember)
}

// option is a choice of a select, or a checkbox.
type option struct {
	Value, Label string
	Key          bool // Label is a catalog key
	Selected     bool
}

// optionGroup is an <optgroup>.
type optionGroup struct {
	Label   string // catalog key
	Options []option
}

func options(cur string, vals ...option) []option {
	for i := range vals {
		vals[i].Selected = vals[i].Value == cur
	}
	return vals
}

// listTabs are the tabs of the projects list: the filter each stands for.
var listTabs = []struct {
	Key    string
	Filter ProjectFilter
}{
	{"active", ProjectFilter{State: StateActive}},
	{"starred", ProjectFilter{State: StateActive, Starred: true, ProjectSearch: ProjectSearch{Templates: TemplatesAny}}},
	{"templates", ProjectFilter{State: StateActive, ProjectSearch: ProjectSearch{Templates: TemplatesOnly}}},
	{"archived", ProjectFilter{State: StateArchived, ProjectSearch: ProjectSearch{Templates: TemplatesAny}}},
	{"trash", ProjectFilter{State: StateTrash, ProjectSearch: ProjectSearch{Templates: TemplatesAny}}},
}

// listSorts are the orders of the projects list.
var listSorts = []string{"name", "code", "client", "leader", "starts_on", "ends_on", "progress"}

// maxListed bounds the projects the list shows at once (it sorts them on the server).
const maxListed = 1000

// projectRow is a line of the projects list.
type projectRow struct {
	Project
	Client, Leader string
	Percent        int
	Tags           []tagView
}

// tagView is a tag with its colour.
type tagView struct{ Name, Color string }

func tagsOf(p *Project) []tagView {
	out := make([]tagView, len(p.Tags))
	for i, t := range p.Tags {
		out[i] = tagView{Name: t, Color: p.TagColors[t]}
	}
	return out
}

// listData is what the projects list shows.
type listData struct {
	Rows     []projectRow
	Tab      string
	Tabs     []tab
	Back     string // this page, for the forms' redirects
	Q, Tag   string
	Sort     string
	Sorts    []option
	Clients  []option // nil for a client viewer
	More     bool     // more than maxListed projects matched
	Filtered bool
}

func (h *pages) list(c *fiber.Ctx) error {
	a, ctx := actor.From(c), c.UserContext()
	sc := scopeOf(a)
	d := listData{Tab: c.Query("tab", "active"), Q: c.Query("q"), Tag: c.Query("tag"), Sort: c.Query("sort", "name")}
	i := slices.IndexFunc(listTabs, func(t struct {
		Key    string
		Filter ProjectFilter
	}) bool {
		return t.Key == d.Tab
	})
	if i < 0 || (d.Tab == "trash" && !sc.Manage) {
		return problem.NotFound()
	}
	if !slices.Contains(listSorts, d.Sort) {
		return problem.Invalid(problem.FieldError{Field: "sort", Message: "must be one of " + strings.Join(listSorts, ", ")})
	}
	f := listTabs[i].Filter
	search, err := projectSearch(c)
	if err != nil {
		return err
	}
	f.Query, f.Tag, f.ClientCompanyID = search.Query, search.Tag, search.ClientCompanyID
	d.Filtered = f.Query != "" || f.Tag != "" || f.ClientCompanyID != 0
	ps, err := all(maxListed+1, func(pg api.Page) (api.List[Project], error) {
		pg.Limit = api.MaxLimit
		return h.svc.ListProjects(ctx, a, f, pg)
	}, func(p Project) int64 { return p.ID })
	if err != nil {
		return err
	}
	if len(ps) > maxListed {
		ps, d.More = ps[:maxListed], true
	}
	var leaders []int64
	for _, p := range ps {
		if p.LeaderID != nil {
			leaders = append(leaders, *p.LeaderID)
		}
	}
	people, err := h.svc.People.MembersByID(ctx, a, dedupe(leaders))
	if err != nil {
		return err
	}
	companies := map[int64]string{}
	if !sc.Client {
		cs, err := h.clientCompanies(c)
		if err != nil {
			return err
		}
		cur := itoa(f.ClientCompanyID)
		d.Clients = []option{{Value: "", Label: "projects.all", Key: true}}
		for _, co := range cs {
			companies[co.ID] = co.Name
			d.Clients = append(d.Clients, option{Value: itoa(co.ID), Label: co.Name, Selected: itoa(co.ID) == cur})
		}
	}
	for _, p := range ps {
		row := projectRow{Project: p, Percent: percent(p.Counts), Tags: tagsOf(&p)}
		if p.LeaderID != nil {
			row.Leader = people[*p.LeaderID].Name
		}
		if p.ClientCompanyID != nil {
			row.Client = companies[*p.ClientCompanyID]
		}
		d.Rows = append(d.Rows, row)
	}
	sortRows(d.Rows, d.Sort)
	for _, s := range listSorts {
		d.Sorts = append(d.Sorts, option{Value: s, Label: "projects.sort." + s, Key: true, Selected: s == d.Sort})
	}
	base := slugBase(c) + "/projects"
	for _, t := range listTabs {
		if t.Key == "trash" && !sc.Manage {
			continue
		}
		href := base
		if t.Key != "active" {
			href += "?tab=" + t.Key
		}
		d.Tabs = append(d.Tabs, tab{Label: "projects.tab." + t.Key, Href: href, Current: t.Key == d.Tab})
	}
	d.Back = strings.Clone(c.OriginalURL())
	p := h.page(c, "projects.list.title", nil)
	p.Data = d
	return h.web.Render(c, "projects/list", p)
}

// sortRows orders the list; ties (and empty values, last) fall back on the name.
func sortRows(rows []projectRow, by string) {
	key := func(r *projectRow) string {
		switch by {
		case "code":
			return strings.ToLower(r.Code)
		case "client":
			return strings.ToLower(r.Client)
		case "leader":
			return strings.ToLower(r.Leader)
		case "starts_on":
			return string(r.StartsOn)
		case "ends_on":
			return string(r.EndsOn)
		}
		return ""
	}
	slices.SortStableFunc(rows, func(x, y projectRow) int {
		if by == "progress" {
			if c := cmp.Compare(y.Percent, x.Percent); c != 0 {
				return c
			}
		} else if kx, ky := key(&x), key(&y); kx != ky {
			switch {
			case kx == "":
				return 1
			case ky == "":
				return -1
			}
			return strings.Compare(kx, ky)
		}
		return cmp.Or(strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), cmp.Compare(x.ID, y.ID))
	})
}

// clientCompanies are the account's client and supplier companies.
func (h *pages) clientCompanies(c *fiber.Ctx) ([]identity.Company, error) {
	a := actor.From(c)
	cs, err := all(maxListed, func(pg api.Page) (api.List[identity.Company], error) {
		return h.svc.People.ListCompanies(c.UserContext(), a, pg)
	}, func(co identity.Company) int64 { return co.ID })
	return slices.DeleteFunc(cs, func(co identity.Company) bool { return co.Kind == identity.KindInternal }), err
}

// people are the account's active people: colleagues, and clients when clients is true.
func (h *pages) people(c *fiber.Ctx, clients bool) ([]identity.Member, error) {
	a := actor.From(c)
	ms, err := all(5000, func(pg api.Page) (api.List[identity.Member], error) {
		pg.Limit = api.MaxLimit
		return h.svc.People.ListMembers(c.UserContext(), a, pg, identity.MemberFilter{})
	}, func(m identity.Member) int64 { return m.ID })
	return slices.DeleteFunc(ms, func(m identity.Member) bool {
		return !m.Active || (m.Role == actor.RoleClient && !clients)
	}), err
}

// formData is what the project form (new or settings) shows.
type formData struct {
	Mode                          string // new or settings
	Project                       *projectView
	Action                        string
	Companies, Leaders, Assistant []option
	Categories                    []option // the account's project categories (none: the field hides)
	Access                        []option
	Sources                       []optionGroup
	Apps                          []option
	KeptApps                      []string // apps no module provides yet, kept as they are
	Colors                        []tagColorRow
	GuestsAllowed, CopyTasks      bool
	IsTemplate                    bool
	Members                       []memberRow
	Addable                       []option
	Roles                         []option
	Palette                       []string
}

// tagColorRow is a tag with the choice of its colour.
type tagColorRow struct {
	Index   int
	Tag     string
	Options []option
}

// memberRow is a member with the choice of their role.
type memberRow struct {
	ProjectMember
	Roles []option
	Lead  bool // the leader or the assistant: stays a manager
}

// projectFields are the fields of the project form.
var projectFields = []string{"name", "code", "client_company_id", "category_id", "tags", "starts_on", "ends_on", "leader_id",
	"assistant_leader_id", "access", "guests_allowed", "template_id", "copy_tasks", "is_template", "apps"}

// formPage builds the project form over form's values.
func (h *pages) formPage(c *fiber.Ctx, mode string, v *projectView, form *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	d := &formData{Mode: mode, Project: v, Action: slugBase(c) + "/projects", Palette: Palette,
		GuestsAllowed: form.Get("guests_allowed") != "", CopyTasks: form.Get("copy_tasks") != "", IsTemplate: form.Get("is_template") != ""}
	cs, err := h.clientCompanies(c)
	if err != nil {
		return nil, err
	}
	d.Companies = []option{{Value: "", Label: "projects.none", Key: true}}
	for _, co := range cs {
		d.Companies = append(d.Companies, option{Value: itoa(co.ID), Label: co.Name})
	}
	d.Companies = options(form.Get("client_company_id"), d.Companies...)
	cats, err := h.svc.Categories(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(cats.Items) > 0 {
		d.Categories = []option{{Value: "", Label: "projects.none", Key: true}}
		for _, ct := range cats.Items {
			d.Categories = append(d.Categories, option{Value: itoa(ct.ID), Label: ct.Name})
		}
		d.Categories = options(form.Get("category_id"), d.Categories...)
	}
	people, err := h.people(c, v != nil && v.Project.GuestsAllowed)
	if err != nil {
		return nil, err
	}
	d.Leaders = []option{{Value: "", Label: "projects.leader.me", Key: true}}
	if mode == "settings" {
		d.Leaders[0].Label = "projects.leader.keep" // the current leader, when no longer a choice
	}
	d.Assistant = []option{{Value: "", Label: "projects.none", Key: true}}
	for _, m := range people {
		if m.Role != actor.RoleClient {
			d.Leaders = append(d.Leaders, option{Value: itoa(m.ID), Label: m.Name})
			d.Assistant = append(d.Assistant, option{Value: itoa(m.ID), Label: m.Name})
		}
	}
	d.Leaders, d.Assistant = options(form.Get("leader_id"), d.Leaders...), options(form.Get("assistant_leader_id"), d.Assistant...)
	access := []option{{Value: AccessOpen, Label: "projects.access.open", Key: true}, {Value: AccessInvite, Label: "projects.access.invite", Key: true}}
	if mode == "new" {
		access = append([]option{{Value: "", Label: "projects.access.default", Key: true}}, access...)
	}
	d.Access = options(form.Get("access"), access...)
	switch mode {
	case "new":
		d.Action = slugBase(c) + "/projects"
		cur := form.Get("template_id")
		d.Sources = []optionGroup{{Options: []option{{Value: "", Label: "projects.source.blank", Key: true, Selected: cur == ""}}}}
		for _, g := range []struct {
			label string
			f     ProjectFilter
		}{
			{"projects.source.templates", ProjectFilter{State: StateActive, ProjectSearch: ProjectSearch{Templates: TemplatesOnly}}},
			{"projects.source.projects", ProjectFilter{State: StateActive}},
		} {
			ps, err := all(maxListed, func(pg api.Page) (api.List[Project], error) {
				pg.Limit = api.MaxLimit
				return h.svc.ListProjects(ctx, a, g.f, pg)
			}, func(p Project) int64 { return p.ID })
			if err != nil {
				return nil, err
			}
			grp := optionGroup{Label: g.label}
			for _, p := range ps {
				grp.Options = append(grp.Options, option{Value: itoa(p.ID), Label: p.Name, Selected: itoa(p.ID) == cur})
			}
			if len(grp.Options) > 0 {
				d.Sources = append(d.Sources, grp)
			}
		}
	case "settings":
		d.Action = v.Base + "/settings"
		apps := strings.Split(form.Get("apps"), ",")
		for _, ap := range AllApps {
			if !h.offers(ap) {
				// Kept as it is, unseen, until a module provides the app.
				if slices.Contains(apps, ap) {
					d.KeptApps = append(d.KeptApps, ap)
				}
				continue
			}
			d.Apps = append(d.Apps, option{Value: ap, Label: "projects.app." + ap, Key: true, Selected: slices.Contains(apps, ap)})
		}
		for i, t := range v.Project.Tags {
			row := tagColorRow{Index: i, Tag: t}
			cur := form.Get("color_" + itoa(int64(i)))
			for _, col := range Palette {
				row.Options = append(row.Options, option{Value: col, Label: "projects.color." + col, Key: true, Selected: col == cur})
			}
			d.Colors = append(d.Colors, row)
		}
		if err := h.memberRows(c, v, d); err != nil {
			return nil, err
		}
	}
	title := "projects.new"
	if v != nil {
		title = v.Project.Name
	}
	p := h.page(c, title, form)
	p.Data = d
	return p, nil
}

// memberRows fills the members part of the settings.
func (h *pages) memberRows(c *fiber.Ctx, v *projectView, d *formData) error {
	ms, err := h.svc.Members(c.UserContext(), actor.From(c), v.Project.ID)
	if err != nil {
		return err
	}
	in := map[int64]bool{}
	for _, m := range ms {
		in[m.UserID] = true
		row := memberRow{ProjectMember: m, Lead: isID(v.Project.LeaderID, m.UserID) || isID(v.Project.AssistantLeaderID, m.UserID)}
		row.Roles = roleOptions(m.Role, m.Role == RoleClient)
		d.Members = append(d.Members, row)
	}
	people, err := h.people(c, v.Project.GuestsAllowed)
	if err != nil {
		return err
	}
	d.Addable = []option{{Value: "", Label: "projects.members.choose", Key: true, Selected: true}}
	for _, m := range people {
		if !in[m.ID] {
			label := m.Name
			if m.Role == actor.RoleClient {
				label += " (" + m.Email + ")"
			}
			d.Addable = append(d.Addable, option{Value: itoa(m.ID), Label: label})
		}
	}
	d.Roles = []option{{Value: RoleMember, Label: "projects.role.member", Key: true, Selected: true},
		{Value: RoleManager, Label: "projects.role.manager", Key: true}}
	if v.Project.GuestsAllowed {
		d.Roles = append(d.Roles, option{Value: RoleClient, Label: "projects.role.client", Key: true})
	}
	return nil
}

func roleOptions(cur string, client bool) []option {
	if client {
		return []option{{Value: RoleClient, Label: "projects.role.client", Key: true, Selected: true}}
	}
	return options(cur, option{Value: RoleManager, Label: "projects.role.manager", Key: true}, option{Value: RoleMember, Label: "projects.role.member", Key: true})
}

// newProject is the "New project" page; ?template=ID preselects where to start from (the
// list's "Use as template" link).
func (h *pages) newProject(c *fiber.Ctx) error {
	values := map[string]string{"copy_tasks": "on"}
	if id := c.Query("template"); id != "" {
		values["template_id"] = id
	}
	p, err := h.formPage(c, "new", nil, web.EmptyForm(values))
	if err != nil {
		return err
	}
	return h.web.Render(c, "projects/projectform", p)
}

// splitTags reads a comma-separated list of tags (nil when there is none).
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func checked(f *web.Form, field string) bool { return f.Get(field) != "" }

// create serves the "New project" form (and any form posting a name to /projects).
func (h *pages) create(c *fiber.Ctx) error {
	form := web.NewForm(c, projectFields...)
	var fe problem.Fields
	in := ProjectInput{Name: form.Get("name"), Code: form.Get("code"), CategoryID: formID(form, "category_id", &fe), StartsOn: form.Get("starts_on"),
		EndsOn: form.Get("ends_on"), Access: form.Get("access"), GuestsAllowed: checked(form, "guests_allowed"), Tags: splitTags(form.Get("tags")),
		ClientCompanyID: formID(form, "client_company_id", &fe), LeaderID: formID(form, "leader_id", &fe),
		AssistantLeaderID: formID(form, "assistant_leader_id", &fe), TemplateID: formID(form, "template_id", &fe)}
	if in.TemplateID != 0 {
		copyTasks := checked(form, "copy_tasks")
		in.CopyTasks = &copyTasks
	}
	err := fe.Err()
	var p *Project
	if err == nil {
		p, err = h.svc.CreateProject(c.UserContext(), actor.From(c), in)
	}
	if err != nil {
		page, perr := h.formPage(c, "new", nil, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "projects/projectform", page, err)
	}
	return web.Done(c, "projects.created", slugBase(c)+"/projects/"+itoa(p.ID))
}

// settingsValues are a project's settings as form values.
func settingsValues(p *Project) map[string]string {
	v := map[string]string{"name": p.Name, "code": p.Code, "tags": strings.Join(p.Tags, ", "),
		"starts_on": string(p.StartsOn), "ends_on": string(p.EndsOn), "access": p.Access, "apps": strings.Join(p.Apps, ",")}
	for k, id := range map[string]*int64{"client_company_id": p.ClientCompanyID, "category_id": p.CategoryID, "leader_id": p.LeaderID, "assistant_leader_id": p.AssistantLeaderID} {
		if id != nil {
			v[k] = itoa(*id)
		}
	}
	for k, on := range map[string]bool{"guests_allowed": p.GuestsAllowed, "is_template": p.IsTemplate} {
		if on {
			v[k] = "on"
		}
	}
	for i, t := range p.Tags {
		v["color_"+itoa(int64(i))] = p.TagColors[t]
	}
	return v
}

func (h *pages) settings(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "settings")
	if err != nil {
		return err
	}
	p, err := h.formPage(c, "settings", v, web.EmptyForm(settingsValues(v.Project)))
	if err != nil {
		return err
	}
	return h.web.Render(c, "projects/projectform", p)
}

func (h *pages) saveSettings(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "settings")
	if err != nil {
		return err
	}
	form := web.NewForm(c, projectFields...)
	args := c.Request().PostArgs()
	apps := []string{}
	for _, b := range args.PeekMulti("apps") {
		apps = append(apps, string(b))
	}
	form.Values["apps"] = strings.Join(apps, ",")
	// Colours go with the tags shown when the page was drawn (tag_0 ... with color_0 ...);
	// those of tags removed in the same change are dropped.
	tags := splitTags(form.Get("tags"))
	colors := map[string]string{}
	for i, t := range v.Project.Tags {
		k := "color_" + itoa(int64(i))
		form.Values[k] = strings.Clone(c.FormValue(k))
		if col := form.Values[k]; col != "" && slices.ContainsFunc(tags, func(x string) bool { return strings.EqualFold(x, t) }) {
			colors[t] = col
		}
	}
	var fe problem.Fields
	if tags == nil {
		tags = []string{}
	}
	in := ProjectPatch{Name: ptr(form.Get("name")), Code: ptr(form.Get("code")), CategoryID: ptr(formID(form, "category_id", &fe)), Tags: &tags,
		StartsOn: ptr(form.Get("starts_on")), EndsOn: ptr(form.Get("ends_on")), Access: ptr(form.Get("access")),
		GuestsAllowed: ptr(checked(form, "guests_allowed")), IsTemplate: ptr(checked(form, "is_template")), Apps: &apps, TagColors: &colors,
		ClientCompanyID: ptr(formID(form, "client_company_id", &fe)), AssistantLeaderID: ptr(formID(form, "assistant_leader_id", &fe))}
	if id := formID(form, "leader_id", &fe); id != 0 {
		in.LeaderID = &id
	}
	err = fe.Err()
	if err == nil {
		_, err = h.svc.UpdateProject(c.UserContext(), actor.From(c), v.Project.ID, in)
	}
	if err != nil {
		page, perr := h.formPage(c, "settings", v, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "projects/projectform", page, err)
	}
	return web.Done(c, "projects.settings.saved", v.Base+"/settings")
}

func ptr[T any](v T) *T { return &v }

// changeState archives, trashes or restores the project of the path.
func (h *pages) changeState(verb string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		a, ctx := actor.From(c), c.UserContext()
		to := slugBase(c) + "/projects/" + itoa(id) + "/settings"
		switch verb {
		case "archive":
			_, err = h.svc.ArchiveProject(ctx, a, id)
		case "trash":
			_, err = h.svc.TrashProject(ctx, a, id)
			to = slugBase(c) + "/projects?tab=trash"
		default:
			_, err = h.svc.RestoreProject(ctx, a, id)
		}
		if err != nil {
			return err
		}
		return web.Done(c, "projects.state.done."+verb, web.SafeNext(c.FormValue("back"), to))
	}
}

// star stars or unstars a project, and goes back to the page the button was on.
func (h *pages) star(on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		if err := h.svc.Star(c.UserContext(), actor.From(c), id, on); err != nil {
			return err
		}
		key := "projects.starred.on"
		if !on {
			key = "projects.starred.off"
		}
		return web.Done(c, key, web.SafeNext(c.FormValue("back"), slugBase(c)+"/projects"))
	}
}

// memberForm re-renders the settings with a refused member change.
func (h *pages) memberRefused(c *fiber.Ctx, v *projectView, err error) error {
	page, perr := h.formPage(c, "settings", v, web.EmptyForm(settingsValues(v.Project)))
	if perr != nil {
		return perr
	}
	if pr, ok := problem.As(err); ok && pr.Status < 500 {
		// The message goes with the members part, not with a field of the settings form.
		page.Form.Error = pr.Detail
		for _, e := range pr.Errors {
			page.Form.Error = e.Message
		}
	}
	return h.web.Refuse(c, "projects/projectform", page, err)
}

func (h *pages) addMember(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "settings")
	if err != nil {
		return err
	}
	var fe problem.Fields
	form := web.NewForm(c, "user_id", "role")
	uid := formID(form, "user_id", &fe)
	fe.Check(uid != 0 || fe.Has("user_id"), "user_id", "is required")
	err = fe.Err()
	if err == nil {
		_, err = h.svc.SetMember(c.UserContext(), actor.From(c), v.Project.ID, uid, MemberInput{Role: form.Get("role")})
	}
	if err != nil {
		return h.memberRefused(c, v, err)
	}
	return web.Done(c, "projects.members.added", v.Base+"/settings#members")
}

func (h *pages) changeMember(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "settings")
	if err != nil {
		return err
	}
	uid, err := api.PathID(c, "user_id")
	if err != nil {
		return err
	}
	if _, err := h.svc.SetMember(c.UserContext(), actor.From(c), v.Project.ID, uid, MemberInput{Role: strings.Clone(c.FormValue("role"))}); err != nil {
		return h.memberRefused(c, v, err)
	}
	return web.Done(c, "projects.members.changed", v.Base+"/settings#members")
}

func (h *pages) removeMember(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "settings")
	if err != nil {
		return err
	}
	uid, err := api.PathID(c, "user_id")
	if err != nil {
		return err
	}
	if err := h.svc.RemoveMember(c.UserContext(), actor.From(c), v.Project.ID, uid); err != nil {
		return h.memberRefused(c, v, err)
	}
	return web.Done(c, "projects.members.removed", v.Base+"/settings#members")
}
