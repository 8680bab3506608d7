package auth_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"groupcamp/core/auth"
	"groupcamp/core/testkit"
)

// login signs in through the API with extra fields (totp, recovery_code).
func login(e *testkit.Env, u *testkit.User, extra map[string]any) *testkit.Response {
	body := map[string]any{"email": u.Email, "password": u.Password}
	for k, v := range extra {
		body[k] = v
	}
	return e.Anonymous().Post("/api/v1/login", body)
}

// codeAt is what the person's authenticator app shows at t.
func codeAt(t *testing.T, secret string, at time.Time) string {
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTOTPSignIn: enrol (secret and otpauth URL), confirm with the app's code (ten recovery
// codes, once); the login then needs the code (401 naming totp), accepts a code once (the
// same code again is refused), takes a recovery code once; personal API tokens are
// unaffected; wrong codes are throttled like passwords; turning it off needs the password.
func TestTOTPSignIn(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		me := e.As(u)
		pat := me.Post("/api/v1/tokens", map[string]any{"name": "script"}).Map()["token"].(string)

		want(t, "confirm before enrolling", me.Post("/api/v1/me/totp/confirm", map[string]any{"code": "123456"}), http.StatusConflict)
		want(t, "enrol with an API token", e.WithToken(pat).Post("/api/v1/me/totp", nil), http.StatusForbidden)
		r := me.Post("/api/v1/me/totp", nil)
		want(t, "enrol", r, http.StatusOK)
		secret, _ := r.Map()["secret"].(string)
		if url, _ := r.Map()["otpauth_url"].(string); secret == "" || !strings.HasPrefix(url, "otpauth://totp/GroupCamp:") || !strings.Contains(url, "secret="+secret) {
			t.Fatalf("enrolment %s", r.Body)
		}
		want(t, "wrong first code", me.Post("/api/v1/me/totp/confirm", map[string]any{"code": "000000"}), http.StatusUnprocessableEntity)
		now := time.Now()
		r = me.Post("/api/v1/me/totp/confirm", map[string]any{"code": codeAt(t, secret, now)})
		want(t, "confirm", r, http.StatusOK)
		var rc auth.RecoveryCodes
		r.JSON(t, &rc)
		if len(rc.RecoveryCodes) != auth.RecoveryCount {
			t.Fatalf("recovery codes %v", rc.RecoveryCodes)
		}
		want(t, "enrol again while on", me.Post("/api/v1/me/totp", nil), http.StatusConflict)

		r = login(e, u, nil)
		want(t, "password only", r, http.StatusUnauthorized)
		if _, ok := r.FieldErrors()["totp"]; !ok {
			t.Fatalf("password only: %s", r.Body)
		}
		want(t, "the confirmation's code again", login(e, u, map[string]any{"totp": codeAt(t, secret, now)}), http.StatusUnauthorized)
		next := codeAt(t, secret, now.Add(30*time.Second))
		want(t, "the next code", login(e, u, map[string]any{"totp": next}), http.StatusOK)
		want(t, "the next code reused", login(e, u, map[string]any{"totp": next}), http.StatusUnauthorized)
		want(t, "a recovery code", login(e, u, map[string]any{"recovery_code": strings.ToUpper(rc.RecoveryCodes[0])}), http.StatusOK)
		want(t, "the recovery code reused", login(e, u, map[string]any{"recovery_code": rc.RecoveryCodes[0]}), http.StatusUnauthorized)
		want(t, "the API token", e.WithToken(pat).Get("/api/v1/me"), http.StatusOK)
		var st auth.TOTPStatus
		me.Get("/api/v1/me/totp").JSON(t, &st)
		if !st.Enabled || st.RecoveryCodes != auth.RecoveryCount-1 {
			t.Fatalf("state %+v", st)
		}

		want(t, "off without proof", me.Delete("/api/v1/me/totp"), http.StatusUnprocessableEntity)
		want(t, "off with a wrong password", me.Do(http.MethodDelete, "/api/v1/me/totp", map[string]any{"password": "not it at all"}), http.StatusUnprocessableEntity)
		want(t, "off", me.Do(http.MethodDelete, "/api/v1/me/totp", map[string]any{"password": u.Password}), http.StatusNoContent)
		want(t, "password only, once off", login(e, u, nil), http.StatusOK)
	})
}

// TestTOTPThrottled: wrong codes after the right password count as failures: the address is
// throttled (429) even with the right code then.
func TestTOTPThrottled(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		me := e.As(u)
		secret := me.Post("/api/v1/me/totp", nil).Map()["secret"].(string)
		want(t, "confirm", me.Post("/api/v1/me/totp/confirm", map[string]any{"code": codeAt(t, secret, time.Now())}), http.StatusOK)
		for i := 0; i < auth.MaxFailures; i++ {
			want(t, fmt.Sprintf("wrong code %d", i), login(e, u, map[string]any{"totp": "999999"}), http.StatusUnauthorized)
		}
		want(t, "right code once throttled", login(e, u, map[string]any{"totp": codeAt(t, secret, time.Now().Add(30*time.Second))}), http.StatusTooManyRequests)
	})
}

// TestSupportResetsTOTP: platform support resets a member's two-factor sign-in only at a
// support request the account opened; the reset is written into that request's thread, where
// the owner reads it, and into the audit trail; the person then signs in with the password.
func TestSupportResetsTOTP(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		u := e.NewUser(acc, "member")
		me := e.As(u)
		secret := me.Post("/api/v1/me/totp", nil).Map()["secret"].(string)
		want(t, "confirm", me.Post("/api/v1/me/totp/confirm", map[string]any{"code": codeAt(t, secret, time.Now())}), http.StatusOK)
		support := e.As(e.NewPlatformUser("support"))
		partner := e.As(e.NewPlatformUser("partner"))

		asked := owner.Post("/api/v1/"+acc.Slug+"/support-requests", map[string]any{"subject": "Lost phone", "body": "Please reset the two-factor sign-in of our member."})
		want(t, "the account's request", asked, http.StatusCreated)
		own := support.Post("/api/v1/platform/accounts/"+acc.Slug+"/support-requests", map[string]any{"subject": "Notice", "body": "From support."})
		want(t, "support's own request", own, http.StatusCreated)
		path := func(r *testkit.Response) string {
			return fmt.Sprintf("/api/v1/platform/accounts/%s/support-requests/%d/totp-reset", acc.Slug, int64(r.Map()["id"].(float64)))
		}
		body := map[string]any{"user_id": u.ID}
		want(t, "at support's own request", support.Post(path(own), body), http.StatusConflict)
		want(t, "by the partner", partner.Post(path(asked), body), http.StatusForbidden)
		want(t, "someone else's member", support.Post(path(asked), map[string]any{"user_id": e.NewAccount().Owner.ID}), http.StatusUnprocessableEntity)
		want(t, "password only before", login(e, u, nil), http.StatusUnauthorized)
		want(t, "reset", support.Post(path(asked), body), http.StatusCreated)
		thread := owner.Get(fmt.Sprintf("/api/v1/%s/support-requests/%d", acc.Slug, int64(asked.Map()["id"].(float64))))
		if !strings.Contains(thread.String(), "Two-factor sign-in of "+u.Email+" was reset") {
			t.Errorf("the owner's thread: %s", thread.Body)
		}
		if audit := owner.Get("/api/v1/" + acc.Slug + "/audit"); !strings.Contains(audit.String(), "user.totp_reset") {
			t.Errorf("audit: %s", audit.Body)
		}
		want(t, "password only after", login(e, u, nil), http.StatusOK)
		want(t, "reset again", support.Post(path(asked), body), http.StatusConflict)
	})
}
