// Command guest is the all-types contract's Go guest: every function of
// contracts/all-types/wit built with mainline Go as a WASI preview1 reactor
// module, which the xtask turns into a component.
//
// The exports are in the generated package internal/bindings/wit_exports
// (see guest.toml for how it is generated), which calls the implementation in
// the four internal/export_witness_all_types_* packages; the rules themselves
// are in rules/.
package main

import _ "witness/contracts/all-types/guests/go/internal/bindings/wit_exports"

// main is never called: the module is built with -buildmode=c-shared, so the
// host calls the exports after _initialize.
func main() {}
