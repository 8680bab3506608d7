package shell_test

import (
	"bytes"
	"context"
	"encoding/base32"
	"encoding/base64"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"groupcamp/core/auth"
	"groupcamp/core/testkit"
)

var (
	qrImage   = regexp.MustCompile(`<img class="qr" src="data:image/png;base64,([^"]+)"`)
	secretTag = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7]+)</code>`)
	codeItem  = regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`)
)

// TestEnrolPageQRCode: the enrolment page shows the QR code of the authenticator's otpauth URL
// rendered by the server (a PNG in the page, no third-party image service: the secret never
// leaves), the same secret beside it for typing; the confirmation shows ten recovery codes
// once, stored only as hashes.
func TestEnrolPageQRCode(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		b := e.BrowserLogin(u)
		page := b.Get("/profile/two-factor")
		r := b.Form("/profile/two-factor/enrol", url.Values{"_csrf": {testkit.CSRFIn(page.Body)}})
		q, s := qrImage.FindSubmatch(r.Body), secretTag.FindSubmatch(r.Body)
		if r.Status != http.StatusOK || q == nil || s == nil {
			t.Fatalf("enrolment page: %d %s", r.Status, r.Body)
		}
		raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(string(q[1])))
		if err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("the QR code is no PNG: %v", err)
		}
		secret := string(s[1])
		key, err := totp.Generate(totp.GenerateOpts{Issuer: "GroupCamp", AccountName: u.Email, Period: 30, Secret: mustBase32(t, secret)})
		if err != nil {
			t.Fatal(err)
		}
		want, err := key.Image(220, 220)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds() != want.Bounds() {
			t.Fatalf("QR code of %v, want %v", got.Bounds(), want.Bounds())
		}
		for y := want.Bounds().Min.Y; y < want.Bounds().Max.Y; y++ {
			for x := want.Bounds().Min.X; x < want.Bounds().Max.X; x++ {
				r1, g1, b1, _ := got.At(x, y).RGBA()
				r2, g2, b2, _ := want.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 {
					t.Fatalf("the QR code is not the one of %s (pixel %d,%d)", key.URL(), x, y)
				}
			}
		}

		code, _ := totp.GenerateCode(secret, time.Now())
		r = b.Form("/profile/two-factor/confirm", url.Values{"_csrf": {testkit.CSRFIn(r.Body)}, "code": {code}})
		codes := codeItem.FindAllSubmatch(r.Body, -1)
		if r.Status != http.StatusOK || len(codes) != 10 {
			t.Fatalf("confirmation: %d, %d recovery codes: %s", r.Status, len(codes), r.Body)
		}
		var hashes []string
		if err := e.App.DB.NewSelect().Table("auth_recovery_codes").Column("code_hash").Where("user_id = ?", u.ID).Scan(context.Background(), &hashes); err != nil {
			t.Fatal(err)
		}
		if len(hashes) != 10 {
			t.Fatalf("%d recovery codes stored", len(hashes))
		}
		for _, h := range hashes {
			for _, c := range codes {
				if plain := string(c[1]); strings.Contains(h, plain) || strings.Contains(h, strings.ReplaceAll(plain, "-", "")) {
					t.Fatalf("recovery code %s stored in clear", plain)
				}
			}
		}
		if again := b.Get("/profile/two-factor"); codeItem.Find(again.Body) != nil {
			t.Error("the recovery codes are shown again")
		}
	})
}

func mustBase32(t *testing.T, s string) []byte {
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRememberedDeviceEndsWithItsEnrolment: a browser remembered for the second factor is
// remembered for that enrolment only: once two-factor sign-in is turned off and on again (a
// new phone, or support's reset), the code is asked again in that browser too.
func TestRememberedDeviceEndsWithItsEnrolment(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		me := e.As(u)
		now := time.Now()
		enrol := func(at time.Time) string {
			secret, _ := me.Post("/api/v1/me/totp", nil).Map()["secret"].(string)
			code, _ := totp.GenerateCode(secret, at)
			if r := me.Post("/api/v1/me/totp/confirm", map[string]any{"code": code}); r.Status != http.StatusOK {
				t.Fatalf("confirm: %d %s", r.Status, r.Body)
			}
			return secret
		}
		secret := enrol(now)
		b := e.Browser()
		r := b.SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}})
		m := pendingField.FindSubmatch(r.Body)
		if m == nil {
			t.Fatalf("first step: %d", r.Status)
		}
		next, _ := totp.GenerateCode(secret, now.Add(30*time.Second))
		r = b.Form("/login/totp", url.Values{"_csrf": {testkit.CSRFIn(r.Body)}, "pending": {string(m[1])}, "totp": {next}, "remember": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("right code: %d", r.Status)
		}
		signOut(t, b, r)
		r = b.SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("remembered: %d", r.Status)
		}
		signOut(t, b, r)
		if r := me.Do(http.MethodDelete, "/api/v1/me/totp", map[string]any{"password": u.Password}); r.Status != http.StatusNoContent {
			t.Fatalf("off: %d %s", r.Status, r.Body)
		}
		enrol(now.Add(30 * time.Second))
		if r := b.SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}}); r.Status != http.StatusOK || pendingField.Find(r.Body) == nil {
			t.Errorf("remembered for an enrolment that ended: %d, want the code's step", r.Status)
		}
	})
}

// signOut ends the session that r (its sign-in) opened in b, keeping b's other cookies (the
// remembered device).
func signOut(t *testing.T, b *testkit.Client, r *testkit.Response) {
	t.Helper()
	b.CSRF = cookieOf(r, auth.CSRFCookie)
	if r := b.Post("/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
}
