package authz_test

import (
	"bufio"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/authz"
	"groupcamp/policies"
)

// roles are the seven roles of the matrix: the account roles, then the platform roles.
var roles = []string{"owner", "admin", "manager", "member", "client", "support", "partner"}

type row struct {
	line                 int
	role, object, action string
	allow                bool
}

// readMatrix parses policies/matrix.csv: role,object,action,expected, with # comments and
// one header line.
func readMatrix(t *testing.T) []row {
	t.Helper()
	var rows []row
	sc := bufio.NewScanner(strings.NewReader(policies.Matrix))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || line == "role,object,action,expected" {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 4 {
			t.Fatalf("matrix.csv:%d: want 4 fields, got %q", n, line)
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if !slices.Contains(roles, f[0]) {
			t.Fatalf("matrix.csv:%d: unknown role %q", n, f[0])
		}
		if f[3] != "allow" && f[3] != "deny" {
			t.Fatalf("matrix.csv:%d: expected must be allow or deny, got %q", n, f[3])
		}
		rows = append(rows, row{line: n, role: f[0], object: f[1], action: f[2], allow: f[3] == "allow"})
	}
	if len(rows) == 0 {
		t.Fatal("matrix.csv has no rows")
	}
	return rows
}

func TestEnforcerMatchesTheMatrix(t *testing.T) {
	en, err := authz.NewEnforcer()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range readMatrix(t) {
		for _, slug := range []string{"some-account", "another-account"} {
			if got := en.Allowed(r.role, slug, r.object, r.action); got != r.allow {
				t.Errorf("matrix.csv:%d: %s may %s:%s in %s = %v, matrix says %v", r.line, r.role, r.object, r.action, slug, got, r.allow)
			}
		}
	}
}

func TestMatrixCoversEveryCapabilityForEveryRole(t *testing.T) {
	en, err := authz.NewEnforcer()
	if err != nil {
		t.Fatal(err)
	}
	rows := readMatrix(t)
	have := map[string]bool{} // role|object:action
	inMatrix := map[string]bool{}
	for _, r := range rows {
		have[r.role+"|"+r.object+":"+r.action] = true
		inMatrix[r.object+":"+r.action] = true
	}
	caps := en.Capabilities()
	if len(caps) == 0 {
		t.Fatal("the policy grants no capability")
	}
	for _, c := range caps {
		for _, role := range roles {
			if !have[role+"|"+c] {
				t.Errorf("matrix.csv lacks the row %s,%s,...: every capability needs a decision for all %d roles", role, strings.Replace(c, ":", ",", 1), len(roles))
			}
		}
	}
	// The other way round: a capability the policy never mentions is a stale row.
	for c := range inMatrix {
		if !slices.Contains(caps, c) {
			t.Errorf("matrix.csv lists %s, which policy.csv never grants", c)
		}
	}
}

func TestMatrixHasNoDuplicateRows(t *testing.T) {
	seen := map[string]int{}
	for _, r := range readMatrix(t) {
		k := r.role + "," + r.object + "," + r.action
		if first, dup := seen[k]; dup {
			t.Errorf("matrix.csv:%d repeats %s (first at line %d)", r.line, k, first)
			continue
		}
		seen[k] = r.line
	}
}

func TestNoRoleNoAccess(t *testing.T) {
	en, err := authz.NewEnforcer()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range en.Capabilities() {
		obj, act, _ := strings.Cut(c, ":")
		for _, role := range []string{"", "stranger", "Owner", "*"} {
			if en.Allowed(role, "some-account", obj, act) {
				t.Errorf("role %q was allowed %s", role, c)
			}
		}
	}
}
