package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/testkit"
)

// note is a tenant table with an alias other than its name; tag a table named as its alias.
type note struct {
	bun.BaseModel `bun:"table:tenant_notes,alias:n"`
	ID            int64  `bun:"id,pk,autoincrement"`
	AccountID     int64  `bun:"account_id"`
	Body          string `bun:"body"`
}

type tag struct {
	bun.BaseModel `bun:"table:tenant_tags"`
	ID            int64  `bun:"id,pk,autoincrement"`
	AccountID     int64  `bun:"account_id"`
	Name          string `bun:"name"`
}

// person has no account.
type person struct {
	bun.BaseModel `bun:"table:tenant_people,alias:pp"`
	ID            int64  `bun:"id,pk,autoincrement"`
	Name          string `bun:"name"`
}

// openEach opens a fresh database of each kind with the test tables.
func openEach(t *testing.T, fn func(t *testing.T, d *bun.DB)) {
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			url := "sqlite://" + filepath.Join(t.TempDir(), "tenant.db")
			if kind == "postgres" {
				url = testkit.PostgresURL(t)
			}
			d, err := db.Open(url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			ctx := context.Background()
			for _, m := range []any{(*note)(nil), (*tag)(nil), (*person)(nil)} {
				if _, err := d.NewCreateTable().Model(m).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}
			fn(t, d)
		})
	}
}

func TestTenantScopesEveryQuery(t *testing.T) {
	openEach(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		a, b := db.For(d, 1), db.For(d, 2)

		// Insert fills the account of rows without one, and refuses another account's.
		n1 := &note{Body: "a1"}
		if _, err := a.Insert(n1).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n1.AccountID != 1 {
			t.Fatalf("inserted account %d", n1.AccountID)
		}
		ns := []note{{Body: "a2"}, {Body: "a3", AccountID: 1}}
		if _, err := a.Insert(&ns).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Insert(&note{Body: "b1"}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Insert(&tag{Name: "a"}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Insert(&note{Body: "x", AccountID: 1}).Exec(ctx); !errors.Is(err, db.ErrOtherAccount) {
			t.Fatalf("insert of another account's row: %v", err)
		}
		if _, err := b.Insert(&[]*note{{Body: "y"}, {Body: "x", AccountID: 1}}).Exec(ctx); !errors.Is(err, db.ErrOtherAccount) {
			t.Fatalf("insert of a slice with another account's row: %v", err)
		}
		if _, err := a.Insert(&person{Name: "p"}).Exec(ctx); err == nil {
			t.Fatal("insert into a table without account_id went through")
		}

		// Select, with the alias of the model and with the table's name as alias.
		count := func(tn db.Tenant) (notes, tags int64) {
			t.Helper()
			var err error
			if notes, err = tn.Select((*note)(nil)).Count(ctx); err != nil {
				t.Fatal(err)
			}
			if tags, err = tn.Select((*tag)(nil)).Count(ctx); err != nil {
				t.Fatal(err)
			}
			return notes, tags
		}
		if n, g := count(a); n != 3 || g != 1 {
			t.Fatalf("account 1 sees %d notes, %d tags; want 3, 1", n, g)
		}
		if n, g := count(b); n != 1 || g != 0 {
			t.Fatalf("account 2 sees %d notes, %d tags; want 1, 0", n, g)
		}
		got := new(note)
		if err := b.Select(got).Where("n.id = ?", n1.ID).Scan(ctx); !db.IsNotFound(err) {
			t.Fatalf("account 2 read account 1's note: %v %+v", err, got)
		}
		if n, err := b.SelectFrom("tenant_notes", "x").Where("x.id = ?", n1.ID).Count(ctx); err != nil || n != 0 {
			t.Fatalf("SelectFrom: %d, %v", n, err)
		}
		if n, err := a.SelectFrom("tenant_notes", "x").Count(ctx); err != nil || n != 3 {
			t.Fatalf("SelectFrom: %d, %v", n, err)
		}
		if err := a.ForUpdate(a.Select(got).Where("n.id = ?", n1.ID)).Scan(ctx); err != nil || got.Body != "a1" {
			t.Fatalf("ForUpdate: %v %+v", err, got)
		}

		// Update and Delete touch nothing of another account.
		res, err := b.Update((*note)(nil)).Set("body = ?", "hacked").Where("id = ?", n1.ID).Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 0 {
			t.Fatalf("account 2 updated %d notes of account 1", n)
		}
		stolen := *n1
		stolen.Body = "hacked"
		if _, err := b.Update(&stolen).WherePK().Exec(ctx); !errors.Is(err, db.ErrOtherAccount) {
			t.Fatalf("update with another account's row: %v", err)
		}
		if res, err = b.Delete((*note)(nil)).Where("id = ?", n1.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 0 {
			t.Fatalf("account 2 deleted %d notes of account 1", n)
		}
		if res, err = b.Delete((*tag)(nil)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 0 {
			t.Fatalf("account 2 deleted %d tags of account 1", n)
		}
		n1.Body = "a1!"
		if _, err := a.Update(n1).Column("body").WherePK().Exec(ctx); err != nil {
			t.Fatal(err)
		}

		// Raw and Exec: the first argument is the account.
		var bodies []string
		if err := b.Raw("SELECT body FROM tenant_notes WHERE account_id = ? ORDER BY id", nil).Scan(ctx, &bodies); err != nil {
			t.Fatal(err)
		}
		if len(bodies) != 1 || bodies[0] != "b1" {
			t.Fatalf("raw select of account 2: %v", bodies)
		}
		if res, err := b.Exec(ctx, "UPDATE tenant_notes SET body = body || ?1 WHERE account_id = ?0", "!"); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("exec of account 2 changed %d rows, want its 1", n)
		}
		if _, err := b.Exec(ctx, "DELETE FROM tenant_notes"); err == nil {
			t.Fatal("Exec of a query without account_id went through")
		}

		// RunInTx hands over a tenant of the transaction, same account.
		err = a.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
			if !tx.InTx() || tx.AccountID != 1 {
				t.Errorf("tx tenant: in tx %v, account %d", tx.InTx(), tx.AccountID)
			}
			_, err := tx.Insert(&tag{Name: "in tx"}).Exec(ctx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if a.InTx() {
			t.Error("the DB's tenant says it is in a transaction")
		}

		if n, g := count(a); n != 3 || g != 2 {
			t.Fatalf("account 1 has %d notes, %d tags after account 2's attempts; want 3, 2", n, g)
		}
		if err := a.Select(got).Where("n.id = ?", n1.ID).Scan(ctx); err != nil || got.Body != "a1!" {
			t.Fatalf("note of account 1: %v %+v", err, got)
		}
	})
}

func TestForRefusesNoAccount(t *testing.T) {
	for _, id := range []int64{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("For(%d) did not panic", id)
				}
			}()
			db.For(&bun.DB{}, id)
		}()
	}
}
