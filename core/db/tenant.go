package db

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// Tenant is a handle on the database for one account: every query it builds is scoped to
// that account by construction, so that a module's store cannot forget the account (DESIGN
// §4, §5: every tenant table has account_id, every store query filters by it).
//
//   - Select, Update and Delete take a model whose table has an account_id column and add
//     "WHERE <alias>.account_id = ?" (the model's alias, as bun renders ?TableAlias);
//     SelectFrom does the same for a table named without a model.
//   - Insert sets the account_id of the rows it is given when it is zero and refuses (the
//     query fails with ErrOtherAccount) a row of another account.
//   - Raw and Exec pass the account id as the first argument of the query, whose text must
//     name account_id: the first ? is the account.
//   - RunInTx hands the callback a Tenant of the transaction, for the same account.
//
// Unscoped is the one way out, for tables without an account (users) and the few queries
// that must cross accounts; a grep for it finds them all.
//
// The scope of who sees what inside an account (project membership, visibility) stays the
// module's; Tenant only guarantees the account.
type Tenant struct {
	idb       bun.IDB
	AccountID int64
}

// ErrOtherAccount is the error of a query that would write a row of another account.
var ErrOtherAccount = fmt.Errorf("db: row of another account")

// For returns the Tenant of an account on idb (a *bun.DB or a bun.Tx). An account id of 0 or
// less is a programming error: For panics rather than build queries that match nothing or,
// worse, everything.
func For(idb bun.IDB, accountID int64) Tenant {
	if accountID <= 0 {
		panic(fmt.Sprintf("db.For: account id %d", accountID))
	}
	if idb == nil {
		panic("db.For: nil database")
	}
	return Tenant{idb: idb, AccountID: accountID}
}

// Unscoped is the database under the tenant, for queries of tables that have no account.
func (t Tenant) Unscoped() bun.IDB { return t.idb }

// Dialect is the dialect of the database.
func (t Tenant) Dialect() schema.Dialect { return t.idb.Dialect() }

// IsPostgres reports whether the tenant's database is PostgreSQL.
func (t Tenant) IsPostgres() bool { return IsPostgres(t.idb) }

// Select selects from the table of model (see bun's SelectQuery.Model), rows of the account.
func (t Tenant) Select(model any) *bun.SelectQuery {
	return t.idb.NewSelect().Model(model).Where("?TableAlias.account_id = ?", t.AccountID)
}

// SelectFrom selects from table AS alias, rows of the account (for selects that name no
// model: counts, sums, subqueries). alias is also the name the query's columns use.
func (t Tenant) SelectFrom(table, alias string) *bun.SelectQuery {
	return t.idb.NewSelect().TableExpr("? AS ?", bun.Ident(table), bun.Ident(alias)).
		Where("?.account_id = ?", bun.Ident(alias), t.AccountID)
}

// ForUpdate locks the rows q selects until the end of the transaction on PostgreSQL. On
// SQLite a transaction holds the database's write lock from BEGIN (_txlock=immediate), which
// serializes writers already, and there is no FOR UPDATE.
func (t Tenant) ForUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if t.IsPostgres() {
		return q.For("UPDATE")
	}
	return q
}

// Update updates rows of the table of model, of the account only.
func (t Tenant) Update(model any) *bun.UpdateQuery {
	q := t.idb.NewUpdate().Model(model).Where("?TableAlias.account_id = ?", t.AccountID)
	if err := t.check(model, false); err != nil {
		q = q.Err(err)
	}
	return q
}

// Delete deletes rows of the table of model, of the account only.
func (t Tenant) Delete(model any) *bun.DeleteQuery {
	return t.idb.NewDelete().Model(model).Where("?TableAlias.account_id = ?", t.AccountID)
}

// Insert inserts model (a struct or a slice of structs, pointers to them, or a map — which
// is not checked and must carry account_id itself): a row whose account_id is zero gets the
// account's, and a row of another account makes the query fail with ErrOtherAccount.
func (t Tenant) Insert(model any) *bun.InsertQuery {
	q := t.idb.NewInsert().Model(model)
	if err := t.check(model, true); err != nil {
		q = q.Err(err)
	}
	return q
}

// Raw is a raw query whose first argument is the account id; query must name account_id.
// The account is ?0 (bun's positional placeholders) wherever it stands, the other arguments
// ?1, ?2 ... — or plain ? in order, when the account's comes first.
func (t Tenant) Raw(query string, args ...any) *bun.RawQuery {
	q := t.idb.NewRaw(query, append([]any{t.AccountID}, args...)...)
	if !strings.Contains(query, "account_id") {
		q = q.Err(fmt.Errorf("db.Tenant.Raw: the query names no account_id: %.80s", query))
	}
	return q
}

// Exec runs a statement whose first argument is the account id; query must name account_id.
func (t Tenant) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Raw(query, args...).Exec(ctx)
}

// RunInTx runs fn in a transaction (a savepoint inside one already begun), with the Tenant of
// the transaction.
func (t Tenant) RunInTx(ctx context.Context, opts *sql.TxOptions, fn func(ctx context.Context, tx Tenant) error) error {
	return t.idb.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, Tenant{idb: tx, AccountID: t.AccountID})
	})
}

// InTx reports whether the tenant's queries run in a transaction.
func (t Tenant) InTx() bool {
	switch t.idb.(type) {
	case bun.Tx, *bun.Tx:
		return true
	}
	return false
}

// AccountSetter is a model that sets its own account (faster than the reflection of
// Insert, and the way for models whose account column is not account_id).
type AccountSetter interface {
	SetAccountID(int64)
}

// check walks the rows of model: with fill, a zero account_id becomes the tenant's; any other
// account is ErrOtherAccount. A model of a table without account_id is refused.
func (t Tenant) check(model any, fill bool) error {
	v := reflect.ValueOf(model)
	if !v.IsValid() || v.Kind() == reflect.Map {
		return nil
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil // (*Model)(nil): a model for its table only
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		return t.checkRow(v, fill)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			for e.Kind() == reflect.Pointer {
				if e.IsNil() {
					return fmt.Errorf("db: nil row %d", i)
				}
				e = e.Elem()
			}
			if err := t.checkRow(e, fill); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t Tenant) checkRow(v reflect.Value, fill bool) error {
	if fill && v.CanAddr() {
		if s, ok := v.Addr().Interface().(AccountSetter); ok {
			s.SetAccountID(t.AccountID)
			return nil
		}
	}
	table := t.idb.Dialect().Tables().Get(v.Type())
	f, ok := table.FieldMap["account_id"]
	if !ok {
		return fmt.Errorf("db: table %s has no account_id", table.Name)
	}
	fv := f.Value(v)
	if !fv.CanInt() {
		return fmt.Errorf("db: %s.account_id is not an integer", table.Name)
	}
	switch id := fv.Int(); {
	case id == t.AccountID:
		return nil
	case id == 0 && fill && fv.CanSet():
		fv.SetInt(t.AccountID)
		return nil
	case id == 0:
		return fmt.Errorf("db: a row of %s without its account", table.Name)
	default:
		return ErrOtherAccount
	}
}
