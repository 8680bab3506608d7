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

	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/testkit"
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
			pid := id(want(as.Post(base+"/projects", map[string]any{"name": "A's"}), http.StatusCreated))
			mid := id(want(as.Post(fmt.Sprintf("%s/projects/%d/milestones", base, pid), map[string]any{"name": "M", "due_on": "2030-01-01"}), http.StatusCreated))
			lid := id(want(as.Post(fmt.Sprintf("%s/projects/%d/lists", base, pid), map[string]any{"name": "L", "milestone_id": mid}), http.StatusCreated))
			lbl := id(want(as.Post(fmt.Sprintf("%s/projects/%d/labels", base, pid), map[string]any{"name": "Bug"}), http.StatusCreated))
			want(as.Post(fmt.Sprintf("%s/projects/%d/statuses", base, pid), map[string]any{"name": "Review", "base": "in_progress"}), http.StatusCreated)
			t1 := id(want(as.Post(fmt.Sprintf("%s/projects/%d/tasks", base, pid), map[string]any{"list_id": lid, "title": "One",
				"assignees": []map[string]any{{"user_id": accA.Owner.ID}}, "labels": []int64{lbl}}), http.StatusCreated))
			t2 := id(want(as.Post(fmt.Sprintf("%s/projects/%d/tasks", base, pid), map[string]any{"list_id": lid, "title": "Two"}), http.StatusCreated))
			want(as.Post(fmt.Sprintf("%s/tasks/%d/dependencies", base, t2), map[string]any{"predecessor_id": t1}), http.StatusCreated)
			want(as.Post(fmt.Sprintf("%s/tasks/%d/comments", base, t1), map[string]any{"body": "hello"}), http.StatusCreated)
			item := id(want(as.Post(fmt.Sprintf("%s/tasks/%d/checklist", base, t1), map[string]any{"text": "check"}), http.StatusCreated))
			e.Settle()

			ctx := context.Background()
			var s store
			// A's rows as A reads them, to hand to B's calls.
			scA := scope{AccountID: accA.ID, UserID: accA.Owner.ID, All: true, Manage: true}
			taskA, _, err := s.task(ctx, svc.DB, scA, t1)
			if err != nil {
				t.Fatal(err)
			}
			// B at its strongest: the owner of account B.
			scB := scope{AccountID: accB.ID, UserID: accB.Owner.ID, All: true, Manage: true}
			tnB := db.For(svc.DB, accB.ID)
			page := api.Page{Limit: 50}
			tasksA := func() []Task { return []Task{*taskA} }

			before := e.Snapshot()
			calls := map[string]func() []any{
				"project":  func() []any { return vals(s.project(ctx, svc.DB, scB, pid, true)) },
				"projects": func() []any { return vals(s.projects(ctx, svc.DB, scB, ProjectFilter{State: StateActive}, page)) },
				"decorate": func() []any {
					ps := []Project{{ID: pid}}
					return []any{s.decorate(ctx, svc.DB, scB, ps), ps[0].Counts.Tasks}
				},
				"memberRole": func() []any { return vals(s.memberRole(ctx, svc.DB, accB.ID, pid, accA.Owner.ID)) },
				"members":    func() []any { return vals(s.members(ctx, svc.DB, scB, pid)) },
				"milestones": func() []any { return vals(s.milestones(ctx, svc.DB, scB, pid, page)) },
				"milestone":  func() []any { return vals(s.milestone(ctx, svc.DB, accB.ID, pid, mid)) },
				"lists":      func() []any { return vals(s.lists(ctx, svc.DB, scB, pid, page)) },
				"list":       func() []any { return vals(s.list(ctx, svc.DB, scB, pid, lid)) },
				"decorateLists": func() []any {
					ls := []TaskList{{ID: lid}}
					return []any{s.decorateLists(ctx, svc.DB, scB, ls), ls[0].CompanyIDs, ls[0].Counts.Tasks}
				},
				"task":    func() []any { return vals(s.task(ctx, svc.DB, scB, t1)) },
				"tasks":   func() []any { return vals(s.tasks(ctx, svc.DB, scB, pid, TaskFilter{}, page)) },
				"myTasks": func() []any { return vals(s.myTasks(ctx, svc.DB, scB, TaskFilter{}, page)) },
				"decorateTasks": func() []any {
					ts := tasksA()
					return []any{s.decorateTasks(ctx, svc.DB, scB, ts), ts[0].Assignees, ts[0].SuccessorIDs, ts[0].Labels}
				},
				"decorateTasksWith": func() []any {
					ts := tasksA()
					return []any{s.decorateTasksWith(ctx, svc.DB, scB, ts, true), ts[0].Assignees, ts[0].SuccessorIDs, ts[0].Labels, ts[0].Checklist}
				},
				"decorateDetails": func() []any {
					ts := tasksA()
					return []any{s.decorateDetails(ctx, svc.DB, scB, ts, []int64{t1}, map[int64]*Task{t1: &ts[0]}, true), ts[0].Labels, ts[0].Checklist}
				},
				"boardDetails": func() []any {
					ts := tasksA()
					ts[0].Labels = nil
					return []any{s.boardDetails(ctx, svc.DB, scB, pid, ts, map[int64]int{t1: 0}), ts[0].Labels}
				},
				"edges":      func() []any { return vals(s.edges(ctx, svc.DB, accB.ID, pid)) },
				"comments":   func() []any { return vals(s.comments(ctx, svc.DB, scB, t1, page)) },
				"activity":   func() []any { return vals(s.activity(ctx, svc.DB, scB, pid, page)) },
				"checklist":  func() []any { return vals(s.checklist(ctx, svc.DB, &Task{AccountID: accB.ID, ID: t1})) },
				"item":       func() []any { return vals(s.item(ctx, svc.DB, &Task{AccountID: accB.ID, ID: t1}, item)) },
				"labels":     func() []any { return vals(s.labels(ctx, svc.DB, scB, pid)) },
				"label":      func() []any { return vals(s.label(ctx, svc.DB, accB.ID, pid, lbl)) },
				"statuses":   func() []any { return vals(s.statuses(ctx, svc.DB, accB.ID, pid)) },
				"status":     func() []any { return vals(s.status(ctx, svc.DB, accB.ID, pid, 1)) },
				"taskLabels": func() []any { return vals(s.taskLabels(ctx, svc.DB, &Task{AccountID: accB.ID, ID: t1}, true)) },
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
				// The home's (B's owner, from the beginning of time to far ahead).
				"upcomingMilestones": func() []any {
					return vals(s.upcomingMilestones(ctx, tnB, scB, "2000-01-01", "2999-12-31", 50))
				},
				"recentActivity": func() []any { return vals(s.recentActivity(ctx, tnB, scB, time.Time{}, 50)) },
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
			// And A still sees its own.
			if got, _ := s.tasksByID(ctx, db.For(svc.DB, accA.ID), scA, []int64{t1}); len(got) != 1 || got[0].Title != "One" {
				t.Errorf("account A's task: %+v", got)
			}
		})
	}
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
