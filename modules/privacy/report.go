package privacy

import (
	"context"
	"slices"
	"strings"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/web"
)

// Report is the access report: what the account holds about the person, grouped by module,
// with why and for how long — in the reader's language.
type Report struct {
	Account     string         `json:"account"`
	Person      ReportPerson   `json:"person"`
	Modules     []ModuleReport `json:"modules"`
	GeneratedAt time.Time      `json:"generated_at"`
}

// ReportPerson is who the report is about.
type ReportPerson struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  string `json:"role"`
}

// ModuleReport is one module's part of the report.
type ModuleReport struct {
	Module    string     `json:"module"`
	Label     string     `json:"label"`
	Purpose   string     `json:"purpose"`
	Retention string     `json:"retention"`
	Data      []Category `json:"data"`
}

// Category is one kind of personal data, translated.
type Category struct {
	Name      string   `json:"name"`
	Purpose   string   `json:"purpose"`
	Retention string   `json:"retention"`
	Fields    []string `json:"fields,omitempty"`
	Count     int64    `json:"count"`
}

// Report builds the access report of the signed-in person, in lang.
func (s *Service) Report(ctx context.Context, a *actor.Actor, lang string) (*Report, error) {
	m, err := s.People.Member(ctx, a, a.UserID)
	if err != nil {
		return nil, err
	}
	subj := hooks.Subject{AccountID: a.AccountID(), UserID: a.UserID, Email: m.Email, Name: m.Name}
	mods, err := s.describe(ctx, subj, s.Catalog.For(s.Catalog.Match(lang, "")))
	if err != nil {
		return nil, err
	}
	return &Report{Account: a.Account.Name, Person: ReportPerson{Name: m.Name, Email: m.Email, Role: m.Role},
		Modules: mods, GeneratedAt: s.clock()}, nil
}

// Record is the record of processing activities: what the account may hold about anyone,
// built from the same descriptions (counts -1), in lang.
func (s *Service) Record(ctx context.Context, a *actor.Actor, lang string) ([]ModuleReport, error) {
	return s.describe(ctx, hooks.Subject{AccountID: a.AccountID()}, s.Catalog.For(s.Catalog.Match(lang, "")))
}

// describe asks every provider, in the modules' order, and groups what they answer by module.
func (s *Service) describe(ctx context.Context, subj hooks.Subject, l *web.Localizer) ([]ModuleReport, error) {
	var out []ModuleReport
	for _, p := range s.Hooks.PersonalData {
		cats, err := p.Hook.Describe(ctx, subj)
		if err != nil {
			return nil, err
		}
		for _, c := range cats {
			module := c.Module
			if module == "" {
				module = p.Module
			}
			i := slices.IndexFunc(out, func(m ModuleReport) bool { return m.Module == module })
			if i < 0 {
				out = append(out, ModuleReport{Module: module, Label: moduleLabel(l, module)})
				i = len(out) - 1
			}
			cat := Category{Name: l.T(c.Name), Purpose: l.T(c.Purpose), Retention: l.T(c.Retention), Count: c.Count}
			for _, f := range c.Fields {
				cat.Fields = append(cat.Fields, l.T(f))
			}
			out[i].Data = append(out[i].Data, cat)
		}
	}
	for i := range out {
		out[i].Purpose = joinDistinct(out[i].Data, func(c Category) string { return c.Purpose })
		out[i].Retention = joinDistinct(out[i].Data, func(c Category) string { return c.Retention })
	}
	return out, nil
}

// moduleLabel is a module's name as its readers know it.
func moduleLabel(l *web.Localizer, module string) string {
	key := "privacy.module." + module
	if s := l.T(key); s != key {
		return s
	}
	return module
}

func joinDistinct(cats []Category, f func(Category) string) string {
	var seen []string
	for _, c := range cats {
		if v := f(c); v != "" && !slices.Contains(seen, v) {
			seen = append(seen, v)
		}
	}
	return strings.Join(seen, " · ")
}
