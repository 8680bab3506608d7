package modules_test

import (
	"testing"

	"groupcamp/core/hooks"
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

// TestEveryPersonalDataDescribesWithoutAPerson: the public pages (the record of processing,
// the privacy and cookie notices) ask every provider to describe its data with no person and
// no account; each answers from what it declares, without a query (a tenant of account 0
// panics) and without an error.
func TestEveryPersonalDataDescribesWithoutAPerson(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", everyModule())
	for _, p := range e.App.Hooks.PersonalData {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: Describe without a person panics: %v", p.Module, r)
				}
			}()
			if _, err := p.Hook.Describe(t.Context(), hooks.Subject{}); err != nil {
				t.Errorf("%s: Describe without a person: %v", p.Module, err)
			}
		}()
	}
}
