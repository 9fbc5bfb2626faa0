// Package jsonfmt implements the example:json-tools@1.0.0 contract in plain Go.
//
// [Format] and [Minify] validate a JSON document and print it again in one
// pass over the input, copying every token (strings, numbers, true, false,
// null) byte for byte.
// A general JSON library decodes and re-encodes numbers and escapes, which the
// contract forbids, so this package has its own scanner.
//
// Nothing recurses: the kind of each open container is kept in a fixed-size
// bit stack, so the deepest accepted document (depth 256) needs no more stack
// than a flat one.
// The package has no WebAssembly dependency; the guest in the parent directory
// wraps it, and its tests run natively.
//
// The normative text is contracts/json-tools/contract.md; the WIT is contracts/json-tools/wit/json-tools.wit.
package jsonfmt

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// MaxDepth is the deepest nesting of arrays and objects that the contract
// accepts.
const MaxDepth = 256

// MaxIndent is the largest indent, in spaces per level, that the contract
// accepts.
const MaxIndent = 16

// Options are the layout options of [Format], the WIT format-options record.
type Options struct {
	// Indent is the number of spaces per nesting level, 0 to 16.
	// Indent 0 still puts every element on its own line.
	Indent uint32
	// SortKeys orders the members of every object by the decoded value of
	// their keys, in code-point order; the sort is stable.
	SortKeys bool
}

// DefaultOptions are the options that [Format] uses when it is given none.
var DefaultOptions = Options{Indent: 2, SortKeys: false}

// OptionsError reports invalid options.
// Its message starts with "invalid options: ", as the contract requires.
type OptionsError struct {
	// Message says what is wrong, for people.
	Message string
}

func (e *OptionsError) Error() string {
	return "invalid options: " + e.Message
}

// SyntaxError reports an input that is not an accepted document.
// Its message starts with "at byte N: ", as the contract requires.
type SyntaxError struct {
	// Offset is the contract's error offset: the 0-based byte offset of the
	// first byte at which the input stops being a valid prefix of an accepted
	// document, or the input's length when it ends too early.
	// An unpaired surrogate escape reports its backslash, and the bracket
	// that opens depth 257 reports its own offset.
	Offset int
	// Message says what is wrong, for people.
	Message string
}

func (e *SyntaxError) Error() string {
	return "at byte " + strconv.Itoa(e.Offset) + ": " + e.Message
}

// Format validates input and pretty-prints it.
//
// A nil options means [DefaultOptions].
// Every container that is not empty puts each element on its own line,
// indented by (depth + 1) × indent spaces; empty containers print as [] and
// {}; a member prints as key, ':', a space and the value.
// The output has no leading or trailing whitespace.
//
// It returns an [*OptionsError] when the indent is greater than [MaxIndent]
// (whatever the input), and a [*SyntaxError] when input is not an accepted
// document.
func Format(input string, options *Options) (string, error) {
	opts := DefaultOptions
	if options != nil {
		opts = *options
	}
	if opts.Indent > MaxIndent {
		return "", &OptionsError{Message: "indent " + strconv.FormatUint(uint64(opts.Indent), 10) +
			" is greater than " + strconv.Itoa(MaxIndent)}
	}
	p := printer{
		in:     input,
		pretty: true,
		sort:   opts.SortKeys,
		indent: int(opts.Indent),
		// Pretty output of a minified document is about twice as long as
		// its input; append grows the buffer when the guess is short.
		out: make([]byte, 0, 2*len(input)+64),
	}
	return p.run()
}

// Minify validates input and prints it with no whitespace outside strings.
//
// The validation is the same as [Format]'s, and it returns a [*SyntaxError]
// when input is not an accepted document.
func Minify(input string) (string, error) {
	p := printer{
		in: input,
		// Minified output is never longer than its input.
		out: make([]byte, 0, len(input)),
	}
	return p.run()
}

// newlineAndSpaces is a newline followed by the widest indentation any line
// can have: the elements of a container at depth 256 with indent 16.
var newlineAndSpaces = "\n" + strings.Repeat(" ", MaxDepth*MaxIndent)

// plainStringByte tells which bytes continue a string without a closer look:
// everything but '"', '\' and the control characters U+0000 to U+001F.
var plainStringByte = func() (table [256]bool) {
	for b := 0x20; b < 256; b++ {
		table[b] = b != '"' && b != '\\'
	}
	return table
}()

// hexValue maps a hex digit of either case to its value, and every other byte
// to -1.
var hexValue = func() (table [256]int8) {
	for b := range table {
		switch {
		case '0' <= b && b <= '9':
			table[b] = int8(b - '0')
		case 'a' <= b && b <= 'f':
			table[b] = int8(b - 'a' + 10)
		case 'A' <= b && b <= 'F':
			table[b] = int8(b - 'A' + 10)
		default:
			table[b] = -1
		}
	}
	return table
}()

// member is an object member that sort-keys may move: its printed text is
// out[start:end], without the separator after it.
type member struct {
	start, end int
	// keyStart and keyEnd delimit the key without its quotes, in out when the
	// key has no escapes, else its decoded UTF-8 in printer.decodedKeys.
	keyStart, keyEnd int
	decoded          bool
}

// openObject records where an open, non-empty object's members and decoded
// keys start (sort-keys only).
type openObject struct {
	members, decodedKeys int
}

// printer is the state of one Format or Minify call.
type printer struct {
	in  string
	pos int
	out []byte

	pretty bool
	sort   bool
	indent int

	// depth is the number of open arrays and objects.
	depth int
	// objects has bit d set when the container at depth d+1 is an object.
	objects [MaxDepth / 64]uint64
	// inObject tells whether the innermost open container is an object: bit
	// depth-1 of objects, kept at hand because every separator needs it.
	inObject bool

	// sort-keys state: the members of every open object, innermost last.
	members     []member
	openObjects []openObject
	decodedKeys []byte
	scratch     []byte
}

// run validates and prints the whole input.
func (p *printer) run() (string, error) {
	in := p.in
	if strings.HasPrefix(in, "\uFEFF") {
		return "", &SyntaxError{Offset: 0, Message: "a byte order mark (U+FEFF) is not allowed"}
	}
	p.skipWhitespace()
value:
	for {
		// The cursor is where a value must start.
		if p.pos >= len(in) {
			return "", p.endOfInput()
		}
		switch c := in[p.pos]; c {
		case '{', '[':
			if p.depth == MaxDepth {
				return "", p.errorHere("nesting deeper than 256 arrays and objects")
			}
			isObject := c == '{'
			p.push(isObject)
			p.pos++
			p.skipWhitespace()
			closer := byte(']')
			if isObject {
				closer = '}'
			}
			if p.pos < len(in) && in[p.pos] == closer {
				p.pos++
				p.pop()
				p.out = append(p.out, c, closer)
				break
			}
			p.out = append(p.out, c)
			p.newline()
			if !isObject {
				continue value
			}
			if p.sort {
				p.openObjects = append(p.openObjects, openObject{len(p.members), len(p.decodedKeys)})
			}
			if err := p.member(); err != nil {
				return "", err
			}
			continue value
		case '"':
			if _, err := p.string(); err != nil {
				return "", err
			}
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			if err := p.number(); err != nil {
				return "", err
			}
		case 't':
			if err := p.literal("true"); err != nil {
				return "", err
			}
		case 'f':
			if err := p.literal("false"); err != nil {
				return "", err
			}
		case 'n':
			if err := p.literal("null"); err != nil {
				return "", err
			}
		default:
			return "", p.errorHere("expected a value")
		}

		// A value is complete: close containers until one goes on.
		for {
			p.skipWhitespace()
			if p.depth == 0 {
				if p.pos < len(in) {
					return "", p.errorHere("unexpected content after the value")
				}
				return p.result(), nil
			}
			if p.pos >= len(in) {
				return "", p.endOfInput()
			}
			c := in[p.pos]
			inObject := p.inObject
			switch {
			case c == ',':
				p.pos++
				if p.sort && inObject {
					p.endMember()
				}
				p.out = append(p.out, ',')
				p.newline()
				p.skipWhitespace()
				if inObject {
					if err := p.member(); err != nil {
						return "", err
					}
				}
				continue value
			case c == ']' && !inObject:
				p.pos++
				p.pop()
				p.newline()
				p.out = append(p.out, ']')
			case c == '}' && inObject:
				p.pos++
				if p.sort {
					p.endMember()
					p.sortMembers()
				}
				p.pop()
				p.newline()
				p.out = append(p.out, '}')
			case inObject:
				return "", p.errorHere("expected ',' or '}'")
			default:
				return "", p.errorHere("expected ',' or ']'")
			}
		}
	}
}

// result hands the output over as a string without copying it: nothing
// writes to the buffer afterwards.
func (p *printer) result() string {
	return unsafe.String(unsafe.SliceData(p.out), len(p.out))
}

// errorHere is a syntax error at the cursor.
func (p *printer) errorHere(message string) error {
	return &SyntaxError{Offset: p.pos, Message: message}
}

// endOfInput is the error for an input that ends while it is still a valid
// prefix of an accepted document.
func (p *printer) endOfInput() error {
	return &SyntaxError{Offset: len(p.in), Message: "unexpected end of input"}
}

// skipWhitespace skips space, tab, LF and CR.
//
// Its first check is small enough to inline: most tokens are not preceded by
// whitespace at all.
func (p *printer) skipWhitespace() {
	if p.pos < len(p.in) && p.in[p.pos] > ' ' {
		return
	}
	p.skipWhitespaceRun()
}

// skipWhitespaceRun skips a run of space, tab, LF and CR.
func (p *printer) skipWhitespaceRun() {
	in, pos := p.in, p.pos
	for pos < len(in) {
		switch in[pos] {
		case ' ', '\t', '\n', '\r':
			pos++
			continue
		}
		break
	}
	p.pos = pos
}

// newline writes a newline and the indentation of the current depth (pretty
// output only).
func (p *printer) newline() {
	if p.pretty {
		p.out = append(p.out, newlineAndSpaces[:1+p.depth*p.indent]...)
	}
}

// push records that a container opens at depth p.depth+1.
func (p *printer) push(isObject bool) {
	level := uint(p.depth)
	if isObject {
		p.objects[level/64] |= 1 << (level % 64)
	} else {
		p.objects[level/64] &^= 1 << (level % 64)
	}
	p.depth++
	p.inObject = isObject
}

// pop records that the innermost container closed.
func (p *printer) pop() {
	p.depth--
	if p.depth > 0 {
		level := uint(p.depth - 1)
		p.inObject = p.objects[level/64]&(1<<(level%64)) != 0
	}
}

// member prints an object member's key (which must be at the cursor), the ':'
// after it and skips the whitespace before its value.
func (p *printer) member() error {
	in := p.in
	if p.pos >= len(in) {
		return p.endOfInput()
	}
	if in[p.pos] != '"' {
		return p.errorHere("expected a string key")
	}
	start := len(p.out)
	hasEscapes, err := p.string()
	if err != nil {
		return err
	}
	if p.sort {
		m := member{start: start, end: start, keyStart: start + 1, keyEnd: len(p.out) - 1}
		if hasEscapes {
			decodedStart := len(p.decodedKeys)
			p.decodedKeys = appendDecoded(p.decodedKeys, p.out[m.keyStart:m.keyEnd])
			m.keyStart, m.keyEnd, m.decoded = decodedStart, len(p.decodedKeys), true
		}
		p.members = append(p.members, m)
	}
	p.skipWhitespace()
	if p.pos >= len(in) {
		return p.endOfInput()
	}
	if in[p.pos] != ':' {
		return p.errorHere("expected ':'")
	}
	p.pos++
	if p.pretty {
		p.out = append(p.out, ':', ' ')
	} else {
		p.out = append(p.out, ':')
	}
	p.skipWhitespace()
	return nil
}

// endMember marks the end of the innermost object's last member (sort-keys).
func (p *printer) endMember() {
	p.members[len(p.members)-1].end = len(p.out)
}

// key is the byte string that sort-keys compares for m: the UTF-8 of its
// decoded key.
func (p *printer) key(m *member) []byte {
	if m.decoded {
		return p.decodedKeys[m.keyStart:m.keyEnd]
	}
	return p.out[m.keyStart:m.keyEnd]
}

// sortMembers reorders the printed members of the innermost object, which is
// closing, by key (sort-keys).
//
// The members run from the first one's start to the end of the output,
// separated by ',', a newline and the indentation of the current depth.
// Moving a member does not change its text: its indentation depends only on
// its depth.
// If the members are already in order, nothing is copied.
func (p *printer) sortMembers() {
	top := p.openObjects[len(p.openObjects)-1]
	p.openObjects = p.openObjects[:len(p.openObjects)-1]
	objectMembers := p.members[top.members:]
	inOrder := true
	for idx := 1; idx < len(objectMembers); idx++ {
		if bytes.Compare(p.key(&objectMembers[idx-1]), p.key(&objectMembers[idx])) > 0 {
			inOrder = false
			break
		}
	}
	if !inOrder {
		regionStart := objectMembers[0].start
		// SortStableFunc keeps members with equal keys in input order.
		slices.SortStableFunc(objectMembers, func(a, b member) int {
			return bytes.Compare(p.key(&a), p.key(&b))
		})
		p.scratch = append(p.scratch[:0], p.out[regionStart:]...)
		p.out = p.out[:regionStart]
		for idx := range objectMembers {
			if idx > 0 {
				p.out = append(p.out, ',')
				p.newline()
			}
			m := &objectMembers[idx]
			p.out = append(p.out, p.scratch[m.start-regionStart:m.end-regionStart]...)
		}
	}
	p.members = p.members[:top.members]
	p.decodedKeys = p.decodedKeys[:top.decodedKeys]
}

// string validates and copies the string whose opening quote is at the
// cursor, and tells whether it has escapes.
func (p *printer) string() (bool, error) {
	in := p.in
	start := p.pos
	pos := start + 1
	hasEscapes := false
	for {
		for pos < len(in) && plainStringByte[in[pos]] {
			pos++
		}
		if pos >= len(in) {
			return false, p.endOfInput()
		}
		switch in[pos] {
		case '"':
			pos++
			p.out = append(p.out, in[start:pos]...)
			p.pos = pos
			return hasEscapes, nil
		case '\\':
			hasEscapes = true
			next, err := p.escape(pos)
			if err != nil {
				return false, err
			}
			pos = next
		default:
			return false, &SyntaxError{Offset: pos, Message: "a control character in a string must be escaped"}
		}
	}
}

// escape validates the escape whose backslash is at backslash, and returns
// the offset just after it (after both escapes of a surrogate pair).
func (p *printer) escape(backslash int) (int, error) {
	in := p.in
	if backslash+1 >= len(in) {
		return 0, p.endOfInput()
	}
	switch in[backslash+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return backslash + 2, nil
	case 'u':
	default:
		return 0, &SyntaxError{Offset: backslash + 1, Message: "invalid escape"}
	}
	unit := 0
	for digitIdx := range 4 {
		at := backslash + 2 + digitIdx
		if at >= len(in) {
			return 0, p.endOfInput()
		}
		digit := hexValue[in[at]]
		if digit < 0 {
			return 0, &SyntaxError{Offset: at, Message: "invalid hex digit in a \\u escape"}
		}
		unit = unit<<4 | int(digit)
		// Two digits D and C-F already make a low surrogate, which is unpaired
		// here: a low surrogate that follows a high one is read by
		// lowSurrogateFollows, never by this function.
		if digitIdx == 1 && 0xDC <= unit && unit <= 0xDF {
			return 0, &SyntaxError{Offset: backslash, Message: "a low surrogate escape without a high surrogate escape before it"}
		}
	}
	if unit < 0xD800 || unit > 0xDBFF {
		return backslash + 6, nil
	}
	if !lowSurrogateFollows(in, backslash+6) {
		return 0, &SyntaxError{Offset: backslash, Message: "a high surrogate escape not followed by a low surrogate escape"}
	}
	return backslash + 12, nil
}

// lowSurrogateFollows tells whether in has a complete \u escape of a low
// surrogate (DC00 to DFFF) at at.
// An input that ends sooner does not: the contract reports the unpaired high
// surrogate then, not the end of the input.
func lowSurrogateFollows(in string, at int) bool {
	if at+6 > len(in) {
		return false
	}
	escape := in[at : at+6]
	return escape[0] == '\\' && escape[1] == 'u' &&
		escape[2]|0x20 == 'd' &&
		'c' <= escape[3]|0x20 && escape[3]|0x20 <= 'f' &&
		hexValue[escape[4]] >= 0 && hexValue[escape[5]] >= 0
}

// number validates and copies the number at the cursor ('-' or a digit).
func (p *printer) number() error {
	in := p.in
	start := p.pos
	pos := start
	if in[pos] == '-' {
		pos++
	}
	if pos >= len(in) {
		return p.endOfInput()
	}
	switch c := in[pos]; {
	case c == '0':
		// A leading zero ends the integer part: "01" fails at the "1", where
		// the caller expects what follows a value.
		pos++
	case '1' <= c && c <= '9':
		pos = skipDigits(in, pos+1)
	default:
		return &SyntaxError{Offset: pos, Message: "expected a digit"}
	}
	if pos < len(in) && in[pos] == '.' {
		var err error
		if pos, err = p.requiredDigits(pos + 1); err != nil {
			return err
		}
	}
	if pos < len(in) && (in[pos] == 'e' || in[pos] == 'E') {
		pos++
		if pos < len(in) && (in[pos] == '+' || in[pos] == '-') {
			pos++
		}
		var err error
		if pos, err = p.requiredDigits(pos); err != nil {
			return err
		}
	}
	p.out = append(p.out, in[start:pos]...)
	p.pos = pos
	return nil
}

// requiredDigits skips the one or more digits that must be at pos, and returns
// the offset after them.
func (p *printer) requiredDigits(pos int) (int, error) {
	in := p.in
	if pos >= len(in) {
		return 0, p.endOfInput()
	}
	if c := in[pos]; c < '0' || c > '9' {
		return 0, &SyntaxError{Offset: pos, Message: "expected a digit"}
	}
	return skipDigits(in, pos+1), nil
}

// skipDigits returns the offset of the first byte at or after pos that is not
// a digit.
func skipDigits(in string, pos int) int {
	for pos < len(in) && '0' <= in[pos] && in[pos] <= '9' {
		pos++
	}
	return pos
}

// literal validates and copies word (true, false or null) at the cursor, byte
// by byte, so that "trUe" fails at the "U".
func (p *printer) literal(word string) error {
	in := p.in
	start := p.pos
	for idx := 0; idx < len(word); idx++ {
		if start+idx >= len(in) {
			return p.endOfInput()
		}
		if in[start+idx] != word[idx] {
			return &SyntaxError{Offset: start + idx, Message: "invalid literal"}
		}
	}
	p.pos = start + len(word)
	p.out = append(p.out, word...)
	return nil
}
