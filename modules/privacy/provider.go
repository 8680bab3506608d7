package privacy

import (
	"context"
	"os"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
)

// provider is the module's own part of the personal-data port: the requests a person made or
// that concern them.
type provider struct{ s *Service }

func (provider) Tables() []string { return []string{"privacy_requests"} }

func (p provider) Describe(ctx context.Context, subj hooks.Subject) ([]hooks.DataCategory, error) {
	c := hooks.DataCategory{Name: "privacy.data.requests", Purpose: "privacy.data.requests.purpose",
		Retention: "privacy.data.requests.retention", Fields: []string{"privacy.field.dates", "privacy.field.state"}, Count: -1}
	if subj.UserID != 0 {
		n, err := p.s.store(p.s.DB, subj.AccountID).countFor(ctx, subj.UserID)
		if err != nil {
			return nil, err
		}
		c.Count = n
	}
	return []hooks.DataCategory{c}, nil
}

func (p provider) Export(ctx context.Context, subj hooks.Subject, out hooks.Exporter) error {
	list, err := p.s.store(p.s.DB, subj.AccountID).mine(ctx, subj.UserID, 1000)
	if err != nil {
		return err
	}
	return out.JSON("requests.json", list)
}

func (p provider) Erase(ctx context.Context, tx bun.IDB, subj hooks.Subject, _ hooks.Erasure) error {
	ids, err := p.s.store(tx, subj.AccountID).forget(ctx, subj.UserID, false)
	for _, id := range ids {
		_ = os.Remove(p.s.exportPath(subj.AccountID, id))
	}
	return err
}
