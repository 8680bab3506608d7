package testkit

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"strings"
	"sync"

	"groupcamp/core/db"
	"groupcamp/migrations"
)

// The schema pool lends migrated schemas of the test PostgreSQL to the Apps and Stacks of
// the tests, across test processes and across runs.
//
// Why: migrating a fresh schema costs PostgreSQL about a second of CPU (123 tables and 322
// indexes to create), and dropping it half a second more; a CI run boots hundreds of Apps on
// PostgreSQL, so schema DDL was the largest single cost of the suite. Emptying a schema
// that is already migrated costs a few milliseconds of DELETEs on small tables.
//
// How: a pooled schema is named gcpool_<migrations fingerprint>_<n>. Whoever holds the
// session advisory lock of that name uses the schema; the lock lives on a connection kept
// open until the user releases it, so a test process that dies frees its schemas. A schema
// is emptied when it is lent (not when returned), so a crashed holder's rows never leak into
// the next test: every table but the migration records is emptied with its foreign-key
// triggers off, and every sequence starts again at 1. Schemas of another fingerprint (older
// migrations) are dropped the first time a process lends one.
//
// The pool assumes that migrations create tables and insert no rows: a migration that
// seeds rows would see them deleted on reuse, so the pool checks a new schema and refuses
// to pool (a fresh schema per test, as before) when one holds rows.
const poolPrefix = "gcpool_"

// SchemaPoolEnv set to "off" gives every App a fresh schema, migrated and dropped as before
// the pool (to compare, or to rule the pool out when a test misbehaves).
const SchemaPoolEnv = "GROUPCAMP_TEST_SCHEMA_POOL"

// schemaPool is the process's side of the pool.
type schemaPool struct {
	once   sync.Once
	base   *url.URL
	admin  *sql.DB // its connections hold the schemas' advisory locks
	prefix string  // gcpool_<fingerprint>_
	err    error

	mu      sync.Mutex
	refused string // why the pool is off: a migration seeded rows
}

var pool schemaPool

// emptySchema deletes every row of the current schema but the migration records, with
// foreign-key triggers off (session_replication_role), and restarts its sequences.
const emptySchema = `DO $$
DECLARE r record;
BEGIN
	SET LOCAL session_replication_role = replica;
	FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
		AND c.relname NOT IN ('schema_migrations', 'schema_migration_locks') LOOP
		EXECUTE format('DELETE FROM %I', r.relname);
	END LOOP;
	FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind = 'S' LOOP
		PERFORM setval(format('%I', r.relname)::regclass, 1, false);
	END LOOP;
END $$`

// seededTables lists the tables of the current schema that hold rows, but the migration
// records.
const seededTables = `DO $$
DECLARE r record; found boolean; seeded text := '';
BEGIN
	FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
		AND c.relname NOT IN ('schema_migrations', 'schema_migration_locks') LOOP
		EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', r.relname) INTO found;
		IF found THEN seeded := seeded || ' ' || r.relname; END IF;
	END LOOP;
	IF seeded <> '' THEN RAISE EXCEPTION 'seeded:%', seeded; END IF;
END $$`

func (p *schemaPool) start() {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		p.err = errNoPostgres
		return
	}
	if p.base, p.err = url.Parse(base); p.err != nil {
		return
	}
	if p.admin, p.err = sql.Open("pgx", base); p.err != nil {
		return
	}
	p.prefix = poolPrefix + migrations.Fingerprint()[:12] + "_"
	p.dropStale(context.Background())
}

// dropStale drops the pooled schemas of other migrations that nobody holds: they would
// never be lent again.
func (p *schemaPool) dropStale(ctx context.Context) {
	rows, err := p.admin.QueryContext(ctx, `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1) AND NOT starts_with(nspname, $2)`, poolPrefix, p.prefix)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) == nil {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		conn, release, err := p.hold(ctx, name)
		if err != nil || conn == nil {
			continue
		}
		_, _ = conn.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
		release()
	}
}

// hold takes the advisory lock of the schema name on a connection of its own, and returns
// that connection and the function that gives the lock back; a nil connection when another
// holds it.
func (p *schemaPool) hold(ctx context.Context, name string) (*sql.Conn, func(), error) {
	conn, err := p.admin.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("testkit: schema pool: %w", err)
	}
	var held bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", lockKey(name)).Scan(&held); err != nil || !held {
		conn.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("testkit: schema pool: lock %s: %w", name, err)
		}
		return nil, nil, nil
	}
	return conn, func() {
		_, _ = conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lockKey(name))
		conn.Close()
	}, nil
}

func (p *schemaPool) off() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused
}

// lendSchema returns the URL of a migrated, empty schema of the test PostgreSQL and the
// function that gives it back. Without a pool (a migration seeded rows) it is a fresh
// schema, migrated by its user, and giving it back drops it.
func lendSchema() (string, func(), error) {
	if os.Getenv(SchemaPoolEnv) == "off" {
		return newSchema()
	}
	pool.once.Do(pool.start)
	if pool.err != nil {
		return "", nil, pool.err
	}
	ctx := context.Background()
	for n := 0; pool.off() == ""; n++ {
		name := fmt.Sprintf("%s%d", pool.prefix, n)
		conn, release, err := pool.hold(ctx, name)
		if err != nil {
			return "", nil, err
		}
		if conn == nil {
			continue // another test has it
		}
		u, err := pool.ready(ctx, name)
		if err == nil {
			return u, release, nil
		}
		if pool.off() != "" {
			// Not to be lent by another process either: it would empty the seeded rows.
			_, _ = conn.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
		}
		release()
		if pool.off() == "" {
			return "", nil, err
		}
	}
	return newSchema()
}

// ready migrates the schema name (creating it when it is new) and empties it; the caller
// holds its lock.
func (p *schemaPool) ready(ctx context.Context, name string) (string, error) {
	u := *p.base
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	if _, err := p.admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+name); err != nil {
		return "", fmt.Errorf("testkit: schema pool: create %s: %w", name, err)
	}
	d, err := db.Open(u.String())
	if err != nil {
		return "", err
	}
	defer d.Close()
	applied, err := migrations.Up(ctx, d)
	if err != nil {
		return "", fmt.Errorf("testkit: schema pool: migrate %s: %w", name, err)
	}
	if len(applied) > 0 {
		if _, err := d.ExecContext(ctx, seededTables); err != nil {
			if i := strings.Index(err.Error(), "seeded:"); i >= 0 {
				p.mu.Lock()
				p.refused = "migrations inserted rows in" + err.Error()[i+len("seeded:"):]
				p.mu.Unlock()
				fmt.Fprintf(os.Stderr, "testkit: no schema pool: %s\n", p.off())
			}
			return "", fmt.Errorf("testkit: schema pool: check %s: %w", name, err)
		}
		return u.String(), nil
	}
	if _, err := d.ExecContext(ctx, emptySchema); err != nil {
		return "", fmt.Errorf("testkit: schema pool: empty %s: %w", name, err)
	}
	return u.String(), nil
}

func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}
