package projects

// Every method of the store, called for account B with the ids of account A's rows, finds
// nothing and changes nothing. The table below must name every method of store: the test
// reads the package's source for them, so that a new method without its row fails here.

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/db"
	"groupcamp/core/personal"
	"groupcamp/core/problem"
	"groupcamp/core/testkit"
	"groupcamp/modules/projects/contract"
)

// storeMethods are the methods with a store receiver in the package's source.
func storeMethods(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
					continue
				}
				if id, ok := fd.Recv.List[0].Type.(*ast.Ident); ok && id.Name == "store" {
					out = append(out, fd.Name.Name)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestStoreNeverCrossesAccounts(t *testing.T) {
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			mod := New()
			e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{mod}})
			svc := mod.Service()
			accA, accB := e.NewAccount(), e.NewAccount()
			as := e.As(accA.Owner)
			want := func(r *testkit.Response, status int) map[string]any {
				t.Helper()
				if r.Status != status {
					t.Fatalf("status %d: %s", r.Status, r.Body)
				}
				return r.Map()
			}
			id := func(m map[string]any) int64 { f, _ := m["id"].(float64); return int64(f) }
			base := "/api/v1/" + accA.Slug
			coA := e.ClientCompany(accA)
			cat := id(want(as.Post(base+"/project-categories", map[string]any{"name": "A's category"}), http.StatusCreated))
			pid := id(want(as.Post(base+"/projects", map[string]any{"name": "A's", "client_company_id": coA, "category_id": cat}), http.StatusCreated))
			mid := id(want(as.Post(fmt.Sprintf("%s/projects/%d/milestones", base, pid), map[string]any{"name": "M", "due_on": "2030-01-01"}), http.StatusCreated))
			lid := id(want(as.Post(fmt.Sprintf("%s/projects/%d/lists", base, pid), map[string]any{"name": "L", "milestone_id": mid}), http.StatusCreated))
			lbl := id(want(as.Post(fmt.Sprintf("%s/projects/%d/labels", base, pid), map[string]any{"name": "Bug"}), http.StatusCreated))
			want(as.Post(fmt.Sprintf("%s/projects/%d/statuses", base, pid), map[string]any{"name": "Review", "base": "in_progress"}), http.StatusCreated)
			t1 := id(want(as.Post(fmt.Sprintf("%s/projects/%d/tasks", base, pid), map[string]any{"list_id": lid, "title": "One",
				"assignees": []map[string]any{{"user_id": accA.Owner.ID}}, "labels": []int64{lbl}}), http.StatusCreated))
			t2 := id(want(as.Post(fmt.Sprintf("%s/projects/%d/tasks", base, pid), map[string]any{"list_id": lid, "title": "Two"}), http.StatusCreated))
			want(as.Post(fmt.Sprintf("%s/tasks/%d/dependencies", base, t2), map[string]any{"predecessor_id": t1}), http.StatusCreated)
			cid := id(want(as.Post(fmt.Sprintf("%s/tasks/%d/comments", base, t1), map[string]any{"body": "hello"}), http.StatusCreated))
			item := id(want(as.Post(fmt.Sprintf("%s/tasks/%d/checklist", base, t1), map[string]any{"text": "check"}), http.StatusCreated))
			// A task in the trash, waiting for t2.
			t3 := id(want(as.Post(fmt.Sprintf("%s/projects/%d/tasks", base, pid), map[string]any{"list_id": lid, "title": "Three"}), http.StatusCreated))
			want(as.Post(fmt.Sprintf("%s/tasks/%d/dependencies", base, t3), map[string]any{"predecessor_id": t2}), http.StatusCreated)
			want(as.Delete(fmt.Sprintf("%s/tasks/%d", base, t3)), http.StatusNoContent)
			// A list in the trash, with its task.
			gone := id(want(as.Post(fmt.Sprintf("%s/projects/%d/lists", base, pid), map[string]any{"name": "Gone"}), http.StatusCreated))
			want(as.Post(fmt.Sprintf("%s/projects/%d/tasks", base, pid), map[string]any{"list_id": gone, "title": "Gone task"}), http.StatusCreated)
			want(as.Delete(fmt.Sprintf("%s/projects/%d/lists/%d?tasks=delete", base, pid, gone)), http.StatusNoContent)
			e.Settle()

			ctx := context.Background()
			var s store
			// A's rows as A reads them, to hand to B's calls.
			scA := scope{AccountID: accA.ID, UserID: accA.Owner.ID, All: true, Manage: true}
			tnA := db.For(svc.DB, accA.ID)
			taskA, projA, err := s.task(ctx, tnA, scA, t1)
			if err != nil {
				t.Fatal(err)
			}
			msA, _ := s.milestone(ctx, tnA, pid, mid)
			lblA, _ := s.label(ctx, tnA, pid, lbl)
			itemA, _ := s.item(ctx, tnA, t1, item)
			stsA, _ := s.statuses(ctx, tnA, pid)
			if msA == nil || lblA == nil || itemA == nil || len(stsA) != 1 {
				t.Fatalf("account A's rows: %v %v %v %v", msA, lblA, itemA, stsA)
			}
			stA := &stsA[0]
			catA, _ := s.category(ctx, tnA, cat, true)
			if catA == nil {
				t.Fatalf("account A's category: %v", cat)
			}
			listA, _ := s.list(ctx, tnA, scA, pid, lid)
			goneA, _ := s.anyList(ctx, tnA, scA, pid, gone)
			if listA == nil || goneA == nil || goneA.TrashedAt == nil {
				t.Fatalf("account A's lists: %v %v", listA, goneA)
			}
			// B at its strongest: the owner of account B.
			scB := scope{AccountID: accB.ID, UserID: accB.Owner.ID, All: true, Manage: true}
			tnB := db.For(svc.DB, accB.ID)
			page := api.Page{Limit: 50}
			tasksA := func() []Task { return []Task{*taskA} }
			now := time.Now().UTC()
			copyOf := func(x any) any {
				v := reflect.New(reflect.TypeOf(x).Elem())
				v.Elem().Set(reflect.ValueOf(x).Elem())
				return v.Interface()
			}

			before, rowsBefore := e.Snapshot(), projectRows(t, svc.DB, accA.ID)
			calls := map[string]func() []any{
				"project":  func() []any { return vals(s.project(ctx, tnB, scB, pid, true)) },
				"projects": func() []any { return vals(s.projects(ctx, tnB, scB, ProjectFilter{State: StateActive}, page)) },
				"decorate": func() []any {
					ps := []Project{{ID: pid}}
					return []any{s.decorate(ctx, tnB, scB, ps), ps[0].Counts.Tasks}
				},
				"memberRole": func() []any { return vals(s.memberRole(ctx, tnB, pid, accA.Owner.ID)) },
				"members":    func() []any { return vals(s.members(ctx, tnB, scB, pid)) },
				"milestones": func() []any { return vals(s.milestones(ctx, tnB, scB, pid, page)) },
				"milestone":  func() []any { return vals(s.milestone(ctx, tnB, pid, mid)) },
				"lists":      func() []any { return vals(s.lists(ctx, tnB, scB, pid, page)) },
				"list":       func() []any { return vals(s.list(ctx, tnB, scB, pid, lid)) },
				"decorateLists": func() []any {
					ls := []TaskList{{ID: lid}}
					return []any{s.decorateLists(ctx, tnB, scB, ls), ls[0].CompanyIDs, ls[0].Counts.Tasks}
				},
				"task":     func() []any { return vals(s.task(ctx, tnB, scB, t1)) },
				"taskSeen": func() []any { return vals(s.taskSeen(ctx, tnB, scB, t1)) },
				"tasks":    func() []any { return vals(s.tasks(ctx, tnB, scB, pid, TaskFilter{}, page)) },
				"myTasks":  func() []any { return vals(s.myTasks(ctx, tnB, scB, TaskFilter{}, page)) },
				// The search source's reads (store_search.go), asked for A's ids as B.
				"searchProjects": func() []any { return vals(s.searchProjects(ctx, tnB, []int64{pid})) },
				// The GroupCamp-compatible API's reads (store_gcapi.go).
				"gcapiMemberOf":       func() []any { return vals(s.gcapiMemberOf(ctx, tnB, accA.Owner.ID)) },
				"gcapiMembers":        func() []any { return vals(s.gcapiMembers(ctx, tnB, []int64{pid})) },
				"gcapiTasks":          func() []any { return vals(s.gcapiTasks(ctx, tnB, scB, contract.TaskQuery{Limit: 50})) },
				"gcapiLists":          func() []any { return vals(s.gcapiLists(ctx, tnB, scB, []int64{lid})) },
				"gcapiMilestones":     func() []any { return vals(s.gcapiMilestones(ctx, tnB, scB, []int64{mid})) },
				"gcapiNames":          func() []any { return vals(s.gcapiNames(ctx, tnB, []int64{pid})) },
				"searchTasks":         func() []any { return vals(s.searchTasks(ctx, tnB, []int64{pid}, []int64{t1, t2})) },
				"searchComments":      func() []any { return vals(s.searchComments(ctx, tnB, []int64{pid}, []int64{t1}, []int64{cid})) },
				"searchListCompanies": func() []any { return vals(s.searchListCompanies(ctx, tnB, []int64{lid})) },
				"searchMemberships":   func() []any { return vals(s.searchMemberships(ctx, tnB, accA.Owner.ID)) },
				"decorateTasks": func() []any {
					ts := tasksA()
					return []any{s.decorateTasks(ctx, tnB, scB, ts), ts[0].Assignees, ts[0].SuccessorIDs, ts[0].Labels}
				},
				"decorateTasksWith": func() []any {
					ts := tasksA()
					return []any{s.decorateTasksWith(ctx, tnB, scB, ts, true), ts[0].Assignees, ts[0].SuccessorIDs, ts[0].Labels, ts[0].Checklist}
				},
				"attachChecklists": func() []any {
					ts := tasksA()
					return []any{s.attachChecklists(ctx, tnB, ts, []int64{t1}, map[int64]*Task{t1: &ts[0]}), ts[0].Checklist}
				},
				"decorations": func() []any { return vals(s.decorations(ctx, tnB, []int64{t1}, true)) },
				"boardDetails": func() []any {
					ts := tasksA()
					ts[0].Labels = nil
					return []any{s.boardDetails(ctx, tnB, pid, ts, map[int64]int{t1: 0}), ts[0].Labels}
				},
				"edges":      func() []any { return vals(s.edges(ctx, tnB, pid)) },
				"comments":   func() []any { return vals(s.comments(ctx, tnB, t1, page)) },
				"activity":   func() []any { return vals(s.activity(ctx, tnB, scB, pid, page)) },
				"checklist":  func() []any { return vals(s.checklist(ctx, tnB, t1)) },
				"item":       func() []any { return vals(s.item(ctx, tnB, t1, item)) },
				"lockItem":   func() []any { return vals(s.lockItem(ctx, tnB, t1, item)) },
				"labels":     func() []any { return vals(s.labels(ctx, tnB, scB, pid)) },
				"label":      func() []any { return vals(s.label(ctx, tnB, pid, lbl)) },
				"lockLabel":  func() []any { return vals(s.lockLabel(ctx, tnB, pid, lbl)) },
				"labelsByID": func() []any { return vals(s.labelsByID(ctx, tnB, pid, []int64{lbl})) },
				"labelCount": func() []any { return vals(s.labelCount(ctx, tnB, pid)) },
				"labelNameTaken": func() []any {
					l := *lblA
					l.ID = 0
					return vals(s.labelNameTaken(ctx, tnB, &l))
				},
				"labelVisible":  func() []any { return vals(s.labelVisible(ctx, tnB, scB, 0, lbl)) },
				"statuses":      func() []any { return vals(s.statuses(ctx, tnB, pid)) },
				"status":        func() []any { return vals(s.status(ctx, tnB, pid, stA.ID)) },
				"lockStatus":    func() []any { return vals(s.lockStatus(ctx, tnB, pid, stA.ID)) },
				"tasksInStatus": func() []any { return vals(s.tasksInStatus(ctx, tnB, pid, stA.Key)) },
				"statusUses":    func() []any { return vals(s.statusUses(ctx, tnB, scB, pid)) },
				"taskLabels":    func() []any { return vals(s.taskLabels(ctx, tnB, t1, true)) },
				// Writes of A's rows through B's Tenant: refused, or matching nothing.
				"insertLabel": func() []any {
					l := *lblA
					l.ID, l.Name = 0, "other"
					return []any{ignoreOther(s.insertLabel(ctx, tnB, &l))}
				},
				"saveLabel": func() []any {
					l := *lblA
					l.Name = "stolen"
					return []any{ignoreOther(s.saveLabel(ctx, tnB, lblA, &l))}
				},
				"deleteLabel": func() []any { return []any{ignoreOther(s.deleteLabel(ctx, tnB, copyOf(lblA).(*Label)))} },
				// The project categories (store_categories.go).
				"categories":       func() []any { return vals(s.categories(ctx, tnB, true)) },
				"category":         func() []any { return vals(s.category(ctx, tnB, cat, false)) },
				"categoryProjects": func() []any { return vals(s.categoryProjects(ctx, tnB, cat)) },
				"insertCategory": func() []any {
					c := *catA
					c.ID, c.Name = 0, "other"
					return []any{ignoreOther(s.insertCategory(ctx, tnB, &c))}
				},
				"saveCategory": func() []any {
					c := *catA
					c.Name = "stolen"
					return []any{ignoreOther(s.saveCategory(ctx, tnB, catA, &c))}
				},
				"deleteCategory":       func() []any { return []any{ignoreOther(s.deleteCategory(ctx, tnB, copyOf(catA).(*ProjectCategory)))} },
				"nameCategoryProjects": func() []any { return []any{s.nameCategoryProjects(ctx, tnB, cat, "stolen")} },
				"moveCategoryProjects": func() []any { return vals(s.moveCategoryProjects(ctx, tnB, cat, nil)) },
				"saveTaskLabels": func() []any {
					t := *taskA
					t.Labels = nil
					return []any{ignoreOther(s.saveTaskLabels(ctx, tnB, []*Task{&t}, true))}
				},
				"insertStatus": func() []any {
					st := *stA
					st.ID, st.Key = 0, "other"
					return []any{ignoreOther(s.insertStatus(ctx, tnB, &st))}
				},
				"saveStatusPosition": func() []any {
					st := *stA
					st.Position = 9
					return []any{ignoreOther(s.saveStatusPosition(ctx, tnB, &st))}
				},
				"saveStatus": func() []any {
					st := *stA
					st.Name = "stolen"
					return []any{ignoreOther(s.saveStatus(ctx, tnB, stA, &st))}
				},
				"deleteStatus": func() []any { return []any{ignoreOther(s.deleteStatus(ctx, tnB, copyOf(stA).(*TaskStatus), now))} },
				"insertItem":   func() []any { it := *itemA; it.ID = 0; return []any{ignoreOther(s.insertItem(ctx, tnB, &it))} },
				"saveItemPosition": func() []any {
					it := *itemA
					it.Position = 9
					return []any{ignoreOther(s.saveItemPosition(ctx, tnB, &it))}
				},
				"saveItem": func() []any {
					it := *itemA
					it.Text = "stolen"
					return []any{ignoreOther(s.saveItem(ctx, tnB, itemA, &it))}
				},
				"deleteItem": func() []any { return []any{ignoreOther(s.deleteItem(ctx, tnB, copyOf(itemA).(*ChecklistItem)))} },
				"touchTask":  func() []any { return []any{s.touchTask(ctx, tnB, t1, now)} },
				"insertProject": func() []any {
					p := *projA
					p.ID, p.Code = 0, ""
					return []any{ignoreOther(s.insertProject(ctx, tnB, &p))}
				},
				"saveProject": func() []any {
					p := *projA
					p.Name = "stolen"
					return []any{ignoreOther(s.saveProject(ctx, tnB, projA, &p))}
				},
				"saveProjectState": func() []any {
					p := *projA
					p.State = StateTrash
					return []any{ignoreOther(s.saveProjectState(ctx, tnB, &p))}
				},
				"lockProject": func() []any { return []any{s.lockProject(ctx, tnB, pid)} },
				"purgeTrash":  func() []any { return vals(s.purgeTrash(ctx, tnB, now.AddDate(1, 0, 0))) },
				// The tasks' trash.
				"purgeTaskTrash": func() []any { return vals(s.purgeTaskTrash(ctx, tnB, now.AddDate(1, 0, 0))) },
				"anyTask":        func() []any { return vals(s.anyTask(ctx, tnB, scB, t3)) },
				"trashedTasks":   func() []any { return vals(s.trashedTasks(ctx, tnB, scB, pid, page)) },
				"setTrashed": func() []any {
					x := *taskA
					x.TrashedAt = &now
					return []any{ignoreOther(s.setTrashed(ctx, tnB, &x))}
				},
				"predecessors": func() []any { return vals(s.predecessors(ctx, tnB, pid, t3)) },
				// The lists' trash (A's list "Gone" is in it, with its task).
				"trashedLists":     func() []any { return vals(s.trashedLists(ctx, tnB, scB, pid)) },
				"anyList":          func() []any { return vals(s.anyList(ctx, tnB, scB, pid, gone)) },
				"trashListTasks":   func() []any { return []any{s.trashListTasks(ctx, tnB, lid, now)} },
				"restoreListTasks": func() []any { return vals(s.restoreListTasks(ctx, tnB, gone, *goneA.TrashedAt, now)) },
				"purgeListTrash":   func() []any { return vals(s.purgeListTrash(ctx, tnB, now.AddDate(1, 0, 0))) },
				"setListTrashed": func() []any {
					x := *listA
					x.TrashedAt = &now
					return []any{ignoreOther(s.setListTrashed(ctx, tnB, &x))}
				},
				// The followers of A's task.
				"followers": func() []any {
					ids, err := s.followers(ctx, tnB, t1)
					return []any{ids, err}
				},
				"setFollowing": func() []any {
					return []any{ignoreOther(s.setFollowing(ctx, tnB, &taskFollower{AccountID: accA.ID, TaskID: t1, UserID: accA.Owner.ID, Following: true, CreatedAt: now}))}
				},
				"followOnce": func() []any {
					return []any{ignoreOther(s.followOnce(ctx, tnB, &taskFollower{AccountID: accA.ID, TaskID: t1, UserID: accA.Owner.ID, Following: true, CreatedAt: now}))}
				},
				// The companies (A's client company, named by A's project and list).
				"companyProjects": func() []any { return vals(s.companyProjects(ctx, tnB, scB, coA, 10)) },
				// The timesheet's read port (store_time.go), as B with A's person.
				"timeTargets": func() []any {
					return vals(s.timeTargets(ctx, tnB, scope{AccountID: accB.ID, UserID: accA.Owner.ID, All: true}, 50))
				},
				"timeNames": func() []any {
					n, err := s.timeNames(ctx, tnB, []int64{pid}, []int64{t1})
					return []any{n.Projects, n.Tasks, n.Leaders, err}
				},
				"timeFacts": func() []any {
					f, err := s.timeFacts(ctx, tnB, []int64{pid})
					return []any{f.Projects, f.Tasks, err}
				},
				"timeCompanyProjects": func() []any { return vals(s.timeCompanyProjects(ctx, tnB, coA)) },
				// The files module's port (store_files.go), as B with A's project.
				"seenProjects": func() []any {
					return vals(s.seenProjects(ctx, tnB, scope{AccountID: accB.ID, UserID: accA.Owner.ID, All: true}, []int64{pid}, 10))
				},
				"existingIDs": func() []any {
					ts, err := s.existingIDs(ctx, tnB, "tasks", []int64{t1})
					cs, err2 := s.existingIDs(ctx, tnB, "comments", []int64{cid})
					return []any{ts, cs, errors.Join(err, err2)}
				},
				// Resource planning's port (store_planning.go), as B with A's project and task.
				"planningProjects":    func() []any { return vals(s.planningProjects(ctx, tnB, []int64{pid})) },
				"planningTaskProject": func() []any { return vals(s.planningTaskProject(ctx, tnB, t1)) },
				"planningAssignments": func() []any { return vals(s.planningAssignments(ctx, tnB, "2000-01-01", "2100-12-31", nil, 10)) },
				// The extranet's port (store_extranet.go), as B with A's company and project.
				"extranetProjects": func() []any { return vals(s.extranetProjects(ctx, tnB, coA, []int64{pid}, 10)) },
				"forgetCompany":    func() []any { return []any{s.forgetCompany(ctx, tnB, coA)} },
				// The files module's ProjectPeople port, as B with A's project.
				"projectTeam": func() []any { return vals(s.projectTeam(ctx, tnB, pid, 10)) },
				"statusByKey": func() []any { return vals(s.statusByKey(ctx, tnB, pid, stA.Key)) },
				// The one query across accounts, by design: it lists account ids, nothing else.
				"unscopedAccounts": func() []any { _, err := s.unscopedAccounts(ctx, svc.DB, workPurge, now); return []any{err} },
				"putMember": func() []any {
					return []any{ignoreOther(s.putMember(ctx, tnB, &ProjectMember{AccountID: accA.ID, ProjectID: pid, UserID: accA.Owner.ID, Role: RoleMember}))}
				},
				"removeMember": func() []any { return []any{s.removeMember(ctx, tnB, pid, accA.Owner.ID)} },
				"setStar": func() []any {
					return []any{ignoreOther(s.setStar(ctx, tnB, &star{AccountID: accA.ID, UserID: accA.Owner.ID, ProjectID: pid}, true)),
						s.setStar(ctx, tnB, &star{UserID: accA.Owner.ID, ProjectID: pid}, false)}
				},
				"insertMilestone": func() []any { m := *msA; m.ID = 0; return []any{ignoreOther(s.insertMilestone(ctx, tnB, &m))} },
				"lockMilestone":   func() []any { return vals(s.lockMilestone(ctx, tnB, pid, mid)) },
				"saveMilestone": func() []any {
					m := *msA
					m.Name = "stolen"
					wrote, err := s.saveMilestone(ctx, tnB, msA, &m)
					return []any{ignoreOther(err), wrote && err == nil}
				},
				"deleteMilestone": func() []any { return []any{ignoreOther(s.deleteMilestone(ctx, tnB, copyOf(msA).(*Milestone)))} },
				"insertList": func() []any {
					l := *listA
					l.ID, l.CompanyIDs = 0, nil
					return []any{ignoreOther(s.insertList(ctx, tnB, &l))}
				},
				"insertActivity": func() []any {
					return []any{ignoreOther(s.insertActivity(ctx, tnB, &Activity{AccountID: accA.ID, ProjectID: pid, Verb: "x", TargetType: "project", TargetID: pid, CreatedAt: now}))}
				},
				"setRecurrence": func() []any {
					return []any{ignoreOther(s.setRecurrence(ctx, tnB, taskA, &RecurrenceInput{Every: EveryDay}, now)),
						s.setRecurrence(ctx, tnB, &Task{ID: t1}, &RecurrenceInput{Every: EveryNone}, now)}
				},
				"recurrenceOf":    func() []any { return vals(s.recurrenceOf(ctx, tnB, t1)) },
				"plainTask":       func() []any { return vals(s.plainTask(ctx, tnB, t1)) },
				"projectState":    func() []any { return vals(s.projectState(ctx, tnB, pid)) },
				"claimRecurrence": func() []any { return vals(s.claimRecurrence(ctx, tnB, t1, now)) },
				"insertRecurrence": func() []any {
					return []any{ignoreOther(s.insertRecurrence(ctx, tnB, &recurrence{AccountID: accA.ID, TaskID: t2, Every: EveryDay, Step: 1}))}
				},
				"setNextTask":        func() []any { return []any{s.setNextTask(ctx, tnB, t1, t2)} },
				"overdueRecurrences": func() []any { return vals(s.overdueRecurrences(ctx, tnB, "2999-01-01", 10)) },
				"remindableTasks":    func() []any { return vals(s.remindableTasks(ctx, tnB, "1900-01-01", "2999-01-01", 10)) },
				"workingAssignees":   func() []any { return vals(s.workingAssignees(ctx, tnB, []int64{t1})) },
				"insertReminder": func() []any {
					sent, err := s.insertReminder(ctx, tnB, &reminder{AccountID: accA.ID, TaskID: t1, Kind: ReminderDue, Day: "2030-01-01"})
					return []any{ignoreOther(err), sent && err == nil}
				},
				"taskTitle":     func() []any { return vals(s.taskTitle(ctx, tnB, t1)) },
				"projectLeader": func() []any { return vals(s.projectLeader(ctx, tnB, pid)) },
				"visibleTo":     func() []any { return vals(s.visibleTo(ctx, tnB, pid, lid, []int64{accA.Owner.ID})) },
				// The intranet's port (port_spaces.go): B's scope, A's project.
				"memberIDs": func() []any { return vals(s.memberIDs(ctx, tnB, pid, true)) },
				"viewersQuery": func() []any {
					var ids []int64
					err := s.viewersQuery(tnB, pid, true).Scan(ctx, &ids)
					return []any{ids, err}
				},
				"seenQuery": func() []any {
					var ids []int64
					err := s.seenQuery(svc.DB, scB).Where("p.id = ?", pid).Scan(ctx, &ids)
					return []any{ids, err}
				},
				// Through the Tenant of account B.
				"lockTask":     func() []any { return vals(s.lockTask(ctx, tnB, t1)) },
				"assignees":    func() []any { return vals(s.assignees(ctx, tnB, t1)) },
				"setAssignees": func() []any { return []any{s.setAssignees(ctx, tnB, t1, nil)} },
				"saveTask": func() []any {
					t := *taskA
					t.Title = "stolen"
					return []any{ignoreOther(s.saveTask(ctx, tnB, taskA, &t))}
				},
				"projectForUpdate": func() []any { return vals(s.projectForUpdate(ctx, tnB, scB, pid)) },
				"tasksByID":        func() []any { return vals(s.tasksByID(ctx, tnB, scB, []int64{t1, t2})) },
				"allowAssignees":   func() []any { return []any{s.allowAssignees(ctx, nil, tnB, 3)} },                      // no limiter: nothing to refuse
				"roomForAssignees": func() []any { n, err := s.roomForAssignees(ctx, nil, tnB, 3); return vals(n-3, err) }, // no limiter: room for all
				"shortNoticeTo":    func() []any { return vals(s.shortNoticeTo(ctx, tnB, pid)) },
				"userNames":        func() []any { return vals(s.userNames(ctx, tnB, []int64{accA.Owner.ID})) },
				// The home's (B's owner, from the beginning of time to far ahead).
				"upcomingMilestones": func() []any {
					return vals(s.upcomingMilestones(ctx, tnB, scB, "2000-01-01", "2999-12-31", 50))
				},
				"recentActivity": func() []any { return vals(s.recentActivity(ctx, tnB, scB, time.Time{}, 50)) },
				"projectCount":   func() []any { return vals(s.projectCount(ctx, tnB)) },
				"allowProject":   func() []any { return []any{s.allowProject(ctx, nil, tnB)} }, // no limiter: nothing to refuse
				"listsByID":      func() []any { return vals(s.listsByID(ctx, tnB, pid, []int64{lid})) },
				"memberRoles":    func() []any { return vals(s.memberRoles(ctx, tnB, pid, []int64{accA.Owner.ID})) },
				"lastPosition":   func() []any { return vals(s.lastPosition(ctx, tnB, pid, lid)) },
				"insertTasks":    func() []any { x := *taskA; x.ID = 0; return []any{ignoreOther(s.insertTasks(ctx, tnB, []*Task{&x}))} },
				"insertAssignees": func() []any {
					return []any{ignoreOther(s.insertAssignees(ctx, tnB, []Assignee{{AccountID: accA.ID, TaskID: t2, UserID: accA.Owner.ID}}))}
				},
				"deleteTask": func() []any { return []any{s.deleteTask(ctx, tnB, t1)} },
				"dependency": func() []any {
					return []any{s.dependency(ctx, tnB, &Dependency{ProjectID: pid, SuccessorID: t2, PredecessorID: t1})}
				},
				"insertDependency": func() []any {
					return []any{ignoreOther(s.insertDependency(ctx, tnB, &Dependency{AccountID: accA.ID, ProjectID: pid, SuccessorID: t1, PredecessorID: t2, Kind: KindFinishToStart}))}
				},
				"removeDependency": func() []any { return vals(s.removeDependency(ctx, tnB, pid, t2, t1)) },
				"projectTasks":     func() []any { return vals(s.projectTasks(ctx, tnB, pid, []int64{t1, t2})) },
				"saveSchedule": func() []any {
					x := *taskA
					x.DueOn = "2030-01-01"
					return []any{ignoreOther(s.saveSchedule(ctx, tnB, &x))}
				},
				"sharedCompanies": func() []any { return vals(s.sharedCompanies(ctx, tnB, lid)) },
				"insertComment": func() []any {
					return []any{ignoreOther(s.insertComment(ctx, tnB, &Comment{AccountID: accA.ID, ProjectID: pid, TaskID: t1, Body: "x"}))}
				},
				"lockList":       func() []any { return vals(s.lockList(ctx, tnB, scB, pid, lid)) },
				"listCompanyIDs": func() []any { return vals(s.listCompanyIDs(ctx, tnB, lid)) },
				"saveList": func() []any {
					l := *listA
					l.Name, l.CompanyIDs = "stolen", nil
					wrote, err := s.saveList(ctx, tnB, listA, &l, true)
					return []any{wrote, ignoreOther(err)}
				},
				"listTasks":   func() []any { return vals(s.listTasks(ctx, tnB, lid)) },
				"deleteList":  func() []any { return []any{s.deleteList(ctx, tnB, copyOf(listA).(*TaskList))} },
				"comment":     func() []any { return vals(s.comment(ctx, tnB, cid)) },
				"lockComment": func() []any { return vals(s.lockComment(ctx, tnB, cid)) },
				"saveComment": func() []any {
					c, err := s.lockComment(ctx, tnA, cid)
					if err != nil {
						return []any{err}
					}
					c.Body, c.EditedAt = "stolen", &now
					return []any{ignoreOther(s.saveComment(ctx, tnB, c))}
				},
				"deleteComment":       func() []any { return []any{s.deleteComment(ctx, tnB, cid)} },
				"taskCount":           func() []any { return vals(s.taskCount(ctx, tnB, pid)) },
				"projectMilestones":   func() []any { return vals(s.projectMilestones(ctx, tnB, pid)) },
				"projectLists":        func() []any { return vals(s.projectLists(ctx, tnB, pid)) },
				"projectShares":       func() []any { return vals(s.projectShares(ctx, tnB, pid)) },
				"activeColleagues":    func() []any { return []any{nil} }, // below: B's own people only
				"activeMembers":       func() []any { return vals(s.activeMembers(ctx, tnB, pid)) },
				"projectTasksAll":     func() []any { return vals(s.projectTasksAll(ctx, tnB, pid)) },
				"projectAssignees":    func() []any { return vals(s.projectAssignees(ctx, tnB, pid)) },
				"projectDependencies": func() []any { return vals(s.projectDependencies(ctx, tnB, pid)) },
				"projectStatuses":     func() []any { return vals(s.projectStatuses(ctx, tnB, pid)) },
				"projectLabels":       func() []any { return vals(s.projectLabels(ctx, tnB, pid)) },
				"pendingRecurrences":  func() []any { return vals(s.pendingRecurrences(ctx, tnB, pid)) },
				"projectTaskLabels":   func() []any { return vals(s.projectTaskLabels(ctx, tnB, pid)) },
				"projectChecklists":   func() []any { return vals(s.projectChecklists(ctx, tnB, pid)) },
				"projectComments":     func() []any { return vals(s.projectComments(ctx, tnB, pid)) },
				"insertCopies": func() []any {
					return []any{ignoreOther(s.insertCopies(ctx, tnB, []Label{{AccountID: accA.ID, ProjectID: pid, Name: "copy", Color: lblA.Color}}))}
				},
				"tasksBetween": func() []any {
					return vals(s.tasksBetween(ctx, tnB, scB, pid, "1900-01-01", "2999-01-01", TaskFilter{}, 10))
				},
				"myTasksBetween": func() []any {
					return vals(s.myTasksBetween(ctx, tnB, scB, "1900-01-01", "2999-01-01", TaskFilter{}, 10))
				},
				"tasksDue": func() []any {
					return vals(s.tasksDue(ctx, tnB, scope{AccountID: accB.ID, UserID: accA.Owner.ID, All: true}, []int64{accA.Owner.ID}, "1900-01-01", "2999-01-01", 10))
				},
				"boardTasks":     func() []any { return vals(s.boardTasks(ctx, tnB, scB, pid, 10)) },
				"boardAssignees": func() []any { return vals(s.boardAssignees(ctx, tnB, []int64{t1})) },
				"ganttTasks":     func() []any { return vals(s.ganttTasks(ctx, tnB, scB, pid, 10)) },
				"ganttAssignees": func() []any { return vals(s.ganttAssignees(ctx, tnB, pid)) },
				"ganttLinks":     func() []any { return vals(s.ganttLinks(ctx, tnB, pid)) },
				"liveTaskIDs":    func() []any { return vals(s.liveTaskIDs(ctx, tnB, pid, []int64{t1})) },
				"peopleByEmail":  func() []any { return vals(s.peopleByEmail(ctx, tnB, []string{strings.ToLower(accA.Owner.Email)})) },
				// The personal-data provider's (store_privacy.go), for A's owner through B's Tenant.
				"personCounts": func() []any {
					c, err := s.personCounts(ctx, tnB, accA.Owner.ID)
					return []any{err, c.Projects, c.Tasks, c.Comments, c.Activity, c.Categories}
				},
				"personData": func() []any {
					x, err := s.personData(ctx, tnB, accA.Owner.ID)
					if err != nil {
						return []any{err}
					}
					return []any{x.Projects, x.Assignments, x.Comments, x.Activity, x.Categories}
				},
				"erasePerson": func() []any {
					n := personal.Needles{UserID: accA.Owner.ID, Emails: []string{strings.ToLower(accA.Owner.Email)}, Names: []string{accA.Owner.Name, "A's", "One"}}
					return []any{s.erasePerson(ctx, tnB, accA.Owner.ID, false, n)}
				},
			}
			// activeColleagues answers B's people: none of A's.
			if cs, err := s.activeColleagues(ctx, tnB); err != nil || slices.ContainsFunc(cs, func(c colleague) bool { return c.UserID == accA.Owner.ID }) {
				t.Errorf("activeColleagues of B: %v %v", cs, err)
			}
			for _, name := range storeMethods(t) {
				call, ok := calls[name]
				if !ok {
					t.Errorf("store.%s has no row in TestStoreNeverCrossesAccounts", name)
					continue
				}
				res := call()
				if slices.ContainsFunc(res, isNotFound) {
					continue // what else it returns beside "not found" is no answer
				}
				for i, v := range res {
					if msg := found(v); msg != "" {
						t.Errorf("store.%s for account B with account A's ids: result %d %s", name, i, msg)
					}
				}
			}
			if after := e.Snapshot(); after != before {
				t.Errorf("account B's calls changed the data:\nbefore %s\nafter  %s", before, after)
			}
			if after := projectRows(t, svc.DB, accA.ID); after != rowsBefore {
				t.Errorf("account B's calls changed account A's rows:\nbefore %s\nafter  %s", rowsBefore, after)
			}
			// And A still sees its own.
			if got, _ := s.tasksByID(ctx, tnA, scA, []int64{t1}); len(got) != 1 || got[0].Title != "One" {
				t.Errorf("account A's task: %+v", got)
			}
		})
	}
}

// projectRows prints every row of the module's tables of an account, to compare.
func projectRows(t *testing.T, idb bun.IDB, accountID int64) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"projects", "project_members", "project_stars", "milestones", "task_lists", "task_list_companies",
		"tasks", "task_assignees", "task_dependencies", "comments", "activity", "task_statuses", "labels", "task_labels",
		"task_checklist_items", "task_recurrences", "task_reminders", "project_categories"} {
		var rows []map[string]any
		if err := idb.NewSelect().TableExpr(table).Where("account_id = ?", accountID).OrderExpr("1, 2, 3").Scan(context.Background(), &rows); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%v\n", table, rows)
	}
	return b.String()
}

// vals turns the results of a call into a slice.
func vals(vs ...any) []any { return vs }

// ignoreOther is nil for db.ErrOtherAccount (a write refused) and err otherwise.
func ignoreOther(err error) error {
	if errors.Is(err, db.ErrOtherAccount) {
		return nil
	}
	return err
}

// found describes v when it holds anything: an error other than not found, a non-nil
// pointer, a non-empty slice, map or string, a non-zero number.
func found(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case error:
		if isNotFound(x) {
			return ""
		}
		return "is the error " + x.Error()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !rv.IsNil() {
			if e := rv.Elem(); e.Kind() == reflect.Slice {
				return found(e.Interface())
			}
			return fmt.Sprintf("is %+v", rv.Elem().Interface())
		}
	case reflect.Slice, reflect.Map, reflect.String:
		if rv.Len() > 0 {
			return fmt.Sprintf("holds %v", v)
		}
	case reflect.Int, reflect.Int64, reflect.Bool:
		if !rv.IsZero() {
			return fmt.Sprintf("is %v", v)
		}
	}
	return ""
}

// isNotFound reports whether v is a "not found" error: a 404 problem or no row.
func isNotFound(v any) bool {
	err, ok := v.(error)
	if !ok || err == nil {
		return false
	}
	var pr *problem.Problem
	return errors.As(err, &pr) && pr.Status == http.StatusNotFound || db.IsNotFound(err)
}
