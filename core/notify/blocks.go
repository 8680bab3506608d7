package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
)

// PlatformName names the sender of mail that comes from no account (AccountID 0).
const PlatformName = "GroupCamp"

// liveAccount keeps the blocks of GroupCamp itself and of accounts that still exist.
const liveAccount = "(b.account_id = 0 OR a.id IS NOT NULL)"

// blockRow is a person's refusal of an account's email; lifting it keeps the row.
type blockRow struct {
	bun.BaseModel `bun:"table:mail_blocks"`

	ID        int64      `bun:"id,pk,autoincrement"`
	AccountID int64      `bun:"account_id"`
	UserID    int64      `bun:"user_id"`
	CreatedAt time.Time  `bun:"created_at"`
	LiftedAt  *time.Time `bun:"lifted_at"`
	LiftedBy  *int64     `bun:"lifted_by"`
}

// BlockRecord is a block as platform support sees it.
type BlockRecord struct {
	ID          int64      `json:"id" bun:"id"`
	AccountSlug string     `json:"account_slug" bun:"account_slug"`
	AccountName string     `json:"account_name" bun:"account_name"`
	Email       string     `json:"email" bun:"email"`
	CreatedAt   time.Time  `json:"created_at" bun:"created_at"`
	LiftedAt    *time.Time `json:"lifted_at" bun:"lifted_at"`
}

// Token is the unsubscribe token of the emails from an account to a person: the two ids and
// their HMAC with the server's secret key, so that it verifies without a lookup and cannot be
// made for anyone else.
func (s *Service) Token(accountID, userID int64) string {
	ids := strconv.FormatInt(accountID, 10) + "." + strconv.FormatInt(userID, 10)
	return ids + "." + s.sign(ids)
}

func (s *Service) sign(ids string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte("unsubscribe:" + ids))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// UnsubscribeURL is the one-click link of the emails from an account to a person.
func (s *Service) UnsubscribeURL(accountID, userID int64) string {
	return s.BaseURL + "/unsubscribe/" + s.Token(accountID, userID)
}

// parseToken returns the ids of a genuine token.
func (s *Service) parseToken(tok string) (accountID, userID int64, ok bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(tok) > 100 {
		return 0, 0, false
	}
	acc, err1 := strconv.ParseInt(parts[0], 10, 64)
	uid, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || acc < 0 || uid <= 0 {
		return 0, 0, false
	}
	if !hmac.Equal([]byte(parts[2]), []byte(s.sign(parts[0]+"."+parts[1]))) {
		return 0, 0, false
	}
	return acc, uid, true
}

// Unsubscription is what an unsubscribe link is about.
type Unsubscription struct {
	AccountID   int64
	AccountName string
	Email       string
	Blocked     bool // the block is in force
}

// Unsubscribe describes the link's sender and recipient; a forged or stale token is a 404.
func (s *Service) Unsubscribe(ctx context.Context, tok string) (*Unsubscription, error) {
	accountID, userID, ok := s.parseToken(tok)
	if !ok {
		return nil, problem.NotFound()
	}
	u := new(identity.User)
	if err := s.DB.NewSelect().Model(u).Column("id", "email", "name").Where("id = ?", userID).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return nil, problem.NotFound()
		}
		return nil, err
	}
	out := &Unsubscription{AccountID: accountID, AccountName: PlatformName, Email: u.Email}
	if accountID != 0 {
		if err := s.DB.NewSelect().Model((*identity.Account)(nil)).Column("name").Where("id = ?", accountID).Scan(ctx, &out.AccountName); err != nil {
			if db.IsNotFound(err) {
				return nil, problem.NotFound()
			}
			return nil, err
		}
	}
	blocked, err := s.Blocked(ctx, s.DB, accountID, userID)
	out.Blocked = blocked
	return out, err
}

// Block is the one-click "report spam": every further email from the link's account to its
// person stops (a password reset they ask for excepted), and the account's audit trail says
// so. Blocking twice changes nothing.
func (s *Service) Block(ctx context.Context, tok string, ip, userAgent string) (*Unsubscription, error) {
	un, err := s.Unsubscribe(ctx, tok)
	if err != nil {
		return nil, err
	}
	if un.Blocked {
		return un, nil
	}
	accountID, userID, _ := s.parseToken(tok)
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewInsert().Model(&blockRow{AccountID: accountID, UserID: userID, CreatedAt: now()}).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // blocked meanwhile
		}
		who := &actor.Actor{UserID: userID, Name: un.Email, IP: ip, UserAgent: userAgent}
		return audit.Record(ctx, tx, who, accountID, "mail.blocked", un.Email, nil)
	})
	un.Blocked = err == nil
	return un, err
}

// Blocked reports whether the person refuses the account's email.
func (s *Service) Blocked(ctx context.Context, idb bun.IDB, accountID, userID int64) (bool, error) {
	return idb.NewSelect().Model((*blockRow)(nil)).Where("account_id = ? AND user_id = ? AND lifted_at IS NULL", accountID, userID).Exists(ctx)
}

// MailBlocks lists the blocks in force of a person (their profile shows them).
func (s *Service) MailBlocks(ctx context.Context, userID int64) ([]mail.Block, error) {
	var out []mail.Block
	err := s.DB.NewSelect().TableExpr("mail_blocks AS b").Join("LEFT JOIN accounts AS a ON a.id = b.account_id").
		ColumnExpr("b.id, b.account_id, COALESCE(a.slug, '') AS account_slug, COALESCE(a.name, ?) AS account_name, b.created_at", PlatformName).
		Where("b.user_id = ? AND b.lifted_at IS NULL", userID).Where(liveAccount).OrderExpr("b.id").Scan(ctx, &out)
	return out, err
}

// Lift ends one of the actor's own blocks: their email from that account flows again. Anyone
// else's block — an account admin trying to lift a block of their account included — is a 404.
func (s *Service) Lift(ctx context.Context, a *actor.Actor, blockID int64) error {
	return s.lift(ctx, a, blockID, a.UserID)
}

// SupportLift is platform support lifting any person's block (the person asked support).
func (s *Service) SupportLift(ctx context.Context, a *actor.Actor, blockID int64) error {
	if a.PlatformRole != actor.PlatformSupport {
		return problem.NotFound()
	}
	return s.lift(ctx, a, blockID, 0)
}

// lift ends block blockID, of owner userID when it is not 0.
func (s *Service) lift(ctx context.Context, a *actor.Actor, blockID, userID int64) error {
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		b := new(blockRow)
		q := tx.NewSelect().Model(b).Where("id = ? AND lifted_at IS NULL", blockID)
		if userID != 0 {
			q = q.Where("user_id = ?", userID)
		}
		if err := q.Scan(ctx); err != nil {
			if db.IsNotFound(err) {
				return problem.NotFound()
			}
			return err
		}
		by := a.UserID
		if _, err := tx.NewUpdate().Model(b).Set("lifted_at = ?", now()).Set("lifted_by = ?", by).Where("id = ? AND lifted_at IS NULL", b.ID).Exec(ctx); err != nil {
			return err
		}
		var email string
		if err := tx.NewSelect().Model((*identity.User)(nil)).Column("email").Where("id = ?", b.UserID).Scan(ctx, &email); err != nil {
			return err
		}
		details := map[string]string(nil)
		if userID == 0 {
			details = map[string]string{"by": "platform support"}
		}
		return audit.Record(ctx, tx, a, b.AccountID, "mail.unblocked", email, details)
	})
}

// BlocksOf lists every block, in force or lifted, of the person with that email (for support).
func (s *Service) BlocksOf(ctx context.Context, email string) ([]BlockRecord, error) {
	out := []BlockRecord{}
	err := s.DB.NewSelect().TableExpr("mail_blocks AS b").Join("JOIN users AS u ON u.id = b.user_id").Join("LEFT JOIN accounts AS a ON a.id = b.account_id").
		ColumnExpr("b.id, COALESCE(a.slug, '') AS account_slug, COALESCE(a.name, ?) AS account_name, u.email, b.created_at, b.lifted_at", PlatformName).
		Where("u.email = ?", email).Where(liveAccount).OrderExpr("b.id DESC").Limit(200).Scan(ctx, &out)
	return out, err
}
