package prefetch

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// Prefetching is a hint: it must accept any address — nil, unmapped, the
// end of a buffer — without faulting and without changing memory.
func TestPrefetchNeverFaultsOrWrites(t *testing.T) {
	buf := make([]byte, 1000)
	for i := range buf {
		buf[i] = byte(i)
	}
	Each([]unsafe.Pointer{nil, unsafe.Pointer(&buf[0]), unsafe.Pointer(&buf[999])})
	Each(nil)
	Range(unsafe.Pointer(&buf[0]), uintptr(len(buf)))
	Range(nil, 4096)
	Range(unsafe.Pointer(&buf[3]), 0)
	for i := range buf {
		assert.Equal(t, byte(i), buf[i])
	}
}

func BenchmarkEach(b *testing.B) {
	buf := make([]int64, 1<<20)
	ps := make([]unsafe.Pointer, 64)
	for i := range ps {
		ps[i] = unsafe.Pointer(&buf[(i*7919)%len(buf)])
	}
	b.ReportAllocs()
	for b.Loop() {
		Each(ps)
	}
}
