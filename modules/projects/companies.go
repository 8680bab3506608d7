package projects

// The module's part of the account's companies (hooks.CompanyUses): a company's page lists the
// projects whose client it is and those that share task lists with it, as its viewer may see
// them; deleting a company (core/identity: only once nobody belongs to it) lets go of it here
// in the same transaction — the project keeps going without a client, a list shared with it
// alone becomes internal.

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
)

// maxCompanyProjects bounds a company's list of projects.
const maxCompanyProjects = 200

// companyUses is the module's hooks.CompanyUses.
type companyUses struct{ svc *Service }

func (c companyUses) CompanyUses(ctx context.Context, a *actor.Actor, companyID int64) ([]hooks.CompanyUse, error) {
	if !a.May("projects", "read") {
		return nil, nil
	}
	sc := scopeOf(a)
	rows, err := c.svc.store.companyProjects(ctx, c.svc.tenant(sc), sc, companyID, maxCompanyProjects)
	if err != nil {
		return nil, err
	}
	out := make([]hooks.CompanyUse, len(rows))
	for i, r := range rows {
		kind := "projects.company.shared"
		if r.Client == 1 {
			kind = "projects.company.client"
		}
		out[i] = hooks.CompanyUse{Kind: kind, Title: r.Name, URL: fmt.Sprintf("/%s/projects/%d", a.Account.Slug, r.ID),
			Count: r.Lists, CountKey: "projects.company.lists", State: r.State}
	}
	return out, nil
}

func (c companyUses) ForgetCompany(ctx context.Context, tx bun.IDB, accountID, companyID int64) error {
	return c.svc.store.forgetCompany(ctx, companyTenant(tx, accountID), companyID)
}
