package replay

// Segmented sets how Verify cuts logs into segments for the rest of a
// test: off replays serially; on cuts at every snapshot from minBytes on
// (0: every snapshot, however close). It returns the previous setting's
// restore.
func Segmented(on bool, minBytes int64, perSnapshot int64) (restore func()) {
	off, n, per := segmentsOff, minSegmentBytes, segmentPerSnapshot
	segmentsOff, minSegmentBytes = !on, minBytes
	segmentPerSnapshot = perSnapshot
	return func() {
		segmentsOff, minSegmentBytes = off, n
		segmentPerSnapshot = per
	}
}
