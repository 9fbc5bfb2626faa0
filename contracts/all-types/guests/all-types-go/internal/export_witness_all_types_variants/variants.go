// Package export_witness_all_types_variants implements the exports of the
// interface witness:all-types/variants@0.1.0 for the generated bindings in
// internal/bindings/wit_exports, which call it by this package name.
//
// Each export converts its arguments to the types of package rules, applies
// the rule there, converts the result back (internal/convert), and defers
// collect.IfDue (see internal/collect).  The echo-* identities hand their
// arguments back untouched.
//
// The bindings represent an enum as its discriminant (color is a uint8, big
// a uint16) and a flags type as a bit set in the smallest unsigned integer
// that holds it (uint8, uint16 or uint32), member i being bit i.
package export_witness_all_types_variants

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"

	"witness/contracts/all-types/guests/go/internal/bindings/witness_all_types_types"
	"witness/contracts/all-types/guests/go/internal/collect"
	"witness/contracts/all-types/guests/go/internal/convert"
	"witness/contracts/all-types/guests/go/rules"
)

type (
	Shape   = witness_all_types_types.Shape
	Payload = witness_all_types_types.Payload
	Step    = witness_all_types_types.Step
	Unit    = witTypes.Unit
)

// Mirror implements variants.mirror.
func Mirror(s Shape) Shape {
	defer collect.IfDue()
	return convert.ShapeOut(rules.Mirror(convert.ShapeIn(s)))
}

// NextColor implements variants.next-color.
func NextColor(c uint8) uint8 {
	defer collect.IfDue()
	return rules.NextColor(c)
}

// NextBig implements variants.next-big.
func NextBig(b uint16) uint16 {
	defer collect.IfDue()
	return rules.NextBig(b)
}

// Transform implements variants.transform.
func Transform(p Payload) Payload {
	defer collect.IfDue()
	return convert.PayloadOut(rules.Transform(convert.PayloadIn(p)))
}

// NextStep implements variants.next-step.
func NextStep(s Step) Step {
	defer collect.IfDue()
	return convert.StepOut(rules.NextStep(convert.StepIn(s)))
}

// Invert implements variants.invert.
func Invert(p uint16) uint16 {
	defer collect.IfDue()
	return rules.Invert(p)
}

// Complement implements variants.complement.
func Complement(a, b uint8, c, d uint16, e, f uint32) (uint8, uint8, uint16, uint16, uint32, uint32) {
	defer collect.IfDue()
	return rules.Complement(a, b, c, d, e, f)
}

// Peel implements variants.peel.
func Peel(o witTypes.Option[witTypes.Option[uint32]]) witTypes.Option[uint32] {
	defer collect.IfDue()
	in := convert.OptionIn(o, func(inner witTypes.Option[uint32]) rules.Option[uint32] {
		return convert.OptionIn(inner, convert.Same[uint32])
	})
	return convert.OptionOut(rules.Peel(in), convert.Same[uint32])
}

// BumpOptions implements variants.bump-options.
func BumpOptions(l []witTypes.Option[uint8]) []witTypes.Option[uint8] {
	defer collect.IfDue()
	in := convert.List(l, func(o witTypes.Option[uint8]) rules.Option[uint8] {
		return convert.OptionIn(o, convert.Same[uint8])
	})
	return convert.List(rules.BumpOptions(in), func(o rules.Option[uint8]) witTypes.Option[uint8] {
		return convert.OptionOut(o, convert.Same[uint8])
	})
}

// Deepen implements variants.deepen.
func Deepen(o witTypes.Option[witTypes.Option[string]]) witTypes.Option[witTypes.Option[witTypes.Option[string]]] {
	defer collect.IfDue()
	optionIn := func(o witTypes.Option[string]) rules.Option[string] {
		return convert.OptionIn(o, convert.Same[string])
	}
	optionOut := func(o rules.Option[string]) witTypes.Option[string] {
		return convert.OptionOut(o, convert.Same[string])
	}
	out := rules.Deepen(convert.OptionIn(o, optionIn))
	return convert.OptionOut(out, func(o rules.Option[rules.Option[string]]) witTypes.Option[witTypes.Option[string]] {
		return convert.OptionOut(o, optionOut)
	})
}

// Flip implements variants.flip.
func Flip(r witTypes.Result[uint32, string]) witTypes.Result[string, uint32] {
	defer collect.IfDue()
	out := rules.Flip(convert.ResultIn(r, convert.Same[uint32], convert.Same[string]))
	return convert.ResultOut(out, convert.Same[string], convert.Same[uint32])
}

// Toggle implements variants.toggle.
func Toggle(r witTypes.Result[Unit, Unit]) witTypes.Result[Unit, string] {
	defer collect.IfDue()
	out := rules.Toggle(convert.ResultIn(r, convert.UnitIn, convert.UnitIn))
	return convert.ResultOut(out, convert.UnitOut, convert.Same[string])
}

// SwapOk implements variants.swap-ok.
func SwapOk(r witTypes.Result[uint64, Unit]) witTypes.Result[Unit, uint64] {
	defer collect.IfDue()
	out := rules.SwapOk(convert.ResultIn(r, convert.Same[uint64], convert.UnitIn))
	return convert.ResultOut(out, convert.UnitOut, convert.Same[uint64])
}

// SwapErr implements variants.swap-err.
func SwapErr(r witTypes.Result[Unit, string]) witTypes.Result[string, Unit] {
	defer collect.IfDue()
	out := rules.SwapErr(convert.ResultIn(r, convert.UnitIn, convert.Same[string]))
	return convert.ResultOut(out, convert.Same[string], convert.UnitOut)
}

// ParseU8 implements variants.parse-u8.
func ParseU8(s string) witTypes.Result[uint8, Unit] {
	defer collect.IfDue()
	return convert.ResultOut(rules.ParseU8(s), convert.Same[uint8], convert.UnitOut)
}

// EchoPayload implements variants.echo-payload, the identity.
func EchoPayload(p Payload) Payload {
	defer collect.IfDue()
	return p
}

// EchoFlags implements variants.echo-flags, the identity.
func EchoFlags(a, b uint8, c, d uint16, e, f uint32) (uint8, uint8, uint16, uint16, uint32, uint32) {
	defer collect.IfDue()
	return a, b, c, d, e, f
}
