// Package collect keeps Go's garbage collector out of cabi_realloc, as the
// json-tools Go guest does (guests/go/internal/export_example_json_tools_formatter/gc.go,
// which explains the problem in full):
//
// The canonical ABI forbids a component to call an import while the host is
// inside its cabi_realloc or a post-return function; wasmtime traps with
// "cannot leave component instance".  The cabi_realloc of
// go.bytecodealliance.org/pkg allocates on the Go heap, and with the default
// settings an allocation can start a GC cycle or finish one through a mark
// assist; GC mark termination reads the wall clock, which the preview1
// adapter serves with the import wasi:clocks/wall-clock.now.
//
// The fix relies only on documented behaviour:
//   - init turns automatic collection off for good: GC percent -1 and no
//     memory limit.  On wasip1 nothing else starts a cycle (no sysmon, so
//     no forced periodic GC).
//   - Every export defers IfDue, which runs runtime.GC, in the export's body
//     where imports are allowed, once the heap has grown by Budget bytes
//     since the last collection.  runtime.GC blocks until the collection is
//     complete, so no cycle is ever in flight when the host calls
//     cabi_realloc or a post-return function.
//
// Unlike the json-tools guest, which estimates each call's garbage from its
// input and output strings, this contract's arguments are structured (lists
// of variants of records...), so IfDue reads the exact count of bytes
// allocated from runtime/metrics (/gc/heap/allocs:bytes), which includes the
// argument buffers that cabi_realloc made.
package collect

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Budget is how many bytes the calls may allocate between two collections,
// the pacer's minimum heap goal at GOGC=100.
const Budget = 4 << 20

// allocs is the cumulative count of bytes allocated on the heap.
const allocs = "/gc/heap/allocs:bytes"

var (
	// sample is read in place, so that IfDue itself allocates nothing.
	sample = []metrics.Sample{{Name: allocs}}
	// lastCollection is the value of sample at the last collection.
	lastCollection uint64
	// Collections counts the collections IfDue ran (for tests).
	Collections int
)

func init() {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(math.MaxInt64)
	lastCollection = allocated()
}

// allocated is the count of bytes allocated on the heap since the start.
func allocated() uint64 {
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// IfDue runs a complete collection when the heap has grown by Budget bytes
// since the last one.  Every export defers it.
func IfDue() {
	if allocated()-lastCollection < Budget {
		return
	}
	runtime.GC()
	Collections++
	lastCollection = allocated()
}
