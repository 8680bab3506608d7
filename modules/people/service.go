package people

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// Service previews and runs imports through the core's invitations (identity.Service): every
// check an invitation makes is the core's, none is repeated here.
type Service struct {
	People *identity.Service
}

// RowResult is a row as the preview shows it: what will be created, or why not.
type RowResult struct {
	Row
	Errors []problem.FieldError `json:"errors,omitempty"`
}

// Report is the answer of an import: each row with its errors, and, once confirmed, the
// invitations made.
type Report struct {
	Rows    []RowResult         `json:"rows"`
	Valid   int                 `json:"valid"`
	Invalid int                 `json:"invalid"`
	DryRun  bool                `json:"dry_run"`
	Invited []*identity.Invited `json:"invited,omitempty"`
}

// OK is whether every row may be invited.
func (r *Report) OK() bool { return r.Invalid == 0 }

// Preview checks every row without writing: the core's validation of an invitation, a
// person already in the account, and an email given twice in the file.
func (s *Service) Preview(ctx context.Context, a *actor.Actor, rows []Row) (*Report, error) {
	rep := &Report{Rows: make([]RowResult, len(rows)), DryRun: true}
	seen := map[string]int{}
	for i, row := range rows {
		res := RowResult{Row: row}
		if row.Error != "" {
			res.Errors = []problem.FieldError{{Field: "file", Message: row.Error}}
		} else {
			in, err := s.People.CheckInvite(ctx, a, invite(row))
			res.Name, res.Email = in.Name, in.Email
			var p *problem.Problem
			switch {
			case errors.As(err, &p) && p.Status < 500 && len(p.Errors) > 0:
				res.Errors = p.Errors
			case err != nil:
				return nil, err
			}
			if _, dup := seen[in.Email]; dup && in.Email != "" {
				res.Errors = append(res.Errors, problem.FieldError{Field: "email", Message: "is given twice in the file"})
			} else if in.Email != "" {
				seen[in.Email] = row.Line
			}
		}
		if len(res.Errors) > 0 {
			rep.Invalid++
		} else {
			rep.Valid++
		}
		rep.Rows[i] = res
	}
	return rep, nil
}

func invite(r Row) identity.InviteInput {
	return identity.InviteInput{Name: r.Name, Email: r.Email, Role: r.Role, CompanyID: r.CompanyID}
}

// Import previews the rows and, unless dryRun or a row is wrong, invites them all in one
// transaction (all or none) with one audit entry for the import besides the invitations' own.
// A wrong row answers the report with a 422 problem: nothing is written.
func (s *Service) Import(ctx context.Context, a *actor.Actor, rows []Row, source string, dryRun bool) (*Report, error) {
	rep, err := s.Preview(ctx, a, rows)
	if err != nil {
		return nil, err
	}
	if !rep.OK() {
		return rep, problem.Invalid(problem.Sayf("file", "{count} rows cannot be imported; nothing was written", "count", rep.Invalid))
	}
	if dryRun {
		return rep, nil
	}
	ins := make([]identity.InviteInput, len(rows))
	for i, r := range rows {
		ins[i] = invite(r)
	}
	rep.DryRun = false
	rep.Invited, err = s.People.InviteAll(ctx, a, ins, func(ctx context.Context, tx bun.IDB) error {
		return audit.Record(ctx, tx, a, a.AccountID(), "people.imported", source, map[string]string{"count": strconv.Itoa(len(rows))})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// sourceName is the file's name as the audit trail shows it (bounded: it comes from the client).
func sourceName(name string) string {
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}
