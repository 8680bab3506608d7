package load

import (
	"math"
	"math/bits"
	"time"
)

// Histogram records latencies in fixed log-linear buckets, the way HDR histograms do: values
// below 64 ns are exact, and every power of two above is split into 32 buckets, so a
// percentile is off by at most 1/32 (about 3 %) of its value. Recording is a few
// instructions and never allocates; the fixed layout makes merging two histograms a plain sum.
// It is not safe for concurrent use: each worker keeps its own and they are merged at the end.
type Histogram struct {
	counts [histBuckets]uint64
	n      uint64
	sum    time.Duration
	min    time.Duration
	max    time.Duration
}

const (
	subBits     = 5            // 32 buckets per power of two
	subCount    = 1 << subBits // 32
	exactBelow  = 2 * subCount // values under 64 ns get a bucket each
	maxShift    = 42           // 64 << 42 ns is over 78 hours: anything longer is clamped
	histBuckets = exactBelow + maxShift*subCount
)

// bucketOf maps a value (ns) to its bucket.
func bucketOf(v int64) int {
	if v < exactBelow {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - (subBits + 1) // >= 1
	if shift > maxShift {
		return histBuckets - 1
	}
	top := int(v >> shift) // in [32, 64)
	return exactBelow + (shift-1)*subCount + (top - subCount)
}

// bucketRange is the half-open range [lo, hi) of values a bucket holds.
func bucketRange(i int) (lo, hi int64) {
	if i < exactBelow {
		return int64(i), int64(i) + 1
	}
	shift := (i-exactBelow)/subCount + 1
	top := int64((i-exactBelow)%subCount + subCount)
	return top << shift, (top + 1) << shift
}

// Record adds one observation.
func (h *Histogram) Record(d time.Duration) {
	h.counts[bucketOf(int64(d))]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.n++
	h.sum += d
}

// Merge adds o's observations to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.sum += o.sum
}

// Count is the number of observations.
func (h *Histogram) Count() uint64 { return h.n }

// Max is the largest observation (exact).
func (h *Histogram) Max() time.Duration { return h.max }

// Min is the smallest observation (exact).
func (h *Histogram) Min() time.Duration { return h.min }

// Mean is the average observation (exact).
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}

// Quantile returns the value below which a fraction q (0..1) of the observations fall: the
// middle of the bucket holding the observation of rank ceil(q*n), kept within the exact
// minimum and maximum (so Quantile(1) is the maximum).
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank < 1 {
		rank = 1
	}
	if rank >= h.n {
		return h.max
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := bucketRange(i)
			v := time.Duration(lo + (hi-lo)/2)
			return min(max(v, h.min), h.max)
		}
	}
	return h.max
}
