package intranet

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // the image types a photo may be
	"image/jpeg"
	_ "image/png"
	"net/http"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
)

// A person's photo: an uploaded PNG, JPEG, GIF or WebP image (no SVG: it can carry script) of
// at most MaxPhoto bytes and photoMaxPixels pixels (a decompression bomb takes memory by its
// dimensions, not its size), cropped to its centre square and scaled to PhotoSize pixels, kept
// as a JPEG. Pure Go, as the files module's thumbnails.
const (
	MaxPhoto       = 2 << 20
	PhotoSize      = 256
	photoMaxPixels = 40_000_000
)

// photoTypes are the sniffed types a photo may be.
var photoTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// Photo is a person's photo in an account.
type Photo struct {
	bun.BaseModel `bun:"table:directory_photos,alias:ph"`

	AccountID int64     `bun:"account_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	Image     []byte    `bun:"image"`
	UpdatedAt time.Time `bun:"updated_at"`
}

const notAnImage = "must be a PNG, JPEG, GIF or WebP image"

// decodeDataURL reads a data URL of an image given through the API.
func decodeDataURL(s string) ([]byte, string) {
	if len(s) > MaxPhoto*4/3+100 {
		return nil, fmt.Sprintf("must be at most %d MiB", MaxPhoto>>20)
	}
	head, data, ok := strings.Cut(s, ",")
	if !ok || !strings.HasPrefix(head, "data:") || !strings.HasSuffix(head, ";base64") {
		return nil, "must be a data URL (data:image/png;base64,...)"
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, "must be a data URL (data:image/png;base64,...)"
	}
	return b, ""
}

// Thumbnail makes the square JPEG of an uploaded image, or says why it cannot.
func Thumbnail(b []byte) ([]byte, string) {
	if len(b) == 0 {
		return nil, notAnImage
	}
	if len(b) > MaxPhoto {
		return nil, fmt.Sprintf("must be at most %d MiB", MaxPhoto>>20)
	}
	typ := http.DetectContentType(b)
	known := false
	for _, t := range photoTypes {
		known = known || typ == t
	}
	if !known {
		return nil, notAnImage
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, notAnImage
	}
	if int64(cfg.Width)*int64(cfg.Height) > photoMaxPixels {
		return nil, "is too large an image (at most 40 megapixels)"
	}
	src, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, notAnImage
	}
	r := src.Bounds()
	side := min(r.Dx(), r.Dy())
	crop := image.Rect(r.Min.X+(r.Dx()-side)/2, r.Min.Y+(r.Dy()-side)/2, 0, 0)
	crop.Max = crop.Min.Add(image.Pt(side, side))
	dst := image.NewRGBA(image.Rect(0, 0, PhotoSize, PhotoSize))
	draw.Draw(dst, dst.Bounds(), &image.Uniform{color.White}, image.Point{}, draw.Src) // transparency on white
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, crop, draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 85}); err != nil {
		return nil, notAnImage
	}
	return out.Bytes(), ""
}

// PhotoOf is a colleague's photo (404 without one, or for anyone not in the directory).
func (s *Service) PhotoOf(ctx context.Context, a *actor.Actor, userID int64) ([]byte, error) {
	tn := s.tenant(a.AccountID())
	var img [][]byte
	err := tn.SelectFrom("directory_photos", "ph").Column("ph.image").
		Where("ph.user_id = ? AND ph.user_id IN (?)", userID, colleagueIDs(tn)).Scan(ctx, &img)
	if err != nil {
		return nil, err
	}
	if len(img) == 0 {
		return nil, problem.NotFound()
	}
	return img[0], nil
}
