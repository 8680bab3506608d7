package projects_test

// Lost updates: two PATCHes of different fields of one row, at the same time, must both
// survive. An update that reads the row outside its transaction and writes every column back
// from that copy undoes the other one's field.

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// race sends the two PATCHes of each round at once, rounds times, then reads the row with a
// GET of path and checks that both fields of the round's last writes are there.
func race(t *testing.T, w *world, rounds int, path string, a, b func(i int) map[string]any, check func(i int, got map[string]any) string) {
	t.Helper()
	read := func() map[string]any { return w.want(w.as(w.owner).Get(path), http.StatusOK).Map() }
	raceRead(t, w, rounds, path, read, a, b, check)
}

// raceRead is race for a row read with read (one that has no GET of its own).
func raceRead(t *testing.T, w *world, rounds int, path string, read func() map[string]any, a, b func(i int) map[string]any, check func(i int, got map[string]any) string) {
	t.Helper()
	c := w.as(w.owner)
	for i := range rounds {
		var wg sync.WaitGroup
		var sa, sb int
		wg.Add(2)
		go func() { defer wg.Done(); sa = c.Patch(path, a(i)).Status }()
		go func() { defer wg.Done(); sb = c.Patch(path, b(i)).Status }()
		wg.Wait()
		if sa != http.StatusOK || sb != http.StatusOK {
			t.Fatalf("round %d: statuses %d and %d", i, sa, sb)
		}
		if msg := check(i, read()); msg != "" {
			t.Fatalf("round %d: lost update: %s", i, msg)
		}
	}
}

func nthDay(i int) string { return fmt.Sprintf("2030-%02d-%02d", 1+i/28%12, 1+i%28) }

// TestConcurrentTaskPatchesKeepBothFields: one PATCH sets the title, the other the due day.
func TestConcurrentTaskPatchesKeepBothFields(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.owner, nil)
		tid := w.task(w.owner, pid, w.taskList(pid, "Backlog"), "Task", nil)
		race(t, w, 40, w.path("/tasks/%d", tid),
			func(i int) map[string]any { return map[string]any{"title": fmt.Sprintf("Title %d", i)} },
			func(i int) map[string]any { return map[string]any{"due_on": nthDay(i)} },
			func(i int, got map[string]any) string {
				if got["title"] != fmt.Sprintf("Title %d", i) || got["due_on"] != nthDay(i) {
					return fmt.Sprintf("title %v, due_on %v", got["title"], got["due_on"])
				}
				return ""
			})
	})
}

// TestConcurrentProjectPatchesKeepBothFields: one PATCH renames the project, the other sets
// its category.
func TestConcurrentProjectPatchesKeepBothFields(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.owner, nil)
		for i := range 40 {
			w.category(fmt.Sprintf("Category %d", i), nil)
		}
		race(t, w, 40, w.path("/projects/%d", pid),
			func(i int) map[string]any { return map[string]any{"name": fmt.Sprintf("Name %d", i)} },
			func(i int) map[string]any { return map[string]any{"category": fmt.Sprintf("Category %d", i)} },
			func(i int, got map[string]any) string {
				if got["name"] != fmt.Sprintf("Name %d", i) || got["category"] != fmt.Sprintf("Category %d", i) {
					return fmt.Sprintf("name %v, category %v", got["name"], got["category"])
				}
				return ""
			})
	})
}

// TestConcurrentMilestonePatchesKeepBothFields: one PATCH renames the milestone, the other
// moves it.
func TestConcurrentMilestonePatchesKeepBothFields(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.owner, nil)
		mid := idOf(t, w.want(w.as(w.owner).Post(w.path("/projects/%d/milestones", pid), map[string]any{"name": "M", "due_on": "2030-01-01"}), http.StatusCreated))
		path := w.path("/projects/%d/milestones/%d", pid, mid)
		c := w.as(w.owner)
		for i := range 40 {
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				check(t, "rename", c.Patch(path, map[string]any{"name": fmt.Sprintf("M %d", i)}), http.StatusOK)
			}()
			go func() {
				defer wg.Done()
				check(t, "move", c.Patch(path, map[string]any{"due_on": nthDay(i)}), http.StatusOK)
			}()
			wg.Wait()
			var got page
			w.want(c.Get(w.path("/projects/%d/milestones", pid)), http.StatusOK).JSON(t, &got)
			if len(got.Items) != 1 || got.Items[0]["name"] != fmt.Sprintf("M %d", i) || got.Items[0]["due_on"] != nthDay(i) {
				t.Fatalf("round %d: lost update: %v", i, got.Items)
			}
		}
	})
}

// TestConcurrentLabelPatchesKeepBothFields: one PATCH renames the label, the other recolours
// it.
func TestConcurrentLabelPatchesKeepBothFields(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.owner, nil)
		lid := idOf(t, w.want(w.as(w.owner).Post(w.path("/projects/%d/labels", pid), map[string]any{"name": "L"}), http.StatusCreated))
		path := w.path("/projects/%d/labels/%d", pid, lid)
		colors := []string{"red", "blue"}
		c := w.as(w.owner)
		for i := range 30 {
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				check(t, "rename", c.Patch(path, map[string]any{"name": fmt.Sprintf("L %d", i)}), http.StatusOK)
			}()
			go func() {
				defer wg.Done()
				check(t, "recolour", c.Patch(path, map[string]any{"color": colors[i%2]}), http.StatusOK)
			}()
			wg.Wait()
			var got struct {
				Items []map[string]any `json:"items"`
			}
			w.want(c.Get(w.path("/projects/%d/labels", pid)), http.StatusOK).JSON(t, &got)
			if len(got.Items) != 1 || got.Items[0]["name"] != fmt.Sprintf("L %d", i) || got.Items[0]["color"] != colors[i%2] {
				t.Fatalf("round %d: lost update: %v", i, got.Items)
			}
		}
	})
}
