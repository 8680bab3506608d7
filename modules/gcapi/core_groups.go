package gcapi

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	projects "groupcamp/modules/projects/contract"
)

// The groups of core/v1 (provisioning): GroupCamp's groups of type project are our projects.

// groupFields maps the projects module's field names to the documentation's.
var groupFields = map[string]string{
	"code": "project_code", "category": "category_name", "tags": "tags_names", "client_company_id": "orga",
	"leader_id": "leader1", "assistant_leader_id": "leader2", "guests_allowed": "with_guests", "template_id": "template.id",
}

// state is GroupCamp's name of a project's state.
func state(s string) string {
	switch s {
	case "archived":
		return "archi"
	case "trash":
		return "trash"
	}
	return "ok"
}

func simpleGroup(g projects.Group) SimpleGroup {
	return SimpleGroup{ID: id(g.ID), Name: g.Name, Type: "group", GType: "project", State: state(g.State)}
}

// Group is a project as GET core/v1/group/[Group] answers it (with the fields the creation
// answers too: subtype, tags_names, starred, project_code).
type Group struct {
	ID               string       `json:"id"`
	Name             string       `json:"name"`
	GroupName        string       `json:"group_name"`
	Type             string       `json:"type"`
	GType            string       `json:"gtype"`
	SubType          string       `json:"subtype"`
	State            string       `json:"state"`
	Description      string       `json:"description"`
	ProjectCode      string       `json:"project_code"`
	Orga             *SimpleOrga  `json:"orga"`
	Leader1          *SimpleUser  `json:"leader1"`
	Leader2          *SimpleUser  `json:"leader2"`
	ManagingTeam     *SimpleTeam  `json:"managing_team"`
	Category         *SimpleGcat  `json:"category"`
	Access           string       `json:"access"`
	Users            []SimpleUser `json:"users"`
	TagsNames        []string     `json:"tags_names"`
	DescriptionColor string       `json:"description_color"`
	CanAcceptGuest   bool         `json:"can_accept_guest"`
	NbUsers          int          `json:"nb_users"`
	Starred          int          `json:"starred"`
	Dates            Dates        `json:"dates"`
}

// group is the full answer about g.
func (h *handlers) group(c *fiber.Ctx, a *actor.Actor, g projects.Group) (Group, error) {
	ids := []int64{g.LeaderID, g.AssistantLeaderID}
	for uid := range g.Members {
		ids = append(ids, uid)
	}
	ms, err := h.members(c, a, ids)
	if err != nil {
		return Group{}, err
	}
	out := Group{ID: id(g.ID), Name: g.Name, GroupName: g.Name, Type: "group", GType: "project", SubType: "internal", State: state(g.State),
		ProjectCode: g.Code, Leader1: personOrNil(ms, g.LeaderID), Leader2: personOrNil(ms, g.AssistantLeaderID), Access: "open",
		Users: []SimpleUser{}, TagsNames: g.Tags, DescriptionColor: "default", CanAcceptGuest: g.GuestsAllowed, NbUsers: len(g.Members),
		Dates: Dates{Start: dayOrNil(g.StartsOn), End: dayOrNil(g.EndsOn)}}
	if g.Access == "invite" {
		out.Access = "invited"
	}
	if g.Starred {
		out.Starred = 1
	}
	if g.CategoryID != 0 {
		out.Category = &SimpleGcat{ID: id(g.CategoryID), Type: "gcat", Name: g.Category}
	}
	if g.ClientCompanyID != 0 {
		out.SubType = "customer"
		if co, err := h.people.Company(c.UserContext(), a, g.ClientCompanyID); err == nil {
			o := simpleOrga(*co)
			out.Orga = &o
		}
	}
	uids := make([]int64, 0, len(g.Members))
	for uid := range g.Members {
		uids = append(uids, uid)
	}
	slices.Sort(uids)
	for _, uid := range uids {
		if m, ok := ms[uid]; ok {
			out.Users = append(out.Users, simpleUser(m))
		}
	}
	return out, nil
}

// listGroups is GET core/v1/groups.
func (h *handlers) listGroups(c *fiber.Ctx, a *actor.Actor) error {
	f := projects.GroupFilter{Name: c.Query("name"), Search: c.Query("search"), Category: c.Query("category_name")}
	switch c.Query("gtype") {
	case "", "project":
	case "intranet", "extranet":
		return result(c, []SimpleGroup{}) // we have projects only
	default:
		return badParam("gtype", "invalid")
	}
	switch c.Query("state") {
	case "", "ok":
		f.States = []string{"active"}
	case "archi":
		f.States = []string{"archived"}
	case "trash":
		f.States = []string{"trash"}
	case "all":
		f.States = []string{"active", "archived", "trash"}
	case "del":
		return result(c, []SimpleGroup{}) // deleted projects are gone for good
	default:
		return badParam("state", "invalid")
	}
	switch c.Query("project_type") {
	case "":
	case "internal":
		f.InternalOnly = true
	case "customer":
		f.ClientOnly = true
	default:
		return badParam("project_type", "invalid")
	}
	if u := c.Query("user"); u != "" {
		uid, err := h.userRef(c, a, u)
		if err != nil {
			if err == notFound {
				return result(c, []SimpleGroup{})
			}
			return badParam("user", "invalid")
		}
		f.UserID = uid
	}
	for _, p := range []string{"name", "search", "category_name"} {
		if len(c.Query(p)) > 200 {
			return badParam(p, "too_long")
		}
	}
	gs, err := h.groups.Get().List(c.UserContext(), a, f)
	if err != nil {
		return err
	}
	out := make([]SimpleGroup, len(gs))
	for i, g := range gs {
		out[i] = simpleGroup(g)
	}
	return result(c, out)
}

// getGroup is GET core/v1/group/[Group].
func (h *handlers) getGroup(c *fiber.Ctx, a *actor.Actor) error {
	gid, err := pathID(c, "group")
	if err != nil {
		return err
	}
	g, err := h.groups.Get().Get(c.UserContext(), a, gid)
	if err != nil {
		return err
	}
	out, err := h.group(c, a, *g)
	if err != nil {
		return err
	}
	return result(c, out)
}

// groupBody is the body of POST core/v1/group/project(/[Group]). Fields GroupCamp documents
// that we have no place for are read and ignored (see the README).
type groupBody struct {
	Name           *string   `json:"name"`
	ExternalRef    *string   `json:"external_ref"`
	ProjectCode    *string   `json:"project_code"`
	Description    *string   `json:"description"`
	CategoryName   *string   `json:"category_name"`
	TagsNames      *[]string `json:"tags_names"`
	Leader1        flexID    `json:"leader1"`
	Leader2        flexID    `json:"leader2"`
	Managers       []flexID  `json:"managers"`
	ManagementTeam flexID    `json:"management_team"`
	SubType        *string   `json:"subtype"`
	Orga           flexID    `json:"orga"`
	Access         *string   `json:"access"`
	WithGuests     *bool     `json:"with_guests"`
	Template       *struct {
		ID flexID `json:"id"`
	} `json:"template"`
}

// input checks the body and turns it into the port's input; creating says whether the
// project is new.
func (b groupBody) input(creating bool) (projects.GroupInput, []fieldError) {
	var in projects.GroupInput
	var errs []fieldError
	add := func(field, code string) { errs = append(errs, fieldError{Field: field, Error: code}) }
	if b.Name == nil {
		add("name", "mandatory")
	} else if name, code := clean(*b.Name, 200, true); code != "" {
		add("name", code)
	} else {
		in.Name = &name
	}
	if b.ProjectCode != nil {
		code, bad := clean(*b.ProjectCode, 50, false)
		if bad != "" {
			add("project_code", bad)
		}
		in.Code = &code
	}
	if b.CategoryName != nil {
		cat, bad := clean(*b.CategoryName, 100, false)
		if bad != "" {
			add("category_name", bad)
		}
		in.Category = &cat
	}
	if b.TagsNames != nil {
		if len(*b.TagsNames) > 50 {
			add("tags_names", "too_long")
		}
		tags := append([]string{}, *b.TagsNames...)
		in.Tags = &tags
	}
	for field, f := range map[string]flexID{"leader1": b.Leader1, "leader2": b.Leader2} {
		if !f.Set {
			continue
		}
		if f.Bad {
			add(field, "invalid")
			continue
		}
		v := f.Value
		if field == "leader1" {
			in.LeaderID = &v
		} else {
			in.AssistantLeaderID = &v
		}
	}
	if b.Access != nil {
		switch *b.Access {
		case "open", "invite":
			acc := *b.Access
			in.Access = &acc
		case "invited":
			acc := "invite"
			in.Access = &acc
		default:
			add("access", "invalid")
		}
	}
	in.GuestsAllowed = b.WithGuests
	if b.SubType != nil && *b.SubType != "internal" && *b.SubType != "customer" {
		add("subtype", "invalid")
	}
	customer := b.SubType != nil && *b.SubType == "customer"
	switch {
	case b.Orga.Bad:
		add("orga", "invalid")
	case customer && b.Orga.Value == 0:
		add("orga", "mandatory")
	case customer || (b.SubType == nil && b.Orga.Set):
		v := b.Orga.Value
		in.ClientCompanyID = &v
	case b.SubType != nil: // internal
		v := int64(0)
		in.ClientCompanyID = &v
	}
	if creating && b.Template != nil {
		if b.Template.ID.Bad || b.Template.ID.Value == 0 {
			add("template.id", "invalid")
		}
		in.TemplateID = b.Template.ID.Value
	}
	if !creating && in.ClientCompanyID != nil && *in.ClientCompanyID == 0 && b.SubType == nil {
		in.ClientCompanyID = nil
	}
	if creating && in.ClientCompanyID != nil && *in.ClientCompanyID == 0 {
		in.ClientCompanyID = nil
	}
	return in, errs
}

// created is the answer of a creation or a change of a project.
type created struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	GType          string   `json:"gtype"`
	SubType        string   `json:"subtype"`
	Orga           *string  `json:"orga"`
	State          string   `json:"state"`
	TagsNames      []string `json:"tags_names"`
	Description    string   `json:"description"`
	Starred        int      `json:"starred"`
	CanAcceptGuest bool     `json:"can_accept_guest"`
	NbUsers        int      `json:"nb_users"`
}

func createdOf(g projects.Group) created {
	out := created{ID: id(g.ID), Name: g.Name, Type: "group", GType: "project", SubType: "internal", State: state(g.State),
		TagsNames: g.Tags, CanAcceptGuest: g.GuestsAllowed, NbUsers: len(g.Members)}
	if g.ClientCompanyID != 0 {
		out.SubType = "customer"
		o := id(g.ClientCompanyID)
		out.Orga = &o
	}
	if g.Starred {
		out.Starred = 1
	}
	return out
}

// nameTaken reports whether another project (of any state) has exactly this name.
func (h *handlers) nameTaken(c *fiber.Ctx, a *actor.Actor, name string, except int64) (bool, error) {
	gs, err := h.groups.Get().List(c.UserContext(), a, projects.GroupFilter{Name: name, States: []string{"active", "archived", "trash"}})
	if err != nil {
		return false, err
	}
	for _, g := range gs {
		if g.ID != except {
			return true, nil
		}
	}
	return false, nil
}

// createGroup is POST core/v1/group/project.
func (h *handlers) createGroup(c *fiber.Ctx, a *actor.Actor) error {
	var b groupBody
	if err := decode(c, &b); err != nil {
		return err
	}
	in, errs := b.input(true)
	if len(errs) == 0 {
		taken, err := h.nameTaken(c, a, *in.Name, 0)
		if err != nil {
			return err
		}
		if taken {
			errs = append(errs, fieldError{Field: "name", Error: "already_use"})
		}
	}
	if len(errs) > 0 {
		return &badRequest{detail: "error_body_data", errs: errs}
	}
	g, err := h.groups.Get().Create(c.UserContext(), a, in)
	if err != nil {
		return err
	}
	return result(c, createdOf(*g))
}

// updateGroup is POST core/v1/group/project/[Group].
func (h *handlers) updateGroup(c *fiber.Ctx, a *actor.Actor) error {
	gid, err := pathID(c, "group")
	if err != nil {
		return err
	}
	var b groupBody
	if err := decode(c, &b); err != nil {
		return err
	}
	// The project first: another account's id is 404 whatever the body.
	if _, err := h.groups.Get().Get(c.UserContext(), a, gid); err != nil {
		return err
	}
	in, errs := b.input(false)
	if len(errs) == 0 {
		taken, err := h.nameTaken(c, a, *in.Name, gid)
		if err != nil {
			return err
		}
		if taken {
			errs = append(errs, fieldError{Field: "name", Error: "already_use"})
		}
	}
	if len(errs) > 0 {
		return &badRequest{detail: "error_body_data", errs: errs}
	}
	g, err := h.groups.Get().Update(c.UserContext(), a, gid, in)
	if err != nil {
		return err
	}
	return result(c, createdOf(*g))
}

// putMember is PUT core/v1/group/[Group]/user/[User].
func (h *handlers) putMember(c *fiber.Ctx, a *actor.Actor) error {
	gid, uid, err := h.groupUser(c, a)
	if err != nil {
		return err
	}
	if err := h.groups.Get().AddMember(c.UserContext(), a, gid, uid); err != nil {
		return err
	}
	return result(c, okValue)
}

// deleteMember is DELETE core/v1/group/[Group]/user/[User].
func (h *handlers) deleteMember(c *fiber.Ctx, a *actor.Actor) error {
	gid, uid, err := h.groupUser(c, a)
	if err != nil {
		return err
	}
	if err := h.groups.Get().RemoveMember(c.UserContext(), a, gid, uid); err != nil {
		return err
	}
	return result(c, okValue)
}

func (h *handlers) groupUser(c *fiber.Ctx, a *actor.Actor) (int64, int64, error) {
	gid, err := pathID(c, "group")
	if err != nil {
		return 0, 0, err
	}
	if _, err := h.groups.Get().Get(c.UserContext(), a, gid); err != nil {
		return 0, 0, err
	}
	uid, err := h.userRef(c, a, c.Params("user"))
	return gid, uid, err
}

// projectsAll is every project but the trashed ones.
var projectsAll = projects.GroupFilter{States: []string{"active", "archived"}}
