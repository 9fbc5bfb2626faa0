// Package convert turns the generated bindings' types into the types of
// package rules and back.  The bindings keep the payload of a variant,
// option or result in an unexported field, so every conversion goes through
// the generated accessors (Tag, Some, Ok, Err, and one per variant case)
// and constructors (Make*, Some, None, Ok, Err).
package convert

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"

	"witness/contracts/all-types/guests/go/internal/bindings/witness_all_types_types"
	"witness/contracts/all-types/guests/go/rules"
)

type (
	bPoint   = witness_all_types_types.Point
	bSegment = witness_all_types_types.Segment
	bShape   = witness_all_types_types.Shape
	bPayload = witness_all_types_types.Payload
	bStep    = witness_all_types_types.Step
)

// Same is the identity, for the parts that are the same type on both sides.
func Same[T any](v T) T {
	return v
}

// OptionIn converts an option, f converting its payload.
func OptionIn[T, U any](o witTypes.Option[T], f func(T) U) rules.Option[U] {
	if o.IsSome() {
		return rules.Some(f(o.Some()))
	}
	return rules.None[U]()
}

// OptionOut converts an option back, f converting its payload.
func OptionOut[T, U any](o rules.Option[T], f func(T) U) witTypes.Option[U] {
	if o.IsSome {
		return witTypes.Some(f(o.Value))
	}
	return witTypes.None[U]()
}

// ResultIn converts a result, ok and err converting its payloads.
func ResultIn[T, E, U, F any](r witTypes.Result[T, E], ok func(T) U, err func(E) F) rules.Result[U, F] {
	if r.IsErr() {
		return rules.Err[U](err(r.Err()))
	}
	return rules.Ok[U, F](ok(r.Ok()))
}

// ResultOut converts a result back, ok and err converting its payloads.
func ResultOut[T, E, U, F any](r rules.Result[T, E], ok func(T) U, err func(E) F) witTypes.Result[U, F] {
	if r.IsErr {
		return witTypes.Err[U](err(r.Err))
	}
	return witTypes.Ok[U, F](ok(r.Ok))
}

// UnitIn and UnitOut convert a missing payload.
func UnitIn(witTypes.Unit) rules.Unit  { return rules.Unit{} }
func UnitOut(rules.Unit) witTypes.Unit { return witTypes.Unit{} }

// List converts each element of l with f.
func List[T, U any](l []T, f func(T) U) []U {
	out := make([]U, len(l))
	for i, v := range l {
		out[i] = f(v)
	}
	return out
}

// PointIn converts a point.
func PointIn(p bPoint) rules.Point {
	return rules.Point{X: p.X, Y: p.Y, Label: p.Label}
}

// PointOut converts a point back.
func PointOut(p rules.Point) bPoint {
	return bPoint{X: p.X, Y: p.Y, Label: p.Label}
}

// SegmentIn converts a segment.
func SegmentIn(s bSegment) rules.Segment {
	return rules.Segment{
		Start:  PointIn(s.Start),
		End:    PointIn(s.End),
		Tags:   s.Tags,
		Weight: OptionIn(s.Weight, Same[float64]),
		Note:   OptionIn(s.Note, Same[string]),
	}
}

// SegmentOut converts a segment back.
func SegmentOut(s rules.Segment) bSegment {
	return bSegment{
		Start:  PointOut(s.Start),
		End:    PointOut(s.End),
		Tags:   s.Tags,
		Weight: OptionOut(s.Weight, Same[float64]),
		Note:   OptionOut(s.Note, Same[string]),
	}
}

// ShapeIn converts a shape.
func ShapeIn(s bShape) rules.Shape {
	out := rules.Shape{Tag: s.Tag()}
	switch s.Tag() {
	case witness_all_types_types.ShapeCircle:
		out.Circle = s.Circle()
	case witness_all_types_types.ShapeRect:
		out.Rect = PointIn(s.Rect())
	case witness_all_types_types.ShapeNamed:
		out.Named = s.Named()
	}
	return out
}

// ShapeOut converts a shape back.
func ShapeOut(s rules.Shape) bShape {
	switch s.Tag {
	case rules.ShapeCircle:
		return witness_all_types_types.MakeShapeCircle(s.Circle)
	case rules.ShapeRect:
		return witness_all_types_types.MakeShapeRect(PointOut(s.Rect))
	case rules.ShapeNamed:
		return witness_all_types_types.MakeShapeNamed(s.Named)
	default:
		return witness_all_types_types.MakeShapeEmpty()
	}
}

// PayloadIn converts a payload.
func PayloadIn(p bPayload) rules.Payload {
	out := rules.Payload{Tag: p.Tag()}
	switch p.Tag() {
	case witness_all_types_types.PayloadBoolean:
		out.Boolean = p.Boolean()
	case witness_all_types_types.PayloadInt8:
		out.Int8 = p.Int8()
	case witness_all_types_types.PayloadUint8:
		out.Uint8 = p.Uint8()
	case witness_all_types_types.PayloadInt16:
		out.Int16 = p.Int16()
	case witness_all_types_types.PayloadUint16:
		out.Uint16 = p.Uint16()
	case witness_all_types_types.PayloadInt32:
		out.Int32 = p.Int32()
	case witness_all_types_types.PayloadUint32:
		out.Uint32 = p.Uint32()
	case witness_all_types_types.PayloadInt64:
		out.Int64 = p.Int64()
	case witness_all_types_types.PayloadUint64:
		out.Uint64 = p.Uint64()
	case witness_all_types_types.PayloadFloat32:
		out.Float32 = p.Float32()
	case witness_all_types_types.PayloadFloat64:
		out.Float64 = p.Float64()
	case witness_all_types_types.PayloadLetter:
		out.Letter = p.Letter()
	case witness_all_types_types.PayloadText:
		out.Text = p.Text()
	case witness_all_types_types.PayloadBytes:
		out.Bytes = p.Bytes()
	case witness_all_types_types.PayloadPoint:
		out.Point = PointIn(p.Point())
	case witness_all_types_types.PayloadColor:
		out.Color = p.Color()
	case witness_all_types_types.PayloadPerms:
		out.Perms = p.Perms()
	case witness_all_types_types.PayloadMaybe:
		out.Maybe = OptionIn(p.Maybe(), Same[uint32])
	case witness_all_types_types.PayloadOutcome:
		out.Outcome = ResultIn(p.Outcome(), Same[uint32], Same[string])
	case witness_all_types_types.PayloadPair:
		pair := p.Pair()
		out.Pair = rules.Pair{N: pair.F0, S: pair.F1}
	case witness_all_types_types.PayloadShape:
		out.Shape = ShapeIn(p.Shape())
	}
	return out
}

// PayloadOut converts a payload back.
func PayloadOut(p rules.Payload) bPayload {
	switch p.Tag {
	case rules.PayloadBoolean:
		return witness_all_types_types.MakePayloadBoolean(p.Boolean)
	case rules.PayloadInt8:
		return witness_all_types_types.MakePayloadInt8(p.Int8)
	case rules.PayloadUint8:
		return witness_all_types_types.MakePayloadUint8(p.Uint8)
	case rules.PayloadInt16:
		return witness_all_types_types.MakePayloadInt16(p.Int16)
	case rules.PayloadUint16:
		return witness_all_types_types.MakePayloadUint16(p.Uint16)
	case rules.PayloadInt32:
		return witness_all_types_types.MakePayloadInt32(p.Int32)
	case rules.PayloadUint32:
		return witness_all_types_types.MakePayloadUint32(p.Uint32)
	case rules.PayloadInt64:
		return witness_all_types_types.MakePayloadInt64(p.Int64)
	case rules.PayloadUint64:
		return witness_all_types_types.MakePayloadUint64(p.Uint64)
	case rules.PayloadFloat32:
		return witness_all_types_types.MakePayloadFloat32(p.Float32)
	case rules.PayloadFloat64:
		return witness_all_types_types.MakePayloadFloat64(p.Float64)
	case rules.PayloadLetter:
		return witness_all_types_types.MakePayloadLetter(p.Letter)
	case rules.PayloadText:
		return witness_all_types_types.MakePayloadText(p.Text)
	case rules.PayloadBytes:
		return witness_all_types_types.MakePayloadBytes(p.Bytes)
	case rules.PayloadPoint:
		return witness_all_types_types.MakePayloadPoint(PointOut(p.Point))
	case rules.PayloadColor:
		return witness_all_types_types.MakePayloadColor(p.Color)
	case rules.PayloadPerms:
		return witness_all_types_types.MakePayloadPerms(p.Perms)
	case rules.PayloadMaybe:
		return witness_all_types_types.MakePayloadMaybe(OptionOut(p.Maybe, Same[uint32]))
	case rules.PayloadOutcome:
		return witness_all_types_types.MakePayloadOutcome(ResultOut(p.Outcome, Same[uint32], Same[string]))
	case rules.PayloadPair:
		return witness_all_types_types.MakePayloadPair(witTypes.Tuple2[uint32, string]{F0: p.Pair.N, F1: p.Pair.S})
	case rules.PayloadShape:
		return witness_all_types_types.MakePayloadShape(ShapeOut(p.Shape))
	default:
		return witness_all_types_types.MakePayloadNothing()
	}
}

// StepIn converts a step.
func StepIn(s bStep) rules.Step {
	out := rules.Step{Tag: s.Tag()}
	switch s.Tag() {
	case witness_all_types_types.StepCount:
		out.Count = s.Count()
	case witness_all_types_types.StepTotal:
		out.Total = s.Total()
	case witness_all_types_types.StepMessage:
		out.Message = s.Message()
	}
	return out
}

// StepOut converts a step back.
func StepOut(s rules.Step) bStep {
	switch s.Tag {
	case rules.StepCount:
		return witness_all_types_types.MakeStepCount(s.Count)
	case rules.StepTotal:
		return witness_all_types_types.MakeStepTotal(s.Total)
	case rules.StepMessage:
		return witness_all_types_types.MakeStepMessage(s.Message)
	default:
		return witness_all_types_types.MakeStepIdle()
	}
}
