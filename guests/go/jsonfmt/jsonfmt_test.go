package jsonfmt

import (
	"errors"
	"strings"
	"testing"
)

// errorCase is an input that both Format and Minify must refuse at offset.
type errorCase struct {
	name   string
	input  string
	offset int
}

// errorCases are every example and clarification of the contract's "Errors"
// section, plus the clauses of "Accepted input".
var errorCases = []errorCase{
	// The examples of issue #2.
	{"trailing comma in array", `[1,]`, 3},
	{"leading zero", `01`, 1},
	{"fraction without digits at end", `1.`, 2},
	{"invalid escape", `"\x"`, 2},
	{"content after value", `"" x`, 3},
	{"empty input", ``, 0},

	// The table that follows from the clarifications.
	{"negative leading zero", `-01`, 2},
	{"lone minus", `-`, 1},
	{"minus then letter", `-a`, 1},
	{"dot then exponent", `1.e5`, 2},
	{"non-hex digit in \\u", `"\u12G4"`, 5},
	{"lone low surrogate", `"\uDC00"`, 1},
	{"lone low surrogate already at C", `"\uDCZZ"`, 1},
	{"high surrogate at end of string", `"\uD800"`, 1},
	{"high surrogate then non-low escape", `"\uD800\u0041"`, 1},
	{"high surrogate then end of input", `"\uD800`, 1},
	{"end of input inside \\u", `"\uD80`, 6},
	{"depth 257 array", strings.Repeat("[", 257) + strings.Repeat("]", 257), 256},
	{"BOM", "\uFEFF{}", 0},
	{"U+FEFF after whitespace", " \uFEFF{}", 1},

	// Offsets count bytes.
	{"non-ASCII alone", `é`, 0},
	{"non-ASCII in array", `["é",é]`, 6},

	// A character that cannot appear there.
	{"missing comma", `[1 2]`, 3},
	{"missing colon", `{"a" 1}`, 5},
	{"wrong closer", `[}`, 1},
	{"wrong closer for object", `{"a":1]`, 6},
	{"tab in string", "\"a\tb\"", 2},
	{"LF in string", "\"a\n\"", 2},
	{"NUL in string", "\"\x00\"", 1},
	{"unit separator in string", "\"\x1f\"", 1},
	{"single quotes", `'a'`, 0},
	{"unquoted key", `{a:1}`, 1},
	{"number key", `{1:1}`, 1},
	{"comment", `[1,/*x*/2]`, 3},
	{"line comment", "1 // x", 2},

	// Bad escapes.
	{"uppercase U escape", `"\U0041"`, 2},
	{"escaped single quote", `"\'"`, 2},
	{"escaped space", `"\ "`, 2},
	{"non-hex digits", `"\uGGGG"`, 3},
	{"short \\u before quote", `"\u12"`, 5},
	{"backslash at end of input", `"\`, 2},

	// Leading zeros.
	{"double zero", `00`, 1},
	{"leading zero in array", `[01]`, 2},
	{"leading zero in fraction number", `-00.5`, 2},

	// Numbers missing digits.
	{"exponent at end", `1e`, 2},
	{"exponent sign at end", `1e+`, 3},
	{"exponent minus at end", `1E-`, 3},
	{"dot in array", `[1.]`, 3},
	{"minus Infinity", `-Infinity`, 1},
	{"exponent without digits", `1ex`, 2},
	{"exponent sign without digits", `1e-x`, 3},
	{"double exponent sign", `1e+-1`, 3},

	// A number's first byte.
	{"leading dot", `.5`, 0},
	{"leading plus", `+1`, 0},
	{"NaN", `NaN`, 0},
	{"Infinity", `Infinity`, 0},

	// Literals, byte by byte.
	{"truncated true", `tru`, 3},
	{"wrong case in true", `trUe`, 2},
	{"nan", `nan`, 1},
	{"truncated false", `fals`, 4},
	{"truncated null", `nul`, 3},
	{"True", `True`, 0},

	// Trailing content.
	{"two values", `1 2`, 2},
	{"extra closer", `{}}`, 2},
	{"literal then letters", `truex`, 4},
	{"number then letter", `1x`, 1},
	{"hex number", `0x1F`, 1},
	{"second dot", `1.5.`, 3},

	// Trailing commas.
	{"trailing comma in object", `{"a":1,}`, 7},
	{"leading comma", `[,1]`, 1},
	{"double comma", `[1,,2]`, 3},
	{"empty member", `{,}`, 1},

	// Empty and whitespace-only input ends too early.
	{"three spaces", `   `, 3},
	{"whitespace kinds", " \t\r\n", 4},

	// Truncated documents end too early.
	{"truncated array", `[1,`, 3},
	{"truncated member", `{"a":`, 5},
	{"truncated string", `"abc`, 4},
	{"truncated \\u", `"\u00`, 5},
	{"open bracket", `[`, 1},
	{"open brace", `{`, 1},
	{"open brace and space", `{ `, 2},
	{"key without colon at end", `{"a"`, 4},
	{"value without closer", `{"a":1`, 6},
	{"array without closer", `[1`, 2},

	// Lone low surrogate escapes.
	{"truncated lone low", `"\uDC`, 1},
	{"lowercase lone low", `"a\udfff"`, 2},
	{"low then high", `"\uDC00\uD800"`, 1},
	{"lone low after pair", `"\uD83D\uDE00\uDE00"`, 13},
	{"lone low at E", `"\uDE`, 1},
	{"not yet a low surrogate", `"\uD`, 4},
	{"D then non-hex", `"\uDZ"`, 4},

	// A high surrogate escape not followed by a low one.
	{"high then letter", `"\uD800x"`, 1},
	{"high then other escape", `"\uD800\n"`, 1},
	{"high then high", `"\uD800\uD800"`, 1},
	{"high then E000", `"\uD800\uE000"`, 1},
	{"high then bad low digits", `"\uD800\uDCZZ"`, 1},
	{"high then backslash at end", `"\uD800\`, 1},
	{"high then partial low at end", `"\uD800\uDC`, 1},
	{"high then partial low, 3 digits", `"\uD800\uDC0`, 1},
	{"lowercase high alone", `"\udbff"`, 1},
	{"high surrogate truncated after D8", `"\uD8`, 5},
	{"high then U", `"\uD800\UDC00"`, 1},

	// Depth.
	{"257 open brackets", strings.Repeat("[", 257), 256},
	{"257 nested objects", strings.Repeat(`{"a":`, 257), 1280},
	{"empty array at depth 257", strings.Repeat("[", 256) + "[]" + strings.Repeat("]", 256), 256},
	{"empty object at depth 257", strings.Repeat("[", 256) + "{}" + strings.Repeat("]", 256), 256},
	{"mixed depth 257", strings.Repeat(`[{"a":`, 128) + "[" + strings.Repeat("}]", 128), 128 * 6},

	// BOM.
	{"BOM alone", "\uFEFF", 0},
	{"BOM then scalar", "\uFEFF1", 0},

	// Whitespace outside the four allowed characters.
	{"form feed", "\f1", 0},
	{"vertical tab", "\v1", 0},
	{"no-break space", "\u00a01", 0},
	{"line separator", "[\u2028]", 1},
}

func TestErrorOffsets(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, fn := range []struct {
				name string
				call func(string) (string, error)
			}{
				{"minify", Minify},
				{"format", func(in string) (string, error) { return Format(in, nil) }},
				{"format sorted", func(in string) (string, error) {
					return Format(in, &Options{Indent: 4, SortKeys: true})
				}},
			} {
				out, err := fn.call(tc.input)
				var syntax *SyntaxError
				if !errors.As(err, &syntax) {
					t.Fatalf("%s(%.200q) = %.200q, %v; want a syntax error at byte %d", fn.name, tc.input, out, err, tc.offset)
				}
				if syntax.Offset != tc.offset {
					t.Errorf("%s(%.200q): error %q; want offset %d", fn.name, tc.input, err, tc.offset)
				}
				wantPrefix := "at byte " + itoa(tc.offset) + ": "
				if !strings.HasPrefix(err.Error(), wantPrefix) {
					t.Errorf("%s(%.200q): error %q does not start with %q", fn.name, tc.input, err, wantPrefix)
				}
			}
		})
	}
}

// itoa spells n in decimal, independently of the code under test.
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var digits []byte
	for ; n > 0; n /= 10 {
		digits = append([]byte{byte('0' + n%10)}, digits...)
	}
	return string(digits)
}

// okCase is an input with its expected outputs.
type okCase struct {
	name     string
	input    string
	minified string
	// formatted is the output of Format with options nil (indent 2, no sort).
	formatted string
}

var okCases = []okCase{
	{"top-level number", `1`, `1`, `1`},
	{"top-level string with spaces around", " \t\r\n\"a b\"\n ", `"a b"`, `"a b"`},
	{"literals", `[true,false,null]`, `[true,false,null]`, "[\n  true,\n  false,\n  null\n]"},
	{"numbers verbatim", `[1.0, -0, 1E+2, 1e400, 0.05, 1e05, 1E-007, -0.0e-0]`,
		`[1.0,-0,1E+2,1e400,0.05,1e05,1E-007,-0.0e-0]`,
		"[\n  1.0,\n  -0,\n  1E+2,\n  1e400,\n  0.05,\n  1e05,\n  1E-007,\n  -0.0e-0\n]"},
	{"hundred-digit integer", strings.Repeat("9", 100), strings.Repeat("9", 100), strings.Repeat("9", 100)},
	{"escapes verbatim", `"\u00e9\/\"\\\b\f\n\r\t\uD83D\ude00\u00E9"`,
		`"\u00e9\/\"\\\b\f\n\r\t\uD83D\ude00\u00E9"`, `"\u00e9\/\"\\\b\f\n\r\t\uD83D\ude00\u00E9"`},
	{"raw non-ASCII and specials", "\"é\u007f\u2028\u2029\uffff\ufeff😀\"",
		"\"é\u007f\u2028\u2029\uffff\ufeff😀\"", "\"é\u007f\u2028\u2029\uffff\ufeff😀\""},
	{"mixed-case hex digits", `"\uaBcD"`, `"\uaBcD"`, `"\uaBcD"`},
	{"empty containers with whitespace", "[ [ \n ] , { \t } ]", `[[],{}]`, "[\n  [],\n  {}\n]"},
	{"empty array", `[]`, `[]`, `[]`},
	{"empty object", "{\r\n}", `{}`, `{}`},
	{"duplicate keys kept", `{"a":1,"a":2}`, `{"a":1,"a":2}`, "{\n  \"a\": 1,\n  \"a\": 2\n}"},
	{"contract format example", `{"a":[1,{}],"b":{"c":null}}`, `{"a":[1,{}],"b":{"c":null}}`,
		"{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": {\n    \"c\": null\n  }\n}"},
	{"contract minify example", `{ "b" : [ 1 , { } ] , "a" : "x y" }`, `{"b":[1,{}],"a":"x y"}`,
		"{\n  \"b\": [\n    1,\n    {}\n  ],\n  \"a\": \"x y\"\n}"},
	{"string with structural characters", `["[{,:}]"]`, `["[{,:}]"]`, "[\n  \"[{,:}]\"\n]"},
	{"depth 256", strings.Repeat("[", 256) + strings.Repeat("]", 256),
		strings.Repeat("[", 256) + strings.Repeat("]", 256),
		strings.Repeat("[", 255) + "[]" + strings.Repeat("]", 255)},
}

func TestOK(t *testing.T) {
	for _, tc := range okCases {
		t.Run(tc.name, func(t *testing.T) {
			minified, err := Minify(tc.input)
			if err != nil || minified != tc.minified {
				t.Errorf("Minify(%q) = %q, %v; want %q", tc.input, minified, err, tc.minified)
			}
			if !strings.Contains(tc.name, "depth 256") {
				formatted, err := Format(tc.input, nil)
				if err != nil || formatted != tc.formatted {
					t.Errorf("Format(%q, nil) = %q, %v; want %q", tc.input, formatted, err, tc.formatted)
				}
			}
		})
	}
}

func TestDepth256Formats(t *testing.T) {
	input := strings.Repeat("[", 256) + "1" + strings.Repeat("]", 256)
	var want strings.Builder
	for depth := range 256 {
		want.WriteString("[\n" + strings.Repeat(" ", (depth+1)*16))
	}
	want.WriteString("1")
	for depth := 255; depth >= 0; depth-- {
		want.WriteString("\n" + strings.Repeat(" ", depth*16) + "]")
	}
	got, err := Format(input, &Options{Indent: 16})
	if err != nil || got != want.String() {
		t.Fatalf("Format(depth 256, indent 16) = %.80q..., %v", got, err)
	}
	nested := strings.Repeat(`{"a":`, 256) + "{}" + strings.Repeat("}", 256)
	if _, err := Format(nested, &Options{Indent: 2, SortKeys: true}); err == nil {
		t.Fatalf("257 nested objects were accepted")
	}
	nested = strings.Repeat(`{"a":`, 256) + "1" + strings.Repeat("}", 256)
	if _, err := Format(nested, &Options{Indent: 2, SortKeys: true}); err != nil {
		t.Fatalf("256 nested objects: %v", err)
	}
}

func TestFormatOptions(t *testing.T) {
	input := `{"b":[1,{"d":true}],"a":{}}`
	cases := []struct {
		name    string
		options *Options
		want    string
	}{
		{"none is indent 2 unsorted", nil,
			"{\n  \"b\": [\n    1,\n    {\n      \"d\": true\n    }\n  ],\n  \"a\": {}\n}"},
		{"indent 0", &Options{Indent: 0},
			"{\n\"b\": [\n1,\n{\n\"d\": true\n}\n],\n\"a\": {}\n}"},
		{"indent 1 sorted", &Options{Indent: 1, SortKeys: true},
			"{\n \"a\": {},\n \"b\": [\n  1,\n  {\n   \"d\": true\n  }\n ]\n}"},
		{"indent 16", &Options{Indent: 16},
			"{\n" + strings.Repeat(" ", 16) + "\"b\": [\n" + strings.Repeat(" ", 32) + "1,\n" +
				strings.Repeat(" ", 32) + "{\n" + strings.Repeat(" ", 48) + "\"d\": true\n" +
				strings.Repeat(" ", 32) + "}\n" + strings.Repeat(" ", 16) + "],\n" +
				strings.Repeat(" ", 16) + "\"a\": {}\n}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Format(input, tc.options)
			if err != nil || got != tc.want {
				t.Errorf("Format(%q) = %q, %v; want %q", input, got, err, tc.want)
			}
		})
	}
}

func TestInvalidOptions(t *testing.T) {
	for _, input := range []string{`{}`, ``, `[1,]`, "\uFEFF"} {
		for _, indent := range []uint32{17, 100, 1 << 31, 1<<32 - 1} {
			_, err := Format(input, &Options{Indent: indent, SortKeys: indent%2 == 0})
			var options *OptionsError
			if !errors.As(err, &options) || !strings.HasPrefix(err.Error(), "invalid options: ") {
				t.Errorf("Format(%q, indent %d) error = %v; want invalid options", input, indent, err)
			}
		}
	}
}

func TestSortKeys(t *testing.T) {
	cases := []struct {
		name  string
		input string
		want  string // minified form of the expected sorted output
	}{
		{"simple", `{"b":1,"a":2,"c":3}`, `{"a":2,"b":1,"c":3}`},
		{"stable duplicates", `{"b":1,"a":2,"b":3,"a":4}`, `{"a":2,"a":4,"b":1,"b":3}`},
		{"escaped equals unescaped, stable", `{"b":0,"\u0061":1,"a":2,"\u0061":3}`, `{"\u0061":1,"a":2,"\u0061":3,"b":0}`},
		{"escaped slash equals slash", `{"/":1,"\/":2,".":3}`, `{".":3,"/":1,"\/":2}`},
		{"decoded order, not byte order", `{"\u007a":1,"b":2}`, `{"b":2,"\u007a":1}`},
		{"code-point order, not UTF-16", `{"😀":1,"｡":2}`, `{"｡":2,"😀":1}`},
		{"code-point order with escapes", `{"\uD83D\uDE00":1,"\uFF61":2}`, `{"\uFF61":2,"\uD83D\uDE00":1}`},
		{"mixed escapes and raw", `{"\uD83D\uDE00":1,"｡":2,"😁":3}`, `{"｡":2,"\uD83D\uDE00":1,"😁":3}`},
		{"empty key first, prefix first", `{"ab":1,"a":2,"":3}`, `{"":3,"a":2,"ab":1}`},
		{"control escapes", `{"\n":1,"\t":2,"\u0000":3,"\b":4}`, `{"\u0000":3,"\b":4,"\t":2,"\n":1}`},
		{"quote and backslash", `{"\\":1,"\"":2,"#":3}`, `{"\"":2,"#":3,"\\":1}`},
		{"nested objects, inside arrays", `{"z":[{"y":1,"x":2},{"b":{"d":1,"c":2}}],"a":0}`,
			`{"a":0,"z":[{"x":2,"y":1},{"b":{"c":2,"d":1}}]}`},
		{"arrays keep order", `[3,1,2]`, `[3,1,2]`},
		{"already sorted", `{"a":1,"b":{"c":1,"d":2}}`, `{"a":1,"b":{"c":1,"d":2}}`},
		{"empty object", `{"b":{},"a":[]}`, `{"a":[],"b":{}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, indent := range []uint32{0, 2, 7} {
				got, err := Format(tc.input, &Options{Indent: indent, SortKeys: true})
				if err != nil {
					t.Fatalf("Format(%q, sorted): %v", tc.input, err)
				}
				minified, err := Minify(got)
				if err != nil || minified != tc.want {
					t.Errorf("Format(%q, indent %d, sorted) = %q (minified %q, %v); want %q",
						tc.input, indent, got, minified, err, tc.want)
				}
				want, err := Format(tc.want, &Options{Indent: indent})
				if err != nil || got != want {
					t.Errorf("Format(%q, indent %d, sorted) = %q; want %q", tc.input, indent, got, want)
				}
			}
		})
	}
}

func TestMinifyNeverSorts(t *testing.T) {
	got, err := Minify(`{"b":1,"a":2}`)
	if err != nil || got != `{"b":1,"a":2}` {
		t.Fatalf("Minify sorted or failed: %q, %v", got, err)
	}
}
