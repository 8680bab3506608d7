package db

import (
	"context"
	"slices"

	"github.com/uptrace/bun"
)

// AccountTables lists the tables that have an account_id column, ordered so that deleting an
// account's rows table by table in this order never breaks a foreign key: a table comes before
// every table it references. Closing an account sweeps them in this order (modules/privacy);
// a table a future migration adds is swept without anyone listing it.
func AccountTables(ctx context.Context, idb bun.IDB) ([]string, error) {
	var tables []string
	refs := map[string][]string{} // table -> tables it references
	if IsPostgres(idb) {
		if err := idb.NewRaw(`SELECT table_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name = 'account_id' ORDER BY table_name`).Scan(ctx, &tables); err != nil {
			return nil, err
		}
		var fks []struct {
			From string `bun:"from_table"`
			To   string `bun:"to_table"`
		}
		if err := idb.NewRaw(`SELECT DISTINCT tc.table_name AS from_table, ccu.table_name AS to_table
			FROM information_schema.table_constraints AS tc
			JOIN information_schema.constraint_column_usage AS ccu
			  ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`).Scan(ctx, &fks); err != nil {
			return nil, err
		}
		for _, fk := range fks {
			refs[fk.From] = append(refs[fk.From], fk.To)
		}
	} else {
		if err := idb.NewRaw(`SELECT m.name FROM sqlite_master AS m
			WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) AS c WHERE c.name = 'account_id')
			ORDER BY m.name`).Scan(ctx, &tables); err != nil {
			return nil, err
		}
		for _, t := range tables {
			var to []string
			if err := idb.NewRaw(`SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, t).Scan(ctx, &to); err != nil {
				return nil, err
			}
			refs[t] = to
		}
	}
	// Depth-first: a table is listed once every table referencing it is.
	referencedBy := map[string][]string{}
	for from, tos := range refs {
		for _, to := range tos {
			if to != from {
				referencedBy[to] = append(referencedBy[to], from)
			}
		}
	}
	var out []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t string)
	visit = func(t string) {
		if state[t] != 0 {
			return
		}
		state[t] = 1
		children := referencedBy[t]
		slices.Sort(children)
		for _, c := range children {
			visit(c)
		}
		state[t] = 2
		if slices.Contains(tables, t) {
			out = append(out, t)
		}
	}
	for _, t := range tables {
		visit(t)
	}
	return out, nil
}
