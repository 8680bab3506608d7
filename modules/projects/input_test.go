package projects_test

import (
	"fmt"
	"math"
	"net/http"
	"testing"
)

// TestPathIDsHaveOneSpelling: a path names a row by its id written as the API writes it; "+7",
// "07" or "7e0" name nothing (404), they are never read as row 7.
func TestPathIDsHaveOneSpelling(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		own := w.as(w.owner)
		pid := w.project(w.owner, nil)
		want(t, "the id itself", own.Get(w.path("/projects/%d", pid)), http.StatusOK)
		for _, spelling := range []string{"+%d", "0%d", "00%d", "%de0", "%d.0", "%%2B%d", "%%20%d", "-%d"} {
			p := fmt.Sprintf(spelling, pid)
			want(t, p, own.Get(w.path("/projects/%s", p)), http.StatusNotFound)
			want(t, p+" (patch)", own.Patch(w.path("/projects/%s", p), map[string]any{"name": "Renamed"}), http.StatusNotFound)
		}
		for _, p := range []string{"0", "0x1", "-1", "1e0", "9223372036854775808"} {
			want(t, p, own.Get(w.path("/projects/%s", p)), http.StatusNotFound)
		}
	})
}

// TestTaskPositionsAreBounded: a position past the bound is a 422 and changes nothing, so the
// next task (MAX(position)+1 of its list) never overflows.
func TestTaskPositionsAreBounded(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		own := w.as(w.owner)
		pid := w.project(w.owner, nil)
		list := w.taskList(pid, "L")
		task := w.task(w.owner, pid, list, "T", nil)
		before := w.snapshot()
		for _, pos := range []int64{math.MaxInt64, math.MaxInt64 - 1, 1_000_000_001, -1, math.MinInt64} {
			wantField(t, fmt.Sprint(pos), own.Patch(w.path("/tasks/%d", task), map[string]any{"position": pos}), http.StatusUnprocessableEntity, "position")
		}
		if after := w.snapshot(); after != before {
			t.Fatalf("refused positions changed data:\n%s\n---\n%s", before, after)
		}
		if got := num(w.want(own.Get(w.path("/tasks/%d", task)), http.StatusOK).Map()["position"]); got != 1 {
			t.Fatalf("position after refusals = %d, want 1", got)
		}
		want(t, "the largest position", own.Patch(w.path("/tasks/%d", task), map[string]any{"position": 1_000_000_000}), http.StatusOK)
		next := w.want(own.Post(w.path("/projects/%d/tasks", pid), map[string]any{"list_id": list, "title": "Next"}), http.StatusCreated).Map()
		if got := num(next["position"]); got != 1_000_000_001 {
			t.Fatalf("next task's position = %d, want 1000000001", got)
		}
	})
}
