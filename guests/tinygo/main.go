// Command guest is the TinyGo guest of witness: the example:json-tools@1.0.0
// contract, with the formatter of the mainline Go guest (the module
// witness/guests/go/jsonfmt, not a copy), built by TinyGo straight into a
// wasip2 component.
//
// The exports are declared in the generated package
// internal/bindings/example/json-tools/formatter (see guest.toml for how it is
// generated); init fills them in.
package main

import (
	"go.bytecodealliance.org/cm"

	"witness/guests/go/jsonfmt"
	"witness/guests/tinygo/internal/bindings/example/json-tools/formatter"
)

func init() {
	formatter.Exports.Format = format
	formatter.Exports.Minify = minify
}

// format implements formatter.format.
func format(input string, options cm.Option[formatter.FormatOptions]) cm.Result[string, string, string] {
	var opts *jsonfmt.Options
	if some := options.Some(); some != nil {
		opts = &jsonfmt.Options{Indent: some.Indent, SortKeys: some.SortKeys}
	}
	return result(jsonfmt.Format(input, opts))
}

// minify implements formatter.minify.
func minify(input string) cm.Result[string, string, string] {
	return result(jsonfmt.Minify(input))
}

// result turns a jsonfmt result into the WIT result<string, string>; the
// error's message is already in the contract's form.
func result(output string, err error) cm.Result[string, string, string] {
	if err != nil {
		return cm.Err[cm.Result[string, string, string]](err.Error())
	}
	return cm.OK[cm.Result[string, string, string]](output)
}

// main is never called: TinyGo's wasip2 target builds a reactor
// (c-shared), whose exports the host calls after the runtime's initialiser.
func main() {}
