// Package db opens the one bun.DB the process uses, on SQLite (modernc.org/sqlite, pure Go)
// or PostgreSQL (pgx), and holds the small helpers every store shares: transactions, error
// classification, cursor pagination, and Tenant (tenant.go), the handle through which a module's
// store queries one account's rows so that a query without the account cannot be written by
// accident.
//
// SQLite is configured through the DSN so that every pooled connection gets the same
// pragmas: a busy timeout first (so a writer waits for the lock instead of failing), WAL,
// foreign keys, and _txlock=immediate so that a transaction takes the write lock at BEGIN and
// never fails half-way when it upgrades from reading to writing. The transactions of the
// process queue for SQLite's one writer slot in Go (writeGate), not in SQLite's busy handler.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Open connects to the database named by rawURL: sqlite://PATH or postgres://...
func Open(rawURL string) (*bun.DB, error) {
	if strings.HasPrefix(rawURL, "postgres://") || strings.HasPrefix(rawURL, "postgresql://") {
		sqldb, err := sql.Open("pgx", rawURL)
		if err != nil {
			return nil, err
		}
		sqldb.SetMaxOpenConns(20)
		sqldb.SetMaxIdleConns(20)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		return bun.NewDB(sqldb, pgdialect.New()), nil
	}
	path, ok := strings.CutPrefix(rawURL, "sqlite://")
	if !ok {
		return nil, fmt.Errorf("unsupported database URL %q", rawURL)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
	}
	// Prepared statements kept per connection (stmtcache.go).
	sqldb := sql.OpenDB(&stmtConnector{dsn: SQLiteDSN(path), drv: &sqlite.Driver{}})
	// WAL lets readers run beside the one writer; a handful of connections is plenty and
	// keeps memory low. The process's transactions queue at the write gate (txgate.go), and
	// anything else at the busy timeout, instead of failing.
	sqldb.SetMaxOpenConns(8)
	sqldb.SetMaxIdleConns(8)
	sqldb.SetConnMaxIdleTime(0)
	bdb := bun.NewDB(sqldb, sqlitedialect.New())
	bdb.AddQueryHook(newWriteGate(10 * time.Second)) // as long as busy_timeout
	return bdb, nil
}

// SQLiteDSN builds the modernc DSN with the pragmas every connection must carry.
func SQLiteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// Deleted content is overwritten with zeros, so that what a privacy erasure deletes is not
	// left readable in free pages of the file (modules/privacy).
	q.Add("_pragma", "secure_delete(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// 512 KiB of page cache per connection (SQLite's default is 2 MiB): the operating system
	// caches the file anyway, and under the load tool a smaller cache served as many reads
	// per second (task.get 6,640 → 7,197 req/s, noise) for 22 MB less resident memory.
	q.Add("_pragma", "cache_size(-512)")
	// Temporary files in memory: the statement journal above all, which SQLite writes for
	// every page a savepoint changes — and event delivery runs each subscriber in a
	// savepoint (core/events). On a file, that journal was a write system call per page:
	// 5% of the CPU of task creation under the load tool, in the kernel.
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

// IsPostgres reports whether db speaks PostgreSQL.
func IsPostgres(db bun.IDB) bool {
	_, ok := db.Dialect().(*pgdialect.Dialect)
	return ok
}

// Ping checks that the database answers.
func Ping(ctx context.Context, db *bun.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// IsUniqueViolation reports whether err is a unique-constraint failure, on either database.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsContention reports whether err is the database giving up on a transaction because
// another one held what it needed — a PostgreSQL deadlock (40P01) or serialization failure
// (40001), or SQLite still busy after its busy timeout. Nothing was written; the same request
// again, a moment later, may well succeed.
func IsContention(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40P01" || pgErr.Code == "40001"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code()&0xff == sqlite3.SQLITE_BUSY || sqErr.Code()&0xff == sqlite3.SQLITE_LOCKED
	}
	return false
}

// IsNotFound reports whether err means "no row".
func IsNotFound(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// Now is the one clock for stored instants: UTC, truncated to microseconds so that values
// read back from either database compare equal to what was written.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
