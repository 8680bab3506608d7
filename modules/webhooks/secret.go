package webhooks

import (
	"context"
	"strconv"

	"groupcamp/core/seal"
)

// SealPurpose is the core/seal purpose of the hooks' signing secrets: a value sealed for it
// opens for nothing else, and never under another hook (the row binding).
const SealPurpose = "webhooks.secret"

// rowOf binds a sealed secret to its hook: copied to another hook's row, it does not open.
func rowOf(h *Webhook) []byte {
	return []byte("webhooks_hooks:" + strconv.FormatInt(h.AccountID, 10) + ":" + strconv.FormatInt(h.ID, 10))
}

// sealSecret is what the secret column holds for h (whose ID and AccountID are known).
func (s *Service) sealSecret(h *Webhook, clear string) string {
	return s.Box.SealString(clear, rowOf(h))
}

// openSecret is h's secret in clear. A value stored before the secrets were sealed is clear
// text (seal.IsSealed says which): it is used as it is until SealClear seals it.
func (s *Service) openSecret(h *Webhook) (string, error) {
	if !seal.IsSealed(h.Secret) {
		return h.Secret, nil
	}
	return s.Box.OpenString(h.Secret, rowOf(h))
}

// SealClear seals the secrets still stored in clear (hooks registered before sealing): the
// migration path, run by the first sending pass after a start and by the daily purge. Each row
// is written only if it still holds the clear value read, so a concurrent change wins.
func (s *Service) SealClear(ctx context.Context) (int, error) {
	var clear []Webhook
	if err := s.DB.NewSelect().Model(&clear).Column("h.id", "h.account_id", "h.secret").
		Where("h.secret NOT LIKE ?", "s1.%").Scan(ctx); err != nil {
		return 0, err
	}
	n := 0
	for i := range clear {
		h := &clear[i]
		if seal.IsSealed(h.Secret) {
			continue
		}
		res, err := s.DB.NewUpdate().Model((*Webhook)(nil)).Set("secret = ?", s.sealSecret(h, h.Secret)).
			Where("h.id = ? AND h.account_id = ? AND h.secret = ?", h.ID, h.AccountID, h.Secret).Exec(ctx)
		if err != nil {
			return n, err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	return n, nil
}
