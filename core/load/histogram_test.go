package load

import (
	"math"
	"testing"
	"time"
)

func TestBucketsCoverTheirValues(t *testing.T) {
	prev := -1
	for v := int64(0); v < 1<<40; v = v*17/16 + 1 {
		i := bucketOf(v)
		lo, hi := bucketRange(i)
		if v < lo || v >= hi {
			t.Fatalf("value %d in bucket %d = [%d, %d)", v, i, lo, hi)
		}
		if i < prev {
			t.Fatalf("bucket of %d is %d, below the previous value's %d", v, i, prev)
		}
		prev = i
		if v >= exactBelow && float64(hi-lo)/float64(lo) > 1.0/subCount+1e-9 {
			t.Fatalf("bucket %d = [%d, %d) is wider than 1/%d of its values", i, lo, hi, subCount)
		}
	}
	if got := bucketOf(math.MaxInt64); got != histBuckets-1 {
		t.Fatalf("huge values land in %d, want the last bucket %d", got, histBuckets-1)
	}
}

func TestQuantilesOfKnownData(t *testing.T) {
	// 1..10000 µs, shuffled order does not matter: the q-quantile is q*10000 µs.
	var h Histogram
	for i := 10000; i >= 1; i-- {
		h.Record(time.Duration(i) * time.Microsecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 5000 * time.Microsecond}, {0.95, 9500 * time.Microsecond}, {0.99, 9900 * time.Microsecond}, {0.001, 10 * time.Microsecond}} {
		got := h.Quantile(c.q)
		if rel := math.Abs(float64(got-c.want)) / float64(c.want); rel > 1.0/subCount {
			t.Errorf("p%v = %v, want %v within 3%% (off by %.1f%%)", c.q*100, got, c.want, rel*100)
		}
	}
	if h.Quantile(1) != 10*time.Millisecond || h.Max() != 10*time.Millisecond {
		t.Errorf("max = %v / %v, want exactly 10ms", h.Quantile(1), h.Max())
	}
	if h.Min() != time.Microsecond || h.Quantile(0) != time.Microsecond {
		t.Errorf("min = %v / p0 = %v, want 1µs", h.Min(), h.Quantile(0))
	}
	if h.Count() != 10000 || h.Mean() != 5000500*time.Nanosecond {
		t.Errorf("count %d mean %v", h.Count(), h.Mean())
	}
}

func TestSmallValuesAreExact(t *testing.T) {
	var h Histogram
	for i := 1; i <= 50; i++ {
		h.Record(time.Duration(i))
	}
	if got := h.Quantile(0.5); got != 25 {
		t.Errorf("p50 of 1..50 ns = %d, want 25", got)
	}
	if got := h.Quantile(0.9); got != 45 {
		t.Errorf("p90 of 1..50 ns = %d, want 45", got)
	}
}

func TestMergeEqualsOneHistogram(t *testing.T) {
	var all, a, b Histogram
	for i := 1; i <= 5000; i++ {
		d := time.Duration(i*i) * time.Nanosecond
		all.Record(d)
		if i%3 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	var merged Histogram
	merged.Merge(&a)
	merged.Merge(&b)
	merged.Merge(&Histogram{}) // an empty one changes nothing
	if merged != all {
		t.Fatalf("merged: n=%d min=%v max=%v p99=%v; one: n=%d min=%v max=%v p99=%v",
			merged.Count(), merged.Min(), merged.Max(), merged.Quantile(0.99), all.Count(), all.Min(), all.Max(), all.Quantile(0.99))
	}
}

func TestEmptyHistogram(t *testing.T) {
	var h Histogram
	if h.Quantile(0.99) != 0 || h.Mean() != 0 || h.Count() != 0 {
		t.Fatal("an empty histogram reports zeros")
	}
}

func BenchmarkRecord(b *testing.B) {
	var h Histogram
	for i := 0; b.Loop(); i++ {
		h.Record(time.Duration(i&0xfffff) * time.Microsecond)
	}
}
