package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestList(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"-list"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	for _, s := range []string{"me", "users.list", "teams.list", "teams.create", "account.update", "POST /api/v1/{slug}/teams"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("-list lacks %q:\n%s", s, out.String())
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-duration", "soon"}, {"extra"}, {"-role", "boss"}, {"-scenarios", "nope"}} {
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, errs.String())
		}
	}
}
