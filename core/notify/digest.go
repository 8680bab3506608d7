package notify

import (
	"context"
	"errors"
	"groupcamp/core/actor"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/mail"
)

// maxDigestLines bounds the notifications one digest lists (the rest are counted).
const maxDigestLines = 50

type digestKey struct {
	AccountID int64  `bun:"account_id"`
	UserID    int64  `bun:"user_id"`
	Email     string `bun:"email"`
	TimeZone  string `bun:"time_zone"`
}

// DigestHour is the local hour at which each person's daily digest leaves.
const DigestHour = 7

// DigestDue mails the digests of the people whose local time (their profile's time zone) is
// DigestHour at the moment at: the hourly job calls it, so each person gets theirs at seven
// in the morning wherever they are — not at seven in London. A time zone the server does not
// know counts as UTC.
func (s *Service) DigestDue(ctx context.Context, at time.Time) (int, error) {
	return s.digest(ctx, func(k digestKey) bool {
		loc := actor.Zone(k.TimeZone)
		if loc == nil {
			loc = time.UTC
		}
		return at.In(loc).Hour() == DigestHour
	})
}

var errRaced = errors.New("notify: digest taken by another run")

// Digest mails every person who chose the digest their unread notifications since their
// last digest — one email per person and account — and returns how many it queued. Each
// notification is in one digest at most: it leaves the digest in the transaction that queues
// the email, so two runs at once cannot both send it.
func (s *Service) Digest(ctx context.Context) (int, error) {
	return s.digest(ctx, func(digestKey) bool { return true })
}

// digest sends the digests of the people with pending notifications that due selects.
func (s *Service) digest(ctx context.Context, due func(digestKey) bool) (int, error) {
	var keys []digestKey
	err := s.DB.NewSelect().TableExpr("notifications AS n").Join("JOIN users AS u ON u.id = n.user_id").
		ColumnExpr("DISTINCT n.account_id, n.user_id, u.email, u.time_zone").
		Where("n.digest_pending AND n.read_at IS NULL").OrderExpr("n.account_id, n.user_id").Scan(ctx, &keys)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, k := range keys {
		if !due(k) {
			continue
		}
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
