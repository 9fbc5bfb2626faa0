// Command patchbindings works around a bug of the Go backend of wit-bindgen
// 0.62.0 (still in its main branch at 084407c6): the bindings it generates
// for this contract do not compile.
//
// When an export lifts a variant from its flattened core parameters, a
// payload's i32 that shares its slot with another case's string or list
// length has the Go type uint32 (the length's), and the generator converts it
// back with its Bitcast::LToI32, which it writes as `uint32(x)`, not
// `int32(x)` (crates/go/src/lib.rs, fn cast).  An s32 there (S32FromI32 adds
// no conversion) is then a uint32 given to an int32 field:
//
//	cannot use uint32(arg2) (value of type uint32) as int32 value in struct literal
//
// Here that is the y of `point` in shape.rect, whose slot holds the length of
// shape.named's string: in mirror's parameters, and in transform's and
// echo-payload's (payload.shape).  The conversion keeps the bits, so int32
// of the same operand is the value the canonical ABI means.
//
// Usage: patchbindings FILE; it rewrites FILE in place, and fails (changing
// nothing) unless it finds every expected site exactly as often as expected,
// so that a different generator shows up here and not as a wrong value.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: patchbindings internal/bindings/wit_exports/wit_exports.go")
		os.Exit(2)
	}
	file := os.Args[1]
	source, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	patched, err := Patch(string(source))
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
		os.Exit(1)
	}
	if err := os.WriteFile(file, []byte(patched), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
