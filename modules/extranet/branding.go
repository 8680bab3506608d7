package extranet

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Branding is how the client portal of an account looks: its logo, primary colour and
// welcome text (empty: the product's own).
type Branding struct {
	bun.BaseModel `bun:"table:extranet_branding,alias:b"`

	AccountID int64     `bun:"account_id,pk" json:"-"`
	Logo      string    `bun:"logo" json:"logo"` // a data URL ("data:image/png;base64,...") or ""
	Color     string    `bun:"color" json:"color"`
	Welcome   string    `bun:"welcome" json:"welcome"`
	UpdatedBy *int64    `bun:"updated_by" json:"-"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
}

// BrandingInput changes the branding; a field left out keeps its value, "" clears it.
type BrandingInput struct {
	// Logo is a data URL of a PNG, JPEG, GIF or WebP image of at most MaxLogo bytes.
	Logo    *string `json:"logo" example:"data:image/png;base64,iVBORw0KGgo="`
	Color   *string `json:"color" example:"#1d4ed8"`
	Welcome *string `json:"welcome" example:"Welcome to the Acme Studio client space."`
}

// Branding limits.
const (
	MaxLogo    = 256 << 10
	MaxWelcome = 500
)

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// logoTypes are the image types a logo may be: no SVG (it can carry script).
var logoTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// LogoDataURL checks an uploaded image and returns it as a data URL, or a field message.
func LogoDataURL(b []byte) (string, string) {
	if len(b) == 0 {
		return "", ""
	}
	if len(b) > MaxLogo {
		return "", fmt.Sprintf("must be at most %d KiB", MaxLogo>>10)
	}
	typ := http.DetectContentType(b)
	for _, t := range logoTypes {
		if typ == t {
			return "data:" + t + ";base64," + base64.StdEncoding.EncodeToString(b), ""
		}
	}
	return "", "must be a PNG, JPEG, GIF or WebP image"
}

// checkLogo validates a data URL given through the API: its bytes must be what it says.
func checkLogo(s string) (string, string) {
	if s == "" {
		return "", ""
	}
	if len(s) > MaxLogo*4/3+100 {
		return "", fmt.Sprintf("must be at most %d KiB", MaxLogo>>10)
	}
	head, data, ok := strings.Cut(s, ",")
	if !ok || !strings.HasPrefix(head, "data:") || !strings.HasSuffix(head, ";base64") {
		return "", "must be a data URL (data:image/png;base64,...)"
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return "", "must be a data URL (data:image/png;base64,...)"
	}
	out, msg := LogoDataURL(b)
	if msg == "" && !bytes.Equal([]byte(strings.TrimPrefix(head, "data:")), []byte(http.DetectContentType(b)+";base64")) {
		return "", "must be a PNG, JPEG, GIF or WebP image"
	}
	return out, msg
}

// Branding is the account's branding (zero values when none was set).
func (s *Service) Branding(ctx context.Context, accountID int64) (*Branding, error) {
	b := &Branding{AccountID: accountID}
	err := s.tenant(accountID).Select(b).Where("b.account_id = ?", accountID).Scan(ctx)
	if db.IsNotFound(err) {
		return &Branding{AccountID: accountID}, nil
	}
	return b, err
}

// BrandingFor is the branding of the actor's account (the admin's settings read it).
func (s *Service) BrandingFor(ctx context.Context, a *actor.Actor) (*Branding, error) {
	return s.Branding(ctx, a.AccountID())
}

// SetBranding changes the branding (an admin), audited.
func (s *Service) SetBranding(ctx context.Context, a *actor.Actor, in BrandingInput) (*Branding, error) {
	var out *Branding
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		b, err := s.Branding(ctx, tn.AccountID)
		if err != nil {
			return err
		}
		var f problem.Fields
		if in.Logo != nil {
			logo, msg := checkLogo(*in.Logo)
			if msg != "" {
				f.Add("logo", msg)
			}
			b.Logo = logo
		}
		if in.Color != nil {
			c := strings.TrimSpace(*in.Color)
			if c != "" && !colorRE.MatchString(c) {
				f.Add("color", "must be a colour like #1d4ed8")
			}
			b.Color = strings.ToLower(c)
		}
		if in.Welcome != nil {
			b.Welcome = checkText(&f, "welcome", *in.Welcome, MaxWelcome, false)
		}
		if err := f.Err(); err != nil {
			return err
		}
		uid := a.UserID
		b.AccountID, b.UpdatedBy, b.UpdatedAt = tn.AccountID, &uid, s.now()
		if _, err := tn.Insert(b).On("CONFLICT (account_id) DO UPDATE").
			Set("logo = EXCLUDED.logo, color = EXCLUDED.color, welcome = EXCLUDED.welcome, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
			return err
		}
		details := map[string]any{"color": b.Color, "welcome": b.Welcome, "logo": b.Logo != ""}
		if err := audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "extranet.branding.changed", "extranet_branding", details); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}
