package export_example_json_tools_formatter

// This file keeps Go's garbage collector out of cabi_realloc.
//
// The canonical ABI forbids a component to call an import while the host is
// inside its cabi_realloc (or a post-return function): wasmtime traps with
// "cannot leave component instance".
// The cabi_realloc of go.bytecodealliance.org/pkg allocates the argument
// buffers on the Go heap, and with the default settings an allocation can
// start a GC cycle, or finish one through a mark assist.
// GC mark termination reads the wall clock (runtime.time_now, for
// MemStats.LastGC), which the preview1 adapter serves by calling the import
// wasi:clocks/wall-clock.now, so a cycle that ends inside cabi_realloc traps.
// (That cabi_realloc asks the adapter to answer the monotonic clock from a
// cache while it allocates, but nothing does the same for the wall clock.)
//
// The fix relies only on documented behaviour:
//   - init turns automatic collection off for good: GC percent -1 and no
//     memory limit ("a negative percentage effectively disables garbage
//     collection, unless the memory limit is reached").  On wasip1 nothing
//     else starts a cycle: there is no sysmon, so no forced periodic GC.
//   - Each export, at the end of its body (where imports are allowed), runs
//     runtime.GC once the calls since the last collection have handled
//     gcBudget bytes.  runtime.GC blocks until the collection is complete,
//     so no cycle is ever in flight when the host calls cabi_realloc or a
//     post-return function.
// A call's garbage is its input (the buffer cabi_realloc made), its output
// buffer with the copies left behind as it grew, and for sort-keys a scratch
// copy of the members; collectIfDue charges the input twice (its buffer and
// the output buffer's first size) and the output three times, which covers
// those in practice.  The charge only decides when
// to collect, so a wrong guess costs memory, never correctness.  The budget
// plays the part of the pacer's minimum heap goal (4 MB at GOGC=100): the
// guest keeps nothing alive between calls.

import (
	"math"
	"runtime"
	"runtime/debug"
)

// gcBudget is how many bytes the calls may handle between two collections.
const gcBudget = 4 << 20

// handledBytes is what the calls since the last collection have handled.
var handledBytes int

func init() {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(math.MaxInt64)
}

// collectIfDue charges a call that read input and wrote output, and runs a
// complete collection when the budget is spent.  Each export calls it at the
// end of its body.
func collectIfDue(input, output string) {
	handledBytes += 2*len(input) + 3*len(output)
	if handledBytes < gcBudget {
		return
	}
	runtime.GC()
	handledBytes = 0
}
