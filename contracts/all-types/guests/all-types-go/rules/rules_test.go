package rules

import (
	"math"
	"math/rand"
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"
)

// ---- helpers ----

// sameF32 and sameF64 are the contract's float equality: any NaN equals any
// NaN, and otherwise the bits must be equal (so -0 and +0 differ).
func sameF32(a, b float32) bool {
	if a != a && b != b {
		return true
	}
	return math.Float32bits(a) == math.Float32bits(b)
}

func sameF64(a, b float64) bool {
	if a != a && b != b {
		return true
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

var (
	negZero32 = float32(math.Copysign(0, -1))
	negZero64 = math.Copysign(0, -1)
	nan32     = float32(math.NaN())
	inf32     = float32(math.Inf(1))
)

// f32 is the float32 with the given bits (1 is the smallest subnormal).
func f32(bits uint32) float32 { return math.Float32frombits(bits) }

// f64 is the float64 with the given bits.
func f64(bits uint64) float64 { return math.Float64frombits(bits) }

const (
	twoTo53  = uint64(1) << 53
	maxU64   = uint64(math.MaxUint64)
	maxU32   = uint32(math.MaxUint32)
	minInt64 = int64(math.MinInt64)
)

// ---- scalars ----

func TestNegate(t *testing.T) {
	if Negate(true) || !Negate(false) {
		t.Error("negate is not `not`")
	}
}

func TestBumpSigned(t *testing.T) {
	cases := []struct {
		a    int8
		b    int16
		c    int32
		d    int64
		want [4]int64
	}{
		{0, 0, 0, 0, [4]int64{1, 1, 1, 1}},
		{-1, -1, -1, -1, [4]int64{0, 0, 0, 0}},
		{math.MaxInt8, math.MaxInt16, math.MaxInt32, math.MaxInt64, [4]int64{math.MinInt8, math.MinInt16, math.MinInt32, math.MinInt64}},
		{math.MinInt8, math.MinInt16, math.MinInt32, math.MinInt64, [4]int64{math.MinInt8 + 1, math.MinInt16 + 1, math.MinInt32 + 1, math.MinInt64 + 1}},
		{0, 0, 0, 1 << 53, [4]int64{1, 1, 1, 1<<53 + 1}},
	}
	for _, c := range cases {
		a, b, cc, d := BumpSigned(c.a, c.b, c.c, c.d)
		if got := [4]int64{int64(a), int64(b), int64(cc), d}; got != c.want {
			t.Errorf("BumpSigned(%d, %d, %d, %d) = %v, want %v", c.a, c.b, c.c, c.d, got, c.want)
		}
	}
}

func TestBumpUnsigned(t *testing.T) {
	cases := []struct {
		a    uint8
		b    uint16
		c    uint32
		d    uint64
		want [4]uint64
	}{
		{0, 0, 0, 0, [4]uint64{1, 1, 1, 1}},
		{math.MaxUint8, math.MaxUint16, math.MaxUint32, math.MaxUint64, [4]uint64{0, 0, 0, 0}},
		{127, 255, 65535, twoTo53, [4]uint64{128, 256, 65536, twoTo53 + 1}},
		// Above 2^53, where a float64 would round.
		{1, 1, 1, twoTo53 + 1, [4]uint64{2, 2, 2, twoTo53 + 2}},
		{1, 1, 1, maxU64 - 1, [4]uint64{2, 2, 2, maxU64}},
		{1, 1, 1, 1 << 63, [4]uint64{2, 2, 2, 1<<63 + 1}},
	}
	for _, c := range cases {
		a, b, cc, d := BumpUnsigned(c.a, c.b, c.c, c.d)
		if got := [4]uint64{uint64(a), uint64(b), uint64(cc), d}; got != c.want {
			t.Errorf("BumpUnsigned(%d, %d, %d, %d) = %v, want %v", c.a, c.b, c.c, c.d, got, c.want)
		}
	}
}

func TestHalve(t *testing.T) {
	cases := []struct {
		x, wantX float32
		y, wantY float64
	}{
		{1, 0.5, 1, 0.5},
		{3, 1.5, -3, -1.5},
		{0, 0, 0, 0},
		{negZero32, negZero32, negZero64, negZero64},
		{inf32, inf32, math.Inf(-1), math.Inf(-1)},
		{nan32, nan32, math.NaN(), math.NaN()},
		{math.MaxFloat32, math.MaxFloat32 / 2, math.MaxFloat64, math.MaxFloat64 / 2},
		// Rounded to f32, ties to even: half the smallest subnormal is 0
		// (in f64 it would be 7e-46), and 3 ulps halved is 2 ulps, not 1.5.
		{f32(1), 0, f64(1), 0},
		{-f32(1), negZero32, -f64(1), negZero64},
		{f32(3), f32(2), f64(3), f64(2)},
		{f32(5), f32(2), f64(5), f64(2)},
		{f32(7), f32(4), f64(7), f64(4)},
		// Normal numbers halve exactly.
		{f32(0x3f800001), f32(0x3f000001), f64(0x3ff0000000000001), f64(0x3fe0000000000001)},
	}
	for _, c := range cases {
		x, y := Halve(c.x, c.y)
		if !sameF32(x, c.wantX) || !sameF64(y, c.wantY) {
			t.Errorf("Halve(%g [%#x], %g) = (%g [%#x], %g), want (%g [%#x], %g)",
				c.x, math.Float32bits(c.x), c.y, x, math.Float32bits(x), y, c.wantX, math.Float32bits(c.wantX), c.wantY)
		}
	}
}

func TestNextChar(t *testing.T) {
	cases := []struct {
		c    rune
		code uint32
		next rune
	}{
		{0, 0, 1},
		{'a', 97, 'b'},
		{0x7F, 0x7F, 0x80},
		{0xD7FE, 0xD7FE, 0xD7FF},
		{0xD7FF, 0xD7FF, 0xE000}, // the surrogates are skipped
		{0xE000, 0xE000, 0xE001},
		{0xFEFF, 0xFEFF, 0xFF00},
		{0xFFFF, 0xFFFF, 0x10000},
		{0x1F600, 0x1F600, 0x1F601},
		{0x10FFFE, 0x10FFFE, 0x10FFFF},
		{0x10FFFF, 0x10FFFF, 0}, // wraps
	}
	for _, c := range cases {
		code, next := NextChar(c.c)
		if code != c.code || next != c.next {
			t.Errorf("NextChar(%U) = (%#x, %U), want (%#x, %U)", c.c, code, next, c.code, c.next)
		}
		if !utf8.ValidRune(next) {
			t.Errorf("NextChar(%U) gave %U, not a scalar value", c.c, next)
		}
	}
	// Every scalar value is followed by a scalar value, and the successors
	// are all different: next-char is a cycle through all of them.
	seen := make(map[rune]bool)
	for c := rune(0); c <= utf8.MaxRune; c++ {
		if !utf8.ValidRune(c) {
			continue
		}
		next := NextScalar(c)
		if !utf8.ValidRune(next) || seen[next] {
			t.Fatalf("NextScalar(%U) = %U", c, next)
		}
		seen[next] = true
	}
}

func TestReverseString(t *testing.T) {
	cases := []struct{ s, want string }{
		{"", ""},
		{"a", "a"},
		{"abc", "cba"},
		// 1, 2, 3 and 4 UTF-8 bytes
		{"aé€😀", "😀€éa"},
		// an astral char survives (no UTF-16 units)
		{"a😀b", "b😀a"},
		// two surrogate pairs in UTF-16
		{"😀😁", "😁😀"},
		{"e\u0301", "\u0301e"}, // scalar values, not grapheme clusters
		{"\uFEFFa", "a\uFEFF"},
		{"a\uFEFF", "\uFEFFa"},
		{"\x00\U0010FFFF\uE000\uD7FF", "\uD7FF\uE000\U0010FFFF\x00"},
		{"日本語", "語本日"},
	}
	for _, c := range cases {
		if got := ReverseString(c.s); got != c.want {
			t.Errorf("ReverseString(%+q) = %+q, want %+q", c.s, got, c.want)
		}
	}
	// Against reversing the []rune, on random strings over all the ranges.
	random := rand.New(rand.NewSource(1))
	for range 2000 {
		runes := make([]rune, random.Intn(12))
		for i := range runes {
			runes[i] = randomScalar(random)
		}
		s := string(runes)
		got := ReverseString(s)
		slices.Reverse(runes)
		if want := string(runes); got != want {
			t.Fatalf("ReverseString(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

// randomScalar is a scalar value with a UTF-8 length of 1 to 4 bytes.
func randomScalar(random *rand.Rand) rune {
	for {
		var c rune
		switch random.Intn(4) {
		case 0:
			c = rune(random.Intn(0x80))
		case 1:
			c = 0x80 + rune(random.Intn(0x800-0x80))
		case 2:
			c = 0x800 + rune(random.Intn(0x10000-0x800))
		default:
			c = 0x10000 + rune(random.Intn(0x110000-0x10000))
		}
		if utf8.ValidRune(c) {
			return c
		}
	}
}

// ---- compound ----

func TestReverseBytes(t *testing.T) {
	in := []uint8{1, 2, 3, 255}
	if got := ReverseBytes(in); !slices.Equal(got, []uint8{255, 3, 2, 1}) {
		t.Errorf("ReverseBytes = %v", got)
	}
	if !slices.Equal(in, []uint8{1, 2, 3, 255}) {
		t.Errorf("ReverseBytes changed its argument: %v", in)
	}
	if got := ReverseBytes(nil); len(got) != 0 {
		t.Errorf("ReverseBytes(nil) = %v", got)
	}
}

func TestNegateAll(t *testing.T) {
	got := NegateAll([]int32{0, 1, -1, math.MaxInt32, math.MinInt32, math.MinInt32 + 1})
	want := []int32{0, -1, 1, -math.MaxInt32, math.MinInt32, math.MaxInt32}
	if !slices.Equal(got, want) {
		t.Errorf("NegateAll = %v, want %v", got, want)
	}
}

func TestBumpLists(t *testing.T) {
	a, b, c, d, e, f := BumpLists(
		[]int8{math.MaxInt8, -1, 0},
		[]uint16{math.MaxUint16, 0},
		[]int64{math.MaxInt64, -1},
		[]uint64{maxU64, twoTo53 + 1, 0},
		[]float32{1, f32(3), f32(1), negZero32, nan32},
		[]float64{1, negZero64, math.Inf(1), f64(1)},
	)
	if !slices.Equal(a, []int8{math.MinInt8, 0, 1}) {
		t.Errorf("s8 list = %v", a)
	}
	if !slices.Equal(b, []uint16{0, 1}) {
		t.Errorf("u16 list = %v", b)
	}
	if !slices.Equal(c, []int64{math.MinInt64, 0}) {
		t.Errorf("s64 list = %v", c)
	}
	if !slices.Equal(d, []uint64{0, twoTo53 + 2, 1}) {
		t.Errorf("u64 list = %v", d)
	}
	if want := []float32{0.5, f32(2), 0, negZero32, nan32}; !slices.EqualFunc(e, want, sameF32) {
		t.Errorf("f32 list = %v, want %v", e, want)
	}
	if want := []float64{0.5, negZero64, math.Inf(1), 0}; !slices.EqualFunc(f, want, sameF64) {
		t.Errorf("f64 list = %v, want %v", f, want)
	}
	if a, b, c, d, e, f := BumpLists(nil, nil, nil, nil, nil, nil); len(a)+len(b)+len(c)+len(d)+len(e)+len(f) != 0 {
		t.Error("BumpLists of empty lists is not empty")
	}
}

func TestFlipLists(t *testing.T) {
	strings := []string{"a", "bc", "", "😀"}
	a, b, c := FlipLists([]bool{true, false, false}, []rune{'z', 0xD7FF, 0x10FFFF, 0xFFFF}, strings)
	if !slices.Equal(a, []bool{false, true, true}) {
		t.Errorf("bools = %v", a)
	}
	if !slices.Equal(b, []rune{'{', 0xE000, 0, 0x10000}) {
		t.Errorf("chars = %U", b)
	}
	if !slices.Equal(c, []string{"😀", "", "bc", "a"}) {
		t.Errorf("strings = %q", c)
	}
	if !slices.Equal(strings, []string{"a", "bc", "", "😀"}) {
		t.Errorf("FlipLists changed its argument: %q", strings)
	}
}

func TestSwap(t *testing.T) {
	cases := []struct{ p, want Point }{
		{Point{1, -2, "hello"}, Point{-2, 1, "HELLO"}},
		{Point{math.MinInt32, math.MaxInt32, ""}, Point{math.MaxInt32, math.MinInt32, ""}},
		// ASCII a-z only: not é, ß, ǆ, ı, ｆ (fullwidth), nor anything else
		// that strings.ToUpper would change.
		{Point{0, 0, "azAZ09 `{@[ éßǆıｆ ÿ"}, Point{0, 0, "AZAZ09 `{@[ éßǆıｆ ÿ"}},
		{Point{3, 3, "wörld😀x"}, Point{3, 3, "WöRLD😀X"}},
	}
	for _, c := range cases {
		if got := Swap(c.p); got != c.want {
			t.Errorf("Swap(%+v) = %+v, want %+v", c.p, got, c.want)
		}
	}
}

func TestSumPoints(t *testing.T) {
	cases := []struct {
		ps    []Point
		count uint32
		sum   int64
	}{
		{nil, 0, 0},
		{[]Point{{5, 100, "a"}}, 1, 5},
		{[]Point{{math.MaxInt32, 0, ""}, {math.MaxInt32, 0, ""}}, 2, 2 * math.MaxInt32},
		{[]Point{{math.MinInt32, 0, ""}, {math.MinInt32, 0, ""}, {math.MinInt32, 0, ""}}, 3, 3 * math.MinInt32},
		{[]Point{{-1, 7, ""}, {1, 7, ""}}, 2, 0},
	}
	for _, c := range cases {
		if count, sum := SumPoints(c.ps); count != c.count || sum != c.sum {
			t.Errorf("SumPoints(%v) = (%d, %d), want (%d, %d)", c.ps, count, sum, c.count, c.sum)
		}
	}
}

func TestReversePoints(t *testing.T) {
	got := ReversePoints([]Point{{1, 2, "a"}, {3, 4, "b"}, {5, 6, "cé"}})
	want := []Point{{6, 5, "Cé"}, {4, 3, "B"}, {2, 1, "A"}}
	if !slices.Equal(got, want) {
		t.Errorf("ReversePoints = %+v, want %+v", got, want)
	}
	if got := ReversePoints(nil); len(got) != 0 {
		t.Errorf("ReversePoints(nil) = %v", got)
	}
}

func TestFlipSegment(t *testing.T) {
	start, end := Point{1, 2, "start"}, Point{3, 4, "end"}
	s := Segment{Start: start, End: end, Tags: []string{"x", "y", "z"}, Weight: Some(1.5), Note: Some("hi")}
	got := FlipSegment(s)
	// start and end are exchanged unchanged (no swap, no upper case).
	if got.Start != end || got.End != start {
		t.Errorf("ends = %+v, %+v", got.Start, got.End)
	}
	if !slices.Equal(got.Tags, []string{"z", "y", "x"}) || !slices.Equal(s.Tags, []string{"x", "y", "z"}) {
		t.Errorf("tags = %q (argument %q)", got.Tags, s.Tags)
	}
	if !got.Weight.IsSome || got.Weight.Value != -1.5 {
		t.Errorf("weight = %+v", got.Weight)
	}
	if got.Note != Some("hi!") {
		t.Errorf("note = %+v", got.Note)
	}

	none := FlipSegment(Segment{})
	if none.Weight.IsSome || none.Note.IsSome || len(none.Tags) != 0 {
		t.Errorf("FlipSegment of nones = %+v", none)
	}
	if got := FlipSegment(Segment{Note: Some("")}).Note; got != Some("!") {
		t.Errorf("note some(\"\") became %+v", got)
	}

	// IEEE negation: the sign bit flipped, also of zeros, infinities and NaN.
	nanBits := uint64(0x7ff8000000000001)
	for _, w := range []struct{ in, want uint64 }{
		{math.Float64bits(0), math.Float64bits(negZero64)},
		{math.Float64bits(negZero64), 0},
		{math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(-1))},
		{nanBits, nanBits | 1<<63},
		{nanBits | 1<<63, nanBits},
		{1, 1 | 1<<63},
	} {
		weight := FlipSegment(Segment{Weight: Some(f64(w.in))}).Weight
		if !weight.IsSome || math.Float64bits(weight.Value) != w.want {
			t.Errorf("weight %#x became %+v [%#x], want %#x", w.in, weight, math.Float64bits(weight.Value), w.want)
		}
	}
}

func TestBumpSingle(t *testing.T) {
	for in, want := range map[uint8]uint8{0: 1, 254: 255, 255: 0} {
		if got := BumpSingle(Single{in}); got.Value != want {
			t.Errorf("BumpSingle(%d) = %d", in, got.Value)
		}
	}
}

func TestRotate(t *testing.T) {
	c, a, b := Rotate(7, "s😀", 0x10FFFF)
	if c != 0x10FFFF || a != 7 || b != "s😀" {
		t.Errorf("Rotate = (%U, %d, %q)", c, a, b)
	}
}

func TestTable(t *testing.T) {
	rows := []Row{
		{"a", Some([]int16{1, 2, math.MinInt16})},
		{"b", None[[]int16]()},
		{"c", Some([]int16{})},
		{"\uFEFF", None[[]int16]()},
	}
	got := Table(rows)
	want := []Row{
		{"\uFEFF", None[[]int16]()},
		{"c", Some([]int16{})},
		{"b", None[[]int16]()},
		{"a", Some([]int16{math.MinInt16, 2, 1})},
	}
	if len(got) != len(want) {
		t.Fatalf("Table = %+v", got)
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].Values.IsSome != want[i].Values.IsSome || !slices.Equal(got[i].Values.Value, want[i].Values.Value) {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if !slices.Equal(rows[0].Values.Value, []int16{1, 2, math.MinInt16}) {
		t.Errorf("Table changed its argument: %+v", rows[0])
	}
}

// ---- variants ----

func TestMirror(t *testing.T) {
	cases := []struct{ s, want Shape }{
		{Shape{Tag: ShapeCircle, Circle: 2.5}, Shape{Tag: ShapeCircle, Circle: -2.5}},
		{Shape{Tag: ShapeCircle, Circle: 0}, Shape{Tag: ShapeCircle, Circle: negZero64}},
		{Shape{Tag: ShapeCircle, Circle: math.Inf(-1)}, Shape{Tag: ShapeCircle, Circle: math.Inf(1)}},
		{Shape{Tag: ShapeRect, Rect: Point{1, 2, "ab"}}, Shape{Tag: ShapeRect, Rect: Point{2, 1, "AB"}}},
		{Shape{Tag: ShapeEmpty}, Shape{Tag: ShapeEmpty}},
		{Shape{Tag: ShapeNamed, Named: "ab😀"}, Shape{Tag: ShapeNamed, Named: "😀ba"}},
		{Shape{Tag: ShapeNamed, Named: ""}, Shape{Tag: ShapeNamed, Named: ""}},
	}
	for _, c := range cases {
		got := Mirror(c.s)
		if got.Tag != c.want.Tag || !sameF64(got.Circle, c.want.Circle) || got.Rect != c.want.Rect || got.Named != c.want.Named {
			t.Errorf("Mirror(%+v) = %+v, want %+v", c.s, got, c.want)
		}
	}
}

func TestNextColor(t *testing.T) {
	for in, want := range map[uint8]uint8{ColorRed: ColorGreen, ColorGreen: ColorBlue, ColorBlue: ColorRed} {
		if got := NextColor(in); got != want {
			t.Errorf("NextColor(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestNextBig(t *testing.T) {
	for in, want := range map[uint16]uint16{0: 1, 1: 2, 254: 255, 255: 256, 256: 257, 298: 299, 299: 0} {
		if got := NextBig(in); got != want {
			t.Errorf("NextBig(c%d) = c%d, want c%d", in, got, want)
		}
	}
}

func TestInvert(t *testing.T) {
	cases := []struct{ p, want uint16 }{
		{0, 0x1FF},
		{0x1FF, 0},
		{PermsSetuid, 0xFF},
		{PermsRead | PermsWrite, PermsExec | PermsAdmin | PermsOwner | PermsGroup | PermsOther | PermsSticky | PermsSetuid},
		{PermsSticky, 0x17F},
	}
	for _, c := range cases {
		if got := Invert(c.p); got != c.want {
			t.Errorf("Invert(%#x) = %#x, want %#x", c.p, got, c.want)
		}
	}
}

func TestComplement(t *testing.T) {
	type flagset struct {
		a, b uint8
		c, d uint16
		e, f uint32
	}
	complement := func(s flagset) flagset {
		a, b, c, d, e, f := Complement(s.a, s.b, s.c, s.d, s.e, s.f)
		return flagset{a, b, c, d, e, f}
	}
	all := flagset{1, 0xFF, 0x1FF, 0xFFFF, 0x1FFFF, 0xFFFFFFFF}
	cases := []struct{ in, want flagset }{
		{flagset{}, all},
		{all, flagset{}},
		{flagset{1, 0x0F, 0x100, 0x8000, 0x10000, 0x80000000}, flagset{0, 0xF0, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF}},
		{flagset{0, 0x80, 0xFF, 0x1, 0xFFFF, 1}, flagset{1, 0x7F, 0x100, 0xFFFE, 0x10000, 0xFFFFFFFE}},
	}
	for _, c := range cases {
		if got := complement(c.in); got != c.want {
			t.Errorf("Complement(%#v) = %#v, want %#v", c.in, got, c.want)
		}
	}
}

func TestTransform(t *testing.T) {
	nanBits := uint32(0x7fc00001)
	cases := []struct {
		name    string
		in, out Payload
	}{
		{"nothing", Payload{Tag: PayloadNothing}, Payload{Tag: PayloadNothing}},
		{"boolean", Payload{Tag: PayloadBoolean, Boolean: true}, Payload{Tag: PayloadBoolean, Boolean: false}},
		{"boolean false", Payload{Tag: PayloadBoolean}, Payload{Tag: PayloadBoolean, Boolean: true}},
		{"int8", Payload{Tag: PayloadInt8, Int8: math.MaxInt8}, Payload{Tag: PayloadInt8, Int8: math.MinInt8}},
		{"uint8", Payload{Tag: PayloadUint8, Uint8: math.MaxUint8}, Payload{Tag: PayloadUint8, Uint8: 0}},
		{"int16", Payload{Tag: PayloadInt16, Int16: math.MaxInt16}, Payload{Tag: PayloadInt16, Int16: math.MinInt16}},
		{"uint16", Payload{Tag: PayloadUint16, Uint16: math.MaxUint16}, Payload{Tag: PayloadUint16}},
		{"int32", Payload{Tag: PayloadInt32, Int32: math.MaxInt32}, Payload{Tag: PayloadInt32, Int32: math.MinInt32}},
		{"uint32", Payload{Tag: PayloadUint32, Uint32: maxU32}, Payload{Tag: PayloadUint32}},
		{"int64", Payload{Tag: PayloadInt64, Int64: math.MaxInt64}, Payload{Tag: PayloadInt64, Int64: math.MinInt64}},
		{"uint64", Payload{Tag: PayloadUint64, Uint64: maxU64}, Payload{Tag: PayloadUint64}},
		{"uint64 above 2^53", Payload{Tag: PayloadUint64, Uint64: twoTo53 + 1}, Payload{Tag: PayloadUint64, Uint64: twoTo53 + 2}},
		{"float32", Payload{Tag: PayloadFloat32, Float32: f32(3)}, Payload{Tag: PayloadFloat32, Float32: f32(2)}},
		{"float32 -0", Payload{Tag: PayloadFloat32, Float32: negZero32}, Payload{Tag: PayloadFloat32, Float32: negZero32}},
		{"float32 NaN", Payload{Tag: PayloadFloat32, Float32: f32(nanBits)}, Payload{Tag: PayloadFloat32, Float32: nan32}},
		{"float64", Payload{Tag: PayloadFloat64, Float64: -1}, Payload{Tag: PayloadFloat64, Float64: -0.5}},
		{"float64 subnormal", Payload{Tag: PayloadFloat64, Float64: f64(1)}, Payload{Tag: PayloadFloat64, Float64: 0}},
		{"letter", Payload{Tag: PayloadLetter, Letter: 0x10FFFF}, Payload{Tag: PayloadLetter, Letter: 0}},
		{"letter surrogates", Payload{Tag: PayloadLetter, Letter: 0xD7FF}, Payload{Tag: PayloadLetter, Letter: 0xE000}},
		{"text", Payload{Tag: PayloadText, Text: "ab😀"}, Payload{Tag: PayloadText, Text: "😀ba"}},
		{"bytes", Payload{Tag: PayloadBytes, Bytes: []uint8{1, 2, 3}}, Payload{Tag: PayloadBytes, Bytes: []uint8{3, 2, 1}}},
		{"bytes empty", Payload{Tag: PayloadBytes, Bytes: []uint8{}}, Payload{Tag: PayloadBytes, Bytes: []uint8{}}},
		{"point", Payload{Tag: PayloadPoint, Point: Point{1, 2, "xé"}}, Payload{Tag: PayloadPoint, Point: Point{2, 1, "Xé"}}},
		{"color", Payload{Tag: PayloadColor, Color: ColorBlue}, Payload{Tag: PayloadColor, Color: ColorRed}},
		{"perms", Payload{Tag: PayloadPerms, Perms: PermsRead}, Payload{Tag: PayloadPerms, Perms: 0x1FE}},
		{"maybe none", Payload{Tag: PayloadMaybe}, Payload{Tag: PayloadMaybe}},
		{"maybe some", Payload{Tag: PayloadMaybe, Maybe: Some(maxU32)}, Payload{Tag: PayloadMaybe, Maybe: Some[uint32](0)}},
		{"outcome ok", Payload{Tag: PayloadOutcome, Outcome: Ok[uint32, string](maxU32)}, Payload{Tag: PayloadOutcome, Outcome: Err[uint32]("4294967295")}},
		{"outcome ok 0", Payload{Tag: PayloadOutcome, Outcome: Ok[uint32, string](0)}, Payload{Tag: PayloadOutcome, Outcome: Err[uint32]("0")}},
		{"outcome err", Payload{Tag: PayloadOutcome, Outcome: Err[uint32]("héllo😀")}, Payload{Tag: PayloadOutcome, Outcome: Ok[uint32, string](10)}},
		{"outcome err empty", Payload{Tag: PayloadOutcome, Outcome: Err[uint32]("")}, Payload{Tag: PayloadOutcome, Outcome: Ok[uint32, string](0)}},
		{"pair", Payload{Tag: PayloadPair, Pair: Pair{maxU32, "ab"}}, Payload{Tag: PayloadPair, Pair: Pair{0, "ba"}}},
		{"shape", Payload{Tag: PayloadShape, Shape: Shape{Tag: ShapeNamed, Named: "xy"}}, Payload{Tag: PayloadShape, Shape: Shape{Tag: ShapeNamed, Named: "yx"}}},
		{"shape circle", Payload{Tag: PayloadShape, Shape: Shape{Tag: ShapeCircle, Circle: 1}}, Payload{Tag: PayloadShape, Shape: Shape{Tag: ShapeCircle, Circle: -1}}},
		{"shape rect", Payload{Tag: PayloadShape, Shape: Shape{Tag: ShapeRect, Rect: Point{-1, 9, "q"}}}, Payload{Tag: PayloadShape, Shape: Shape{Tag: ShapeRect, Rect: Point{9, -1, "Q"}}}},
	}
	seen := make(map[uint8]bool)
	for _, c := range cases {
		seen[c.in.Tag] = true
		got := Transform(c.in)
		// Floats by the contract's equality; everything else exactly.
		if !sameF32(got.Float32, c.out.Float32) || !sameF64(got.Float64, c.out.Float64) || !sameF64(got.Shape.Circle, c.out.Shape.Circle) {
			t.Errorf("%s: Transform(%+v) = %+v, want %+v", c.name, c.in, got, c.out)
			continue
		}
		if !reflect.DeepEqual(normalize(got), normalize(c.out)) {
			t.Errorf("%s: Transform(%+v) = %+v, want %+v", c.name, c.in, got, c.out)
		}
	}
	if len(seen) != int(PayloadShape)+1 {
		t.Errorf("only %d of the 22 cases of payload are tested", len(seen))
	}
}

// normalize zeroes the floats (compared apart, NaN being unequal to itself)
// and makes an empty byte list nil, so that DeepEqual compares the rest.
func normalize(p Payload) Payload {
	p.Float32, p.Float64, p.Shape.Circle = 0, 0, 0
	if len(p.Bytes) == 0 {
		p.Bytes = nil
	}
	return p
}

func TestNextStep(t *testing.T) {
	cases := []struct{ in, want Step }{
		{Step{Tag: StepIdle}, Step{Tag: StepCount, Count: 0}},
		{Step{Tag: StepCount, Count: 7}, Step{Tag: StepTotal, Total: 7}},
		{Step{Tag: StepCount, Count: maxU32}, Step{Tag: StepTotal, Total: maxU32}},
		{Step{Tag: StepTotal, Total: 0}, Step{Tag: StepMessage, Message: "0"}},
		{Step{Tag: StepTotal, Total: maxU32}, Step{Tag: StepMessage, Message: "4294967295"}},
		{Step{Tag: StepTotal, Total: 1000}, Step{Tag: StepMessage, Message: "1000"}},
		{Step{Tag: StepMessage, Message: "x"}, Step{Tag: StepIdle}},
	}
	for _, c := range cases {
		if got := NextStep(c.in); got != c.want {
			t.Errorf("NextStep(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestPeel(t *testing.T) {
	cases := []struct {
		in   Option[Option[uint32]]
		want Option[uint32]
	}{
		{None[Option[uint32]](), None[uint32]()},
		{Some(None[uint32]()), Some[uint32](0)},
		{Some(Some[uint32](0)), Some[uint32](1)},
		{Some(Some[uint32](5)), Some[uint32](6)},
		{Some(Some(maxU32)), Some[uint32](0)},
	}
	for _, c := range cases {
		if got := Peel(c.in); got != c.want {
			t.Errorf("Peel(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestBumpOptions(t *testing.T) {
	got := BumpOptions([]Option[uint8]{None[uint8](), Some[uint8](0), Some[uint8](255), None[uint8](), Some[uint8](127)})
	want := []Option[uint8]{None[uint8](), Some[uint8](1), Some[uint8](0), None[uint8](), Some[uint8](128)}
	if !slices.Equal(got, want) {
		t.Errorf("BumpOptions = %+v, want %+v", got, want)
	}
	if got := BumpOptions(nil); len(got) != 0 {
		t.Errorf("BumpOptions(nil) = %v", got)
	}
}

func TestDeepen(t *testing.T) {
	cases := []struct {
		in   Option[Option[string]]
		want Option[Option[Option[string]]]
	}{
		{None[Option[string]](), Some(None[Option[string]]())},
		{Some(None[string]()), Some(Some(None[string]()))},
		{Some(Some("")), Some(Some(Some("")))},
		{Some(Some("x😀")), Some(Some(Some("x😀")))},
	}
	for _, c := range cases {
		if got := Deepen(c.in); got != c.want {
			t.Errorf("Deepen(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestFlip(t *testing.T) {
	cases := []struct {
		in   Result[uint32, string]
		want Result[string, uint32]
	}{
		{Ok[uint32, string](0), Ok[string, uint32]("0")},
		{Ok[uint32, string](42), Ok[string, uint32]("42")},
		{Ok[uint32, string](maxU32), Ok[string, uint32]("4294967295")},
		{Err[uint32](""), Err[string](uint32(0))},
		{Err[uint32]("abc"), Err[string](uint32(3))},
		{Err[uint32]("日本"), Err[string](uint32(6))},
		{Err[uint32]("😀"), Err[string](uint32(4))},
	}
	for _, c := range cases {
		if got := Flip(c.in); got != c.want {
			t.Errorf("Flip(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestToggle(t *testing.T) {
	if got := Toggle(Ok[Unit, Unit](Unit{})); got != Err[Unit]("was ok") {
		t.Errorf("Toggle(ok) = %+v", got)
	}
	if got := Toggle(Err[Unit](Unit{})); got != Ok[Unit, string](Unit{}) {
		t.Errorf("Toggle(err) = %+v", got)
	}
}

func TestSwapOk(t *testing.T) {
	for _, n := range []uint64{0, 1, twoTo53 + 1, maxU64} {
		if got := SwapOk(Ok[uint64, Unit](n)); got != Err[Unit](n) {
			t.Errorf("SwapOk(ok(%d)) = %+v", n, got)
		}
	}
	if got := SwapOk(Err[uint64](Unit{})); got != Ok[Unit, uint64](Unit{}) {
		t.Errorf("SwapOk(err) = %+v", got)
	}
}

func TestSwapErr(t *testing.T) {
	for _, s := range []string{"", "s", "😀"} {
		if got := SwapErr(Err[Unit](s)); got != Ok[string, Unit](s) {
			t.Errorf("SwapErr(err(%q)) = %+v", s, got)
		}
	}
	if got := SwapErr(Ok[Unit, string](Unit{})); got != Err[string](Unit{}) {
		t.Errorf("SwapErr(ok) = %+v", got)
	}
}

func TestParseU8(t *testing.T) {
	ok := map[string]uint8{
		"0": 0, "00": 0, "1": 1, "7": 7, "010": 10, "99": 99, "199": 199,
		"254": 254, "255": 255, "0255": 255,
		"0000000000000000000255": 255,
		"0000000000000000000000000000000000000000000000000000000000000001": 1,
	}
	for s, want := range ok {
		if got := ParseU8(s); got != Ok[uint8, Unit](want) {
			t.Errorf("ParseU8(%q) = %+v, want ok(%d)", s, got, want)
		}
	}
	bad := []string{
		"", "256", "260", "300", "999", "1000", "2550", "65536", "4294967296",
		"18446744073709551872", // 256 mod 2^64
		"99999999999999999999999999",
		"+1", "-0", "-1", " 1", "1 ", "\t1", "1\n", "1_0", "0x1", "1.0", "1e2",
		"１", // fullwidth digit one
		"٣", // Arabic-Indic digit three
		"²", // superscript two
		"a", "\x00", "1\x00", "0\u0301",
	}
	for _, s := range bad {
		if got := ParseU8(s); !got.IsErr {
			t.Errorf("ParseU8(%q) = %+v, want err", s, got)
		}
	}
	// Against strconv's reading, for every number up to 999 and with leading
	// zeros.
	for n := 0; n < 1000; n++ {
		for _, s := range []string{itoa(n), "0" + itoa(n), "00" + itoa(n)} {
			got := ParseU8(s)
			if want := n <= 255; got.IsErr == want || (want && got.Ok != uint8(n)) {
				t.Errorf("ParseU8(%q) = %+v", s, got)
			}
		}
	}
}

func itoa(n int) string { return Decimal(uint32(n)) }

// ---- nested ----

func TestNest(t *testing.T) {
	type element = Option[Result[[]Letter, Shape]]
	okOf := func(l ...Letter) element { return Some(Ok[[]Letter, Shape](l)) }
	errOf := func(s Shape) element { return Some(Err[[]Letter](s)) }
	in := Deep{
		None[Result[[]Letter, Shape]](),
		okOf(Letter{'a', None[int64]()}, Letter{0x10FFFF, Some[int64](math.MaxInt64)}, Letter{0xD7FF, Some[int64](-1)}),
		errOf(Shape{Tag: ShapeCircle, Circle: 1}),
		okOf(),
		errOf(Shape{Tag: ShapeRect, Rect: Point{1, 2, "ab"}}),
		errOf(Shape{Tag: ShapeEmpty}),
		errOf(Shape{Tag: ShapeNamed, Named: "a😀"}),
	}
	want := Deep{
		errOf(Shape{Tag: ShapeNamed, Named: "😀a"}),
		errOf(Shape{Tag: ShapeEmpty}),
		errOf(Shape{Tag: ShapeRect, Rect: Point{2, 1, "AB"}}),
		okOf(),
		errOf(Shape{Tag: ShapeCircle, Circle: -1}),
		okOf(Letter{0xE000, Some[int64](0)}, Letter{0, Some(minInt64)}, Letter{'b', None[int64]()}),
		None[Result[[]Letter, Shape]](),
	}
	got := Nest(in)
	if !reflect.DeepEqual(normalizeDeep(got), normalizeDeep(want)) {
		t.Errorf("Nest =\n%+v\nwant\n%+v", got, want)
	}
	// The argument is unchanged.
	if in[1].Value.Ok[0].C != 'a' {
		t.Errorf("Nest changed its argument: %+v", in[1])
	}
	if got := Nest(nil); len(got) != 0 {
		t.Errorf("Nest(nil) = %+v", got)
	}
}

// normalizeDeep makes empty letter lists nil, so that DeepEqual compares
// contents.
func normalizeDeep(d Deep) Deep {
	out := slices.Clone(d)
	for i := range out {
		if out[i].IsSome && !out[i].Value.IsErr && len(out[i].Value.Ok) == 0 {
			out[i].Value.Ok = nil
		}
	}
	return out
}
