package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders of the image types thumbnailed
	"image/jpeg"
	_ "image/png"
	"io"
	"slices"

	"github.com/uptrace/bun"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/modules/files/storage"
)

// Thumbnails: a background job (ThumbTask, every minute) makes a small JPEG of every image
// uploaded since its last run — pure Go (image/png, image/jpeg, image/gif, x/image/webp to
// decode, x/image/draw to scale), so no cgo and no outside program. One per blob (the same
// bytes uploaded twice share it), kept beside the bytes; the listing shows it
// (File.Thumb) and GET /api/v1/{slug}/files/{id}/thumbnail serves it under the file's reach.
// An image too large to decode safely (more than thumbMaxPixels, or a blob over thumbMaxBytes:
// a decompression bomb takes memory by its dimensions, not its size) gets none.

// ThumbTask is the type of the job that makes the thumbnails.
const ThumbTask = "files:thumbnails"

const (
	// ThumbSize is the longest side of a thumbnail, in pixels.
	ThumbSize      = 256
	thumbMaxPixels = 40_000_000
	thumbMaxBytes  = 64 << 20
	// thumbBatch bounds one run's work per account (the next run takes the rest).
	thumbBatch = 100
)

// Thumbnail states of a blob (files_blobs.thumb).
const (
	thumbPending = 0
	thumbMade    = 1
	thumbNone    = 2
)

// thumbTypes are the sniffed types the job decodes.
var thumbTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// thumbKey is where the thumbnail of a blob is kept: under the account's prefix, so that an
// account's closure deletes it with the bytes.
func thumbKey(accountID int64, sum string, blobID int64) string {
	return storage.Key(accountID, sum, blobID) + ".thumb.jpg"
}

// Thumbnails makes the thumbnails still to make; it returns how many it made.
func (s *Service) Thumbnails(ctx context.Context) (int, error) {
	var accounts []int64
	err := s.DB.NewSelect().TableExpr("files_blobs AS b").ColumnExpr("DISTINCT b.account_id").
		Where("b.thumb = ? AND b.stored AND b.refs > 0", thumbPending).
		Where("EXISTS (SELECT 1 FROM files_versions AS v WHERE v.account_id = b.account_id AND v.blob_id = b.id AND v.mime IN (?))", bun.In(thumbTypes)).
		Scan(ctx, &accounts)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, acc := range accounts {
		tn := s.tenant(acc)
		var bs []Blob
		err := tn.Select(&bs).Column("id", "sha256", "size").Where("b.thumb = ? AND b.stored AND b.refs > 0", thumbPending).
			Where("EXISTS (SELECT 1 FROM files_versions AS v WHERE v.account_id = b.account_id AND v.blob_id = b.id AND v.mime IN (?))", bun.In(thumbTypes)).
			OrderExpr("b.id").Limit(thumbBatch).Scan(ctx)
		if err != nil {
			return made, err
		}
		for _, b := range bs {
			state, err := s.makeThumb(ctx, tn, &b)
			if err != nil {
				return made, err
			}
			if state == thumbMade {
				made++
			}
		}
	}
	return made, nil
}

// makeThumb makes the thumbnail of blob b (of the account of tn) and records its state.
func (s *Service) makeThumb(ctx context.Context, tn db.Tenant, b *Blob) (int, error) {
	state := thumbNone
	if b.Size <= thumbMaxBytes {
		jpg, err := s.thumbnail(ctx, storage.Key(tn.AccountID, b.SHA256, b.ID))
		switch {
		case err == nil:
			if err := s.Blobs.WriteAll(ctx, thumbKey(tn.AccountID, b.SHA256, b.ID), jpg); err != nil {
				return 0, err
			}
			state = thumbMade
		case errors.Is(err, storage.ErrNotFound), ctx.Err() != nil:
			return 0, err
		}
	}
	_, err := tn.Update((*Blob)(nil)).Set("thumb = ?", state).Where("id = ?", b.ID).Exec(ctx)
	return state, err
}

// errNoThumb is an image the job does not thumbnail.
var errNoThumb = errors.New("files: no thumbnail")

// thumbnail decodes the image at key and returns it scaled to fit ThumbSize, as a JPEG on
// white (transparency has nowhere to go in a JPEG).
func (s *Service) thumbnail(ctx context.Context, key string) ([]byte, error) {
	r, err := s.Blobs.Open(ctx, key, 0, -1)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	raw, err := io.ReadAll(io.LimitReader(r, thumbMaxBytes+1))
	if err != nil {
		return nil, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > thumbMaxPixels {
		return nil, fmt.Errorf("%w: %v", errNoThumb, err)
	}
	src, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoThumb, err)
	}
	w, h := fit(cfg.Width, cfg.Height, ThumbSize)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	// CatmullRom keeps a downscaled photo sharp; at 256 pixels its cost is the source's.
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// fit scales w×h to fit a square of side side, keeping the ratio (never enlarging).
func fit(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, h*side/w)
	}
	return max(1, w*side/h), side
}

// thumbOf is the key of the thumbnail of a file's current version (the file the actor
// reaches), or 404: made now when the job has not come to it yet.
func (s *Service) thumbOf(ctx context.Context, tn db.Tenant, fi *File) (string, error) {
	if !slices.Contains(thumbTypes, fi.MIME) {
		return "", problem.NotFound()
	}
	var b Blob
	err := tn.Select(&b).Column("id", "sha256", "size").Column("thumb").Where("b.sha256 = ? AND b.stored", fi.SHA256).Limit(1).Scan(ctx)
	if err != nil {
		return "", notFound(err)
	}
	if b.Thumb == thumbPending {
		if b.Thumb, err = s.makeThumb(ctx, tn, &b); err != nil {
			return "", err
		}
	}
	if b.Thumb != thumbMade {
		return "", problem.NotFound()
	}
	return thumbKey(tn.AccountID, b.SHA256, b.ID), nil
}
