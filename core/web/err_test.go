package web

import (
	"testing"

	"groupcamp/core/problem"
)

// TestErrTranslatesTemplatedMessages: a message made by problem.Sayf reads in the page's
// language with its values in place and the field it names by its label, while the API keeps
// the English message with the JSON name.
func TestErrTranslatesTemplatedMessages(t *testing.T) {
	cat, err0 := NewCatalog()
	if err0 != nil {
		t.Fatal(err0)
	}
	r := &Renderer{Catalog: cat}
	err := problem.Invalid(problem.Sayf("due_on", "must not be before {other}", "other", problem.Field("starts_on")),
		problem.Sayf("assignees", "must be at most {max} people", "max", 1000))
	if got := err.Errors[0].Message; got != "must not be before starts_on" {
		t.Errorf("API message %q", got)
	}
	for _, c := range []struct{ lang, due, people string }{
		{"en", "must not be before the start date", "must be at most 1,000 people"},
		{"fr", "ne doit pas précéder la date de début", "au plus 1\u00a0000 personnes"},
		{"ru", "не может быть раньше значения поля «Начало»", "не больше 1\u00a0000 человек"},
	} {
		p := &Page{L: cat.For(c.lang), Form: EmptyForm(nil), r: r}
		p.Form.Fail(err)
		if got := p.Err(p.Form.Errors["due_on"]); got != c.due {
			t.Errorf("%s: %q, want %q", c.lang, got, c.due)
		}
		if got := p.Err(p.Form.Errors["assignees"]); got != c.people {
			t.Errorf("%s: %q, want %q", c.lang, got, c.people)
		}
	}
	// A plain message still translates by its text; an unknown one shows as it is.
	p := &Page{L: cat.For("fr"), Form: EmptyForm(nil), r: r}
	if got := p.Err("must be a day written YYYY-MM-DD"); got != "doit être une date au format AAAA-MM-JJ" {
		t.Errorf("plain message: %q", got)
	}
	if got := p.Err("something nobody wrote down"); got != "something nobody wrote down" {
		t.Errorf("unknown message: %q", got)
	}
}
