// Package export_witness_all_types_compound implements the exports of the
// interface witness:all-types/compound@0.1.0 for the generated bindings in
// internal/bindings/wit_exports, which call it by this package name.
//
// Each export converts its arguments to the types of package rules, applies
// the rule there, converts the result back (internal/convert), and defers
// collect.IfDue (see internal/collect).
package export_witness_all_types_compound

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
	// Row is an element of table's list.
	Row = witTypes.Tuple2[string, witTypes.Option[[]int16]]
)

// ReverseBytes implements compound.reverse-bytes.
func ReverseBytes(l []uint8) []uint8 {
	defer collect.IfDue()
	return rules.ReverseBytes(l)
}

// NegateAll implements compound.negate-all.
func NegateAll(l []int32) []int32 {
	defer collect.IfDue()
	return rules.NegateAll(l)
}

// BumpLists implements compound.bump-lists.
func BumpLists(a []int8, b []uint16, c []int64, d []uint64, e []float32, f []float64) ([]int8, []uint16, []int64, []uint64, []float32, []float64) {
	defer collect.IfDue()
	return rules.BumpLists(a, b, c, d, e, f)
}

// FlipLists implements compound.flip-lists.
func FlipLists(a []bool, b []rune, c []string) ([]bool, []rune, []string) {
	defer collect.IfDue()
	return rules.FlipLists(a, b, c)
}

// Swap implements compound.swap.
func Swap(p Point) Point {
	defer collect.IfDue()
	return convert.PointOut(rules.Swap(convert.PointIn(p)))
}

// SumPoints implements compound.sum-points.
func SumPoints(ps []Point) (uint32, int64) {
	defer collect.IfDue()
	return rules.SumPoints(convert.List(ps, convert.PointIn))
}

// ReversePoints implements compound.reverse-points.
func ReversePoints(ps []Point) []Point {
	defer collect.IfDue()
	return convert.List(rules.ReversePoints(convert.List(ps, convert.PointIn)), convert.PointOut)
}

// FlipSegment implements compound.flip-segment.
func FlipSegment(s Segment) Segment {
	defer collect.IfDue()
	return convert.SegmentOut(rules.FlipSegment(convert.SegmentIn(s)))
}

// BumpSingle implements compound.bump-single.
func BumpSingle(s Single) Single {
	defer collect.IfDue()
	return Single{Value: rules.BumpSingle(rules.Single{Value: s.Value}).Value}
}

// Rotate implements compound.rotate.
func Rotate(t witTypes.Tuple3[uint8, string, rune]) (rune, uint8, string) {
	defer collect.IfDue()
	return rules.Rotate(t.F0, t.F1, t.F2)
}

// Table implements compound.table.
func Table(rows []Row) []Row {
	defer collect.IfDue()
	in := convert.List(rows, func(r Row) rules.Row {
		return rules.Row{Name: r.F0, Values: convert.OptionIn(r.F1, convert.Same[[]int16])}
	})
	return convert.List(rules.Table(in), func(r rules.Row) Row {
		return Row{F0: r.Name, F1: convert.OptionOut(r.Values, convert.Same[[]int16])}
	})
}
