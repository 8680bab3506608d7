package files

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth/password"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/token"
	"groupcamp/modules/files/storage"
)

// Share links (README "Files"): a link opens one file to anyone who holds it, signed out, at
// /s/{token} — until it expires, is revoked, or has served its downloads. Who may write files
// and sees the file makes one (clients do not: a client's share would be a way around the
// company's choice of what it shares); any colleague who may write and sees the file revokes
// it (as anyone of the team renames or deletes the file).
//
// The token is not stored: it is an HMAC of the link's random nonce under the server's secret
// key, so the file's page can show the link again (copy), while a leaked database alone opens
// nothing; the lookup is by the token's SHA-256. A password is hashed with the sign-in's
// argon2id and follows the same policy; wrong ones are throttled per link and client IP
// (LinkMaxFailures in LinkFailureWindow: 429 with Retry-After), and per link from anywhere.

// Limits of share links.
const (
	// LinkMaxFailures wrong passwords for one link from one IP, LinkMaxAnyFailures from
	// anywhere, within LinkFailureWindow, and the link refuses passwords for a while (429).
	LinkMaxFailures    = 5
	LinkMaxAnyFailures = 50
	LinkFailureWindow  = 15 * time.Minute
	// LinkMaxPerHour links a person makes in an hour (429 beyond).
	LinkMaxPerHour = 60
	// LinkMaxActive links of one file not revoked (422 beyond).
	LinkMaxActive = 100
	// LinkMaxDownloads is the largest download limit; LinkMaxDays the furthest expiry.
	LinkMaxDownloads = 1_000_000
	LinkMaxDays      = 366
)

// Link states.
const (
	LinkActive    = "active"
	LinkExpired   = "expired"
	LinkRevoked   = "revoked"
	LinkExhausted = "exhausted"
)

// Link is a share link of a file.
type Link struct {
	bun.BaseModel `bun:"table:files_links,alias:l"`

	ID           int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID    int64      `bun:"account_id" json:"-"`
	FileID       int64      `bun:"file_id" json:"file_id"`
	Nonce        string     `bun:"nonce" json:"-"`
	TokenHash    string     `bun:"token_hash" json:"-"`
	PasswordHash string     `bun:"password_hash" json:"-"`
	ExpiresAt    *time.Time `bun:"expires_at" json:"expires_at"`
	MaxDownloads int        `bun:"max_downloads" json:"max_downloads"`
	Downloads    int        `bun:"downloads" json:"downloads"`
	CreatedBy    *int64     `bun:"created_by" json:"created_by"`
	CreatedAt    time.Time  `bun:"created_at" json:"created_at"`
	RevokedAt    *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
	RevokedBy    *int64     `bun:"revoked_by" json:"-"`

	CreatedByName string `bun:"created_by_name,scanonly" json:"created_by_name,omitempty"`
	// URL is the link to hand out; Password says whether it asks for one; State is active,
	// expired, revoked or exhausted.
	URL      string `bun:"-" json:"url"`
	Password bool   `bun:"-" json:"password"`
	State    string `bun:"-" json:"state" enum:"active,expired,revoked,exhausted"`
}

// LinkInput makes a share link: all optional. expires_at at most a year ahead; password at
// least 10 characters (the sign-in's policy); max_downloads 0 for no limit.
type LinkInput struct {
	ExpiresAt    *time.Time `json:"expires_at" example:"2027-01-31T18:00:00Z"`
	Password     string     `json:"password" format:"password" example:"blue-harbour-1987"`
	MaxDownloads int        `json:"max_downloads" example:"10"`
}

// LinkList is a file's share links, newest first.
type LinkList struct {
	Items []Link `json:"items"`
}

// linkToken is the token of the link with nonce: "gcf_" and an HMAC under the secret key.
func (s *Service) linkToken(nonce string) string {
	m := hmac.New(sha256.New, []byte(s.Secret))
	m.Write([]byte("groupcamp files share link v1\x00" + nonce))
	return "gcf_" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// finish fills what a link shows: its URL, whether it asks a password, its state.
func (s *Service) finish(l *Link, now time.Time) {
	l.URL = strings.TrimRight(s.BaseURL, "/") + "/s/" + s.linkToken(l.Nonce)
	l.Password = l.PasswordHash != ""
	l.State = linkState(l, now)
}

func linkState(l *Link, now time.Time) string {
	switch {
	case l.RevokedAt != nil:
		return LinkRevoked
	case l.ExpiresAt != nil && !now.Before(*l.ExpiresAt):
		return LinkExpired
	case l.MaxDownloads > 0 && l.Downloads >= l.MaxDownloads:
		return LinkExhausted
	}
	return LinkActive
}

// CreateLink makes a share link of a file the actor sees and may write to; audited.
func (s *Service) CreateLink(ctx context.Context, a *actor.Actor, fileID int64, in LinkInput) (*Link, error) {
	if !mayWrite(a) {
		return nil, problem.Forbidden("only colleagues who may add files share them by link")
	}
	var f problem.Fields
	now := s.now()
	if in.ExpiresAt != nil {
		switch t := in.ExpiresAt.UTC(); {
		case !t.After(now):
			f.Add("expires_at", "must be in the future")
		case t.After(now.AddDate(0, 0, LinkMaxDays)):
			f.Add("expires_at", "must be at most a year ahead")
		}
	}
	if in.MaxDownloads < 0 || in.MaxDownloads > LinkMaxDownloads {
		f.Addf("max_downloads", "must be from 0 (no limit) to {max}", "max", LinkMaxDownloads)
	}
	if in.Password != "" {
		if msg := password.Check(in.Password); msg != "" {
			f.Add("password", msg)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Link
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fi, _, err := s.reachFile(ctx, tn, a, fileID, false)
		if err != nil {
			return err
		}
		made, err := s.store.linksMadeSince(ctx, tn, a.UserID, now.Add(-time.Hour))
		if err != nil {
			return err
		}
		if made >= LinkMaxPerHour {
			return problem.TooManyRequests(int(time.Hour.Seconds()) / 4)
		}
		active, err := s.store.activeLinks(ctx, tn, fi.ID)
		if err != nil {
			return err
		}
		if active >= LinkMaxActive {
			return problem.Invalid(problem.Sayf("file_id", "a file has at most {max} links not revoked: revoke some first", "max", LinkMaxActive))
		}
		nonce := make([]byte, 24)
		_, _ = rand.Read(nonce)
		uid := a.UserID
		l := &Link{AccountID: a.AccountID(), FileID: fi.ID, Nonce: base64.RawURLEncoding.EncodeToString(nonce), MaxDownloads: in.MaxDownloads,
			CreatedBy: &uid, CreatedAt: now}
		l.TokenHash = token.Hash(s.linkToken(l.Nonce))
		if in.ExpiresAt != nil {
			t := in.ExpiresAt.UTC().Truncate(time.Microsecond)
			l.ExpiresAt = &t
		}
		if in.Password != "" {
			if l.PasswordHash, err = password.Hash(in.Password); err != nil {
				return err
			}
		}
		if _, err := tn.Insert(l).Exec(ctx); err != nil {
			return err
		}
		s.finish(l, now)
		l.CreatedByName = a.Name
		out = l
		return audit.Record(ctx, tn.Unscoped(), a, a.AccountID(), "files.link.created", fi.Name,
			map[string]any{"file_id": fi.ID, "link_id": l.ID, "expires_at": l.ExpiresAt, "max_downloads": l.MaxDownloads, "password": l.Password})
	})
	return out, err
}

// Links lists the share links of a file the actor sees (writers), newest first.
func (s *Service) Links(ctx context.Context, a *actor.Actor, fileID int64) ([]Link, error) {
	if !mayWrite(a) {
		return nil, problem.Forbidden("only colleagues who may add files see share links")
	}
	tn := s.tenant(a.AccountID())
	if _, _, err := s.reachFile(ctx, tn, a, fileID, false); err != nil {
		return nil, err
	}
	out, err := s.store.links(ctx, tn, fileID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for i := range out {
		s.finish(&out[i], now)
	}
	return out, nil
}

// RevokeLink ends a share link of a file the actor sees (any writer: a folder is a team's
// shared space, as for renaming and deleting); audited. Revoking a revoked link changes nothing.
func (s *Service) RevokeLink(ctx context.Context, a *actor.Actor, fileID, linkID int64) error {
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fi, _, err := s.reachFile(ctx, tn, a, fileID, false)
		if err != nil {
			return err
		}
		l, err := s.store.link(ctx, tn, fileID, linkID)
		if err != nil {
			return err
		}
		if l.RevokedAt != nil {
			return nil
		}
		now, uid := s.now(), a.UserID
		if _, err := tn.Exec(ctx, "UPDATE files_links SET revoked_at = ?1, revoked_by = ?2 WHERE account_id = ?0 AND id = ?3", now, uid, l.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, a.AccountID(), "files.link.revoked", fi.Name, map[string]any{"file_id": fi.ID, "link_id": l.ID})
	})
}

// Shared is what the public page of a share link shows.
type Shared struct {
	Link *Link
	File *File
}

// errLinkGone is the answer for a link that existed but no longer opens.
func errLinkGone() error {
	return problem.Gone("this link has expired, was revoked or has no downloads left")
}

// Shared finds the link of token and its file: 404 when there is none, 410 when it no longer
// opens (expired, revoked, its downloads used, the file in the trash or gone).
func (s *Service) Shared(ctx context.Context, raw string) (*Shared, error) {
	if len(raw) < 10 || len(raw) > 100 || !strings.HasPrefix(raw, "gcf_") {
		return nil, problem.NotFound()
	}
	l, err := s.store.linkByToken(ctx, s.DB, token.Hash(raw))
	if err != nil {
		return nil, err
	}
	now := s.now()
	s.finish(l, now)
	if l.State != LinkActive {
		return nil, errLinkGone()
	}
	tn := s.tenant(l.AccountID)
	fi, err := s.store.file(ctx, tn, l.FileID)
	if err != nil {
		return nil, errLinkGone()
	}
	if fi.TrashedAt != nil {
		return nil, errLinkGone()
	}
	alive, err := s.store.folderAlive(ctx, tn, fi.FolderID)
	if err != nil {
		return nil, err
	}
	if !alive {
		return nil, errLinkGone()
	}
	return &Shared{Link: l, File: fi}, nil
}

// Unlock checks the password of a link (none needed: nil) from the client ip: 401 when wrong
// (recorded), 429 with the seconds to wait once the throttle says so — before looking at it.
func (s *Service) Unlock(ctx context.Context, sh *Shared, pw, ip string) error {
	if sh.Link.PasswordHash == "" {
		return nil
	}
	tn := s.tenant(sh.Link.AccountID)
	now := s.now()
	wait, err := s.store.linkThrottled(ctx, tn, sh.Link.ID, ip, now)
	if err != nil {
		return err
	}
	if wait > 0 {
		return problem.TooManyRequests(int(math.Ceil(wait.Seconds())))
	}
	if len(pw) > 4*password.MaxLength {
		pw = pw[:4*password.MaxLength]
	}
	if ok, _ := password.Verify(pw, sh.Link.PasswordHash); ok {
		return nil
	}
	if err := s.store.linkFailed(ctx, tn, sh.Link.ID, ip, now); err != nil {
		return err
	}
	if pw == "" {
		return problem.Invalid(problem.FieldError{Field: "password", Message: "is required: this link asks for a password"})
	}
	return problem.Invalid(problem.FieldError{Field: "password", Message: "is not the password of this link"})
}

// OpenShared is the content of a link's file for a download: its current version.
func (s *Service) OpenShared(ctx context.Context, sh *Shared) (*Content, error) {
	v, err := s.store.version(ctx, s.tenant(sh.Link.AccountID), sh.File.ID, sh.File.Version)
	if err != nil {
		return nil, err
	}
	return &Content{File: sh.File, Version: v, Key: storage.Key(sh.Link.AccountID, v.SHA256, v.BlobID)}, nil
}

// SharedDownloaded takes one of the link's downloads (410 when none is left: two people racing
// for the last one do not both get it) and writes the download into the file's history as the
// link's, with no person.
func (s *Service) SharedDownloaded(ctx context.Context, sh *Shared, ct *Content) error {
	return s.tenant(sh.Link.AccountID).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		now := s.now()
		ok, err := s.store.takeDownload(ctx, tn, sh.Link.ID, now)
		if err != nil {
			return err
		}
		if !ok {
			return errLinkGone()
		}
		lid := sh.Link.ID
		return s.store.insertDownload(ctx, tn, &Download{AccountID: sh.Link.AccountID, FileID: sh.File.ID, Version: ct.Version.N, LinkID: &lid, CreatedAt: now})
	})
}

// ---- Store ----

func (store) linksMadeSince(ctx context.Context, tn db.Tenant, by int64, since time.Time) (int64, error) {
	return tn.SelectFrom("files_links", "l").Where("l.created_by = ? AND l.created_at > ?", by, since).Count(ctx)
}

func (store) activeLinks(ctx context.Context, tn db.Tenant, file int64) (int64, error) {
	return tn.SelectFrom("files_links", "l").Where("l.file_id = ? AND l.revoked_at IS NULL", file).Count(ctx)
}

func (store) links(ctx context.Context, tn db.Tenant, file int64) ([]Link, error) {
	out := []Link{}
	err := tn.Select(&out).ColumnExpr("l.*").ColumnExpr("u.name AS created_by_name").
		Join("LEFT JOIN users AS u ON u.id = l.created_by").
		Where("l.file_id = ?", file).OrderExpr("l.id DESC").Limit(1000).Scan(ctx)
	return out, err
}

func (store) link(ctx context.Context, tn db.Tenant, file, id int64) (*Link, error) {
	l := new(Link)
	if err := tn.Select(l).Where("l.file_id = ? AND l.id = ?", file, id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// linkByToken is the one lookup of a link across accounts: the token names its account.
func (store) linkByToken(ctx context.Context, idb bun.IDB, hash string) (*Link, error) {
	l := new(Link)
	if err := idb.NewSelect().Model(l).Where("l.token_hash = ?", hash).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// folderAlive reports whether the folder and every folder above it are out of the trash.
func (store) folderAlive(ctx context.Context, tn db.Tenant, id int64) (bool, error) {
	for i := 0; i < 64; i++ {
		var f Folder
		if err := tn.Select(&f).Column("id", "parent_id", "trashed_at").Where("fo.id = ?", id).Scan(ctx); err != nil {
			if db.IsNotFound(err) {
				return false, nil
			}
			return false, err
		}
		if f.TrashedAt != nil {
			return false, nil
		}
		if f.ParentID == nil {
			return true, nil
		}
		id = *f.ParentID
	}
	return false, nil
}

// takeDownload counts a download of the link, if it still opens: false when not.
func (store) takeDownload(ctx context.Context, tn db.Tenant, id int64, now time.Time) (bool, error) {
	res, err := tn.Exec(ctx, `UPDATE files_links SET downloads = downloads + 1 WHERE account_id = ?0 AND id = ?1 AND revoked_at IS NULL
		AND (expires_at IS NULL OR expires_at > ?2) AND (max_downloads = 0 OR downloads < max_downloads)`, id, now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// linkThrottled is how long a client at ip must wait before trying a password of the link.
func (store) linkThrottled(ctx context.Context, tn db.Tenant, link int64, ip string, now time.Time) (time.Duration, error) {
	var wait time.Duration
	for _, r := range []struct {
		ip  string
		max int
	}{{ip, LinkMaxFailures}, {"", LinkMaxAnyFailures}} {
		q := tn.SelectFrom("files_link_failures", "lf").Column("lf.created_at").Where("lf.link_id = ? AND lf.created_at > ?", link, now.Add(-LinkFailureWindow))
		if r.ip != "" {
			q = q.Where("lf.ip = ?", r.ip)
		}
		var times []time.Time
		if err := q.OrderExpr("lf.created_at DESC").Limit(int64(r.max)).Scan(ctx, &times); err != nil {
			return 0, err
		}
		if len(times) >= r.max {
			if w := times[len(times)-1].Add(LinkFailureWindow).Sub(now); w > wait {
				wait = w
			}
		}
	}
	if wait > 0 && wait < time.Second {
		wait = time.Second
	}
	return wait, nil
}

func (store) linkFailed(ctx context.Context, tn db.Tenant, link int64, ip string, now time.Time) error {
	_, err := tn.Exec(ctx, "INSERT INTO files_link_failures (account_id, link_id, ip, created_at) VALUES (?, ?, ?, ?)", link, ip, now)
	return err
}

// forgetFailures deletes the wrong passwords older than a day (they hold client IPs).
func (store) forgetFailures(ctx context.Context, idb bun.IDB, before time.Time) error {
	_, err := idb.NewDelete().TableExpr("files_link_failures").Where("created_at < ?", before).Exec(ctx)
	return err
}
