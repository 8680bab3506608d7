package testkit

import (
	"net/http"
	"strings"
)

// Join invites u (its Name and Email chosen by the test) into acc with role, as acc's owner,
// accepts the invitation — a new login takes u.Password (the Env's when empty), an existing one
// proves it — signs u in and returns it with its ID and Token set. Inviting the same person
// into a second account makes them a member of both.
func (e *Env) Join(acc *Account, u *User, role string) *User {
	e.T.Helper()
	if u.Password == "" {
		u.Password = e.password
	}
	body := map[string]any{"name": u.Name, "email": u.Email, "role": role}
	if role == "client" {
		body["company_id"] = e.ClientCompany(acc)
	}
	r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/users", body)
	if r.Status != http.StatusCreated {
		e.T.Fatalf("testkit: invite %s: %d %s", u.Email, r.Status, r.Body)
	}
	var inv struct {
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
		URL string `json:"invitation_url"`
	}
	r.JSON(e.T, &inv)
	u.ID, u.Role = inv.User.ID, role
	tok := inv.URL[strings.LastIndexByte(inv.URL, '/')+1:]
	if r := e.Anonymous().Post("/api/v1/invitations/"+tok+"/accept", map[string]string{"name": u.Name, "password": u.Password}); r.Status != http.StatusOK {
		e.T.Fatalf("testkit: accept %s: %d %s", u.Email, r.Status, r.Body)
	}
	e.Login(u)
	return u
}
