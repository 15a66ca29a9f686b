package report

// Downsampling. Every series of a report advances one value per tick on a
// shared grid of buckets; when the grid holds more than maxBuckets buckets,
// neighbouring buckets merge and the bucket width doubles, so memory stays
// bounded however long the log, and the width is known only at the end.

// bucket is the extremes of one series over one bucket of ticks.
type bucket struct {
	lo, hi   float64
	loT, hiT uint64 // the ticks they occurred at (first occurrence)
}

// merge returns a and b (b's ticks after a's) as one bucket.
func merge(a, b bucket) bucket {
	out := a
	if b.lo < a.lo {
		out.lo, out.loT = b.lo, b.loT
	}
	if b.hi > a.hi {
		out.hi, out.hiT = b.hi, b.hiT
	}
	return out
}

// series is one line of a chart.
type series struct {
	label string
	div   float64 // the points are the values divided by this (0: 1): minor to major units
	cur   float64 // this tick's value (0 unless set)
	last  float64 // the value at the last committed tick
	b     []bucket
}

// grid is the shared bucket layout of all series.
type grid struct {
	maxBuckets int
	width      uint64      // ticks per bucket
	span       [][2]uint64 // first and last tick of each bucket
	inCur      uint64      // ticks in the last bucket
	all        []*series
}

func newGrid(maxPoints int) *grid {
	return &grid{maxBuckets: max(2, maxPoints/2), width: 1}
}

// series returns a new series; if ticks have passed, its past is zero.
func (g *grid) series(label string) *series {
	s := &series{label: label, b: make([]bucket, len(g.span))}
	for i, sp := range g.span {
		s.b[i] = bucket{loT: sp[0], hiT: sp[0]}
	}
	g.all = append(g.all, s)
	return s
}

// commit ends tick t: every series' current value goes into the grid and
// is reset to 0.
func (g *grid) commit(t uint64) {
	if len(g.span) == 0 || g.inCur == g.width {
		if len(g.span) == g.maxBuckets {
			g.halve()
		}
	}
	if len(g.span) == 0 || g.inCur == g.width {
		g.span = append(g.span, [2]uint64{t, t})
		g.inCur = 0
		for _, s := range g.all {
			s.b = append(s.b, bucket{lo: s.cur, hi: s.cur, loT: t, hiT: t})
			s.last, s.cur = s.cur, 0
		}
		g.inCur++
		return
	}
	g.span[len(g.span)-1][1] = t
	g.inCur++
	for _, s := range g.all {
		last := &s.b[len(s.b)-1]
		*last = merge(*last, bucket{lo: s.cur, hi: s.cur, loT: t, hiT: t})
		s.last, s.cur = s.cur, 0
	}
}

// halve merges neighbouring buckets: the width doubles.
func (g *grid) halve() {
	n := len(g.span)
	for i := 0; i < n/2; i++ {
		g.span[i] = [2]uint64{g.span[2*i][0], g.span[2*i+1][1]}
	}
	odd := n%2 == 1
	if odd {
		g.span[n/2] = g.span[n-1]
	}
	m := n/2 + n%2
	g.span = g.span[:m]
	for _, s := range g.all {
		for i := 0; i < n/2; i++ {
			s.b[i] = merge(s.b[2*i], s.b[2*i+1])
		}
		if odd {
			s.b[n/2] = s.b[n-1]
		}
		s.b = s.b[:m]
	}
	g.width *= 2
	// The last bucket is full (a merged pair) unless it was the odd one
	// out, which holds what the old last bucket held.
	if odd {
		g.inCur = g.width / 2
	} else {
		g.inCur = g.width
	}
}

// points returns the chart's x values and each series' y values: one
// point per tick when buckets are one tick wide, else two per bucket (at
// its first and last tick: its extremes in the order they occurred), and
// then the last tick's own value once more, so that the line ends on it.
func (g *grid) points(ss []*series) ([]uint64, [][]float64) {
	ys := make([][]float64, len(ss))
	defer func() {
		for j, s := range ss {
			if s.div > 1 {
				for i := range ys[j] {
					ys[j][i] /= s.div
				}
			}
		}
	}()
	if g.width == 1 {
		x := make([]uint64, len(g.span))
		for i, sp := range g.span {
			x[i] = sp[0]
		}
		for j, s := range ss {
			ys[j] = make([]float64, len(s.b))
			for i, b := range s.b {
				ys[j][i] = b.lo
			}
		}
		return x, ys
	}
	x := make([]uint64, 0, 2*len(g.span)+1)
	for _, sp := range g.span {
		x = append(x, sp[0], sp[1])
	}
	x = append(x, g.span[len(g.span)-1][1])
	for j, s := range ss {
		y := make([]float64, 0, 2*len(s.b)+1)
		for _, b := range s.b {
			if b.hiT < b.loT {
				y = append(y, b.hi, b.lo)
			} else {
				y = append(y, b.lo, b.hi)
			}
		}
		ys[j] = append(y, s.last)
	}
	return x, ys
}
