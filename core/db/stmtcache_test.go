package db

import (
	"context"
	"database/sql/driver"
	"reflect"
	"strconv"
	"testing"

	"github.com/uptrace/bun"
)

func TestParameterize(t *testing.T) {
	cases := []struct {
		in, out string
		params  []any
		ok      bool
	}{
		{`SELECT "t"."id" FROM "tasks" AS "t" WHERE (t.account_id = 12) AND (t.id = 345) LIMIT 1`,
			`SELECT "t"."id" FROM "tasks" AS "t" WHERE (t.account_id = ?) AND (t.id = ?) LIMIT ?`, []any{int64(12), int64(345), int64(1)}, true},
		{`UPDATE users SET name = 'O''Hara', x = -3 WHERE id IN (1, 2)`,
			`UPDATE users SET name = ?, x = -? WHERE id IN (?, ?)`, []any{"O'Hara", int64(3), int64(1), int64(2)}, true},
		{`SELECT a FROM t ORDER BY 1, 2 DESC LIMIT 5`, `SELECT a FROM t ORDER BY 1, 2 DESC LIMIT ?`, []any{int64(5)}, true},
		{`SELECT a, count(*) FROM t WHERE b = 1.5 AND c = 0x1F AND d = 1e3 GROUP BY 1`,
			`SELECT a, count(*) FROM t WHERE b = 1.5 AND c = 0x1F AND d = 1e3 GROUP BY 1`, nil, true},
		{`SELECT a FROM t WHERE code <> '' AND e = X'00FF' AND t2.c3 = 7`,
			`SELECT a FROM t WHERE code <> '' AND e = X'00FF' AND t2.c3 = ?`, []any{int64(7)}, true},
		{`SELECT a FROM t ORDER BY CASE WHEN x THEN 0 ELSE 1 END, a`, `SELECT a FROM t ORDER BY CASE WHEN x THEN ? ELSE ? END, a`, []any{int64(0), int64(1)}, true},
		{`SELECT * FROM (SELECT a FROM t ORDER BY a) WHERE b = 3`, `SELECT * FROM (SELECT a FROM t ORDER BY a) WHERE b = ?`, []any{int64(3)}, true},
		{`SELECT a FROM t WHERE b = ?`, "", nil, false},
		{`SELECT 1; SELECT 2`, "", nil, false},
		{`CREATE TABLE t (a INTEGER DEFAULT 1)`, "", nil, false},
		{`SELECT a FROM t -- 1`, "", nil, false},
		{`SELECT 'unterminated`, "", nil, false},
		{`SELECT ':x', '$y', '?' FROM t`, `SELECT ?, ?, ? FROM t`, []any{":x", "$y", "?"}, true},
		{`SELECT 99999999999999999999`, `SELECT 99999999999999999999`, nil, true},
	}
	for _, c := range cases {
		out, params, ok := Parameterize(c.in)
		if ok != c.ok || out != c.out {
			t.Errorf("%s:\n got %v %q\nwant %v %q", c.in, ok, out, c.ok, c.out)
			continue
		}
		var vals []any
		for i, p := range params {
			if p.Ordinal != i+1 {
				t.Errorf("%s: ordinal %d at %d", c.in, p.Ordinal, i)
			}
			vals = append(vals, p.Value)
		}
		if !reflect.DeepEqual(vals, c.params) {
			t.Errorf("%s: params %#v, want %#v", c.in, vals, c.params)
		}
	}
	_ = driver.NamedValue{}
}

// The cached statements answer like fresh ones: nested use of one text while its rows are
// open, more texts than the cache holds, values with quotes, and a transaction.
func TestStatementCache(t *testing.T) {
	bdb, err := Open("sqlite://" + t.TempDir() + "/c.db")
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	ctx := t.Context()
	if _, err := bdb.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3*stmtCacheSize; i++ {
		if _, err := bdb.NewRaw("INSERT INTO t (id, name, n) VALUES (?, ?, ?)", i, "it's "+strconv.Itoa(i), i%7).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for round := 0; round < 2; round++ {
		for i := 1; i <= 3*stmtCacheSize; i++ {
			var name string
			// a text of its own per i (more texts than the cache holds)
			if err := bdb.NewSelect().TableExpr("t").Column("name").Where("id = ? AND n = "+strconv.Itoa(i%7), i).Scan(ctx, &name); err != nil {
				t.Fatal(i, err)
			}
			if name != "it's "+strconv.Itoa(i) {
				t.Fatalf("%d: %q", i, name)
			}
		}
	}
	err = bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id FROM t WHERE n = 3 ORDER BY id")
		if err != nil {
			return err
		}
		defer rows.Close()
		seen := 0
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			// the same text again while the first rows are open
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM t WHERE n = 3").Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				t.Errorf("count 0")
			}
			seen++
		}
		if seen == 0 {
			t.Errorf("no rows")
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
