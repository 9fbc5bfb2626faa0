// The example:json-tools@1.0.0 contract in plain JavaScript.
//
// `format` and `minify` validate a JSON document and print it again in one
// pass over the input, copying every token (strings, numbers, true, false,
// null) verbatim.  JSON.parse and JSON.stringify decode numbers and escapes,
// which the contract forbids, so this module has its own scanner.
//
// The component runs this code in an interpreter (SpiderMonkey compiled to
// WebAssembly), where every bytecode costs a hundred or more wasm
// instructions and a self-hosted builtin such as String.prototype.slice more
// than ten thousand, while native string functions (split, indexOf, join)
// cost a few instructions per character.  So the scanner leaves the
// per-character work to native code wherever the grammar allows:
//
// - `input.split('"')` cuts the input at every quote.  The pieces alternate
//   between *segments* (the text between strings) and string bodies; a body
//   that holds an escaped quote spans several pieces.
// - A string body is checked without looking at its characters one by one:
//   the positions of the next backslash and of the next control character of
//   each kind are found with indexOf and remembered, so a body with neither
//   costs a few comparisons.  Bodies with escapes walk from backslash to
//   backslash.
// - A segment is compiled once into a list of tokens (structural characters
//   and the text of numbers and literals) and remembered by its text: real
//   documents repeat the same few segments (`": "`, `", "`, `"}, {"`), and
//   whitespace costs nothing once a segment is compiled.  Long runs of spaces
//   (a formatted document's indentation) are skipped with `startsWith`
//   rather than one by one.  The tokens then drive the grammar's state
//   machine.
// - With sort-keys, the members of an object are linked by concatenation,
//   never joined: a join would copy the nested output once per enclosing
//   object.
// - The output is assembled by native joins and concatenations: minify
//   replaces each segment by its tokens and joins the pieces with '"' again,
//   and format does the same with each segment's laid-out text, unless
//   sort-keys must move members, when it builds the output member by member.
//
// JavaScript strings count UTF-16 code units, and the contract's offsets
// count UTF-8 bytes; an error converts its index with `utf8Length` when it is
// raised.  Everything the grammar cares about outside strings is ASCII.
//
// Nothing recurses: the kind of each open container is kept in a byte array,
// so depth 256 needs no more stack than a flat document.
//
// This module has no WebAssembly dependency; `component.js` wraps it for
// componentize-js, and `test/` runs it natively under `node --test`.
// The normative text is contracts/json-tools/contract.md; the WIT is contracts/json-tools/wit/json-tools.wit.

/** The deepest nesting of arrays and objects that the contract accepts. */
export const MAX_DEPTH = 256;

/** The largest indent, in spaces per level, that the contract accepts. */
export const MAX_INDENT = 16;

/** The options `format` uses when it is given none. */
export const DEFAULT_OPTIONS = Object.freeze({ indent: 2, sortKeys: false });

/**
 * A refused call.  `message` is the contract's error text: it starts with
 * `invalid options: ` or with `at byte N: `.
 */
export class FormatError extends Error {
  /**
   * @param {string} message the whole contract message.
   * @param {number | undefined} offset the UTF-8 byte offset N of an input
   *   error; undefined for invalid options.
   */
  constructor(message, offset) {
    super(message);
    this.name = 'FormatError';
    /** The contract's N for an input error, in UTF-8 bytes. */
    this.offset = offset;
  }
}

/**
 * Validates `input` and lays it out over several lines.
 *
 * `options` undefined or null means indent 2 and sort-keys false.
 *
 * @param {string} input
 * @param {{indent: number, sortKeys: boolean} | null | undefined} options
 * @returns {string}
 * @throws {FormatError} `invalid options: ...` when the indent is greater
 *   than 16, whatever the input; `at byte N: ...` when the input is not an
 *   accepted document.
 */
export function format(input, options) {
  const indent = options == null ? DEFAULT_OPTIONS.indent : options.indent;
  const sortKeys = options == null ? DEFAULT_OPTIONS.sortKeys : Boolean(options.sortKeys);
  // Options are checked before the input.  Anything but an integer from 0 to
  // 16 is refused; through the WIT only a u32 can arrive.
  if (!(Number.isInteger(indent) && indent >= 0 && indent <= MAX_INDENT)) {
    const why =
      Number.isInteger(indent) && indent > MAX_INDENT
        ? `indent ${indent} is greater than ${MAX_INDENT}`
        : `indent ${String(indent)} is not an integer from 0 to ${MAX_INDENT}`;
    throw new FormatError(`invalid options: ${why}`, undefined);
  }
  return run(input, newlinesFor(indent), sortKeys);
}

/**
 * Validates `input` and prints it with no whitespace outside strings, keeping
 * members in input order.
 *
 * @param {string} input
 * @returns {string}
 * @throws {FormatError} `at byte N: ...` when the input is not an accepted
 *   document.
 */
export function minify(input) {
  return run(input, null, false);
}

/**
 * The UTF-8 length of `text.slice(0, end)`, counted without encoding it: each
 * UTF-16 unit of a surrogate pair stands for two of the pair's four bytes.
 *
 * @param {string} text
 * @param {number} end a UTF-16 index into text.
 * @returns {number}
 */
export function utf8Length(text, end) {
  let n_bytes = end;
  for (let idx = 0; idx < end; idx++) {
    const unit = text.charCodeAt(idx);
    if (unit < 0x80) continue;
    n_bytes += unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return n_bytes;
}

/**
 * A string whose UTF-16 order is the code-point order of the decoded value of
 * a key: the key decoded, with every unit from U+D800 up re-ranked so that
 * surrogates come after U+E000-U+FFFF.  Most keys need neither step and are
 * returned as they are.
 *
 * JavaScript's `<` compares UTF-16 code units, which puts U+10000 and above
 * (surrogates D800-DFFF) before U+E000-U+FFFF; the contract wants code-point
 * order.  Comparing re-ranked keys with `<` keeps the sort in native code.
 *
 * @param {string} raw the text between a validated key's quotes.
 * @returns {string}
 */
export function sortableKey(raw) {
  if (!KEY_NEEDS_WORK.test(raw)) return raw;
  let key = raw.indexOf('\\') < 0 ? raw : raw.replace(KEY_ESCAPE, decodeEscape);
  HIGH_UNITS.lastIndex = 0;
  if (HIGH_UNITS.test(key)) {
    key = key.replace(HIGH_UNITS, (unit) => String.fromCharCode(codePointRank(unit.charCodeAt(0))));
  }
  return key;
}

// ---------------------------------------------------------------------------
// Character codes.

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const BOM = 0xfeff;

/** The value of each ASCII hex digit of either case; -1 for other ASCII. */
const HEX_VALUES = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let digit = 0; digit < 16; digit++) {
    table['0123456789abcdef'.charCodeAt(digit)] = digit;
    table['0123456789ABCDEF'.charCodeAt(digit)] = digit;
  }
  return table;
})();

// ---------------------------------------------------------------------------
// Layout.

/** For each indent, the newline and indentation of every depth 0 to 256. */
const newlinesCache = new Array(MAX_INDENT + 1);

/**
 * The separators that begin a line at each depth for `indent`: a newline and
 * depth × indent spaces.  Built once per indent, each from the one before.
 *
 * @param {number} indent
 * @returns {string[]}
 */
function newlinesFor(indent) {
  let newlines = newlinesCache[indent];
  if (newlines === undefined) {
    const spaces = ' '.repeat(indent);
    newlines = new Array(MAX_DEPTH + 1);
    newlines[0] = '\n';
    for (let depth = 1; depth <= MAX_DEPTH; depth++) newlines[depth] = newlines[depth - 1] + spaces;
    newlinesCache[indent] = newlines;
  }
  return newlines;
}

// ---------------------------------------------------------------------------
// Segments: the text outside strings, compiled to tokens.

// A token is a code in the low 4 bits and its index in the segment above them.
const TOKEN_SHIFT = 4;
const TOKEN_CODE = 0xf;
const T_OPEN_ARRAY = 0;
const T_OPEN_OBJECT = 1;
const T_CLOSE_ARRAY = 2;
const T_CLOSE_OBJECT = 3;
const T_COMMA = 4;
const T_COLON = 5;
/** A number or literal; its text is in `texts`. */
const T_SCALAR = 6;
/** A malformed number or literal; the index of its first bad character
 * (possibly the segment's length: it ends too early) is in `texts`. */
const T_BAD_SCALAR = 7;
/** A character that no accepted document has outside strings. */
const T_BAD_CHARACTER = 8;

/**
 * A compiled segment.  Compiling stops at the first bad token, since the
 * state machine always raises an error there if it gets that far.
 *
 * @typedef {object} Segment
 * @property {number[]} tokens
 * @property {(string | number | undefined)[]} texts by token: a scalar's text,
 *   or a bad scalar's error index.
 * @property {string} minified the tokens' texts with nothing between them.
 * @property {boolean} minifiedDiffers whether `minified` is not the text.
 */

/** Compiled segments by text, shared by all calls. */
const segmentCache = new Map();
/** Longer segments are compiled every time: they rarely repeat. */
const MAX_CACHED_SEGMENT_LENGTH = 128;
/** The cache starts over when it holds this many segments. */
const MAX_CACHED_SEGMENTS = 4096;

/**
 * The tokens of `text`, a segment.
 *
 * @param {string} text
 * @returns {Segment}
 */
function compileSegment(text) {
  const tokens = [];
  const texts = [];
  let minified = '';
  const length = text.length;
  let pos = 0;
  while (pos < length) {
    const unit = text.charCodeAt(pos);
    let code;
    switch (unit) {
      case SPACE:
      case TAB:
      case LF:
      case CR:
        pos++;
        // A formatted document begins each line with depth × indent spaces,
        // up to 4096 of them: skip runs natively, not one by one.
        if (text.charCodeAt(pos) === SPACE) pos = skipSpaces(text, pos);
        continue;
      case OPEN_BRACKET:
        code = T_OPEN_ARRAY;
        break;
      case OPEN_BRACE:
        code = T_OPEN_OBJECT;
        break;
      case CLOSE_BRACKET:
        code = T_CLOSE_ARRAY;
        break;
      case CLOSE_BRACE:
        code = T_CLOSE_OBJECT;
        break;
      case COMMA:
        code = T_COMMA;
        break;
      case COLON:
        code = T_COLON;
        break;
      default: {
        let end;
        if (unit === MINUS || (unit >= DIGIT_0 && unit <= DIGIT_9)) {
          end = scanNumber(text, pos);
        } else if (unit === LOWER_T) {
          end = scanLiteral(text, pos, 'true');
        } else if (unit === LOWER_F) {
          end = scanLiteral(text, pos, 'false');
        } else if (unit === LOWER_N) {
          end = scanLiteral(text, pos, 'null');
        } else {
          tokens.push(T_BAD_CHARACTER | (pos << TOKEN_SHIFT));
          return { tokens, texts, minified, minifiedDiffers: true };
        }
        if (end < 0) {
          texts[tokens.length] = -1 - end;
          tokens.push(T_BAD_SCALAR | (pos << TOKEN_SHIFT));
          return { tokens, texts, minified, minifiedDiffers: true };
        }
        const scalar = text.slice(pos, end);
        texts[tokens.length] = scalar;
        tokens.push(T_SCALAR | (pos << TOKEN_SHIFT));
        minified += scalar;
        pos = end;
        continue;
      }
    }
    tokens.push(code | (pos << TOKEN_SHIFT));
    minified += text[pos];
    pos++;
  }
  return { tokens, texts, minified, minifiedDiffers: minified !== text };
}

/** Runs of 4, 8, 16, ... 4096 spaces, for `skipSpaces`. */
const SPACE_RUNS = (() => {
  const runs = [];
  for (let length = 4; length <= 4096; length *= 2) runs.push(' '.repeat(length));
  return runs;
})();

/**
 * Skips most of the run of spaces at `pos`: all of it but fewer than four.
 *
 * In the interpreter a loop costs about 2,000 wasm instructions per
 * character, and `startsWith` a few thousand per call plus a few per
 * character, so the run is measured with `startsWith` and runs of doubling,
 * then halving, length: about 2 log2(n) calls for n spaces.
 *
 * @param {string} text
 * @param {number} pos
 * @returns {number} an index at or after `pos`, with at most three spaces
 *   between it and the first character that is not a space.
 */
function skipSpaces(text, pos) {
  const top = SPACE_RUNS.length - 1;
  let level = 0;
  while (level < top && text.startsWith(SPACE_RUNS[level], pos)) {
    pos += SPACE_RUNS[level].length;
    level++;
  }
  while (text.startsWith(SPACE_RUNS[level], pos)) pos += SPACE_RUNS[level].length;
  // What is left of the run is shorter than SPACE_RUNS[level].
  while (level > 0) {
    level--;
    if (text.startsWith(SPACE_RUNS[level], pos)) pos += SPACE_RUNS[level].length;
  }
  return pos;
}

/**
 * Compiles a segment the cache does not hold, and caches it if it is short.
 *
 * @param {string} text
 * @returns {Segment}
 */
function compileAndCache(text) {
  const segment = compileSegment(text);
  if (text.length <= MAX_CACHED_SEGMENT_LENGTH) {
    if (segmentCache.size >= MAX_CACHED_SEGMENTS) segmentCache.clear();
    segmentCache.set(text, segment);
  }
  return segment;
}

/**
 * Scans the number that starts at `start` (a '-' or a digit) in a segment.
 *
 * @param {string} text
 * @param {number} start
 * @returns {number} the index after the number, or -1 - N where N is the
 *   index of the first character that breaks it (text.length when it ends
 *   too early).
 */
function scanNumber(text, start) {
  let pos = start;
  if (text.charCodeAt(pos) === MINUS) pos++;
  const first = text.charCodeAt(pos);
  if (first === DIGIT_0) {
    // A leading zero ends the integer part: "01" fails at the "1", where a
    // second value cannot start.
    pos++;
  } else if (first > DIGIT_0 && first <= DIGIT_9) {
    pos = skipDigits(text, pos + 1);
  } else {
    return -1 - pos;
  }
  if (text.charCodeAt(pos) === DOT) {
    pos = requiredDigits(text, pos + 1);
    if (pos < 0) return pos;
  }
  if ((text.charCodeAt(pos) | 0x20) === LOWER_E) {
    pos++;
    const sign = text.charCodeAt(pos);
    if (sign === PLUS || sign === MINUS) pos++;
    pos = requiredDigits(text, pos);
  }
  return pos;
}

/**
 * Skips the one or more digits that must be at `pos`.
 *
 * @param {string} text
 * @param {number} pos
 * @returns {number} the index after them, or -1 - pos when there is none.
 */
function requiredDigits(text, pos) {
  const unit = text.charCodeAt(pos);
  if (!(unit >= DIGIT_0 && unit <= DIGIT_9)) return -1 - pos;
  return skipDigits(text, pos + 1);
}

/**
 * @param {string} text
 * @param {number} pos
 * @returns {number} the index of the first non-digit at or after `pos`.
 */
function skipDigits(text, pos) {
  for (;;) {
    const unit = text.charCodeAt(pos);
    if (!(unit >= DIGIT_0 && unit <= DIGIT_9)) return pos;
    pos++;
  }
}

/**
 * Scans `word` (true, false or null) at `start` in a segment, character by
 * character, so that "trUe" fails at the "U".
 *
 * @param {string} text
 * @param {number} start
 * @param {string} word
 * @returns {number} the index after the word, or -1 - N for the first
 *   character N that differs (text.length when it ends too early).
 */
function scanLiteral(text, start, word) {
  for (let idx = 0; idx < word.length; idx++) {
    if (text.charCodeAt(start + idx) !== word.charCodeAt(idx)) return -1 - (start + idx);
  }
  return start + word.length;
}

// ---------------------------------------------------------------------------
// The grammar's states between tokens.
//
// A state says what may come next and in which container, so that most
// tokens need one lookup in TRANSITIONS.  Each open container remembers the
// state to return to when it closes (the "after a value" state of the
// container around it).

/** A value must come at the top level. */
const S_TOP_VALUE = 0;
/** After the top-level value: only the end of the input. */
const S_TOP_AFTER = 1;
/** After '[': a value or ']'. */
const S_ARRAY_FIRST = 2;
/** After ',' in an array: a value. */
const S_ARRAY_VALUE = 3;
/** After a value in an array: ',' or ']'. */
const S_ARRAY_AFTER = 4;
/** After '{': a key or '}'. */
const S_OBJECT_FIRST = 5;
/** After ',' in an object: a key. */
const S_OBJECT_KEY = 6;
/** After a key: ':'. */
const S_OBJECT_COLON = 7;
/** After ':': a value. */
const S_OBJECT_VALUE = 8;
/** After a value in an object: ',' or '}'. */
const S_OBJECT_AFTER = 9;
const N_STATES = 10;

/** The code of a string token, which segments do not hold. */
const T_STRING = 9;

/** TRANSITIONS entries that are not states. */
const A_ERROR = 16;
const A_PUSH = 17;
const A_POP = 18;

/** The state after a value that completes in a value state. */
const AFTER_VALUE = new Int8Array(N_STATES).fill(-1);
AFTER_VALUE[S_TOP_VALUE] = S_TOP_AFTER;
AFTER_VALUE[S_ARRAY_FIRST] = S_ARRAY_AFTER;
AFTER_VALUE[S_ARRAY_VALUE] = S_ARRAY_AFTER;
AFTER_VALUE[S_OBJECT_VALUE] = S_OBJECT_AFTER;

/** By `state << 4 | token code`: the next state, or an action. */
const TRANSITIONS = (() => {
  const table = new Int8Array(N_STATES << 4).fill(A_ERROR);
  const set = (state, code, next) => {
    table[(state << 4) | code] = next;
  };
  for (let state = 0; state < N_STATES; state++) {
    if (AFTER_VALUE[state] >= 0) {
      set(state, T_SCALAR, AFTER_VALUE[state]);
      set(state, T_STRING, AFTER_VALUE[state]);
      set(state, T_OPEN_ARRAY, A_PUSH);
      set(state, T_OPEN_OBJECT, A_PUSH);
    }
  }
  set(S_ARRAY_FIRST, T_CLOSE_ARRAY, A_POP);
  set(S_ARRAY_AFTER, T_CLOSE_ARRAY, A_POP);
  set(S_ARRAY_AFTER, T_COMMA, S_ARRAY_VALUE);
  set(S_OBJECT_FIRST, T_STRING, S_OBJECT_COLON);
  set(S_OBJECT_FIRST, T_CLOSE_OBJECT, A_POP);
  set(S_OBJECT_KEY, T_STRING, S_OBJECT_COLON);
  set(S_OBJECT_COLON, T_COLON, S_OBJECT_VALUE);
  set(S_OBJECT_AFTER, T_CLOSE_OBJECT, A_POP);
  set(S_OBJECT_AFTER, T_COMMA, S_OBJECT_KEY);
  return table;
})();

/** What each state was expecting, for error messages. */
const EXPECTED = [
  'expected a value',
  'expected the end of the input',
  "expected a value or ']'",
  'expected a value',
  "expected ',' or ']'",
  "expected a string key or '}'",
  'expected a string key',
  "expected ':'",
  'expected a value',
  "expected ',' or '}'",
];

/** For each open container, the state to return to when it closes. */
const returnStates = new Uint8Array(MAX_DEPTH);

// ---------------------------------------------------------------------------
// String bodies.

/** Control characters other than tab, LF and CR. */
const OTHER_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

// Where the next character of each kind is, as found by the last search: an
// index at or after the position the search started from, or the input's
// length when there is none.  A value below the current position is stale.
// `run` resets them for every input.
let nextBackslash = -1;
let nextControl = -1;
let nextLineFeed = -1;
let nextCarriageReturn = -1;
let nextTab = -1;
let nextOtherControl = -1;

/**
 * Brings `nextControl` up to date: the index of the first control character
 * (U+0000 to U+001F) at or after `from`, or the input's length.
 *
 * @param {string} input
 * @param {number} from
 */
function findControl(input, from) {
  const length = input.length;
  if (nextLineFeed < from) {
    nextLineFeed = input.indexOf('\n', from);
    if (nextLineFeed < 0) nextLineFeed = length;
  }
  if (nextCarriageReturn < from) {
    nextCarriageReturn = input.indexOf('\r', from);
    if (nextCarriageReturn < 0) nextCarriageReturn = length;
  }
  if (nextTab < from) {
    nextTab = input.indexOf('\t', from);
    if (nextTab < 0) nextTab = length;
  }
  if (nextOtherControl < from) {
    OTHER_CONTROL.lastIndex = from;
    const match = OTHER_CONTROL.exec(input);
    nextOtherControl = match === null ? length : match.index;
  }
  let first = nextLineFeed;
  if (nextCarriageReturn < first) first = nextCarriageReturn;
  if (nextTab < first) first = nextTab;
  if (nextOtherControl < first) first = nextOtherControl;
  nextControl = first;
}

/**
 * Brings `nextBackslash` up to date: the index of the first backslash at or
 * after `from`, or the input's length.
 *
 * @param {string} input
 * @param {number} from
 */
function findBackslash(input, from) {
  nextBackslash = input.indexOf('\\', from);
  if (nextBackslash < 0) nextBackslash = input.length;
}

/**
 * Validates the string whose body starts at `bodyStart`, in the piece
 * `parts[bodyIdx]`, and finds its closing quote: the careful path, for a
 * body with escapes or control characters or no closing quote.
 *
 * @param {string} input
 * @param {string[]} parts the input split at its quotes.
 * @param {number} bodyIdx
 * @param {number} bodyStart
 * @returns {number} the index of the closing quote.
 */
function scanString(input, parts, bodyIdx, bodyStart) {
  let partIdx = bodyIdx;
  // The end of the current piece: the quote that may close the string, or
  // the end of the input after the last piece.
  let close = bodyStart + parts[partIdx].length;
  let pos = bodyStart;
  for (;;) {
    if (nextControl < pos) findControl(input, pos);
    if (nextBackslash < pos) findBackslash(input, pos);
    const control = nextControl;
    const stop = control < close ? control : close;
    if (nextBackslash >= stop) {
      if (control < close) fail(input, control, 'a control character in a string must be escaped');
      if (partIdx + 1 >= parts.length) endOfInput(input);
      return close;
    }
    pos = scanEscape(input, nextBackslash);
    if (pos > close) {
      // The escape was `\"`: the quote at `close` is part of the string.
      partIdx++;
      close += 1 + parts[partIdx].length;
    }
  }
}

/**
 * Validates the escape whose backslash is at `backslash`, both escapes of a
 * surrogate pair at once.
 *
 * @param {string} input
 * @param {number} backslash
 * @returns {number} the index after the escape (or the pair).
 */
function scanEscape(input, backslash) {
  const length = input.length;
  if (backslash + 1 >= length) endOfInput(input);
  switch (input.charCodeAt(backslash + 1)) {
    case QUOTE:
    case BACKSLASH:
    case SLASH:
    case LOWER_B:
    case LOWER_F:
    case LOWER_N:
    case LOWER_R:
    case LOWER_T:
      return backslash + 2;
    case LOWER_U:
      break;
    default:
      fail(input, backslash + 1, 'invalid escape');
  }
  let unit = 0;
  for (let at = backslash + 2; at < backslash + 6; at++) {
    if (at >= length) endOfInput(input);
    const digitUnit = input.charCodeAt(at);
    const digit = digitUnit < 128 ? HEX_VALUES[digitUnit] : -1;
    if (digit < 0) fail(input, at, 'invalid hex digit in a \\u escape');
    unit = (unit << 4) | digit;
    // The digits D and C-F already make a low surrogate, which is unpaired
    // here: a low surrogate that follows a high one is read below, never by
    // this loop.
    if (at === backslash + 3 && unit >= 0xdc && unit <= 0xdf) {
      fail(input, backslash, 'a low surrogate escape without a high surrogate escape before it');
    }
  }
  if (unit < 0xd800 || unit > 0xdbff) return backslash + 6;
  // A high surrogate: exactly a \u escape of a low surrogate must follow.  An
  // input that ends sooner reports the high surrogate too, not its length.
  const low = backslash + 6;
  if (
    low + 6 <= length &&
    input.charCodeAt(low) === BACKSLASH &&
    input.charCodeAt(low + 1) === LOWER_U &&
    (input.charCodeAt(low + 2) | 0x20) === 0x64 && // 'd' or 'D'
    isLowSurrogateSecondDigit(input.charCodeAt(low + 3)) &&
    hexValue(input.charCodeAt(low + 4)) >= 0 &&
    hexValue(input.charCodeAt(low + 5)) >= 0
  ) {
    return low + 6;
  }
  return fail(input, backslash, 'a high surrogate escape not followed by a low surrogate escape');
}

/**
 * Whether `unit` is C, D, E or F, of either case.
 *
 * @param {number} unit
 * @returns {boolean}
 */
function isLowSurrogateSecondDigit(unit) {
  const lower = unit | 0x20;
  return lower >= 0x63 && lower <= 0x66;
}

/**
 * The value of a hex digit of either case, or -1.
 *
 * @param {number} unit
 * @returns {number}
 */
function hexValue(unit) {
  return unit < 128 ? HEX_VALUES[unit] : -1;
}

// ---------------------------------------------------------------------------
// The printer.

/**
 * Validates and prints the whole input.
 *
 * @param {string} input
 * @param {string[] | null} newlines for format, the separator that starts a
 *   line at each depth; null for minify.
 * @param {boolean} sortKeys
 * @returns {string}
 */
function run(input, newlines, sortKeys) {
  const length = input.length;
  if (length > 0 && input.charCodeAt(0) === BOM) {
    fail(input, 0, 'a byte order mark (U+FEFF) is not allowed');
  }
  nextBackslash = nextControl = nextLineFeed = nextCarriageReturn = nextTab = nextOtherControl = -1;

  const pretty = newlines !== null;
  // Without sort-keys, each segment's output replaces the segment in
  // `parts`, and joining the pieces with '"' again gives the output, string
  // bodies included.  With sort-keys, `out` collects the output of the
  // current member instead, and every open object has a frame with the
  // output before it and the texts and keys of its members so far.
  const parts = input.split('"');
  const n_parts = parts.length;
  const frames = [];
  let frame = null;
  let out = '';
  let depth = 0;
  let state = S_TOP_VALUE;
  let segmentIdx = 0;
  let segmentStart = 0;

  for (;;) {
    const text = parts[segmentIdx];
    let segment = segmentCache.get(text);
    if (segment === undefined) segment = compileAndCache(text);
    const tokens = segment.tokens;
    const n_tokens = tokens.length;
    for (let token_idx = 0; token_idx < n_tokens; token_idx++) {
      const token = tokens[token_idx];
      const code = token & TOKEN_CODE;
      const next = TRANSITIONS[(state << 4) | code];
      if (next < N_STATES) {
        // A scalar, a comma or a colon.
        if (pretty) {
          if (code === T_SCALAR) {
            if (state === S_ARRAY_FIRST) out += newlines[depth];
            out += segment.texts[token_idx];
          } else if (code === T_COMMA) {
            if (sortKeys && state === S_OBJECT_AFTER) {
              frame.texts.push(out);
              out = '';
            } else {
              out += ',' + newlines[depth];
            }
          } else {
            out += ': ';
          }
        }
        state = next;
      } else if (next === A_PUSH) {
        if (depth === MAX_DEPTH) {
          fail(input, segmentStart + (token >> TOKEN_SHIFT), 'nesting deeper than 256 arrays and objects');
        }
        const isObject = code === T_OPEN_OBJECT;
        if (pretty) {
          if (state === S_ARRAY_FIRST) out += newlines[depth];
          out += isObject ? '{' : '[';
          if (isObject && sortKeys) {
            frame = { before: out, texts: [], keys: [] };
            frames.push(frame);
            out = '';
          }
        }
        returnStates[depth] = AFTER_VALUE[state];
        depth++;
        state = isObject ? S_OBJECT_FIRST : S_ARRAY_FIRST;
      } else if (next === A_POP) {
        depth--;
        if (pretty) {
          const closer = code === T_CLOSE_OBJECT ? '}' : ']';
          const empty = state === S_ARRAY_FIRST || state === S_OBJECT_FIRST;
          if (code === T_CLOSE_OBJECT && sortKeys) {
            if (empty) {
              out = frame.before + '}';
            } else {
              frame.texts.push(out);
              const separator = newlines[depth + 1];
              out = frame.before + separator + joinSorted(frame, ',' + separator) + newlines[depth] + '}';
            }
            frames.pop();
            frame = frames.length > 0 ? frames[frames.length - 1] : null;
          } else {
            out += empty ? closer : newlines[depth] + closer;
          }
        }
        state = returnStates[depth];
      } else if (code === T_BAD_SCALAR && AFTER_VALUE[state] >= 0) {
        // A value may start here, and this one goes wrong further on.
        fail(input, segmentStart + segment.texts[token_idx], 'malformed number or literal');
      } else {
        fail(input, segmentStart + (token >> TOKEN_SHIFT), code >= T_BAD_SCALAR ? 'unexpected character' : EXPECTED[state]);
      }
    }
    if (!pretty && segment.minifiedDiffers) parts[segmentIdx] = segment.minified;

    // The segment ends at a quote that opens a string, or at the end.
    const quote = segmentStart + text.length;
    if (segmentIdx + 1 >= n_parts) {
      if (state !== S_TOP_AFTER) endOfInput(input);
      if (!pretty) return parts.join('"');
      if (sortKeys) return out;
      parts[segmentIdx] = out;
      return parts.join('"');
    }
    const next = TRANSITIONS[(state << 4) | T_STRING];
    if (next >= N_STATES) fail(input, quote, EXPECTED[state]);
    const bodyIdx = segmentIdx + 1;
    const bodyStart = quote + 1;
    const bodyEnd = bodyStart + parts[bodyIdx].length;
    // The common case, decided with a few comparisons: no backslash and no
    // control character before the next quote, which closes the string.
    if (nextBackslash < bodyStart) findBackslash(input, bodyStart);
    if (nextControl < bodyStart) findControl(input, bodyStart);
    let close = bodyEnd;
    if (nextBackslash < bodyEnd || nextControl < bodyEnd || bodyIdx + 1 >= n_parts) {
      close = scanString(input, parts, bodyIdx, bodyStart);
    }
    if (pretty) {
      if (state === S_ARRAY_FIRST || (state === S_OBJECT_FIRST && !sortKeys)) out += newlines[depth];
      if (sortKeys) {
        const body = close === bodyEnd ? parts[bodyIdx] : input.slice(bodyStart, close);
        if (next === S_OBJECT_COLON) frame.keys.push(sortableKey(body));
        out += '"' + body + '"';
      } else {
        parts[segmentIdx] = out;
        out = '';
      }
    }
    state = next;
    // Step over the body's pieces (more than one if it holds `\"`) to the
    // segment after the closing quote.
    segmentIdx = bodyIdx + 1;
    if (close !== bodyEnd) {
      let pieceEnd = bodyEnd;
      while (pieceEnd < close) {
        pieceEnd += 1 + parts[segmentIdx].length;
        segmentIdx++;
      }
    }
    segmentStart = close + 1;
  }
}

/**
 * The members of a closing object, ordered by key and joined by `separator`.
 * The sort is stable, so equal keys keep their input order.
 *
 * @param {{texts: string[], keys: string[]}} frame
 * @param {string} separator
 * @returns {string}
 */
function joinSorted(frame, separator) {
  const { texts, keys } = frame;
  const n_members = texts.length;
  let inOrder = true;
  for (let idx = 1; idx < n_members; idx++) {
    if (keys[idx - 1] > keys[idx]) {
      inOrder = false;
      break;
    }
  }
  if (inOrder) return concatenate(texts, separator);
  const order = new Array(n_members);
  for (let idx = 0; idx < n_members; idx++) order[idx] = idx;
  // Array.prototype.sort is stable (ES2019).
  order.sort((left, right) => (keys[left] < keys[right] ? -1 : keys[left] > keys[right] ? 1 : 0));
  const sorted = new Array(n_members);
  for (let idx = 0; idx < n_members; idx++) sorted[idx] = texts[order[idx]];
  return concatenate(sorted, separator);
}

/**
 * `texts.join(separator)`, without copying the texts.
 *
 * A member's text holds the output of every object nested in it, as a rope
 * (a tree of concatenations).  `join` copies its parts into a flat string,
 * so joining at every closing object would copy the innermost members once
 * per enclosing object: at depth 256 with indent 16 that is hundreds of
 * megabytes.  Concatenation links the ropes instead, and the output is
 * copied once, when it is returned.
 *
 * @param {string[]} texts
 * @param {string} separator
 * @returns {string}
 */
function concatenate(texts, separator) {
  let res = texts[0];
  for (let idx = 1; idx < texts.length; idx++) res = res + separator + texts[idx];
  return res;
}

// ---------------------------------------------------------------------------
// Keys for sort-keys.

/** A raw key that must be decoded or re-ranked before comparing it. */
const KEY_NEEDS_WORK = /[\\\ud800-\uffff]/;
/** The escapes of a validated key. */
const KEY_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|([^u]))/g;
/** The code units whose UTF-16 order differs from code-point order. */
const HIGH_UNITS = /[\ud800-\uffff]/g;

/**
 * The code unit that one escape of a validated key stands for.  A surrogate
 * pair's two escapes decode to its two units, which form the pair again.
 *
 * @param {string} _escape
 * @param {string | undefined} hex the four digits of a `\u` escape.
 * @param {string | undefined} simple the character after the backslash.
 * @returns {string}
 */
function decodeEscape(_escape, hex, simple) {
  if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
  switch (simple) {
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      // '"', '\' and '/' stand for themselves.
      return simple;
  }
}

/**
 * Re-ranks a UTF-16 code unit so that comparing units compares code points:
 * surrogates (U+10000 and above) move after U+E000-U+FFFF.  The first units
 * that differ in two strings decide their order; if both are surrogates, or
 * both are not, re-ranking keeps their order.  The result is still a single
 * code unit, so re-ranked strings compare with `<`.
 *
 * @param {number} unit
 * @returns {number}
 */
function codePointRank(unit) {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

// ---------------------------------------------------------------------------
// Errors.

/**
 * Raises the contract's error for the UTF-16 index `index` of `input`.
 *
 * @param {string} input
 * @param {number} index
 * @param {string} message
 * @returns {never}
 */
function fail(input, index, message) {
  const offset = utf8Length(input, index);
  throw new FormatError(`at byte ${offset}: ${message}`, offset);
}

/**
 * Raises the error of an input that ends while it is still a valid prefix of
 * an accepted document: N is the input's length.
 *
 * @param {string} input
 * @returns {never}
 */
function endOfInput(input) {
  return fail(input, input.length, 'unexpected end of input');
}
