package db

import (
	"context"
	"testing"
	"time"
)

// TestCacheDropsOnWrite: a value is read once while it lasts, and a write to a watched table
// drops it, in or out of a transaction.
func TestCacheDropsOnWrite(t *testing.T) {
	d := openTemp(t)
	ctx := context.Background()
	c := NewCache[int64, int](d, time.Hour, 10, "rows")
	loads := 0
	get := func() int {
		v, err := c.Get(ctx, 1, func(ctx context.Context) (int, error) {
			loads++
			var n int
			err := d.NewRaw("SELECT COUNT(*) FROM rows").Scan(ctx, &n)
			return n, err
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get() != 0 || get() != 0 || loads != 1 {
		t.Fatalf("loads = %d, want 1 for two reads", loads)
	}
	if _, err := d.NewRaw("INSERT INTO rows (n) VALUES (1)").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if n := get(); n != 1 || loads != 2 {
		t.Fatalf("after a write: %d (loads %d), want 1 read afresh", n, loads)
	}
	if _, err := d.NewRaw("SELECT COUNT(*) FROM rows").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if get(); loads != 2 {
		t.Errorf("a read dropped the cache: loads %d", loads)
	}
}
