package files

// Resumable uploads. A big file over a flaky connection goes in chunks: the client opens a
// session saying what will come (POST .../folders/{id}/uploads for a new file, or
// .../files/{id}/uploads for a new version: {name, size, sha256}), sends the bytes in order
// with PUT /api/v1/{slug}/uploads/{id} and a Content-Range, asks how far it got with
// GET (offset, and the Upload-Offset header) after a network error, and ends with
// POST .../uploads/{id}/finish, which makes the file or the version as an ordinary upload does.
//
// Each chunk streams from the connection to a blob key of its own (storage.ChunkPrefix), never
// into memory; the session counts a chunk only if it starts where the session stands (a
// conditional update), so a chunk sent twice, or two requests racing, never count bytes twice.
// A chunk cut half-way is dropped whole: the client sends it again from the offset. The
// finish streams the chunks in order through the ordinary store (hash, quota, dedup), and
// refuses content whose SHA-256 is not the one announced (nothing kept, the session ends).
// The quota is asked at the session's creation with the announced size, and again at the
// finish. A session is its creator's, lives a day after its last chunk (at most a week), and
// the hourly collector deletes the expired ones with their chunks.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/modules/files/storage"
)

// Limits of resumable uploads.
const (
	// MaxChunk is the largest chunk one PUT carries.
	MaxChunk = 64 << 20
	// SessionIdle is how long a session waits for its next chunk; SessionLife how long it
	// lives at most.
	SessionIdle = 24 * time.Hour
	SessionLife = 7 * 24 * time.Hour
	// MaxSessions is how many open sessions a person may have at once.
	MaxSessions = 20
)

// UploadSession is a resumable upload: what will come and how much came.
type UploadSession struct {
	bun.BaseModel `bun:"table:files_uploads,alias:up"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	FolderID  *int64    `bun:"folder_id" json:"folder_id"`
	FileID    *int64    `bun:"file_id" json:"file_id"`
	Name      string    `bun:"name" json:"name"`
	Size      int64     `bun:"size" json:"size"`
	SHA256    string    `bun:"sha256" json:"sha256"`
	Received  int64     `bun:"received" json:"offset"`
	CreatedBy int64     `bun:"created_by" json:"-"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	ExpiresAt time.Time `bun:"expires_at" json:"expires_at"`
}

// UploadInput opens a resumable upload: the file's name (not for a new version), its size in
// bytes and its SHA-256 (hex), which the finish checks when given (a browser, which cannot
// hash a large file without reading it twice, leaves it out).
type UploadInput struct {
	Name   string `json:"name" example:"footage.mp4"`
	Size   int64  `json:"size" openapi:"required" example:"734003200"`
	SHA256 string `json:"sha256" example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
}

// ChunkAck is where a session stands after a chunk.
type ChunkAck struct {
	Offset int64 `json:"offset"`
	Size   int64 `json:"size"`
}

// OpenUpload opens a resumable upload into a folder the actor reaches (folderID) or onto a file
// they see (fileID, a new version): 409 when the name is taken in the folder, 413 when the
// size passes MaxUpload or the account's quota.
func (s *Service) OpenUpload(ctx context.Context, a *actor.Actor, folderID, fileID int64, in UploadInput) (*UploadSession, error) {
	if fileID != 0 && !mayWrite(a) {
		return nil, problem.Forbidden("new versions are for members")
	}
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	up := &UploadSession{AccountID: a.AccountID(), Size: in.Size, SHA256: strings.ToLower(in.SHA256), CreatedBy: a.UserID}
	var key string
	if fileID == 0 {
		up.Name, key = checkName(&f, "name", in.Name)
	}
	if in.Size < 0 {
		f.Add("size", "must be 0 or more")
	}
	if b, err := hex.DecodeString(up.SHA256); up.SHA256 != "" && (err != nil || len(b) != sha256.Size) {
		f.Add("sha256", "must be the SHA-256 of the content in hex (64 characters)")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if in.Size > s.MaxUpload {
		return nil, problem.TooLarge(fmt.Sprintf("a file may hold at most %d bytes", s.MaxUpload))
	}
	if fileID != 0 {
		fi, _, err := s.reachFile(ctx, tn, a, fileID, false)
		if err != nil {
			return nil, err
		}
		up.FileID, up.Name = &fi.ID, fi.Name
	} else {
		folder, _, err := s.reach(ctx, tn, a, folderID, false)
		if err != nil {
			return nil, err
		}
		if !mayUpload(a, folder) {
			return nil, problem.Forbidden("this folder takes no uploads from you")
		}
		if taken, err := s.store.nameTaken(ctx, tn, folderID, key, 0); err != nil {
			return nil, err
		} else if taken {
			return nil, problem.Conflict("name", "a file of this name exists in the folder")
		}
		up.FolderID = &folderID
	}
	if err := s.checkQuota(ctx, a, in.Size); err != nil {
		return nil, err
	}
	now := s.now()
	up.CreatedAt, up.ExpiresAt = now, now.Add(SessionIdle)
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		n, err := tn.SelectFrom("files_uploads", "up").Where("up.created_by = ? AND up.expires_at > ?", a.UserID, now).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxSessions {
			return problem.Conflict("id", fmt.Sprintf("you have %d uploads open: finish or cancel one first", n))
		}
		_, err = tn.Insert(up).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return up, nil
}

// Upload is the actor's open session, or 404 (another's, expired, or gone).
func (s *Service) UploadSession(ctx context.Context, a *actor.Actor, id int64) (*UploadSession, error) {
	up := new(UploadSession)
	err := s.tenant(a.AccountID()).Select(up).Where("up.id = ? AND up.created_by = ? AND up.expires_at > ?", id, a.UserID, s.now()).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return up, nil
}

// ContentRange is a chunk's place: bytes Start to End (inclusive) of Total.
type ContentRange struct{ Start, End, Total int64 }

// ParseContentRange reads "bytes start-end/total" (RFC 9110 §14.4).
func ParseContentRange(h string) (ContentRange, bool) {
	var cr ContentRange
	rest, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes ")
	if !ok {
		return cr, false
	}
	span, total, ok := strings.Cut(rest, "/")
	from, to, ok2 := strings.Cut(span, "-")
	if !ok || !ok2 {
		return cr, false
	}
	var err1, err2, err3 error
	cr.Start, err1 = strconv.ParseInt(from, 10, 64)
	cr.End, err2 = strconv.ParseInt(to, 10, 64)
	cr.Total, err3 = strconv.ParseInt(total, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || cr.Start < 0 || cr.End < cr.Start || cr.End >= cr.Total {
		return cr, false
	}
	return cr, true
}

// PutChunk stores the chunk r holds at contentRange ("bytes start-end/size") of the actor's session: it must start where the
// session stands (409 saying where otherwise) and hold exactly its range (a chunk cut short is
// dropped: 400, and the session stays where it was).
func (s *Service) PutChunk(ctx context.Context, a *actor.Actor, id int64, contentRange string, r io.Reader) (*ChunkAck, error) {
	up, err := s.UploadSession(ctx, a, id)
	if err != nil {
		return nil, err
	}
	cr, ok := ParseContentRange(contentRange)
	if !ok {
		return nil, problem.Invalid(problem.FieldError{Field: "content_range", Message: "the Content-Range header must say bytes start-end/size"})
	}
	if cr.Total != up.Size {
		return nil, problem.Invalid(problem.FieldError{Field: "content_range", Message: fmt.Sprintf("the total must be the session's size, %d", up.Size)})
	}
	if cr.End-cr.Start+1 > MaxChunk {
		return nil, problem.Invalid(problem.FieldError{Field: "content_range", Message: fmt.Sprintf("a chunk holds at most %d bytes", MaxChunk)})
	}
	if cr.Start != up.Received {
		return nil, problem.Conflict("content_range", fmt.Sprintf("the upload stands at byte %d: send from there", up.Received))
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	key := fmt.Sprintf("%s%020d-%s", storage.ChunkPrefix(up.AccountID, up.ID), cr.Start, hex.EncodeToString(rnd[:]))
	want := cr.End - cr.Start + 1
	n, err := s.Blobs.PutAt(ctx, key, r, want)
	if errors.Is(err, storage.ErrTooLarge) {
		return nil, problem.Invalid(problem.FieldError{Field: "content_range", Message: "the body is longer than its range"})
	}
	if err != nil {
		return nil, problem.BadRequest("the chunk was cut short: send it again from byte " + strconv.FormatInt(up.Received, 10))
	}
	drop := func() { _ = s.Blobs.Drop(context.WithoutCancel(ctx), key) }
	if n != want {
		drop()
		return nil, problem.BadRequest(fmt.Sprintf("the chunk holds %d bytes, its range %d: send it again from byte %d", n, want, up.Received))
	}
	now := s.now()
	expires := now.Add(SessionIdle)
	if end := up.CreatedAt.Add(SessionLife); end.Before(expires) {
		expires = end
	}
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		res, err := tn.Exec(ctx, "UPDATE files_uploads SET received = received + ?1, expires_at = ?2 WHERE account_id = ?0 AND id = ?3 AND received = ?4",
			n, expires, up.ID, cr.Start)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k != 1 {
			return problem.Conflict("content_range", "another request sent this chunk meanwhile: ask where the upload stands")
		}
		_, err = tn.Exec(ctx, "INSERT INTO files_upload_chunks (account_id, upload_id, pos, size, blob_key) VALUES (?, ?, ?, ?, ?)", up.ID, cr.Start, n, key)
		return err
	})
	if err != nil {
		drop()
		return nil, err
	}
	return &ChunkAck{Offset: cr.Start + n, Size: up.Size}, nil
}

// FinishUpload makes the file (or the new version) of a session that received all its bytes
// (409 otherwise), streaming its chunks in order through the store; content whose SHA-256 is
// not the announced one is refused (422) and ends the session.
func (s *Service) FinishUpload(ctx context.Context, a *actor.Actor, id int64) (*Uploaded, error) {
	up, err := s.UploadSession(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if up.Received != up.Size {
		return nil, problem.Conflict("id", fmt.Sprintf("the upload holds %d of its %d bytes", up.Received, up.Size))
	}
	var keys []string
	if err := s.tenant(a.AccountID()).SelectFrom("files_upload_chunks", "c").Column("c.blob_key").
		Where("c.upload_id = ?", up.ID).OrderExpr("c.pos").Scan(ctx, &keys); err != nil {
		return nil, err
	}
	r := &checked{r: &chunks{ctx: ctx, store: s.Blobs, keys: keys}, h: sha256.New(), want: up.SHA256}
	var out *Uploaded
	if up.FileID != nil {
		out, err = s.AddVersion(ctx, a, *up.FileID, r, up.Size)
	} else {
		out, err = s.Upload(ctx, a, *up.FolderID, up.Name, r, up.Size)
	}
	r.r.close()
	if err != nil && !errors.Is(err, errMismatch) {
		return nil, err
	}
	if derr := s.dropUpload(context.WithoutCancel(ctx), a.AccountID(), up.ID); derr != nil {
		return nil, derr
	}
	return out, err
}

// CancelUpload ends the actor's session and deletes its chunks.
func (s *Service) CancelUpload(ctx context.Context, a *actor.Actor, id int64) error {
	up, err := s.UploadSession(ctx, a, id)
	if err != nil {
		return err
	}
	return s.dropUpload(ctx, a.AccountID(), up.ID)
}

// dropUpload deletes a session, row (its chunks' rows cascade) then chunks.
func (s *Service) dropUpload(ctx context.Context, accountID, id int64) error {
	if _, err := s.tenant(accountID).Exec(ctx, "DELETE FROM files_uploads WHERE account_id = ? AND id = ?", id); err != nil {
		return err
	}
	_, err := s.Blobs.DropUnder(ctx, storage.ChunkPrefix(accountID, id))
	return err
}

// expireUploads deletes the sessions expired before now with their chunks (the collector),
// then chunks older than a session lives whose row went another way (a folder deleted for
// good, a person erased). It returns how many sessions went.
func (s *Service) expireUploads(ctx context.Context) (int, error) {
	now := s.now()
	var gone []struct {
		ID        int64 `bun:"id"`
		AccountID int64 `bun:"account_id"`
	}
	// Crosses accounts, like the collector's other first query; each delete is the account's.
	if err := s.DB.NewSelect().TableExpr("files_uploads AS up").Column("up.id", "up.account_id").
		Where("up.expires_at <= ?", now).OrderExpr("up.id").Limit(1000).Scan(ctx, &gone); err != nil {
		return 0, err
	}
	for _, g := range gone {
		if err := s.dropUpload(ctx, g.AccountID, g.ID); err != nil {
			return 0, err
		}
	}
	if _, err := s.Blobs.SweepChunks(ctx, time.Now().Add(-SessionLife-Grace)); err != nil {
		return len(gone), err
	}
	return len(gone), nil
}

// errMismatch fails the finish's stream when the content is not what the session announced.
var errMismatch = problem.Invalid(problem.FieldError{Field: "sha256", Message: "the content received does not have the SHA-256 announced: the upload is cancelled"})

// checked hashes what it reads and, at the end, fails unless the hash is the one wanted:
// the store then keeps nothing.
type checked struct {
	r    *chunks
	h    hash.Hash
	want string
}

func (c *checked) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF && c.want != "" && hex.EncodeToString(c.h.Sum(nil)) != c.want {
		return n, errMismatch
	}
	return n, err
}

// chunks reads the chunk keys one after the other, opening each when the previous ends (one
// open at a time: O(1) memory whatever the number of chunks).
type chunks struct {
	ctx   context.Context
	store *storage.Store
	keys  []string
	cur   io.ReadCloser
}

func (c *chunks) Read(p []byte) (int, error) {
	for {
		if c.cur == nil {
			if len(c.keys) == 0 {
				return 0, io.EOF
			}
			r, err := c.store.Open(c.ctx, c.keys[0], 0, -1)
			if err != nil {
				return 0, err
			}
			c.cur, c.keys = r, c.keys[1:]
		}
		n, err := c.cur.Read(p)
		if err == io.EOF {
			c.close()
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

func (c *chunks) close() {
	if c.cur != nil {
		_ = c.cur.Close()
		c.cur = nil
	}
}
