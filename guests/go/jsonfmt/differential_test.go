package jsonfmt

// This file checks the formatter against encoding/json on generated documents.
// encoding/json's Compact and Indent copy tokens verbatim, as the contract
// does, so they are an independent oracle for minify and for format without
// sort-keys; they are used only in tests.

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// generator writes random accepted documents that use every lexical form the
// contract allows.
type generator struct {
	rng *rand.Rand
	buf strings.Builder
}

var whitespaceChoices = []string{"", "", "", " ", "\t", "\n", "\r\n", "  \t\r\n "}

var numberChoices = []string{
	"0", "-0", "1", "-1", "10", "1.0", "0.05", "1e5", "1E+2", "1e-7", "1E-007",
	"1e400", "-0.0e-0", "123456789012345678901234567890", "3.14159", "2e05",
}

var stringPieces = []string{
	"a", "b", "z", "ab", " ", "é", "😀", "｡", "\u2028", "\u007f", "\ufeff",
	`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u0061`, `\u00E9`, `\u00e9`,
	`\uD83D\uDE00`, `\ud83d\ude01`, `\uFF61`, `\u0000`, `\u007a`, "[", "{", ",", ":",
}

func (g *generator) ws() {
	g.buf.WriteString(whitespaceChoices[g.rng.IntN(len(whitespaceChoices))])
}

func (g *generator) string() {
	g.buf.WriteByte('"')
	for range g.rng.IntN(4) {
		g.buf.WriteString(stringPieces[g.rng.IntN(len(stringPieces))])
	}
	g.buf.WriteByte('"')
}

func (g *generator) value(depth int) {
	kind := g.rng.IntN(8)
	if depth > 4 {
		kind %= 4
	}
	switch kind {
	case 0:
		g.buf.WriteString(numberChoices[g.rng.IntN(len(numberChoices))])
	case 1:
		g.string()
	case 2:
		g.buf.WriteString([]string{"true", "false", "null"}[g.rng.IntN(3)])
	case 3, 4, 5:
		g.buf.WriteByte('[')
		g.ws()
		for idx := range g.rng.IntN(4) {
			if idx > 0 {
				g.ws()
				g.buf.WriteByte(',')
				g.ws()
			}
			g.value(depth + 1)
		}
		g.ws()
		g.buf.WriteByte(']')
	default:
		g.buf.WriteByte('{')
		g.ws()
		for idx := range g.rng.IntN(5) {
			if idx > 0 {
				g.ws()
				g.buf.WriteByte(',')
				g.ws()
			}
			g.string()
			g.ws()
			g.buf.WriteByte(':')
			g.ws()
			g.value(depth + 1)
		}
		g.ws()
		g.buf.WriteByte('}')
	}
}

func (g *generator) document() string {
	g.buf.Reset()
	g.ws()
	g.value(0)
	g.ws()
	return g.buf.String()
}

func TestAgainstEncodingJSON(t *testing.T) {
	g := generator{rng: rand.New(rand.NewPCG(1, 2))}
	for caseIdx := range 5000 {
		input := g.document()
		minified, err := Minify(input)
		if err != nil {
			t.Fatalf("case %d: Minify(%q): %v", caseIdx, input, err)
		}
		var want bytes.Buffer
		if err := json.Compact(&want, []byte(input)); err != nil {
			t.Fatalf("case %d: json.Compact(%q): %v", caseIdx, input, err)
		}
		if minified != want.String() {
			t.Fatalf("case %d: Minify(%q) = %q; json.Compact gives %q", caseIdx, input, minified, want.String())
		}
		indent := uint32(caseIdx % 5)
		formatted, err := Format(input, &Options{Indent: indent})
		if err != nil {
			t.Fatalf("case %d: Format(%q): %v", caseIdx, input, err)
		}
		want.Reset()
		if err := json.Indent(&want, []byte(strings.TrimRight(input, " \t\r\n")), "", strings.Repeat(" ", int(indent))); err != nil {
			t.Fatalf("case %d: json.Indent(%q): %v", caseIdx, input, err)
		}
		if formatted != want.String() {
			t.Fatalf("case %d: Format(%q, indent %d) = %q; json.Indent gives %q", caseIdx, input, indent, formatted, want.String())
		}
		checkInvariants(t, input)
	}
}

// checkInvariants checks the contract's invariants on an accepted input:
// minify(format(x)) == minify(x), format(format(x)) == format(x), and with
// sort-keys the output is sorted at every depth and is a permutation of the
// input's members.
func checkInvariants(t *testing.T, input string) {
	t.Helper()
	minified, _ := Minify(input)
	for _, options := range []Options{{Indent: 2}, {Indent: 0, SortKeys: true}, {Indent: 3, SortKeys: true}} {
		formatted, err := Format(input, &options)
		if err != nil {
			t.Fatalf("Format(%q, %+v): %v", input, options, err)
		}
		again, err := Format(formatted, &options)
		if err != nil || again != formatted {
			t.Fatalf("Format is not idempotent on %q with %+v: %q then %q, %v", input, options, formatted, again, err)
		}
		reminified, err := Minify(formatted)
		if err != nil {
			t.Fatalf("Minify(Format(%q)): %v", input, err)
		}
		if !options.SortKeys && reminified != minified {
			t.Fatalf("Minify(Format(%q)) = %q; Minify gives %q", input, reminified, minified)
		}
		if options.SortKeys {
			if !json.Valid([]byte(formatted)) {
				t.Fatalf("sorted output of %q is not JSON: %q", input, formatted)
			}
			if len(reminified) != len(minified) {
				t.Fatalf("sorting changed the length: %q vs %q", reminified, minified)
			}
			checkSorted(t, formatted)
		}
	}
}

// checkSorted checks with encoding/json's tokenizer that every object's keys
// in doc are in code-point order of their decoded values.
func checkSorted(t *testing.T, doc string) {
	t.Helper()
	decoder := json.NewDecoder(strings.NewReader(doc))
	type frame struct {
		isObject  bool
		expectKey bool
		lastKey   *string
	}
	var stack []frame
	for {
		token, err := decoder.Token()
		if err != nil {
			return
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			if key, isKey := token.(string); isKey && top.isObject && top.expectKey {
				if top.lastKey != nil && *top.lastKey > key {
					t.Fatalf("keys out of order in %q: %q before %q", doc, *top.lastKey, key)
				}
				top.lastKey = &key
				top.expectKey = false
				continue
			}
			if top.isObject {
				top.expectKey = true
			}
		}
		switch token {
		case json.Delim('{'):
			stack = append(stack, frame{isObject: true, expectKey: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].isObject {
				stack[len(stack)-1].expectKey = true
			}
		}
	}
}

// restricted tells whether an input that encoding/json accepts falls under
// one of the contract's restrictions: a BOM, a surrogate escape or nesting
// deeper than 256.  encoding/json accepts all three.
func restricted(input string) bool {
	if strings.HasPrefix(input, "\uFEFF") {
		return true
	}
	lower := strings.ToLower(input)
	for _, prefix := range []string{`\ud8`, `\ud9`, `\uda`, `\udb`, `\udc`, `\udd`, `\ude`, `\udf`} {
		if strings.Contains(lower, prefix) {
			return true
		}
	}
	return strings.Count(input, "[")+strings.Count(input, "{") > MaxDepth
}

// TestMutationsAgreeWithEncodingJSON mutates generated documents at random
// and checks that the formatter accepts exactly what encoding/json accepts,
// except where the contract's restrictions apply.
func TestMutationsAgreeWithEncodingJSON(t *testing.T) {
	g := generator{rng: rand.New(rand.NewPCG(3, 4))}
	alphabet := []byte("[]{},:\"\\ \t\n\r0123456789.eE+-tfnulrsaxu\x00\x1f\v\f/")
	for caseIdx := range 20000 {
		input := []byte(g.document())
		for range 1 + g.rng.IntN(2) {
			at := g.rng.IntN(len(input) + 1)
			switch g.rng.IntN(3) {
			case 0:
				input = slices.Insert(input, at, alphabet[g.rng.IntN(len(alphabet))])
			case 1:
				if at < len(input) {
					input = slices.Delete(input, at, at+1)
				}
			default:
				if at < len(input) {
					input[at] = alphabet[g.rng.IntN(len(alphabet))]
				}
			}
		}
		if !utf8.Valid(input) || restricted(string(input)) {
			continue
		}
		_, err := Minify(string(input))
		valid := json.Valid(input)
		if (err == nil) != valid {
			t.Fatalf("case %d: %q: Minify error %v, but json.Valid = %v", caseIdx, input, err, valid)
		}
		if err != nil {
			var syntax *SyntaxError
			if !errors.As(err, &syntax) || syntax.Offset < 0 || syntax.Offset > len(input) {
				t.Fatalf("case %d: %q: bad error %v", caseIdx, input, err)
			}
			// The offset is the end of the longest valid prefix, so the
			// bytes before it must be a valid prefix: the same error must
			// not be reported earlier when the input is cut there.
			_, cutErr := Minify(string(input[:syntax.Offset]))
			var cutSyntax *SyntaxError
			if cutErr != nil && errors.As(cutErr, &cutSyntax) && cutSyntax.Offset != syntax.Offset {
				t.Fatalf("case %d: %q fails at %d, but its prefix %q fails at %d", caseIdx, input, syntax.Offset, input[:syntax.Offset], cutSyntax.Offset)
			}
		}
	}
}

func FuzzFormat(f *testing.F) {
	for _, tc := range errorCases {
		f.Add(tc.input)
	}
	for _, tc := range okCases {
		f.Add(tc.input)
	}
	f.Fuzz(func(t *testing.T, input string) {
		if !utf8.ValidString(input) {
			return
		}
		_, err := Minify(input)
		if restricted(input) {
			return
		}
		if valid := json.Valid([]byte(input)); (err == nil) != valid {
			t.Fatalf("%q: Minify error %v, but json.Valid = %v", input, err, valid)
		}
		if err == nil {
			checkInvariants(t, input)
		}
	})
}
