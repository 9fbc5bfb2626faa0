// Command guest is the Go guest of witness: the example:json-tools@1.0.0
// contract built with mainline Go as a WASI preview1 reactor module, which
// the xtask turns into a component.
//
// The exports are in the generated package internal/bindings/wit_exports
// (see guest.toml for how it is generated), which calls the implementation in
// internal/export_example_json_tools_formatter.
package main

import _ "witness/guests/go/internal/bindings/wit_exports"

// main is never called: the module is built with -buildmode=c-shared, so the
// host calls the exports after _initialize.
func main() {}
