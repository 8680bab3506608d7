package app_test

import (
	"net/http"
	"testing"

	"groupcamp/core/testkit"
)

func TestSignupInviteAcceptMe(t *testing.T) {
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		bob := e.NewUser(acc, "member")
		r := e.As(bob).Get("/api/v1/me")
		if r.Status != http.StatusOK {
			t.Fatalf("me: %d %s", r.Status, r.Body)
		}
		var me struct {
			User struct {
				Email string `json:"email"`
			} `json:"user"`
			Memberships []struct {
				Account struct{ Slug string } `json:"account"`
				Role    string                `json:"role"`
			} `json:"memberships"`
		}
		r.JSON(t, &me)
		if me.User.Email != bob.Email || len(me.Memberships) != 1 || me.Memberships[0].Account.Slug != acc.Slug || me.Memberships[0].Role != "member" {
			t.Fatalf("me = %+v", me)
		}
	})
}
