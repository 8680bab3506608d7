package gcapi

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/seal"
	"groupcamp/core/validate"
)

// MaxKeys bounds the active key pairs of an account.
const MaxKeys = 20

// MaxLabel bounds a key's label.
const MaxLabel = 100

// Service keeps the key pairs and the pages of "full" answers (the module's only rows).
type Service struct {
	DB     *bun.DB
	Box    *seal.Box
	People *identity.Service
	now    func() time.Time
}

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

func (s *Service) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return db.Now()
}

// rowBinding ties a sealed secret to its key row: a secret copied to another row does not open.
func rowBinding(id int64) []byte { return []byte("gcapi_keys:" + strconv.FormatInt(id, 10)) }

// application reads "provisioning-1", "reporting-1" (or without the version) into the
// application's name; "provisionning", GroupCamp's own example's spelling, is the same.
func application(v string) (string, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	v = strings.TrimSuffix(v, "-1")
	switch v {
	case AppProvisioning, "provisionning":
		return AppProvisioning, true
	case AppReporting:
		return AppReporting, true
	}
	return "", false
}

// Keys lists the account's key pairs, newest first (never their secrets).
func (s *Service) Keys(ctx context.Context, a *actor.Actor) ([]Key, error) {
	ks, err := s.store().keys(ctx, s.tenant(a.AccountID()))
	if err != nil || s.People == nil {
		return ks, err
	}
	ids := make([]int64, 0, len(ks))
	for _, k := range ks {
		if k.CreatedBy != nil {
			ids = append(ids, *k.CreatedBy)
		}
	}
	names, err := s.People.MembersByID(ctx, a, ids)
	if err != nil {
		return nil, err
	}
	for i, k := range ks {
		if k.CreatedBy != nil {
			ks[i].CreatorName = names[*k.CreatedBy].Name
		}
	}
	return ks, nil
}

// CreateKey makes a key pair for one application; the answer is the only one with the secret.
func (s *Service) CreateKey(ctx context.Context, a *actor.Actor, in KeyInput) (NewKey, error) {
	var f problem.Fields
	app, ok := application(in.Application)
	f.Check(ok, "application", "must be provisioning-1 or reporting-1")
	label := strings.TrimSpace(in.Label)
	if msg := validate.Text(label, MaxLabel, false); msg != "" {
		f.Add("label", msg)
	}
	if err := f.Err(); err != nil {
		return NewKey{}, err
	}
	secret := randomText(30)
	by := a.UserID
	k := Key{Application: app, KeyID: "GC" + strings.ToUpper(randomID(15)), Label: label, CreatedBy: &by, CreatedAt: s.clock()}
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		n, err := s.store().activeKeys(ctx, tn)
		if err != nil {
			return err
		}
		if n >= MaxKeys {
			return problem.Conflict("application", "an account has at most 20 active key pairs: revoke one first")
		}
		if err := s.store().insertKey(ctx, tn, &k, func(id int64) string { return s.Box.SealString(secret, rowBinding(id)) }); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "gcapi.key.created", "gcapi_key:"+k.KeyID, map[string]any{"application": k.Versioned(), "label": k.Label})
	})
	if err != nil {
		return NewKey{}, err
	}
	k.CreatorName = a.Name
	return NewKey{Key: k, SecretOnce: secret}, nil
}

// RevokeKey ends a key pair at once (404 for another account's or an unknown key).
func (s *Service) RevokeKey(ctx context.Context, a *actor.Actor, keyID string) error {
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		k, err := s.store().key(ctx, tn, keyID)
		if err != nil {
			return err
		}
		if k.RevokedAt != nil {
			return nil
		}
		if err := s.store().revoke(ctx, tn, k.ID, s.clock()); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "gcapi.key.revoked", "gcapi_key:"+k.KeyID, map[string]any{"application": k.Versioned(), "label": k.Label})
	})
}

// lookup is the active key of that id, whatever the account, with its secret opened; nil
// when there is none (unknown, revoked, or a secret that does not open).
func (s *Service) lookup(ctx context.Context, keyID string) (*Key, []byte, error) {
	k, err := s.store().activeKey(ctx, s.DB, keyID)
	if err != nil || k == nil {
		return nil, nil, err
	}
	secret, err := s.Box.Open(k.Secret, rowBinding(k.ID))
	if err != nil {
		return nil, nil, nil
	}
	return k, secret, nil
}

// randomID is n random bytes in base32 (letters and digits, no padding).
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// randomText is n random bytes in URL-safe base64.
func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
