// Package rules is the all-types contract (contracts/all-types/wit) in plain
// Go: every function's rule, on Go types that mirror the WIT types.
//
// It imports neither the generated bindings nor go.bytecodealliance.org/pkg
// (whose packages use go:wasmimport and so build for wasm only), so that its
// tests run natively.  The export packages under internal/ convert between
// the bindings' types and these.
package rules

// Unit is the missing payload of a result case, as in `result<_, string>`.
type Unit struct{}

// Option is `option<T>`.
type Option[T any] struct {
	IsSome bool
	Value  T
}

// Some is `some(value)`.
func Some[T any](value T) Option[T] {
	return Option[T]{IsSome: true, Value: value}
}

// None is `none`.
func None[T any]() Option[T] {
	return Option[T]{}
}

// Result is `result<T, E>`; a case without a payload has the type Unit.
type Result[T, E any] struct {
	IsErr bool
	Ok    T
	Err   E
}

// Ok is `ok(value)`.
func Ok[T, E any](value T) Result[T, E] {
	return Result[T, E]{Ok: value}
}

// Err is `err(value)`.
func Err[T, E any](value E) Result[T, E] {
	return Result[T, E]{IsErr: true, Err: value}
}

// Point is the record `point`.
type Point struct {
	X, Y  int32
	Label string
}

// Single is the record `single`.
type Single struct {
	Value uint8
}

// Segment is the record `segment`.
type Segment struct {
	Start, End Point
	Tags       []string
	Weight     Option[float64]
	Note       Option[string]
}

// The cases of `shape`, numbered as the WIT orders them.
const (
	ShapeCircle uint8 = iota
	ShapeRect
	ShapeEmpty
	ShapeNamed
)

// Shape is the variant `shape`: Tag is its case, and the field of that case
// holds the payload.
type Shape struct {
	Tag    uint8
	Circle float64
	Rect   Point
	Named  string
}

// The cases of the enum `color`.
const (
	ColorRed uint8 = iota
	ColorGreen
	ColorBlue
)

// BigCases is the number of cases of the enum `big`, c0 to c299.
const BigCases = 300

// Every member of each flags type: flags are bit sets, member i is bit i.
const (
	Flags1All  uint8  = 1<<1 - 1
	Flags8All  uint8  = 1<<8 - 1
	PermsAll   uint16 = 1<<9 - 1
	Flags16All uint16 = 1<<16 - 1
	Flags17All uint32 = 1<<17 - 1
	Flags32All uint32 = 1<<32 - 1
)

// The members of `perms`.
const (
	PermsRead uint16 = 1 << iota
	PermsWrite
	PermsExec
	PermsAdmin
	PermsOwner
	PermsGroup
	PermsOther
	PermsSticky
	PermsSetuid
)

// The cases of `payload`, numbered as the WIT orders them.
const (
	PayloadNothing uint8 = iota
	PayloadBoolean
	PayloadInt8
	PayloadUint8
	PayloadInt16
	PayloadUint16
	PayloadInt32
	PayloadUint32
	PayloadInt64
	PayloadUint64
	PayloadFloat32
	PayloadFloat64
	PayloadLetter
	PayloadText
	PayloadBytes
	PayloadPoint
	PayloadColor
	PayloadPerms
	PayloadMaybe
	PayloadOutcome
	PayloadPair
	PayloadShape
)

// Pair is the payload of `payload.pair`, `tuple<u32, string>`.
type Pair struct {
	N uint32
	S string
}

// Payload is the variant `payload`: Tag is its case, and the field of that
// case holds the payload.
type Payload struct {
	Tag     uint8
	Boolean bool
	Int8    int8
	Uint8   uint8
	Int16   int16
	Uint16  uint16
	Int32   int32
	Uint32  uint32
	Int64   int64
	Uint64  uint64
	Float32 float32
	Float64 float64
	Letter  rune
	Text    string
	Bytes   []uint8
	Point   Point
	Color   uint8
	Perms   uint16
	Maybe   Option[uint32]
	Outcome Result[uint32, string]
	Pair    Pair
	Shape   Shape
}

// The cases of `step`.
const (
	StepIdle uint8 = iota
	StepCount
	StepTotal
	StepMessage
)

// Step is the variant `step`.
type Step struct {
	Tag     uint8
	Count   uint32
	Total   uint32
	Message string
}

// Row is an element of `compound.table`'s list,
// `tuple<string, option<list<s16>>>`.
type Row struct {
	Name   string
	Values Option[[]int16]
}

// Letter is an element of the innermost list of `nested.nest`,
// `tuple<char, option<s64>>`.
type Letter struct {
	C rune
	N Option[int64]
}

// Deep is the argument and result of `nested.nest`,
// `list<option<result<list<tuple<char, option<s64>>>, shape>>>`.
type Deep = []Option[Result[[]Letter, Shape]]
