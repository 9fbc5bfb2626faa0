// Package export_witness_all_types_nested implements the exports of the
// interface witness:all-types/nested@0.1.0 for the generated bindings in
// internal/bindings/wit_exports, which call it by this package name.
//
// nest converts its argument to the types of package rules, applies the rule
// there and converts the result back (internal/convert); the echo-*
// identities hand their arguments back untouched.  Each export defers
// collect.IfDue (see internal/collect).
package export_witness_all_types_nested

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"

	"witness/contracts/all-types/guests/go/internal/bindings/witness_all_types_types"
	"witness/contracts/all-types/guests/go/internal/collect"
	"witness/contracts/all-types/guests/go/internal/convert"
	"witness/contracts/all-types/guests/go/rules"
)

type (
	Point   = witness_all_types_types.Point
	Single  = witness_all_types_types.Single
	Segment = witness_all_types_types.Segment
	Shape   = witness_all_types_types.Shape
	Payload = witness_all_types_types.Payload
	// Letter is `tuple<char, option<s64>>`.
	Letter = witTypes.Tuple2[rune, witTypes.Option[int64]]
	// Element is an element of Deep.
	Element = witTypes.Option[witTypes.Result[[]Letter, Shape]]
	// Deep is `list<option<result<list<tuple<char, option<s64>>>, shape>>>`.
	Deep = []Element
	// Either is echo-compound's `result<tuple<single, string>, list<point>>`.
	Either = witTypes.Result[witTypes.Tuple2[Single, string], []Point]
)

func letterIn(l Letter) rules.Letter {
	return rules.Letter{C: l.F0, N: convert.OptionIn(l.F1, convert.Same[int64])}
}

func letterOut(l rules.Letter) Letter {
	return Letter{F0: l.C, F1: convert.OptionOut(l.N, convert.Same[int64])}
}

func lettersIn(l []Letter) []rules.Letter {
	return convert.List(l, letterIn)
}

func lettersOut(l []rules.Letter) []Letter {
	return convert.List(l, letterOut)
}

// Nest implements nested.nest.
func Nest(d Deep) Deep {
	defer collect.IfDue()
	in := convert.List(d, func(e Element) rules.Option[rules.Result[[]rules.Letter, rules.Shape]] {
		return convert.OptionIn(e, func(r witTypes.Result[[]Letter, Shape]) rules.Result[[]rules.Letter, rules.Shape] {
			return convert.ResultIn(r, lettersIn, convert.ShapeIn)
		})
	})
	return convert.List(rules.Nest(in), func(e rules.Option[rules.Result[[]rules.Letter, rules.Shape]]) Element {
		return convert.OptionOut(e, func(r rules.Result[[]rules.Letter, rules.Shape]) witTypes.Result[[]Letter, Shape] {
			return convert.ResultOut(r, lettersOut, convert.ShapeOut)
		})
	})
}

// EchoDeep implements nested.echo-deep, the identity.
func EchoDeep(d Deep) Deep {
	defer collect.IfDue()
	return d
}

// EchoCompound implements nested.echo-compound, the identity.
func EchoCompound(s Segment, b uint16, f uint32, r Either, p []Payload) (Segment, uint16, uint32, Either, []Payload) {
	defer collect.IfDue()
	return s, b, f, r, p
}
