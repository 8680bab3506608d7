package sso_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/modules/sso"
)

// clock is a clock the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestExpiredState: a sign-in that comes back from the provider after StateTTL is refused
// (400, start again) and opens no session, even with a code the provider issued; a new one
// works.
func TestExpiredState(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Now().UTC()}
			o := options() // modules of this App alone: its sso service on clk
			o.BeforeServe = func(*app.App) {
				for _, m := range o.Modules {
					if s, ok := m.(*sso.Module); ok {
						s.Service().Now = clk.Now
					}
				}
			}
			expiredState(t, testkit.Start(t, kind, o), clk)
		})
	}
}

func expiredState(t *testing.T, e *testkit.Env, clk *clock) {
	p := newProvider(t)
	acc := e.NewAccount()
	member := e.NewUser(acc, actor.RoleMember)
	configure(t, e.As(acc.Owner), acc.Slug, p, nil)
	p.set(func(p *provider) { p.person = person{Subject: "sub-late", Email: member.Email} })

	b := e.Browser()
	r := b.Get("/" + acc.Slug + "/sso/login")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	clk.Add(sso.StateTTL + time.Second)
	late := b.Get("/sso/callback?" + back.RawQuery)
	if late.Status != http.StatusBadRequest || !strings.Contains(late.String(), "expired") || b.Get("/api/v1/me").Status != http.StatusUnauthorized {
		t.Fatalf("late callback: %d %s", late.Status, late.Body)
	}
	clk.Add(-sso.StateTTL - time.Second) // the provider's tokens are on the real clock
	signedInAs(t, signIn(t, e, acc.Slug), member.Email)
}
