package app_test

import (
	"context"
	"strings"
	"testing"

	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// Every table of core that holds a person is named by one of core's personal-data providers,
// and the check finds a table that a provider stops naming.
func TestPersonalDataCoverage(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			e := testkit.Start(t, kind, testkit.Options{})
			walk.PersonalDataCoverage(t, e)

			// Without sessions in auth's list, the check fails on sessions.
			var cut []hooks.Named[hooks.PersonalData]
			for _, p := range e.App.Hooks.PersonalData {
				if slicesContains(p.Hook.Tables(), "sessions") {
					p.Hook = without{p.Hook, "sessions"}
				}
				cut = append(cut, p)
			}
			gaps, err := walk.PersonalDataGaps(context.Background(), e.App.DB, cut, []string{"core"})
			if err != nil {
				t.Fatal(err)
			}
			if len(gaps) != 1 || !strings.Contains(gaps[0], "table sessions ") {
				t.Errorf("with sessions named by no provider, the gaps are %q", gaps)
			}
		})
	}
}

// without is a provider that stops naming one of its tables.
type without struct {
	hooks.PersonalData
	table string
}

func (w without) Tables() []string {
	var out []string
	for _, t := range w.PersonalData.Tables() {
		if t != w.table {
			out = append(out, t)
		}
	}
	return out
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
