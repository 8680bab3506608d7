package projects

// Exporting a project as a ZIP: project.json (the project with its members, milestones,
// lists, tasks with their assignees, labels and dependencies, comments, custom statuses,
// labels and checklist items) and tasks.csv (the
// columns an import reads, so an export imports back). Everything is read through the
// service as the viewer: a client's export holds only the lists shared with their company
// and what they hold.

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/csvsafe"
)

// pageAll is a page as large as the pages' walk goes (lists are few).
var pageAll = api.Page{Limit: maxTasks}

// ProjectExport is project.json.
type ProjectExport struct {
	ExportedAt   time.Time       `json:"exported_at"`
	Project      *Project        `json:"project"`
	Members      []ProjectMember `json:"members"`
	Milestones   []Milestone     `json:"milestones"`
	Lists        []TaskList      `json:"lists"`
	Tasks        []Task          `json:"tasks"`
	Dependencies []Dependency    `json:"dependencies"`
	Comments     []Comment       `json:"comments"`
	// The project's workflow and the tasks' details: custom statuses (its Kanban columns),
	// labels (tasks name theirs in Tasks[].labels) and checklist items of the tasks exported.
	Statuses   []TaskStatus    `json:"statuses"`
	Labels     []Label         `json:"labels"`
	Checklists []ChecklistItem `json:"checklist_items"`
}

// Export reads what the actor sees of a project (404 when they do not see it).
func (s *Service) Export(ctx context.Context, a *actor.Actor, projectID int64) (*ProjectExport, error) {
	p, err := s.Project(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	x := &ProjectExport{ExportedAt: s.now(), Project: p, Dependencies: []Dependency{}, Comments: []Comment{}}
	if x.Members, err = s.Members(ctx, a, projectID); err != nil {
		return nil, err
	}
	if x.Milestones, err = all(maxTasks, func(pg api.Page) (api.List[Milestone], error) { return s.Milestones(ctx, a, projectID, pg) },
		func(m Milestone) int64 { return m.ID }); err != nil {
		return nil, err
	}
	if x.Lists, err = all(maxTasks, func(pg api.Page) (api.List[TaskList], error) { return s.Lists(ctx, a, projectID, pg) }, listID); err != nil {
		return nil, err
	}
	if x.Tasks, err = all(MaxImport, func(pg api.Page) (api.List[Task], error) { return s.Tasks(ctx, a, projectID, TaskFilter{}, pg) }, taskID); err != nil {
		return nil, err
	}
	visible := make(map[int64]bool, len(x.Tasks))
	for _, t := range x.Tasks {
		visible[t.ID] = true
	}
	if x.Statuses, err = s.Statuses(ctx, a, projectID); err != nil {
		return nil, err
	}
	if x.Labels, err = s.Labels(ctx, a, projectID); err != nil {
		return nil, err
	}
	// Every item of the project in one query, kept for the tasks the viewer sees.
	tn := s.tenant(scopeOf(a))
	items, err := s.store.projectChecklists(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	x.Checklists = slices.DeleteFunc(items, func(it ChecklistItem) bool { return !visible[it.TaskID] })
	if x.Checklists == nil {
		x.Checklists = []ChecklistItem{}
	}
	for _, t := range x.Tasks {
		for _, pred := range t.PredecessorIDs {
			// A dependency on a task the viewer does not see would name it: left out.
			if visible[pred] {
				x.Dependencies = append(x.Dependencies, Dependency{ProjectID: projectID, SuccessorID: t.ID, PredecessorID: pred, Kind: "finish_to_start"})
			}
		}
	}
	// The comments of the whole project in one query (not one per task: a project has
	// thousands), kept for the tasks the viewer sees — what Comments would give task by task.
	cs, err := s.store.projectComments(ctx, tn, projectID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if visible[c.TaskID] {
			x.Comments = append(x.Comments, c)
		}
	}
	return x, nil
}

// writeZip writes the archive: project.json and tasks.csv.
func writeZip(w io.Writer, x *ProjectExport) error {
	z := zip.NewWriter(w)
	f, err := z.Create("project.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		return err
	}
	if f, err = z.Create("tasks.csv"); err != nil {
		return err
	}
	if err := writeTasksCSV(f, x); err != nil {
		return err
	}
	return z.Close()
}

// writeTasksCSV writes one line per task, in the import's columns: its id (so that importing
// the file again updates these tasks instead of adding copies), its status, and its assignees'
// emails and estimates in one cell each, separated by "; " in the same order.
func writeTasksCSV(w io.Writer, x *ProjectExport) error {
	lists := make(map[int64]string, len(x.Lists))
	for _, l := range x.Lists {
		lists[l.ID] = l.Name
	}
	emails := make(map[int64]string, len(x.Members))
	for _, m := range x.Members {
		emails[m.UserID] = m.Email
	}
	cw := csvsafe.NewWriter(w) // a title like =HYPERLINK(...) stays text in a spreadsheet
	if err := cw.Write(importColumns); err != nil {
		return err
	}
	for _, t := range x.Tasks {
		var who, hours []string
		estimated := false
		for _, as := range t.Assignees {
			who = append(who, emails[as.UserID])
			h := ""
			if as.EstimateMinutes > 0 {
				h, estimated = strconv.FormatFloat(float64(as.EstimateMinutes)/60, 'f', -1, 64), true
			}
			hours = append(hours, h)
		}
		if !estimated {
			hours = nil
		}
		line := []string{strconv.FormatInt(t.ID, 10), lists[t.ListID], t.Title, t.Description, string(t.StartsOn), string(t.DueOn),
			t.Priority, t.Status, strings.Join(who, "; "), strings.Join(hours, "; ")}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// exportZip answers the archive of the project of the path, for the page and the API alike.
func exportZip(svc *Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		x, err := svc.Export(c.UserContext(), actor.From(c), id)
		if err != nil {
			return err
		}
		name := x.Project.Code
		if name == "" {
			name = "project-" + itoa(x.Project.ID)
		}
		c.Set(fiber.HeaderContentType, "application/zip")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+safeFileName(name)+`.zip"`)
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		c.Status(fiber.StatusOK)
		return writeZip(c.Response().BodyWriter(), x)
	}
}
