package db

import (
	"context"
	"database/sql/driver"
	"reflect"
	"strconv"
	"strings"

	"modernc.org/sqlite"
)

// SQLite statement cache.
//
// Bun writes every value into the SQL text (it has no server-side placeholders), so no two
// queries for different rows share a text, and modernc's driver parses and plans each one from
// scratch: under the load tool, sqlite3_prepare (the parser and planner) was ~40% of the CPU of
// a "get one task" request, the query's execution ~12%. The connector below gives SQLite back
// its prepared statements: a plain SELECT/INSERT/UPDATE/DELETE without arguments has its
// integer and string literals lifted out into bound parameters (the same values, with the same
// types: an integer literal binds an int64, a string literal its text), and the statement of
// the text that remains is prepared once per connection and kept (a small LRU per connection).
//
// What is left alone, so that the meaning never changes: any statement that already has
// arguments or placeholders, several statements in one text, DDL, PRAGMA and transaction
// control; numbers that are not plain decimal integers (floats, hex, 1e5), blob literals,
// numbers after ORDER BY / GROUP BY (a column position there), and '' (a partial index's
// `<> ''` must match the query's text). An index on an expression that contains a literal
// would no longer match a query whose literal became a parameter: none exists here (a
// migration that adds one should keep that in mind).

const (
	stmtCacheSize = 64    // prepared statements kept per connection
	maxParams     = 30000 // SQLite's default limit is 32766
)

// stmtConnector opens modernc connections wrapped with a statement cache.
type stmtConnector struct {
	dsn string
	drv *sqlite.Driver
}

func (c *stmtConnector) Connect(context.Context) (driver.Conn, error) {
	raw, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{conn: raw, stmts: make(map[string]*cachedStmt)}, nil
}

func (c *stmtConnector) Driver() driver.Driver { return c.drv }

// The interfaces of modernc's conn that database/sql uses.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type cachedStmt struct {
	key        string
	st         driver.Stmt
	busy       bool // its rows are open
	prev, next *cachedStmt
}

// cachingConn is used by one goroutine at a time (database/sql's contract), so it needs no
// lock; a statement still busy with open rows (a query inside a loop over another's rows, in a
// transaction) is never handed out twice: the second use gets a statement of its own.
type cachingConn struct {
	conn       driver.Conn
	stmts      map[string]*cachedStmt
	head, tail *cachedStmt // most recently used first
}

func (c *cachingConn) raw() sqliteConn { return c.conn.(sqliteConn) }

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) { return c.conn.Prepare(query) }
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.raw().PrepareContext(ctx, query)
}
func (c *cachingConn) Begin() (driver.Tx, error) { return c.conn.Begin() } //nolint:staticcheck // the interface requires it
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.raw().BeginTx(ctx, opts)
}
func (c *cachingConn) Ping(ctx context.Context) error         { return c.raw().Ping(ctx) }
func (c *cachingConn) ResetSession(ctx context.Context) error { return c.raw().ResetSession(ctx) }
func (c *cachingConn) IsValid() bool                          { return c.raw().IsValid() }

// Close finalizes the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		_ = s.st.Close()
	}
	c.stmts, c.head, c.tail = nil, nil, nil
	return c.conn.Close()
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) == 0 {
		if text, params, ok := Parameterize(query); ok {
			s, own, err := c.stmt(ctx, text)
			if err != nil {
				return nil, err
			}
			defer c.release(s, own)
			return s.st.(driver.StmtExecContext).ExecContext(ctx, params)
		}
	}
	return c.raw().ExecContext(ctx, query, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) == 0 {
		if text, params, ok := Parameterize(query); ok {
			s, own, err := c.stmt(ctx, text)
			if err != nil {
				return nil, err
			}
			rows, err := s.st.(driver.StmtQueryContext).QueryContext(ctx, params)
			if err != nil {
				c.release(s, own)
				return nil, err
			}
			return &releasingRows{Rows: rows, c: c, s: s, own: own}, nil
		}
	}
	return c.raw().QueryContext(ctx, query, args)
}

// stmt returns the prepared statement of text, marked busy; own means it is not in the cache
// (the cached one is busy) and must be closed after use.
func (c *cachingConn) stmt(ctx context.Context, text string) (s *cachedStmt, own bool, err error) {
	if s = c.stmts[text]; s != nil {
		if !s.busy {
			c.toFront(s)
			s.busy = true
			return s, false, nil
		}
		st, err := c.raw().PrepareContext(ctx, text)
		if err != nil {
			return nil, false, err
		}
		return &cachedStmt{st: st, busy: true}, true, nil
	}
	st, err := c.raw().PrepareContext(ctx, text)
	if err != nil {
		return nil, false, err
	}
	s = &cachedStmt{key: text, st: st, busy: true}
	c.stmts[text] = s
	c.toFront(s)
	if len(c.stmts) > stmtCacheSize {
		c.evict()
	}
	return s, false, nil
}

// release gives a statement back after its use (its rows closed).
func (c *cachingConn) release(s *cachedStmt, own bool) {
	if own || c.stmts == nil || c.stmts[s.key] != s {
		_ = s.st.Close() // its own, or evicted while busy, or the connection closed
		return
	}
	s.busy = false
}

// evict drops the least recently used statement that is not busy.
func (c *cachingConn) evict() {
	for s := c.tail; s != nil; s = s.prev {
		if s.busy {
			continue
		}
		c.unlink(s)
		delete(c.stmts, s.key)
		_ = s.st.Close()
		return
	}
}

func (c *cachingConn) unlink(s *cachedStmt) {
	if s.prev != nil {
		s.prev.next = s.next
	} else {
		c.head = s.next
	}
	if s.next != nil {
		s.next.prev = s.prev
	} else {
		c.tail = s.prev
	}
	s.prev, s.next = nil, nil
}

func (c *cachingConn) toFront(s *cachedStmt) {
	if c.head == s {
		return
	}
	if s.prev != nil || s.next != nil || c.tail == s {
		c.unlink(s)
	}
	s.next = c.head
	if c.head != nil {
		c.head.prev = s
	}
	c.head = s
	if c.tail == nil {
		c.tail = s
	}
}

// releasingRows gives the statement back when its rows are closed.
type releasingRows struct {
	driver.Rows
	c      *cachingConn
	s      *cachedStmt
	own    bool
	closed bool
}

func (r *releasingRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.Rows.Close()
	r.c.release(r.s, r.own)
	return err
}

// The optional interfaces of modernc's rows that database/sql asks for.
func (r *releasingRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.Rows.(driver.RowsColumnTypeDatabaseTypeName).ColumnTypeDatabaseTypeName(i)
}

func (r *releasingRows) ColumnTypeLength(i int) (int64, bool) {
	return r.Rows.(driver.RowsColumnTypeLength).ColumnTypeLength(i)
}

func (r *releasingRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	return r.Rows.(driver.RowsColumnTypeNullable).ColumnTypeNullable(i)
}

func (r *releasingRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	return r.Rows.(driver.RowsColumnTypePrecisionScale).ColumnTypePrecisionScale(i)
}

func (r *releasingRows) ColumnTypeScanType(i int) reflect.Type {
	return r.Rows.(driver.RowsColumnTypeScanType).ColumnTypeScanType(i)
}

// Parameterize lifts the literals of one plain DML statement out of its text: it returns the
// text with a ? for each integer or string literal and the values to bind, or ok=false when
// the statement is not one to touch (see the top of this file).
func Parameterize(query string) (text string, params []driver.NamedValue, ok bool) {
	if !isDML(query) {
		return "", nil, false
	}
	var b strings.Builder
	b.Grow(len(query))
	depth, byDepth := 0, -1
	prevWord := "" // the last keyword or identifier, upper-cased, when it was the last token
	prevComma := false
	last := 0 // query[last:i] is still to be copied
	emit := func(i, j int, v any) {
		b.WriteString(query[last:i])
		b.WriteByte('?')
		last = j
		params = append(params, driver.NamedValue{Ordinal: len(params) + 1, Value: v})
	}
	for i := 0; i < len(query); {
		ch := query[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
			i++
			continue
		case ch == '-' && i+1 < len(query) && query[i+1] == '-',
			ch == '/' && i+1 < len(query) && query[i+1] == '*':
			return "", nil, false // comments: leave such text alone
		case ch == '\'':
			j, val, _ := scanString(query, i)
			if j < 0 {
				return "", nil, false
			}
			if j-i > 2 { // not ''
				emit(i, j, val)
			}
			i = j
			prevWord, prevComma = "", false
			continue
		case ch == '"' || ch == '`' || ch == '[':
			closer := ch
			if ch == '[' {
				closer = ']'
			}
			j := strings.IndexByte(query[i+1:], closer)
			if j < 0 {
				return "", nil, false
			}
			i += j + 2
			prevWord, prevComma = "\x00ident", false
			continue
		case ch >= '0' && ch <= '9':
			j := i
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			if j < len(query) && (isWordByte(query[j]) || query[j] == '.') {
				// 1.5, 1e5, 0x1F, 12abc: leave the whole token as it is
				for j < len(query) && (isWordByte(query[j]) || query[j] == '.') {
					j++
				}
			} else if inBy := byDepth == depth && (prevWord == "BY" || prevComma); !inBy {
				if n, err := strconv.ParseInt(query[i:j], 10, 64); err == nil {
					emit(i, j, n)
				}
			}
			i = j
			prevWord, prevComma = "", false
			continue
		case isWordByte(ch):
			j := i
			for j < len(query) && isWordByte(query[j]) {
				j++
			}
			w := query[i:j]
			if len(w) == 1 && (w[0] == 'X' || w[0] == 'x') && j < len(query) && query[j] == '\'' {
				// a blob literal: copy it as it is
				k, _, _ := scanString(query, j)
				if k < 0 {
					return "", nil, false
				}
				j = k
			}
			if isBy(w) {
				w = "BY"
				byDepth = depth
			} else if byDepth == depth && endsBy(w) {
				byDepth = -1
			}
			i = j
			prevWord, prevComma = w, false
			continue
		case ch == '?' || ch == ':' || ch == '@' || ch == '$' || ch == ';':
			return "", nil, false // placeholders, or more than one statement
		case ch == '(':
			depth++
		case ch == ')':
			if byDepth == depth {
				byDepth = -1
			}
			depth--
		}
		prevWord, prevComma = "", ch == ','
		i++
	}
	if len(params) == 0 || len(params) > maxParams {
		// Nothing to lift: the text is the same on every call and caches as it is.
		if len(params) == 0 {
			return query, nil, true
		}
		return "", nil, false
	}
	b.WriteString(query[last:])
	return b.String(), params, true
}

// scanString reads the SQL string literal that starts at i: the index after its closing
// quote, its value, and whether the value is the text between the quotes (no ” inside).
func scanString(q string, i int) (end int, val string, clean bool) {
	clean = true
	for j := i + 1; j < len(q); j++ {
		if q[j] != '\'' {
			continue
		}
		if j+1 < len(q) && q[j+1] == '\'' {
			clean = false
			j++
			continue
		}
		if clean {
			return j + 1, q[i+1 : j], true
		}
		return j + 1, strings.ReplaceAll(q[i+1:j], "''", "'"), false
	}
	return -1, "", false
}

func isBy(w string) bool { return len(w) == 2 && (w[0]|0x20) == 'b' && (w[1]|0x20) == 'y' }

// endsBy reports whether the keyword w ends an ORDER BY or GROUP BY list.
func endsBy(w string) bool {
	if len(w) < 2 || len(w) > 9 {
		return false
	}
	for _, k := range [...]string{"LIMIT", "OFFSET", "HAVING", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "FROM", "WHERE", "SELECT", "RETURNING", "SET", "VALUES", "ON"} {
		if strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// isDML reports whether the statement starts with SELECT, INSERT, UPDATE, DELETE or WITH.
func isDML(q string) bool {
	q = strings.TrimLeft(q, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:4]) {
	case "SELE", "INSE", "UPDA", "DELE", "WITH":
		w := strings.ToUpper(q[:6])
		return w == "SELECT" || w == "INSERT" || w == "UPDATE" || w == "DELETE" || w[:4] == "WITH"
	}
	return false
}
