package gcapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"testing"

	"groupcamp/core/testkit"
)

// TestPythonScript runs testdata/gcapi_client.py — a customer's script written with Python's
// standard library only — against the server: the protocol works outside Go. Skipped when
// python3 is not installed.
func TestPythonScript(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		w := newReporting(t, e, 1, 150)
		w.api(t, "POST", "/projects/"+w.gid+"/budget-lines", map[string]any{"kind": "total", "minutes": 600, "amount_minor": 50000}, http.StatusCreated)
		cmd := exec.Command(py, "testdata/gcapi_client.py")
		cmd.Env = append(os.Environ(),
			"GCAPI_BASE="+e.URL, "GCAPI_ACTING="+w.acc.Owner.Email, "GCAPI_MEMBER="+w.member.Email, "GCAPI_DAY="+today(),
			"GCAPI_PROJECT=From Python", "GCAPI_BUDGET_GROUP="+w.gid,
			"GCAPI_PROV_KEY="+w.prov.key, "GCAPI_PROV_SECRET="+w.prov.secret, "GCAPI_REP_KEY="+w.rep.key, "GCAPI_REP_SECRET="+w.rep.secret)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the script failed: %v\n%s", err, out)
		}
		var seen struct {
			Group        string `json:"group"`
			Pages        int    `json:"pages"`
			Timelogs     int    `json:"timelogs"`
			Seconds      int    `json:"seconds"`
			BudgetWork   int    `json:"budget_work"`
			BudgetAmount int    `json:"budget_amount"`
		}
		if err := json.Unmarshal(out, &seen); err != nil {
			t.Fatalf("the script's output: %s", out)
		}
		if seen.Group == "" || seen.Pages != 2 || seen.Timelogs != 150 || seen.Seconds != (90+149)*60 || seen.BudgetWork != 36000 || seen.BudgetAmount != 500000 {
			t.Fatalf("the script saw %+v", seen)
		}
		// The project it made is there, with the member.
		g := w.prov.call("GET", "/core/v1/group/"+seen.Group, "").want(t, http.StatusOK).result(t)
		if g["name"] != "From Python" || g["nb_users"] != float64(2) {
			t.Fatalf("the script's project: %v", g)
		}
	})
}
