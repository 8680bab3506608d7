package host

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the plugins module's part of a person's GDPR rights (hooks.PersonalData).
// The module keeps nothing by or about a person of its own: enablements name no one. But a
// delivery waiting for a plugin (plugin_deliveries) is a copy of a domain event, which may
// name a person, for as long as its retries last; Erase scrubs their name and email from the
// waiting payloads and from the plugins' last errors, as core does in the outbox. A payload
// scrubbed after the plugin received it is the plugin's to forget (the partner guide says so).
type personalData struct{ svc *Service }

// Tables are the module's tables that may quote a person.
func (personalData) Tables() []string { return []string{"plugin_deliveries"} }

// Describe has nothing to count: the deliveries are the events', which core describes.
func (personalData) Describe(context.Context, hooks.Subject) ([]hooks.DataCategory, error) {
	return nil, nil
}

// Export has nothing of the person's own to write.
func (personalData) Export(context.Context, hooks.Subject, hooks.Exporter) error { return nil }

// Erase scrubs the person from the deliveries still waiting, in tx.
func (personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("plugins: erase: no account or no person")
	}
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	_, err = personal.ScrubTenant(ctx, db.For(tx, s.AccountID), "plugin_deliveries", n, "payload", "last_error")
	return err
}

var _ hooks.PersonalData = personalData{}
