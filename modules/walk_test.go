package modules_test

import (
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
	"groupcamp/modules"
)

// The walkers over every module of the list, API and pages, on every database: a module that
// registers its app.Fixtures is held to the role matrix, the tenancy rule and the odd-input
// rule without any test naming it.

func everyModule() testkit.Options { return testkit.Options{Modules: modules.All()} }

func TestEveryModuleRoleMatrix(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, everyModule(), func(t *testing.T, e *testkit.Env) { walk.RoleMatrix(t, e) })
}

func TestEveryModuleTenancy(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, everyModule(), func(t *testing.T, e *testkit.Env) { walk.Tenancy(t, e) })
}

func TestEveryModuleOddInput(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, everyModule(), func(t *testing.T, e *testkit.Env) { walk.OddInput(t, e) })
}

func TestEveryModulePersonalDataCoverage(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, everyModule(), func(t *testing.T, e *testkit.Env) { walk.PersonalDataCoverage(t, e) })
}
