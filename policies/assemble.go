package policies

import (
	"encoding/csv"
	"fmt"
	"strings"
)

// Part is the capabilities a module declares (app.Registry.Capabilities): its rows of the
// policy (role templates: "p, role, *, object, action") and its rows of the reviewed matrix
// ("role,object,action,expected" with the same header as matrix.csv). Every object must be
// the module's name or start with it and a dot ("projects", "projects.tasks"), so that two
// modules cannot collide and a capability tells whose it is.
type Part struct {
	Module string
	Policy string
	Matrix string
}

// Assemble joins the core policy and matrix with the modules' parts, after checking each
// part's names. The result is what the enforcer loads and the role-matrix tests read.
func Assemble(parts ...Part) (policy, matrix string, err error) {
	var p, m strings.Builder
	p.WriteString(Policy)
	m.WriteString(Matrix)
	for _, part := range parts {
		if err := part.check(); err != nil {
			return "", "", err
		}
		fmt.Fprintf(&p, "\n# module %s\n%s\n", part.Module, strings.TrimSpace(part.Policy))
		rows := strings.SplitN(strings.TrimSpace(part.Matrix), "\n", 2)
		if len(rows) == 2 {
			fmt.Fprintf(&m, "\n# module %s\n%s\n", part.Module, rows[1])
		}
	}
	return p.String(), m.String(), nil
}

// Owns reports whether a capability object belongs to the module.
func Owns(module, object string) bool {
	return object == module || strings.HasPrefix(object, module+".")
}

func (part Part) check() error {
	if part.Module == "" {
		return fmt.Errorf("policies: a part without a module")
	}
	for i, line := range strings.Split(part.Policy, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		for j := range f {
			f[j] = strings.TrimSpace(f[j])
		}
		if len(f) != 5 || f[0] != "p" || f[2] != "*" {
			return fmt.Errorf("policies: module %s, policy line %d: want \"p, role, *, object, action\", got %q", part.Module, i+1, line)
		}
		if !Owns(part.Module, f[3]) {
			return fmt.Errorf("policies: module %s, policy line %d: the object %q must be %q or start with %q", part.Module, i+1, f[3], part.Module, part.Module+".")
		}
	}
	rd := csv.NewReader(strings.NewReader(part.Matrix))
	rd.Comment = '#'
	rows, err := rd.ReadAll()
	if err != nil {
		return fmt.Errorf("policies: module %s, matrix: %w", part.Module, err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "role,object,action,expected" {
		return fmt.Errorf("policies: module %s, matrix: want the header role,object,action,expected", part.Module)
	}
	for i, row := range rows[1:] {
		if len(row) != 4 || !Owns(part.Module, row[1]) {
			return fmt.Errorf("policies: module %s, matrix row %d: %v is not a row of this module's objects", part.Module, i+2, row)
		}
	}
	return nil
}

// ParseMatrix reads a matrix ("role,object,action,expected" rows) into capability ->
// role -> allowed, refusing a row that appears twice or an expectation other than allow/deny.
func ParseMatrix(text string) (map[string]map[string]bool, error) {
	rd := csv.NewReader(strings.NewReader(text))
	rd.Comment = '#'
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("matrix: %w", err)
	}
	m := map[string]map[string]bool{}
	for i, row := range rows {
		if strings.Join(row, ",") == "role,object,action,expected" {
			continue
		}
		if len(row) != 4 {
			return nil, fmt.Errorf("matrix row %d: %v", i+1, row)
		}
		c := row[1] + ":" + row[2]
		if m[c] == nil {
			m[c] = map[string]bool{}
		}
		if _, dup := m[c][row[0]]; dup {
			return nil, fmt.Errorf("matrix: %s for %s appears twice", c, row[0])
		}
		switch row[3] {
		case "allow":
			m[c][row[0]] = true
		case "deny":
			m[c][row[0]] = false
		default:
			return nil, fmt.Errorf("matrix row %d: expected must be allow or deny, got %q", i+1, row[3])
		}
	}
	return m, nil
}
