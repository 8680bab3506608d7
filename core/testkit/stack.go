package testkit

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/jobs"
	"groupcamp/migrations"
)

// Stack is a migrated database and a job broker, for tests below the HTTP layer.
type Stack struct {
	Name   string // "sqlite+embedded" or "postgres+redis"
	DB     *bun.DB
	Broker *jobs.Broker
}

// Stacks returns SQLite with the embedded broker always, and PostgreSQL with Redis when
// GROUPCAMP_TEST_POSTGRES_URL and GROUPCAMP_TEST_REDIS_URL are set.
func Stacks(t testing.TB) []*Stack {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	if err := migratedSQLite(path); err != nil {
		t.Fatal(err)
	}
	out := []*Stack{newStack(t, "sqlite+embedded", "sqlite://"+path, "")}
	if os.Getenv(PostgresEnv) != "" && os.Getenv(RedisEnv) != "" {
		out = append(out, newStack(t, "postgres+redis", lentSchema(t), os.Getenv(RedisEnv)))
	}
	return out
}

func newStack(t testing.TB, name, dbURL, redisURL string) *Stack {
	d, err := db.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.Up(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	b, err := jobs.Open(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	b.Namespace = "t-" + randHex(6)
	t.Cleanup(func() { b.Close(); d.Close() })
	return &Stack{Name: name, DB: d, Broker: b}
}
