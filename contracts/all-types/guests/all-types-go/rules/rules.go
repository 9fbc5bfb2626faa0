package rules

// Every function of the WIT interfaces scalars, compound, variants and nested
// that is not an identity, by the rule of its doc comment.  (The echo-*
// identities are in the export packages: they hand the bindings' values
// back untouched, so that a lifting or lowering bug shows apart from any
// conversion to these types.)
//
// Go's integer arithmetic wraps at the type's width (the Go spec defines
// signed overflow too), and float32 arithmetic is done in float32, so the
// contract's global rules hold with the plain operators.  Arguments are
// never modified: every list in a result is a new one.

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// ---- scalars ----

// Negate is scalars.negate: not b.
func Negate(b bool) bool {
	return !b
}

// BumpSigned is scalars.bump-signed: each plus one, wrapping.
func BumpSigned(a int8, b int16, c int32, d int64) (int8, int16, int32, int64) {
	return a + 1, b + 1, c + 1, d + 1
}

// BumpUnsigned is scalars.bump-unsigned: each plus one, wrapping.
func BumpUnsigned(a uint8, b uint16, c uint32, d uint64) (uint8, uint16, uint32, uint64) {
	return a + 1, b + 1, c + 1, d + 1
}

// Halve is scalars.halve: each divided by two in its own width.
func Halve(x float32, y float64) (float32, float64) {
	return x / 2, y / 2
}

// NextScalar is the Unicode scalar value after c: the surrogates are skipped
// (U+D7FF is followed by U+E000) and U+10FFFF is followed by U+0000.
func NextScalar(c rune) rune {
	switch c {
	case 0xD7FF:
		return 0xE000
	case utf8.MaxRune:
		return 0
	default:
		return c + 1
	}
}

// NextChar is scalars.next-char: the code point of c, and the next scalar
// value.
func NextChar(c rune) (uint32, rune) {
	return uint32(c), NextScalar(c)
}

// ReverseString is scalars.reverse-string: the scalar values of s in reverse
// order.  Each scalar value's UTF-8 bytes are copied as they are.
func ReverseString(s string) string {
	out := make([]byte, 0, len(s))
	for end := len(s); end > 0; {
		_, size := utf8.DecodeLastRuneInString(s[:end])
		out = append(out, s[end-size:end]...)
		end -= size
	}
	return string(out)
}

// ---- compound ----

// UpperASCII is s with the ASCII letters a-z in upper case and every other
// scalar value unchanged.  (The bytes of a multi-byte UTF-8 sequence are all
// 0x80 or above, so a byte-wise change is safe.)
func UpperASCII(s string) string {
	out := []byte(s)
	for i, b := range out {
		if 'a' <= b && b <= 'z' {
			out[i] = b - ('a' - 'A')
		}
	}
	return string(out)
}

// reversed is a new slice with the elements of l in reverse order.
func reversed[T any](l []T) []T {
	out := make([]T, len(l))
	for i, v := range l {
		out[len(l)-1-i] = v
	}
	return out
}

// mapped is a new slice of f of each element of l.
func mapped[T, U any](l []T, f func(T) U) []U {
	out := make([]U, len(l))
	for i, v := range l {
		out[i] = f(v)
	}
	return out
}

// ReverseBytes is compound.reverse-bytes.
func ReverseBytes(l []uint8) []uint8 {
	return reversed(l)
}

// NegateAll is compound.negate-all: each negated, wrapping.
func NegateAll(l []int32) []int32 {
	return mapped(l, func(n int32) int32 { return -n })
}

// BumpLists is compound.bump-lists: each integer plus one, wrapping; each
// float divided by two.
func BumpLists(a []int8, b []uint16, c []int64, d []uint64, e []float32, f []float64) ([]int8, []uint16, []int64, []uint64, []float32, []float64) {
	return mapped(a, func(n int8) int8 { return n + 1 }),
		mapped(b, func(n uint16) uint16 { return n + 1 }),
		mapped(c, func(n int64) int64 { return n + 1 }),
		mapped(d, func(n uint64) uint64 { return n + 1 }),
		mapped(e, func(x float32) float32 { return x / 2 }),
		mapped(f, func(x float64) float64 { return x / 2 })
}

// FlipLists is compound.flip-lists: each bool negated, each char the next
// scalar value, the strings in reverse order.
func FlipLists(a []bool, b []rune, c []string) ([]bool, []rune, []string) {
	return mapped(a, Negate), mapped(b, NextScalar), reversed(c)
}

// Swap is compound.swap: x and y swapped, the label in ASCII upper case.
func Swap(p Point) Point {
	return Point{X: p.Y, Y: p.X, Label: UpperASCII(p.Label)}
}

// SumPoints is compound.sum-points: how many points, and the sum of their x
// as s64 (which no list of s32 can overflow).
func SumPoints(ps []Point) (uint32, int64) {
	var sum int64
	for _, p := range ps {
		sum += int64(p.X)
	}
	return uint32(len(ps)), sum
}

// ReversePoints is compound.reverse-points: the points in reverse order,
// each swapped.
func ReversePoints(ps []Point) []Point {
	return mapped(reversed(ps), Swap)
}

// NegateFloat64 flips the sign bit of x, also of a NaN and of a zero (IEEE
// 754 negation, which is not 0 - x).
func NegateFloat64(x float64) float64 {
	return math.Float64frombits(math.Float64bits(x) ^ (1 << 63))
}

// FlipSegment is compound.flip-segment.
func FlipSegment(s Segment) Segment {
	out := Segment{Start: s.End, End: s.Start, Tags: reversed(s.Tags)}
	if s.Weight.IsSome {
		out.Weight = Some(NegateFloat64(s.Weight.Value))
	}
	if s.Note.IsSome {
		out.Note = Some(s.Note.Value + "!")
	}
	return out
}

// BumpSingle is compound.bump-single: value plus one, wrapping.
func BumpSingle(s Single) Single {
	return Single{Value: s.Value + 1}
}

// Rotate is compound.rotate: (a, b, c) becomes (c, a, b).
func Rotate(a uint8, b string, c rune) (rune, uint8, string) {
	return c, a, b
}

// Table is compound.table: the rows in reverse order, each row's list (if
// any) reversed too.
func Table(rows []Row) []Row {
	return mapped(reversed(rows), func(r Row) Row {
		if r.Values.IsSome {
			r.Values = Some(reversed(r.Values.Value))
		}
		return r
	})
}

// ---- variants ----

// Mirror is variants.mirror.
func Mirror(s Shape) Shape {
	switch s.Tag {
	case ShapeCircle:
		return Shape{Tag: ShapeCircle, Circle: NegateFloat64(s.Circle)}
	case ShapeRect:
		return Shape{Tag: ShapeRect, Rect: Swap(s.Rect)}
	case ShapeNamed:
		return Shape{Tag: ShapeNamed, Named: ReverseString(s.Named)}
	default:
		return Shape{Tag: ShapeEmpty}
	}
}

// NextColor is variants.next-color: red → green → blue → red.
func NextColor(c uint8) uint8 {
	return (c + 1) % 3
}

// NextBig is variants.next-big: cN becomes c(N+1), and c299 becomes c0.
func NextBig(b uint16) uint16 {
	return (b + 1) % BigCases
}

// Invert is variants.invert: every flag of perms flipped.
func Invert(p uint16) uint16 {
	return ^p & PermsAll
}

// Complement is variants.complement: every flag of each flipped, and only
// the type's own members.
func Complement(a, b uint8, c, d uint16, e, f uint32) (uint8, uint8, uint16, uint16, uint32, uint32) {
	return ^a & Flags1All, ^b & Flags8All, ^c & PermsAll, ^d & Flags16All, ^e & Flags17All, ^f & Flags32All
}

// Decimal is n in decimal, with no sign and no leading zeros.
func Decimal(n uint32) string {
	return strconv.FormatUint(uint64(n), 10)
}

// Flip is variants.flip: ok(n) becomes ok(n in decimal), err(s) becomes
// err(length of s in bytes).
func Flip(r Result[uint32, string]) Result[string, uint32] {
	if r.IsErr {
		return Err[string](uint32(len(r.Err)))
	}
	return Ok[string, uint32](Decimal(r.Ok))
}

// Transform is variants.transform: the same case, its payload transformed.
func Transform(p Payload) Payload {
	out := Payload{Tag: p.Tag}
	switch p.Tag {
	case PayloadBoolean:
		out.Boolean = !p.Boolean
	case PayloadInt8:
		out.Int8 = p.Int8 + 1
	case PayloadUint8:
		out.Uint8 = p.Uint8 + 1
	case PayloadInt16:
		out.Int16 = p.Int16 + 1
	case PayloadUint16:
		out.Uint16 = p.Uint16 + 1
	case PayloadInt32:
		out.Int32 = p.Int32 + 1
	case PayloadUint32:
		out.Uint32 = p.Uint32 + 1
	case PayloadInt64:
		out.Int64 = p.Int64 + 1
	case PayloadUint64:
		out.Uint64 = p.Uint64 + 1
	case PayloadFloat32:
		out.Float32 = p.Float32 / 2
	case PayloadFloat64:
		out.Float64 = p.Float64 / 2
	case PayloadLetter:
		out.Letter = NextScalar(p.Letter)
	case PayloadText:
		out.Text = ReverseString(p.Text)
	case PayloadBytes:
		out.Bytes = ReverseBytes(p.Bytes)
	case PayloadPoint:
		out.Point = Swap(p.Point)
	case PayloadColor:
		out.Color = NextColor(p.Color)
	case PayloadPerms:
		out.Perms = Invert(p.Perms)
	case PayloadMaybe:
		if p.Maybe.IsSome {
			out.Maybe = Some(p.Maybe.Value + 1)
		}
	case PayloadOutcome:
		// ok(n) becomes err(n in decimal), err(s) becomes ok(length of s).
		if p.Outcome.IsErr {
			out.Outcome = Ok[uint32, string](uint32(len(p.Outcome.Err)))
		} else {
			out.Outcome = Err[uint32](Decimal(p.Outcome.Ok))
		}
	case PayloadPair:
		out.Pair = Pair{N: p.Pair.N + 1, S: ReverseString(p.Pair.S)}
	case PayloadShape:
		out.Shape = Mirror(p.Shape)
	}
	return out
}

// NextStep is variants.next-step: idle → count(0), count(n) → total(n),
// total(n) → message(n in decimal), message(s) → idle.
func NextStep(s Step) Step {
	switch s.Tag {
	case StepIdle:
		return Step{Tag: StepCount, Count: 0}
	case StepCount:
		return Step{Tag: StepTotal, Total: s.Count}
	case StepTotal:
		return Step{Tag: StepMessage, Message: Decimal(s.Total)}
	default:
		return Step{Tag: StepIdle}
	}
}

// Peel is variants.peel: none stays none, some(none) becomes some(0),
// some(some(n)) becomes some(n + 1), wrapping.
func Peel(o Option[Option[uint32]]) Option[uint32] {
	switch {
	case !o.IsSome:
		return None[uint32]()
	case !o.Value.IsSome:
		return Some[uint32](0)
	default:
		return Some(o.Value.Value + 1)
	}
}

// BumpOptions is variants.bump-options: some(n) becomes some(n + 1),
// wrapping; none stays none.
func BumpOptions(l []Option[uint8]) []Option[uint8] {
	return mapped(l, func(o Option[uint8]) Option[uint8] {
		if o.IsSome {
			return Some(o.Value + 1)
		}
		return o
	})
}

// Deepen is variants.deepen: o becomes some(o).
func Deepen(o Option[Option[string]]) Option[Option[Option[string]]] {
	return Some(o)
}

// Toggle is variants.toggle: ok becomes err("was ok"), err becomes ok.
func Toggle(r Result[Unit, Unit]) Result[Unit, string] {
	if r.IsErr {
		return Ok[Unit, string](Unit{})
	}
	return Err[Unit]("was ok")
}

// SwapOk is variants.swap-ok: ok(n) becomes err(n), err becomes ok.
func SwapOk(r Result[uint64, Unit]) Result[Unit, uint64] {
	if r.IsErr {
		return Ok[Unit, uint64](Unit{})
	}
	return Err[Unit](r.Ok)
}

// SwapErr is variants.swap-err: err(s) becomes ok(s), ok becomes err.
func SwapErr(r Result[Unit, string]) Result[string, Unit] {
	if r.IsErr {
		return Ok[string, Unit](r.Err)
	}
	return Err[string](Unit{})
}

// ParseU8 is variants.parse-u8: ok(n) when s is a decimal number from 0 to
// 255 (ASCII digits only, at least one, no sign, leading zeros allowed),
// else err.
func ParseU8(s string) Result[uint8, Unit] {
	if s == "" {
		return Err[uint8](Unit{})
	}
	n := 0
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < '0' || b > '9' {
			return Err[uint8](Unit{})
		}
		n = n*10 + int(b-'0')
		if n > math.MaxUint8 {
			return Err[uint8](Unit{})
		}
	}
	return Ok[uint8, Unit](uint8(n))
}

// ---- nested ----

// Nest is nested.nest: the outer list in reverse order; in each element none
// stays none, some(ok(l)) becomes some(ok(l')) with l' the letters in
// reverse order, each char the next scalar value and each some(m) some(m +
// 1), wrapping; some(err(s)) becomes some(err(mirror(s))).
func Nest(d Deep) Deep {
	return mapped(reversed(d), func(o Option[Result[[]Letter, Shape]]) Option[Result[[]Letter, Shape]] {
		switch {
		case !o.IsSome:
			return o
		case o.Value.IsErr:
			return Some(Err[[]Letter](Mirror(o.Value.Err)))
		default:
			return Some(Ok[[]Letter, Shape](mapped(reversed(o.Value.Ok), func(l Letter) Letter {
				out := Letter{C: NextScalar(l.C)}
				if l.N.IsSome {
					out.N = Some(l.N.Value + 1)
				}
				return out
			})))
		}
	})
}
