package collect

import (
	"runtime/debug"
	"testing"
)

// sink keeps the test's allocations on the heap.
var sink []byte

func TestAutomaticCollectionIsOff(t *testing.T) {
	// SetGCPercent returns the previous setting: init's -1.
	if previous := debug.SetGCPercent(-1); previous != -1 {
		t.Errorf("GC percent is %d, want -1", previous)
	}
}

func TestIfDue(t *testing.T) {
	IfDue()
	before := Collections
	// Well below the budget: no collection.
	sink = make([]byte, 1<<10)
	IfDue()
	if Collections != before {
		t.Fatalf("collected after 1 KiB")
	}
	// Past the budget: one collection, and the count starts again.
	for range 2 * Budget / (64 << 10) {
		sink = make([]byte, 64<<10)
	}
	IfDue()
	if Collections != before+1 {
		t.Fatalf("%d collections after %d bytes, want 1", Collections-before, 2*Budget)
	}
	IfDue()
	if Collections != before+1 {
		t.Fatalf("collected again right after a collection")
	}
}
