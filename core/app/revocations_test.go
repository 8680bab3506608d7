package app_test

import (
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"groupcamp/core/auth"
	"groupcamp/core/config"
	"groupcamp/core/testkit"
)

// Two `serve` instances on one PostgreSQL and one Redis: a token revoked, or a session ended,
// on the first is refused by the second long before the credential cache (auth.CacheTTL)
// would have let it go.
func TestRevocationReachesOtherInstances(t *testing.T) {
	t.Parallel()
	if os.Getenv(testkit.PostgresEnv) == "" || os.Getenv(testkit.RedisEnv) == "" {
		t.Skip("two instances need a shared PostgreSQL and Redis: set " + testkit.PostgresEnv + " and " + testkit.RedisEnv)
	}
	one := testkit.Start(t, "postgres", testkit.Options{})
	two := testkit.Start(t, "postgres", testkit.Options{Config: func(c *config.Config) {
		c.DatabaseURL = one.App.Config.DatabaseURL // the same schema
		c.SecretKey = one.App.Config.SecretKey     // one deployment
	}})
	acc := one.NewAccount()
	u := one.NewUser(acc, "member")
	r := one.As(u).Post("/api/v1/tokens", map[string]any{"name": "script"})
	if r.Status != http.StatusCreated {
		t.Fatalf("token: %d %s", r.Status, r.Body)
	}
	tok, id := r.Map()["token"].(string), int64(r.Map()["id"].(float64))

	// refusedSoon polls the second instance until it answers 401, within a deadline well
	// under the cache's lifetime (the broadcast takes milliseconds).
	refusedSoon := func(what string, c *testkit.Client) {
		t.Helper()
		deadline := time.Now().Add(auth.CacheTTL / 2)
		for {
			st := c.Get("/api/v1/me").Status
			if st == http.StatusUnauthorized {
				return
			}
			if st != http.StatusOK {
				t.Fatalf("%s: %d", what, st)
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: still accepted by the other instance after %v", what, auth.CacheTTL/2)
			}
			time.Sleep(10 * time.Millisecond) // a poll interval, not a wait for the result
		}
	}

	// Both instances know the credentials (and cache them).
	for _, e := range []*testkit.Env{one, two} {
		if st := e.WithToken(tok).Get("/api/v1/me").Status; st != http.StatusOK {
			t.Fatalf("token before: %d", st)
		}
		if st := e.As(u).Get("/api/v1/me").Status; st != http.StatusOK {
			t.Fatalf("login before: %d", st)
		}
	}
	// Revoked on the first, refused by the second.
	if r := one.As(u).Delete("/api/v1/tokens/" + strconv.FormatInt(id, 10)); r.Status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	refusedSoon("revoked token", two.WithToken(tok))
	// Signed out on the first, refused by the second.
	if st := two.As(u).Get("/api/v1/me").Status; st != http.StatusOK {
		t.Fatalf("login token before logout: %d", st)
	}
	if r := one.As(u).Post("/api/v1/logout", nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	refusedSoon("ended session", two.As(u))
}
