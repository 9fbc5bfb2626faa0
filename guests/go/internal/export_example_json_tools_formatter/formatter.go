// Package export_example_json_tools_formatter implements the exports of the
// interface example:json-tools/formatter@1.0.0 for the generated bindings in
// internal/bindings/wit_exports, which call it by this package name.
//
// It wraps the plain Go formatter in jsonfmt, and it keeps the garbage
// collector inside the bodies of the exports (see gc.go).
package export_example_json_tools_formatter

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"

	"witness/guests/go/internal/bindings/example_json_tools_formatter"
	"witness/guests/go/jsonfmt"
)

// Format implements formatter.format.
func Format(input string, options witTypes.Option[example_json_tools_formatter.FormatOptions]) witTypes.Result[string, string] {
	var opts *jsonfmt.Options
	if options.IsSome() {
		some := options.Some()
		opts = &jsonfmt.Options{Indent: some.Indent, SortKeys: some.SortKeys}
	}
	output, err := jsonfmt.Format(input, opts)
	return result(input, output, err)
}

// Minify implements formatter.minify.
func Minify(input string) witTypes.Result[string, string] {
	output, err := jsonfmt.Minify(input)
	return result(input, output, err)
}

// result turns a jsonfmt result into the WIT result<string, string> (the
// error's message is already in the contract's form), after collecting
// garbage if it is due.
func result(input, output string, err error) witTypes.Result[string, string] {
	if err != nil {
		message := err.Error()
		collectIfDue(input, message)
		return witTypes.Err[string, string](message)
	}
	collectIfDue(input, output)
	return witTypes.Ok[string, string](output)
}
