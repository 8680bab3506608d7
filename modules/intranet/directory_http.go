package intranet

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// directoryRoutes registers the directory's API and pages: colleagues (intranet.read, never
// clients), a person's card, photo and vCard, the skills, this week's birthdays and
// anniversaries; a person changes their own profile (intranet.write), administrators anyone's
// (intranet.manage).
func (h *handlers) directoryRoutes(r routes) {
	const tag = "Intranet"
	read, write, manage := api.Can("intranet", "read"), api.Can("intranet", "write"), api.Can("intranet", "manage")
	r.Get("/api/v1/:slug/directory", read, h.directory, api.Doc{Summary: "The account's colleagues by name, with their company, teams and profile; ?q= searches names, emails, titles and skills, ?team= (or team_id=) and ?skill= filter", Tag: tag,
		Response: api.List[Person]{}, Query: append([]api.Param{{Name: "q", Type: "string", Description: "a part of a name, email, job title or skill"},
			{Name: "team", Type: "integer", Description: "only this team's (team_id: the same)"}, {Name: "skill", Type: "string", Description: "only the people with this skill"},
			{Name: "sort", Type: "string", Description: "name (default), title or location; then by name"}}, pageParams...)})
	r.Get("/api/v1/:slug/directory/skills", read, h.skills, api.Doc{Summary: "The skills of the account's colleagues, the most common first (at most 200)", Tag: tag, Response: SkillList{}})
	r.Get("/api/v1/:slug/directory/this-week", read, h.thisWeek, api.Doc{Summary: "The birthdays and work anniversaries of the next seven days, of the colleagues who show them", Tag: tag, Response: CelebrationList{}})
	r.Patch("/api/v1/:slug/directory/me", write, h.patchMe, api.Doc{Summary: "Change the caller's own directory profile: a field left out stays, \"\" clears it; bad input -> 422 per field", Tag: tag, Request: ProfileInput{}, Response: Person{}})
	r.Get("/api/v1/:slug/directory/:id", read, api.One("id", h.svc.Colleague), api.Doc{Summary: "One colleague with their profile", Tag: tag, Response: Person{}})
	r.Patch("/api/v1/:slug/directory/:id", manage, h.patchOne, api.Doc{Summary: "Change a colleague's directory profile (administrators; the birthday and what shows in \"this week\" are the person's own)", Tag: tag, Request: ProfileInput{}, Response: Person{}})
	r.Get("/api/v1/:slug/directory/:id/photo", read, h.photo, api.Doc{Summary: "A colleague's photo: a square JPEG; 404 without one", Tag: tag, Stream: true})
	r.Get("/api/v1/:slug/directory/:id/vcard", read, h.vcard, api.Doc{Summary: "A colleague's vCard 4.0 (.vcf), with their photo", Tag: tag, Stream: true})

	r.Get("/:slug/intranet/people", read, h.peoplePage)
	r.Get("/:slug/intranet/people/:id", read, h.personPage)
	r.Get("/:slug/intranet/people/:id/photo", read, h.photo)
	r.Get("/:slug/intranet/people/:id/vcard", read, h.vcard)
	r.Get("/:slug/intranet/people/:id/edit", manage, h.editPersonPage)
	r.Post("/:slug/intranet/people/:id/edit", manage, h.editPersonForm)
	r.Get("/:slug/intranet/profile", write, h.profilePage)
	r.Post("/:slug/intranet/profile", write, h.profileForm)
}

// queryTeam reads ?team= or ?team_id= (absent: 0).
func queryTeam(c *fiber.Ctx) (int64, error) {
	name, s := "team", c.Query("team")
	if s == "" {
		name, s = "team_id", c.Query("team_id")
	}
	if s == "" || s == "0" {
		return 0, nil
	}
	id, ok := api.ParseID(s)
	if !ok {
		return 0, problem.Invalid(problem.FieldError{Field: name, Message: "must be a team id"})
	}
	return id, nil
}

// directoryFilter reads the directory's ?q=, ?team= and ?skill=.
func directoryFilter(c *fiber.Ctx) (DirectoryFilter, error) {
	q, err := api.QueryText(c, "q", 100)
	if err != nil {
		return DirectoryFilter{}, err
	}
	raw, err := api.QueryText(c, "skill", 100)
	if err != nil {
		return DirectoryFilter{}, err
	}
	skill, e := normSkill(raw)
	if e != nil {
		e.Field = "skill"
		return DirectoryFilter{}, problem.Invalid(*e)
	}
	sort := c.Query("sort")
	if _, ok := DirectorySorts[sort]; !ok && sort != "" {
		return DirectoryFilter{}, problem.Invalid(problem.FieldError{Field: "sort", Message: "must be one of: name, title, location"})
	}
	team, err := queryTeam(c)
	return DirectoryFilter{Query: strings.TrimSpace(q), TeamID: team, Skill: skill, Sort: sort}, err
}

func (h *handlers) directory(c *fiber.Ctx) error {
	pg, err := api.ParseKeyPage(c)
	if err != nil {
		return err
	}
	f, err := directoryFilter(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Directory(c.UserContext(), actor.From(c), pg, f)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) skills(c *fiber.Ctx) error {
	out, err := h.svc.Skills(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, SkillList{Items: out})
}

func (h *handlers) thisWeek(c *fiber.Ctx) error {
	out, err := h.svc.ThisWeek(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, CelebrationList{Items: out})
}

func (h *handlers) patchMe(c *fiber.Ctx) error {
	var in ProfileInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	a := actor.From(c)
	out, err := h.svc.UpdateDirectoryProfile(c.UserContext(), a, a.UserID, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) patchOne(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in ProfileInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.UpdateDirectoryProfile(c.UserContext(), actor.From(c), id, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) photo(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	img, err := h.svc.PhotoOf(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/jpeg")
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(img)
}

func (h *handlers) vcard(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	p, err := h.svc.Colleague(ctx, a, id)
	if err != nil {
		return err
	}
	var img []byte
	if p.HasPhoto {
		if img, err = h.svc.PhotoOf(ctx, a, id); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderContentType, "text/vcard; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="person-%d.vcf"`, id))
	return c.SendString(VCard(p, img))
}

// ---- Pages ----

func (h *handlers) peoplePage(c *fiber.Ctx) error {
	a, ctx := actor.From(c), c.UserContext()
	f, err := directoryFilter(c)
	if err != nil {
		return err
	}
	pg, err := api.ParseKeyPage(c)
	if err != nil {
		return err
	}
	pg.Limit = 100
	d := &pageData{View: "people", Filter: f}
	if d.People, err = h.svc.Directory(ctx, a, pg, f); err != nil {
		return err
	}
	if d.Celebrations, err = h.svc.ThisWeek(ctx, a); err != nil {
		return err
	}
	p := h.page(c, "intranet.people.title", d, web.EmptyForm(map[string]string{"q": f.Query, "team_id": strconv.FormatInt(f.TeamID, 10), "skill": f.Skill, "sort": f.Sort}))
	d.Sorts = [][]string{{"name", "intranet.people.sort.name"}, {"title", "intranet.people.sort.title"}, {"location", "intranet.people.sort.location"}}
	teams, err := h.svc.teamChoices(ctx, a)
	if err != nil {
		return err
	}
	d.Teams = append([][]string{{"0", p.T("intranet.people.any_team")}}, teams...)
	skills, err := h.svc.Skills(ctx, a)
	if err != nil {
		return err
	}
	d.SkillChoices = [][]string{{"", p.T("intranet.people.any_skill")}}
	for _, s := range skills {
		d.SkillChoices = append(d.SkillChoices, []string{s.Skill, fmt.Sprintf("%s (%d)", s.Skill, s.People)})
	}
	return h.web.Render(c, view, p)
}

func (h *handlers) personPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	person, err := h.svc.Colleague(ctx, a, id)
	if err != nil {
		return err
	}
	reports, err := h.svc.Reports(ctx, a, id)
	if err != nil {
		return err
	}
	d := &pageData{View: "person", Person: &person, Reports: reports, Editable: id == a.UserID || a.May("intranet", "manage")}
	if loc := actor.Zone(person.TimeZone); loc != nil && person.TimeZone != "" {
		d.LocalTime = h.svc.now().In(loc).Format("15:04")
	}
	return h.web.Render(c, view, h.page(c, person.Name, d, nil))
}

// profileFields are the names of the profile form's fields.
var profileFields = []string{"title", "phone", "location", "time_zone", "skills", "manager_id", "birthday", "show_birthday", "started_on", "show_anniversary", "remove_photo"}

// profileView is the form that changes userID's profile.
func (h *handlers) profileView(c *fiber.Ctx, userID int64, form *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	person, err := h.svc.Colleague(ctx, a, userID)
	if err != nil {
		return nil, err
	}
	if form == nil {
		manager := "0"
		if person.ManagerID != nil {
			manager = strconv.FormatInt(*person.ManagerID, 10)
		}
		form = web.EmptyForm(map[string]string{"title": person.Title, "phone": person.Phone, "location": person.Location, "time_zone": "",
			"skills": strings.Join(person.Skills, ", "), "manager_id": manager, "birthday": person.Birthday, "started_on": person.StartedOn,
			"show_birthday": checked(person.ShowBirthday), "show_anniversary": checked(person.ShowAnniversary)})
		var own []Profile
		if err := h.svc.tenant(a.AccountID()).Select(&own).Column("time_zone").Where("dp.user_id = ?", userID).Scan(ctx); err == nil && len(own) > 0 {
			form.Values["time_zone"] = own[0].TimeZone
		}
	}
	d := &pageData{View: "profile", Person: &person, Own: userID == a.UserID}
	p := h.page(c, "intranet.profile.title", d, form)
	all, err := h.svc.Directory(ctx, a, api.KeyPage{Limit: 1000}, DirectoryFilter{})
	if err != nil {
		return nil, err
	}
	d.Managers = [][]string{{"0", p.T("intranet.profile.no_manager")}}
	for _, m := range all.Items {
		if m.UserID != userID {
			d.Managers = append(d.Managers, []string{strconv.FormatInt(m.UserID, 10), m.Name})
		}
	}
	return p, nil
}

func checked(b bool) string {
	if b {
		return "on"
	}
	return ""
}

func (h *handlers) profilePage(c *fiber.Ctx) error {
	p, err := h.profileView(c, actor.From(c).UserID, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, view, p)
}

func (h *handlers) editPersonPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.profileView(c, id, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, view, p)
}

func (h *handlers) profileForm(c *fiber.Ctx) error {
	return h.saveProfile(c, actor.From(c).UserID)
}

func (h *handlers) editPersonForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	return h.saveProfile(c, id)
}

// saveProfile reads the profile form (multipart when a photo comes with it) and saves it; a
// refusal shows the form again with its values and messages.
func (h *handlers) saveProfile(c *fiber.Ctx, userID int64) error {
	a, ctx := actor.From(c), c.UserContext()
	form := web.NewForm(c, profileFields...)
	v := func(k string) *string { s := form.Get(k); return &s }
	skills := SplitSkills(form.Get("skills"))
	in := ProfileInput{Title: v("title"), Phone: v("phone"), Location: v("location"), TimeZone: v("time_zone"), Skills: &skills, StartedOn: v("started_on")}
	if m := strings.TrimSpace(form.Get("manager_id")); m != "" {
		id, ok := api.ParseID(m)
		if !ok && m != "0" {
			id = -1 // refused by the service as nobody of the account
		}
		in.ManagerID = &id
	}
	if userID == a.UserID {
		sb, sa := form.Get("show_birthday") != "", form.Get("show_anniversary") != ""
		in.Birthday, in.ShowBirthday, in.ShowAnniversary = v("birthday"), &sb, &sa
	}
	var err error
	if form.Get("remove_photo") != "" {
		empty := ""
		in.Photo = &empty
	} else if fh, ferr := c.FormFile("photo"); ferr == nil && fh.Size > 0 {
		if fh.Size > MaxPhoto {
			err = problem.Invalid(problem.FieldError{Field: "photo", Message: fmt.Sprintf("must be at most %d MiB", MaxPhoto>>20)})
		} else if f, oerr := fh.Open(); oerr != nil {
			err = oerr
		} else {
			in.photo, err = io.ReadAll(io.LimitReader(f, MaxPhoto+1))
			f.Close()
		}
	}
	if err == nil {
		_, err = h.svc.UpdateDirectoryProfile(ctx, a, userID, in)
	}
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.profileView(c, userID, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, view, p, err)
	}
	return web.Done(c, "intranet.flash.profile_saved", fmt.Sprintf("%s/people/%d", h.base(c), userID))
}
