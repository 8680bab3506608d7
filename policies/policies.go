// Package policies embeds the Casbin model and policy that map roles to capabilities, and the
// role matrix that humans review: every role x every capability -> allow or deny. The test
// beside it checks the enforcer against each row of the matrix.
package policies

import _ "embed"

// Model is the Casbin model (RBAC with domains).
//
//go:embed model.conf
var Model string

// Policy is the Casbin policy: role templates and the role hierarchy.
//
//go:embed policy.csv
var Policy string

// Matrix is the reviewed role x capability table.
//
//go:embed matrix.csv
var Matrix string
