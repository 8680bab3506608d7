package notify

import (
	"context"
	"errors"
	"strconv"

	"github.com/uptrace/bun"

	"groupcamp/core/mail"
)

// maxDigestLines bounds the notifications one digest lists (the rest are counted).
const maxDigestLines = 50

type digestKey struct {
	AccountID int64  `bun:"account_id"`
	UserID    int64  `bun:"user_id"`
	Email     string `bun:"email"`
}

var errRaced = errors.New("notify: digest taken by another run")

// Digest mails every person who chose the digest their unread notifications since their
// last digest — one email per person and account — and returns how many it queued. Each
// notification is in one digest at most: it leaves the digest in the transaction that queues
// the email, so two runs at once cannot both send it.
func (s *Service) Digest(ctx context.Context) (int, error) {
	var keys []digestKey
	err := s.DB.NewSelect().TableExpr("notifications AS n").Join("JOIN users AS u ON u.id = n.user_id").
		ColumnExpr("DISTINCT n.account_id, n.user_id, u.email").
		Where("n.digest_pending AND n.read_at IS NULL").OrderExpr("n.account_id, n.user_id").Scan(ctx, &keys)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, k := range keys {
		err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var rows []Notification
			if err := tx.NewSelect().Model(&rows).Where("account_id = ? AND user_id = ? AND digest_pending AND read_at IS NULL", k.AccountID, k.UserID).
				OrderExpr("id").Scan(ctx); err != nil {
				return err
			}
			if len(rows) == 0 {
				return nil
			}
			ids := make([]int64, len(rows))
			lines := make([]string, 0, min(len(rows), maxDigestLines))
			for i, n := range rows {
				ids[i] = n.ID
				if i < maxDigestLines {
					lines = append(lines, n.Text)
				}
			}
			res, err := tx.NewUpdate().Model((*Notification)(nil)).Set("digest_pending = ?", false).
				Where("account_id = ? AND user_id = ? AND digest_pending AND id IN (?)", k.AccountID, k.UserID, bun.In(ids)).Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); int(n) != len(ids) {
				return errRaced
			}
			var slug string
			if err := tx.NewSelect().Table("accounts").Column("slug").Where("id = ?", k.AccountID).Scan(ctx, &slug); err != nil {
				return err
			}
			m := mail.Queued{Kind: mail.KindDigest, AccountID: k.AccountID, UserID: k.UserID, To: k.Email, Lines: lines,
				Data: map[string]string{"count": strconv.Itoa(len(rows)), "link": s.BaseURL + "/" + slug + "/notifications"}}
			if err := s.Queue.Enqueue(ctx, tx, m, nil); err != nil {
				return err
			}
			sent++
			return nil
		})
		if err != nil && !errors.Is(err, errRaced) {
			return sent, err
		}
	}
	return sent, nil
}
