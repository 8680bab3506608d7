package projects

import (
	"context"
	"fmt"
	"html/template"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/core/web"
)

// The module's part of the account home ("My work", core/shell): a colleague's open tasks in
// the active projects they see, by when they are due (overdue, today, the next seven days,
// later), each with a button that completes it; their starred projects; the milestones due in
// the next fortnight. A client sees the projects shared with them and their milestones. The
// home's "what changed since your last visit" takes the lines of the projects' feeds the
// viewer may see (Activity), the same lines as each project's overview.

// Limits of the home: enough for a week's work, never the whole account.
const (
	homeTasks      = 100
	homeProjects   = 12
	homeMilestones = 8
	homeDays       = 14 // how far ahead milestones show
)

// MyWork is what the home shows of the projects to one person.
type MyWork struct {
	Client     bool
	Today      Date
	Overdue    []Task
	DueToday   []Task
	ThisWeek   []Task
	Later      []Task // due later, or no due day
	Projects   []Project
	Milestones []UpcomingMilestone
}

// Count is the number of open tasks shown.
func (w *MyWork) Count() int {
	return len(w.Overdue) + len(w.DueToday) + len(w.ThisWeek) + len(w.Later)
}

// MyWork gathers the home's part of the projects for the actor; today is the actor's day.
func (s *Service) MyWork(ctx context.Context, a *actor.Actor, today Date) (*MyWork, error) {
	sc := scopeOf(a)
	w := &MyWork{Client: sc.Client, Today: today}
	var err error
	if !sc.Client {
		tasks, err := s.MyTasks(ctx, a, TaskFilter{Statuses: []string{StatusOpen, StatusInProgress}}, api.Page{Limit: homeTasks})
		if err != nil {
			return nil, err
		}
		week := today.AddDays(7)
		for _, t := range tasks.Items {
			switch {
			case t.DueOn == "":
				w.Later = append(w.Later, t)
			case t.DueOn < today:
				w.Overdue = append(w.Overdue, t)
			case t.DueOn == today:
				w.DueToday = append(w.DueToday, t)
			case t.DueOn <= week:
				w.ThisWeek = append(w.ThisWeek, t)
			default:
				w.Later = append(w.Later, t)
			}
		}
		byDue := func(x, y Task) int {
			switch {
			case x.DueOn == y.DueOn:
				return int(x.ID - y.ID)
			case x.DueOn == "":
				return 1
			case y.DueOn == "":
				return -1
			case x.DueOn < y.DueOn:
				return -1
			}
			return 1
		}
		for _, group := range [][]Task{w.Overdue, w.DueToday, w.ThisWeek, w.Later} {
			slices.SortStableFunc(group, byDue)
		}
	}
	// Colleagues: the projects they starred; a client: the projects shared with them.
	ps, err := s.ListProjects(ctx, a, ProjectFilter{State: StateActive, Starred: !sc.Client}, api.Page{Limit: homeProjects})
	if err != nil {
		return nil, err
	}
	w.Projects = ps.Items
	if w.Milestones, err = s.store.upcomingMilestones(ctx, s.tenant(sc), sc, today, today.AddDays(homeDays), homeMilestones); err != nil {
		return nil, err
	}
	return w, nil
}

// AddDays is the day n days later.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// registerHome adds the module's section of the home and its lines of "what changed".
func registerHome(r *app.Registry, svc *Service) {
	renderer := r.Web()
	r.Home(hooks.HomeSection{Order: 10, Render: func(c *fiber.Ctx, home *web.Page) (template.HTML, error) {
		a := actor.From(c)
		if !a.May("projects", "read") {
			return "", nil
		}
		w, err := svc.MyWork(c.UserContext(), a, DateIn(svc.now(), a.Location()))
		if err != nil {
			return "", err
		}
		p := *home
		p.Data = w
		return renderer.Fragment("projects/home", &p)
	}})
	r.Activity(activitySource{svc})
	// What a plan's "projects" quota counts, and the support console shows.
	r.Counter(hooks.Counter{Quota: "projects", Unit: "count", Usage: func(ctx context.Context, idb bun.IDB, accountID int64) (int64, error) {
		return svc.store.projectCount(ctx, usageTenant(idb, accountID))
	}})
}

// activitySource is the module's hooks.ActivitySource: the projects' feeds.
type activitySource struct{ svc *Service }

func (src activitySource) Activity(ctx context.Context, a *actor.Actor, since time.Time, limit int) ([]hooks.ActivityEntry, error) {
	if !a.May("projects", "read") {
		return nil, nil
	}
	sc := scopeOf(a)
	rows, err := src.svc.store.recentActivity(ctx, src.svc.tenant(sc), sc, since, limit)
	if err != nil {
		return nil, err
	}
	out := make([]hooks.ActivityEntry, len(rows))
	base := "/" + a.Account.Slug
	for i, r := range rows {
		url := fmt.Sprintf("%s/projects/%d", base, r.ProjectID)
		if r.TargetType == "task" {
			url = fmt.Sprintf("%s/tasks/%d", base, r.TargetID)
		}
		out[i] = hooks.ActivityEntry{Module: "projects", Actor: r.ActorName, Verb: "projects.verb." + r.Verb, Text: r.TargetTitle,
			URL: url, Where: r.ProjectName, At: r.CreatedAt}
		if r.Plugin != nil {
			out[i].Plugin = *r.Plugin
		}
	}
	return out, nil
}
