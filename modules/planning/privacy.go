package planning

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the
// allocations of their resource (planning_allocations through planning_resources) and their
// leave (planning_absences, with the decisions they took on others' leave).
//
// Erase deletes the person's resource with its allocations and their leave (a booking of a
// person who is gone plans nothing), and takes their id off the decisions they took and the
// allocations they made for others.
type personalData struct{ svc *Service }

// Category keys (locales).
const (
	catAllocations = "planning.data.allocations"
	catAbsences    = "planning.data.absences"
)

// Tables are the module's tables that hold a person's id.
func (personalData) Tables() []string {
	return []string{"planning_resources", "planning_allocations", "planning_absences"}
}

func (p personalData) allocations(s hooks.Subject) func() *bun.SelectQuery {
	return func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("planning_allocations", "al").
			Where("al.resource_id IN (SELECT r.id FROM planning_resources AS r WHERE r.account_id = al.account_id AND r.user_id = ?)", s.UserID)
	}
}

// Describe counts the person's allocations and leave.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	als, err := personal.Count(ctx, s, p.allocations(s))
	if err != nil {
		return nil, err
	}
	abs, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("planning_absences", "ab").Where("ab.user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{
		personal.Category("planning", catAllocations, als, personal.FieldTimes, personal.FieldText),
		personal.Category("planning", catAbsences, abs, personal.FieldTimes, personal.FieldText, personal.FieldActions),
	}, nil
}

// Export writes planning_allocations.json and planning_absences.json.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	als := []Allocation{}
	if err := p.allocations(s)().ColumnExpr("al.*").OrderExpr("al.starts_on, al.id").Scan(ctx, &als); err != nil {
		return err
	}
	abs := []Absence{}
	if err := p.svc.tenant(s.AccountID).Select(&abs).Where("ab.user_id = ?", s.UserID).OrderExpr("ab.starts_on, ab.id").Scan(ctx); err != nil {
		return err
	}
	if err := out.JSON("planning_allocations.json", als); err != nil {
		return err
	}
	return out.JSON("planning_absences.json", abs)
}

// Erase deletes the person's resource, allocations and leave, and detaches them from what
// they did to others', in tx.
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("planning: erase: no account or no person")
	}
	tn := db.For(tx, s.AccountID)
	for _, q := range []string{
		"DELETE FROM planning_allocations WHERE account_id = ?0 AND resource_id IN (SELECT r.id FROM planning_resources AS r WHERE r.account_id = ?0 AND r.user_id = ?1)",
		"DELETE FROM planning_resources WHERE account_id = ?0 AND user_id = ?1",
		"DELETE FROM planning_absences WHERE account_id = ?0 AND user_id = ?1",
		"UPDATE planning_absences SET decided_by = NULL WHERE account_id = ?0 AND decided_by = ?1",
		"UPDATE planning_allocations SET created_by = NULL WHERE account_id = ?0 AND created_by = ?1",
	} {
		if _, err := tn.Exec(ctx, q, s.UserID); err != nil {
			return err
		}
	}
	return nil
}

var _ hooks.PersonalData = personalData{}
