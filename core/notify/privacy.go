package notify

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// PersonalData is notify's part of a person's GDPR rights: their notifications in the
// account, their notification preferences, their refusal of the account's email (mail
// blocks) and the record of each email sent to them (deliveries).
//
// All of it is purely the person's: Erase deletes it, and rewrites their name or email in the
// notifications of other people that quote it ("Ada assigned you…"). When the erasure takes
// the login, the deliveries and blocks of GroupCamp's own email (no account) go too.
type PersonalData struct {
	DB *bun.DB
}

// Category keys.
const (
	catNotifications = "notify.data.notifications"
	catPreferences   = "notify.data.preferences"
	catBlocks        = "notify.data.mail_blocks"
	catDeliveries    = "notify.data.deliveries"
)

// Tables are notify's tables that name a person.
func (PersonalData) Tables() []string {
	return []string{"notifications", "notification_prefs", "mail_blocks", "mail_deliveries"}
}

// Describe counts the person's notifications, preferences, blocks and deliveries.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	models := []any{(*Notification)(nil), (*Pref)(nil), (*blockRow)(nil), (*delivery)(nil)}
	counts := make([]int64, len(models))
	for i, m := range models {
		var err error
		if counts[i], err = personal.Count(ctx, s, func() *bun.SelectQuery {
			return p.DB.NewSelect().Model(m).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID)
		}); err != nil {
			return nil, err
		}
	}
	return []hooks.DataCategory{
		personal.Category("core", catNotifications, counts[0], personal.FieldText, personal.FieldLinks, personal.FieldTimes),
		personal.Category("core", catPreferences, counts[1], personal.FieldSettings),
		personal.Category("core", catBlocks, counts[2], personal.FieldTimes),
		personal.Category("core", catDeliveries, counts[3], personal.FieldEmail, personal.FieldTimes),
	}, nil
}

// BlockExport is one of the person's blocks of the account's email, as exported.
type BlockExport struct {
	CreatedAt time.Time  `json:"created_at"`
	LiftedAt  *time.Time `json:"lifted_at,omitempty"`
}

// DeliveryExport is one email sent (or not) to the person, as exported.
type DeliveryExport struct {
	Kind      string    `json:"kind"`
	Outcome   string    `json:"outcome"`
	CreatedAt time.Time `json:"created_at"`
}

// Export writes notify/notifications.json, notify/preferences.json, notify/mail_blocks.json
// and notify/deliveries.json.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	notes, prefs, blocks, deliveries := []Notification{}, []Pref{}, []BlockExport{}, []DeliveryExport{}
	mine := func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID)
	}
	if err := mine(p.DB.NewSelect().Model(&notes)).OrderExpr("id").Scan(ctx); err != nil {
		return err
	}
	if err := mine(p.DB.NewSelect().Model(&prefs)).OrderExpr("event_type").Scan(ctx); err != nil {
		return err
	}
	if err := mine(p.DB.NewSelect().Model((*blockRow)(nil)).Column("created_at", "lifted_at")).OrderExpr("id").Scan(ctx, &blocks); err != nil {
		return err
	}
	if err := mine(p.DB.NewSelect().Model((*delivery)(nil)).Column("kind", "outcome", "created_at")).OrderExpr("event_id").Scan(ctx, &deliveries); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    any
	}{{"notify/notifications.json", notes}, {"notify/preferences.json", prefs}, {"notify/mail_blocks.json", blocks}, {"notify/deliveries.json", deliveries}} {
		if err := out.JSON(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// Erase deletes the person's notifications, preferences, blocks and deliveries in the account
// and scrubs them from the notifications of others.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	for _, m := range []any{(*Notification)(nil), (*Pref)(nil), (*blockRow)(nil), (*delivery)(nil)} {
		if _, err := tx.NewDelete().Model(m).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).Exec(ctx); err != nil {
			return err
		}
	}
	if _, err := personal.ScrubTable(ctx, tx, s.AccountID, "notifications", n, "text"); err != nil {
		return err
	}
	goes, err := personal.LoginGoes(ctx, tx, s)
	if err != nil || !goes {
		return err
	}
	for _, m := range []any{(*blockRow)(nil), (*delivery)(nil)} {
		if _, err := tx.NewDelete().Model(m).Where("user_id = ?", s.UserID).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// The ports it implements.
var _ hooks.PersonalData = PersonalData{}
