package projects

// Project templates, and the project settings that came with them: apps per project, tag
// colours, and the filters of the projects list.
//
// A template is a project like any other, marked is_template: its members, milestones, lists
// and tasks live in the usual tables, so a template is built and kept with the usual pages and
// API. Creating a project with template_id copies the template (any project the creator sees,
// template or not) in the creation's transaction: nothing of the new project exists unless
// all of it does.
//
// Decisions:
//   - Dates move by the calendar days between the template's starts_on and the new project's
//     (both must be set; otherwise nothing moves). Calendar days, not working days: the
//     template's plan keeps its exact shape, weekends included, and the dependencies still
//     hold since every date moves by the same amount.
//   - Settings left empty in the request (client company, category, tags and their colours,
//     access, apps, dates) come from the template; guests are allowed when the request or the
//     template allows them (a bool has no "absent" in the request; turning guests off is a
//     PATCH away).
//   - Copied tasks are new work: open, progress 0, no completion, no comments, no recurrence;
//     they keep their assignees (and estimates), priority, description, positions and
//     dependencies. People deactivated since are left out (as members and as assignees).
//   - Each copied task emits task.created (and task.assigned when it has assignees), exactly as
//     creating it by hand does; the feed gets one line for the copy, not one per task.
//   - Templates stay out of the default list (ProjectSearch.Templates), and their tasks out of "my
//     tasks" and of reminders: a template's dates are an example, not a deadline.

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// AllApps are the apps a project may show, in tab order; a new project shows them all.
var AllApps = []string{"tasks", "board", "gantt", "calendar", "files"}

// Palette are the colours a tag may have.
var Palette = []string{"gray", "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink"}

// The fields of ProjectInput about templates and settings:
//
//   - template_id: a project (of the account, that the creator sees) to copy: members with
//     their roles, milestones, lists with their sharing, tags, category, client company,
//     access, guests, apps and — unless copy_tasks is false — its tasks and dependencies;
//   - copy_tasks: copy the template's tasks too (default true when template_id is given);
//   - is_template: the new project is a template (listed apart);
//   - apps: the apps the project shows, among AllApps (default: all);
//   - tag_colors: a colour of the Palette per tag; a tag without one gets a colour derived
//     from its name.

// SettingsPatch are the fields of ProjectPatch about templates and settings (absent fields
// stay as they are), applied together.
type SettingsPatch struct {
	IsTemplate *bool              `json:"is_template,omitempty"`
	Apps       *[]string          `json:"apps,omitempty" enum:"tasks,board,gantt,calendar,files"`
	TagColors  *map[string]string `json:"tag_colors,omitempty"`
}

// apply validates the patch onto p, whose tags are already the new ones (tagsChanged: the
// patch changed them, so colours of tags that are gone are dropped).
func (in SettingsPatch) apply(f *problem.Fields, p *Project, tagsChanged bool) {
	if in.IsTemplate != nil {
		p.IsTemplate = *in.IsTemplate
	}
	if in.Apps != nil {
		p.Apps = checkApps(f, *in.Apps)
	}
	switch {
	case in.TagColors != nil:
		p.TagColors = checkTagColors(f, p.Tags, *in.TagColors)
	case tagsChanged:
		kept := map[string]string{}
		for _, t := range p.Tags {
			if c, ok := p.TagColors[t]; ok {
				kept[t] = c
			}
		}
		p.TagColors = kept
	}
}

// moreSettings is the comparable form of the settings of this file (settingsOf).
func moreSettings(p *Project) string {
	b, _ := json.Marshal([]any{p.IsTemplate, p.Apps, p.TagColors})
	return string(b)
}

// checkApps validates a list of apps and returns it in tab order without duplicates; nil is
// every app. An empty list is allowed: the project shows its overview only.
func checkApps(f *problem.Fields, apps []string) []string {
	if apps == nil {
		return slices.Clone(AllApps)
	}
	if len(apps) > len(AllApps)*2 {
		f.Addf("apps", "must be at most {max} apps", "max", len(AllApps))
		return nil
	}
	out := []string{}
	for _, a := range apps {
		if !slices.Contains(AllApps, a) {
			f.Add("apps", "each app must be one of "+strings.Join(AllApps, ", "))
			return nil
		}
	}
	for _, a := range AllApps {
		if slices.Contains(apps, a) {
			out = append(out, a)
		}
	}
	return out
}

// checkTagColors validates colours of tags: each key a tag of the project (ignoring case; it
// takes the tag's spelling), each value a colour of the Palette.
func checkTagColors(f *problem.Fields, tags []string, colors map[string]string) map[string]string {
	out := map[string]string{}
	if len(colors) > MaxTags {
		f.Addf("tag_colors", "must be at most {max} tags", "max", MaxTags)
		return out
	}
	for k, c := range colors {
		i := slices.IndexFunc(tags, func(t string) bool { return strings.EqualFold(t, strings.TrimSpace(k)) })
		switch {
		case i < 0:
			f.Add("tag_colors", fmt.Sprintf("%.40q is not a tag of the project", k))
			return out
		case !slices.Contains(Palette, c):
			f.Add("tag_colors", "each colour must be one of "+strings.Join(Palette, ", "))
			return out
		}
		out[tags[i]] = c
	}
	return out
}

// TagColor is the colour a tag shows when none was chosen: one of the Palette (not gray),
// the same for the same name (ignoring case).
func TagColor(tag string) string {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(tag)))
	return Palette[1+int(h.Sum32()%uint32(len(Palette)-1))]
}

// fillSettings completes what a reader gets: every app when none were stored (a row written
// before apps existed), and a colour for every tag.
func (p *Project) fillSettings() {
	if p.Apps == nil {
		p.Apps = slices.Clone(AllApps)
	}
	colors := make(map[string]string, len(p.Tags))
	for _, t := range p.Tags {
		if c, ok := p.TagColors[t]; ok {
			colors[t] = c
		} else {
			colors[t] = TagColor(t)
		}
	}
	p.TagColors = colors
}

// HasApp reports whether the project shows an app.
func (p *Project) HasApp(app string) bool { return slices.Contains(p.Apps, app) }

// Which projects ProjectSearch.Templates keeps.
const (
	TemplatesExclude = "false" // the default: projects that are no template
	TemplatesOnly    = "true"
	TemplatesAny     = "any"
)

// ProjectSearch narrows the projects list beyond state and stars.
type ProjectSearch struct {
	Templates       string // false (default), true or any
	Query           string // the name or the code contains it (ignoring case)
	ClientCompanyID int64  // for this client company
	Tag             string // has this tag (ignoring case)
}

// MaxQuery bounds the text of a search.
const MaxQuery = 100

func (lf *ProjectSearch) check(f *problem.Fields) {
	if lf.Templates == "" {
		lf.Templates = TemplatesExclude
	}
	oneOf(f, "templates", lf.Templates, TemplatesExclude, TemplatesOnly, TemplatesAny)
	lf.Query, lf.Tag = strings.TrimSpace(lf.Query), strings.TrimSpace(lf.Tag)
	if utf8.RuneCountInString(lf.Query) > MaxQuery {
		f.Addf("q", "must be at most {max} characters", "max", MaxQuery)
	}
	if utf8.RuneCountInString(lf.Tag) > MaxTag {
		f.Addf("tag", "must be at most {max} characters", "max", MaxTag)
	}
	if lf.ClientCompanyID < 0 {
		f.Add("client_company_id", "must be an id")
	}
}

var searchEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// apply adds the filter to a query over projects AS p.
func (lf ProjectSearch) apply(q *bun.SelectQuery) *bun.SelectQuery {
	switch lf.Templates {
	case TemplatesOnly:
		q = q.Where("p.is_template = ?", true)
	case TemplatesAny:
	default:
		q = q.Where("p.is_template = ?", false)
	}
	if lf.Query != "" {
		like := "%" + searchEscaper.Replace(strings.ToLower(lf.Query)) + "%"
		q = q.Where(`(LOWER(p.name) LIKE ? ESCAPE '\' OR LOWER(p.code) LIKE ? ESCAPE '\')`, like, like)
	}
	if lf.ClientCompanyID != 0 {
		q = q.Where("p.client_company_id = ?", lf.ClientCompanyID)
	}
	if lf.Tag != "" {
		// tags is a JSON list of strings: look for the tag as a whole JSON string.
		b, _ := json.Marshal(strings.ToLower(lf.Tag))
		q = q.Where(`LOWER(p.tags) LIKE ? ESCAPE '\'`, "%"+searchEscaper.Replace(string(b))+"%")
	}
	return q
}

// template reads the project in.TemplateID names (nil when none), and fills the settings the
// request leaves empty from it. A project of another account, one the actor does not see, or
// one in the trash is a field error on template_id.
func (s *Service) template(ctx context.Context, a *actor.Actor, f *problem.Fields, in *ProjectInput) (*Project, error) {
	if in.TemplateID == 0 {
		return nil, nil
	}
	sc := scopeOf(a)
	tn := s.tenant(sc)
	tpl, err := s.store.project(ctx, tn, sc, in.TemplateID, false)
	if err != nil {
		if p, ok := problem.As(err); ok && p.Status == 404 {
			f.Add("template_id", "no such project to start from")
			return nil, nil
		}
		return nil, err
	}
	if in.CopyTasks == nil || *in.CopyTasks {
		n, err := s.store.taskCount(ctx, tn, tpl.ID)
		if err != nil {
			return nil, err
		}
		if n > MaxImport {
			f.Addf("template_id", "has more than {max} tasks; copy it without its tasks", "max", MaxImport)
		}
	}
	if in.ClientCompanyID == 0 && tpl.ClientCompanyID != nil {
		in.ClientCompanyID = *tpl.ClientCompanyID
	}
	if in.Category == "" && in.CategoryID == 0 && tpl.CategoryID != nil {
		in.CategoryID = *tpl.CategoryID
	}
	if in.Tags == nil {
		in.Tags = tpl.Tags
		if in.TagColors == nil {
			in.TagColors = tpl.TagColors
		}
	}
	if in.Access == "" {
		in.Access = tpl.Access
	}
	in.GuestsAllowed = in.GuestsAllowed || tpl.GuestsAllowed
	if in.Apps == nil {
		in.Apps = tpl.Apps
	}
	shift := shiftOf(tpl, in.StartsOn)
	if in.StartsOn == "" {
		in.StartsOn = string(tpl.StartsOn)
	}
	if in.EndsOn == "" && tpl.EndsOn != "" {
		in.EndsOn = string(tpl.EndsOn.shiftedBy(shift))
	}
	return tpl, nil
}

// shiftOf is how many days the template's dates move: from its start to the new start (0 when
// either is missing or the new one is no day).
func shiftOf(tpl *Project, startsOn string) int {
	d, ok := ParseDate(startsOn)
	if !ok || tpl.StartsOn == "" {
		return 0
	}
	return int(d.Time().Sub(tpl.StartsOn.Time()) / (24 * time.Hour))
}

// shiftedBy is the day n calendar days later ("" stays "").
func (d Date) shiftedBy(n int) Date {
	if d == "" || n == 0 {
		return d
	}
	return DateOf(d.Time().AddDate(0, 0, n))
}

// copyTemplate copies tpl into the new project p, in the creation's transaction tx (nothing
// when tpl is nil). p's managers (creator, leader, assistant) are already members.
func (s *Service) copyTemplate(ctx context.Context, tx db.Tenant, a *actor.Actor, tpl, p *Project, copyTasks *bool, now time.Time) error {
	if tpl == nil {
		return nil
	}
	shift := 0
	if tpl.StartsOn != "" && p.StartsOn != "" {
		shift = int(p.StartsOn.Time().Sub(tpl.StartsOn.Time()) / (24 * time.Hour))
	}
	active, err := s.copyMembers(ctx, tx, tpl, p, now)
	if err != nil {
		return err
	}

	// Milestones, then lists (pointing at the new milestones) with their companies.
	ms, err := s.store.projectMilestones(ctx, tx, tpl.ID)
	if err != nil {
		return err
	}
	// Each kind of row in one INSERT per chunk; the ids come back in the order of the rows.
	milestones := make(map[int64]int64, len(ms))
	oldMs := make([]int64, len(ms))
	for i := range ms {
		m := &ms[i]
		oldMs[i] = m.ID
		m.ID, m.ProjectID, m.DueOn, m.CompletedAt, m.CreatedAt = 0, p.ID, m.DueOn.shiftedBy(shift), nil, now
	}
	if err := s.store.insertCopies(ctx, tx, ms); err != nil {
		return err
	}
	for i := range ms {
		milestones[oldMs[i]] = ms[i].ID
	}
	ls, err := s.store.projectLists(ctx, tx, tpl.ID)
	if err != nil {
		return err
	}
	shares, err := s.store.projectShares(ctx, tx, tpl.ID)
	if err != nil {
		return err
	}
	lists := make(map[int64]int64, len(ls))
	oldLs := make([]int64, len(ls))
	for i := range ls {
		l := &ls[i]
		oldLs[i] = l.ID
		l.ID, l.ProjectID, l.CreatedAt = 0, p.ID, now
		if l.MilestoneID != nil {
			id := milestones[*l.MilestoneID]
			l.MilestoneID = &id
		}
	}
	if err := s.store.insertCopies(ctx, tx, ls); err != nil {
		return err
	}
	for i := range ls {
		lists[oldLs[i]] = ls[i].ID
	}
	for i := range shares {
		shares[i].ListID = lists[shares[i].ListID]
	}
	if err := s.store.insertCopies(ctx, tx, shares); err != nil {
		return err
	}
	labels, err := s.copyWorkflow(ctx, tx, tpl, p, now)
	if err != nil {
		return err
	}
	if copyTasks == nil || *copyTasks {
		tasks, err := s.copyTasks(ctx, tx, a, tpl, p, lists, active, shift, now)
		if err != nil {
			return err
		}
		if err := s.copyTaskDetails(ctx, tx, tpl, p, tasks, labels, now); err != nil {
			return err
		}
	}
	return s.feed(ctx, tx, a, p.ID, 0, "project.copied", "project", tpl.ID, tpl.Name)
}

// copyMembers gives the template's members the same roles in p (p's managers stay managers;
// clients only when p allows guests), and returns the people of the account who are still
// active colleagues — those copied tasks may stay assigned to.
func (s *Service) copyMembers(ctx context.Context, tx db.Tenant, tpl, p *Project, now time.Time) (map[int64]bool, error) {
	people, err := s.store.activeColleagues(ctx, tx)
	if err != nil {
		return nil, err
	}
	active := make(map[int64]bool, len(people))
	for _, x := range people {
		active[x.UserID] = true
	}
	members, err := s.store.activeMembers(ctx, tx, tpl.ID)
	if err != nil {
		return nil, err
	}
	keep := managers(p, *p.CreatedBy)
	for _, m := range members {
		if slices.Contains(keep, m.UserID) || (m.Role == RoleClient && !p.GuestsAllowed) || (m.Role != RoleClient && !active[m.UserID]) {
			continue
		}
		if err := s.putMember(ctx, tx, p, m.UserID, m.Role, now); err != nil {
			return nil, err
		}
	}
	return active, nil
}

// copyTasks copies the template's tasks into the new lists, open and with no progress, with
// their (still active) assignees and their dependencies, emits what creating them emits, and
// returns the new task of each old one.
func (s *Service) copyTasks(ctx context.Context, tx db.Tenant, a *actor.Actor, tpl, p *Project, lists map[int64]int64, active map[int64]bool, shift int, now time.Time) (map[int64]int64, error) {
	ts, err := s.store.projectTasksAll(ctx, tx, tpl.ID)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, nil
	}
	olds := make([]int64, len(ts))
	by := a.UserID
	for i := range ts {
		t := &ts[i]
		olds[i] = t.ID
		t.ID, t.ProjectID, t.ListID = 0, p.ID, lists[t.ListID]
		t.StartsOn, t.DueOn = t.StartsOn.shiftedBy(shift), t.DueOn.shiftedBy(shift)
		t.Status, t.CustomStatus, t.CompletedAt = StatusOpen, "", nil
		t.CreatedBy, t.CreatedAt, t.UpdatedAt = &by, now, now
	}
	if err := s.store.insertCopies(ctx, tx, ts); err != nil {
		return nil, err
	}
	tasks := make(map[int64]int64, len(ts))
	for i := range ts {
		tasks[olds[i]] = ts[i].ID
	}
	as, err := s.store.projectAssignees(ctx, tx, tpl.ID)
	if err != nil {
		return nil, err
	}
	assigned := map[int64][]int64{}
	kept := as[:0]
	for _, x := range as {
		if !active[x.UserID] {
			continue
		}
		x.TaskID, x.Progress, x.CompletedAt = tasks[x.TaskID], 0, nil
		assigned[x.TaskID] = append(assigned[x.TaskID], x.UserID)
		kept = append(kept, x)
	}
	if err := s.store.insertCopies(ctx, tx, kept); err != nil {
		return nil, err
	}
	deps, err := s.store.projectDependencies(ctx, tx, tpl.ID)
	if err != nil {
		return nil, err
	}
	for i := range deps {
		d := &deps[i]
		d.ProjectID, d.SuccessorID, d.PredecessorID, d.CreatedAt = p.ID, tasks[d.SuccessorID], tasks[d.PredecessorID], now
	}
	if err := s.store.insertCopies(ctx, tx, deps); err != nil {
		return nil, err
	}
	evs := make([]TaskEvent, len(ts))
	for i := range ts {
		t := &ts[i]
		evs[i] = TaskEvent{TaskID: t.ID, ProjectID: p.ID, ListID: t.ListID, Title: t.Title, UserIDs: assigned[t.ID]}
	}
	return tasks, emitCreated(ctx, tx, a, evs)
}

// copyWorkflow gives p the template's custom statuses (its Kanban columns) and labels, and
// returns the new label of each old one.
func (s *Service) copyWorkflow(ctx context.Context, tx db.Tenant, tpl, p *Project, now time.Time) (map[int64]int64, error) {
	sts, err := s.store.projectStatuses(ctx, tx, tpl.ID)
	if err != nil {
		return nil, err
	}
	for i := range sts {
		sts[i].ID, sts[i].ProjectID, sts[i].CreatedAt = 0, p.ID, now
	}
	if err := s.store.insertCopies(ctx, tx, sts); err != nil {
		return nil, err
	}
	lbs, err := s.store.projectLabels(ctx, tx, tpl.ID)
	if err != nil {
		return nil, err
	}
	labels := make(map[int64]int64, len(lbs))
	olds := make([]int64, len(lbs))
	for i := range lbs {
		olds[i] = lbs[i].ID
		lbs[i].ID, lbs[i].ProjectID, lbs[i].CreatedAt = 0, p.ID, now
	}
	if err := s.store.insertCopies(ctx, tx, lbs); err != nil {
		return nil, err
	}
	for i := range lbs {
		labels[olds[i]] = lbs[i].ID
	}
	return labels, nil
}

// copyTaskDetails gives the copied tasks their labels, their checklists (unticked) and their
// recurrence — the rules still waiting to spawn: an occurrence that already made its next one
// is history in the template, copied as a plain task.
func (s *Service) copyTaskDetails(ctx context.Context, tx db.Tenant, tpl, p *Project, tasks, labels map[int64]int64, now time.Time) error {
	if len(tasks) == 0 {
		return nil
	}
	rs, err := s.store.pendingRecurrences(ctx, tx, tpl.ID)
	if err != nil {
		return err
	}
	for i := range rs {
		rs[i].TaskID, rs[i].NextTaskID, rs[i].CreatedAt = tasks[rs[i].TaskID], nil, now
	}
	if err := s.store.insertCopies(ctx, tx, rs); err != nil {
		return err
	}
	tls, err := s.store.projectTaskLabels(ctx, tx, tpl.ID)
	if err != nil {
		return err
	}
	for i := range tls {
		tls[i].ProjectID, tls[i].TaskID, tls[i].LabelID = p.ID, tasks[tls[i].TaskID], labels[tls[i].LabelID]
	}
	if err := s.store.insertCopies(ctx, tx, tls); err != nil {
		return err
	}
	items, err := s.store.projectChecklists(ctx, tx, tpl.ID)
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		it.ID, it.ProjectID, it.TaskID, it.Done, it.CreatedAt, it.UpdatedAt = 0, p.ID, tasks[it.TaskID], false, now, now
	}
	return s.store.insertCopies(ctx, tx, items)
}
