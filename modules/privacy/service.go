package privacy

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/web"
	"groupcamp/jobs"
)

// Service answers the privacy requests. It owns the requests and the settings; what each
// module holds about a person it learns only through the personal-data port (hooks.Set).
type Service struct {
	DB      *bun.DB
	Hooks   *hooks.Set
	People  *identity.Service
	Auth    *auth.Service
	Mail    *mail.Queue
	Jobs    *jobs.Broker
	Catalog *web.Catalog
	Log     *slog.Logger
	DataDir string // exports are written under DataDir/privacy/{account}/
	BaseURL string
	Secret  string

	now  func() time.Time
	hold bool // tests and benchmarks run the jobs themselves
}

func (s *Service) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return db.Now()
}

// store is the requests' and settings' queries, scoped to one account.
func (s *Service) store(idb bun.IDB, accountID int64) store { return store{db.For(idb, accountID)} }

// token is the secret of a request's link (an export's download, an erasure's confirmation):
// derived from the server's secret, so that nothing to steal rests in the database, and tied to
// the request's id, kind and creation time.
func (s *Service) token(r *Request) string {
	mac := hmac.New(sha256.New, []byte(s.Secret))
	fmt.Fprintf(mac, "groupcamp privacy link v1|%s|%d|%d", r.Kind, r.ID, r.CreatedAt.Unix())
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// subjectOf is the keyed hash an erasure keeps of its person (see the migration).
func (s *Service) subjectOf(accountID, userID int64) string {
	mac := hmac.New(sha256.New, []byte(s.Secret))
	fmt.Fprintf(mac, "groupcamp privacy subject v1|%d|%d", accountID, userID)
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (s *Service) validToken(r *Request, got string) bool {
	return hmac.Equal([]byte(s.token(r)), []byte(got))
}

// exportPath is where the archive of an export is written.
func (s *Service) exportPath(accountID, id int64) string {
	return filepath.Join(s.accountDir(accountID), "export-"+strconv.FormatInt(id, 10)+".zip")
}

func (s *Service) accountDir(accountID int64) string {
	return filepath.Join(s.DataDir, "privacy", strconv.FormatInt(accountID, 10))
}

// system is an actor for the work done without a person (jobs): it carries the account only.
func system(accountID int64) *actor.Actor {
	return &actor.Actor{Account: &actor.Account{ID: accountID}}
}

// subject loads the person a request is about, from the account's people.
func (s *Service) subject(ctx context.Context, accountID, userID int64) (hooks.Subject, *identity.Member, error) {
	m, err := s.People.Member(ctx, system(accountID), userID)
	if err != nil {
		return hooks.Subject{}, nil, err
	}
	return hooks.Subject{AccountID: accountID, UserID: userID, Email: m.Email, Name: m.Name}, m, nil
}

// Settings returns the account's privacy settings (the defaults until an admin saves them).
func (s *Service) Settings(ctx context.Context, accountID int64) (*Settings, error) {
	st, err := s.store(s.DB, accountID).settings(ctx)
	if db.IsNotFound(err) {
		return &Settings{AccountID: accountID, ConnectionDays: DefaultConnectionDays}, nil
	}
	return st, err
}

// SaveSettings changes the account's settings, within the platform's bounds.
func (s *Service) SaveSettings(ctx context.Context, a *actor.Actor, in SettingsInput) (*Settings, error) {
	var f problem.Fields
	f.Check(in.ConnectionDays >= MinConnectionDays && in.ConnectionDays <= MaxConnectionDays, "connection_days",
		fmt.Sprintf("must be between %d and %d days", MinConnectionDays, MaxConnectionDays))
	if err := f.Err(); err != nil {
		return nil, err
	}
	st := &Settings{AccountID: a.AccountID(), ConnectionDays: in.ConnectionDays, KeepText: in.KeepText, UpdatedAt: s.clock()}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.store(tx, a.AccountID()).saveSettings(ctx, st); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "privacy.settings_changed", "",
			map[string]any{"connection_days": st.ConnectionDays, "keep_text": st.KeepText})
	})
	return st, err
}

// enqueue hands a request to its job.
func (s *Service) enqueue(ctx context.Context, r *Request) error {
	if s.hold {
		return nil
	}
	task := taskErase
	switch r.Kind {
	case KindExport:
		task = taskExport
	case KindClosure:
		task = taskClose
	}
	return s.Jobs.Enqueue(ctx, jobs.Default, task, payloadOf(r))
}

// link queues an email asking the person to follow one link; its texts are message keys.
func (s *Service) link(ctx context.Context, tx bun.IDB, accountID int64, to *identity.Member, keys map[string]string, link string) error {
	data := map[string]string{"name": to.Name}
	for k, v := range keys {
		data[k] = v
	}
	return s.Mail.Enqueue(ctx, tx, mail.Queued{Kind: mail.KindLink, AccountID: accountID, UserID: to.ID, To: to.Email,
		Data: data, Transactional: true}, map[string]string{"link": link})
}
