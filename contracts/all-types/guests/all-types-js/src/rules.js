// The rules of the all-types contract (contracts/all-types/wit/all-types.wit),
// one function per exported function, on the JavaScript values that the
// bindings of componentize-js 0.19.3 hand to an export and take back from it.
//
// This module imports nothing and knows nothing of the bindings, so that the
// unit tests (test/*.test.js) run it natively in Node.  component.js wraps it
// into the exported interfaces; the only thing it changes is how a function's
// *returned* `result` is given back (a return for `ok`, a throw for `err`):
// here every result is a `{ tag: 'ok' | 'err', val }` object, as it is when it
// is an argument or nested in another value.
//
// The representation (read off the generated bindings; see README.md):
//
// | WIT                      | JavaScript                                        |
// | ------------------------ | ------------------------------------------------- |
// | bool                     | boolean                                           |
// | s8 s16 s32 u8 u16 u32    | number                                            |
// | s64 u64                  | bigint                                            |
// | f32 f64                  | number (an f32 is an f64 that is exactly an f32)  |
// | char                     | a string of one code point                        |
// | string                   | string                                            |
// | list<u8 s8 u16 s16 u32 s32 u64 s64 f32 f64> | the typed array of that type   |
// | list<anything else>      | Array                                             |
// | record                   | object, fields in camelCase                       |
// | tuple                    | Array                                             |
// | flags                    | object of booleans, one per flag (camelCase)      |
// | enum                     | the case's name, a string                         |
// | variant                  | `{ tag, val }`, `val` absent for a case without   |
// | result                   | `{ tag: 'ok' | 'err', val }`, `val` undefined     |
// |                          | where the case has no payload                     |
// | option<T>, T not option  | `undefined` (lowered: also `null`) or the value   |
// | option<option<T>>        | `{ tag: 'none' }` or `{ tag: 'some', val }` with  |
// |                          | `val` the inner option (`undefined` or a value)   |
//
// An option is tagged exactly when its payload can be `undefined` (when the
// payload is an untagged option), so the levels of a nested option alternate:
// option<option<option<string>>> is `undefined` or a tagged option<option<string>>,
// whose `val` is `undefined` or a string.
//
// Integers are wrapped here at their own width (the bindings would wrap a
// returned integer again, but the rules must not rely on it), and f32 results
// are rounded to f32 with Math.fround.

// ---------------------------------------------------------------------------
// Scalars.

/** @param {number} n @returns {number} n wrapped to s8. */
export const wrapS8 = (n) => (n << 24) >> 24;
/** @param {number} n @returns {number} n wrapped to s16. */
export const wrapS16 = (n) => (n << 16) >> 16;
/** @param {number} n @returns {number} n wrapped to s32. */
export const wrapS32 = (n) => n | 0;
/** @param {number} n @returns {number} n wrapped to u8. */
export const wrapU8 = (n) => n & 0xff;
/** @param {number} n @returns {number} n wrapped to u16. */
export const wrapU16 = (n) => n & 0xffff;
/** @param {number} n @returns {number} n wrapped to u32. */
export const wrapU32 = (n) => n >>> 0;
/** @param {bigint} n @returns {bigint} n wrapped to s64. */
export const wrapS64 = (n) => BigInt.asIntN(64, n);
/** @param {bigint} n @returns {bigint} n wrapped to u64. */
export const wrapU64 = (n) => BigInt.asUintN(64, n);

/** @param {number} x an f32 @returns {number} x / 2 rounded to f32. */
export const halveF32 = (x) => Math.fround(x / 2);
/** @param {number} x @returns {number} */
export const halveF64 = (x) => x / 2;

/**
 * The next Unicode scalar value after `c`: U+D7FF is followed by U+E000 (the
 * surrogates are skipped), and U+10FFFF by U+0000.
 *
 * @param {string} c one code point
 * @returns {string}
 */
export function nextScalar(c) {
  const code = c.codePointAt(0);
  if (code === 0xd7ff) return '\u{e000}';
  if (code === 0x10ffff) return '\0';
  return String.fromCodePoint(code + 1);
}

/**
 * The Unicode scalar values of `s` in reverse order.  A string iterates by
 * code points, so a surrogate pair (an astral character) stays whole.
 *
 * @param {string} s
 * @returns {string}
 */
export function reverseString(s) {
  return Array.from(s).reverse().join('');
}

/**
 * The length of `s` in UTF-8 bytes.
 *
 * @param {string} s a well-formed string (no lone surrogates)
 * @returns {number}
 */
export function utf8Length(s) {
  let bytes = 0;
  for (const c of s) {
    const code = c.codePointAt(0);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * The ASCII letters a-z in upper case, every other character unchanged
 * (String.prototype.toUpperCase would also change "é" and turn "ß" into "SS").
 *
 * @param {string} s
 * @returns {string}
 */
export function asciiUpper(s) {
  return s.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

export const scalars = {
  /** @param {boolean} b */
  negate: (b) => !b,

  /** @param {number} a @param {number} b @param {number} c @param {bigint} d */
  bumpSigned: (a, b, c, d) => [wrapS8(a + 1), wrapS16(b + 1), wrapS32(c + 1), wrapS64(d + 1n)],

  /** @param {number} a @param {number} b @param {number} c @param {bigint} d */
  bumpUnsigned: (a, b, c, d) => [wrapU8(a + 1), wrapU16(b + 1), wrapU32(c + 1), wrapU64(d + 1n)],

  /** @param {number} x an f32 @param {number} y */
  halve: (x, y) => [halveF32(x), halveF64(y)],

  /** @param {string} c */
  nextChar: (c) => [c.codePointAt(0), nextScalar(c)],

  reverseString,

  echoScalars: (...args) => args,

  echoWide: (...args) => args,
};

// ---------------------------------------------------------------------------
// Records, tuples and lists.

/**
 * `x` and `y` exchanged, the label's ASCII letters in upper case.
 *
 * @param {{x: number, y: number, label: string}} p
 */
export function swapPoint(p) {
  // `| 0`: a point in a variant's flattened payload can reach the export as
  // the unsigned value of its bits (see README.md), and is an s32 here.
  return { x: wrapS32(p.y), y: wrapS32(p.x), label: asciiUpper(p.label) };
}

export const compound = {
  /** @param {Uint8Array} l */
  reverseBytes: (l) => Uint8Array.from(l).reverse(),

  /** @param {Int32Array} l */
  negateAll: (l) => Int32Array.from(l, (n) => wrapS32(-n)),

  /**
   * @param {Int8Array} a @param {Uint16Array} b @param {BigInt64Array} c
   * @param {BigUint64Array} d @param {Float32Array} e @param {Float64Array} f
   */
  bumpLists: (a, b, c, d, e, f) => [
    Int8Array.from(a, (n) => wrapS8(n + 1)),
    Uint16Array.from(b, (n) => wrapU16(n + 1)),
    BigInt64Array.from(c, (n) => wrapS64(n + 1n)),
    BigUint64Array.from(d, (n) => wrapU64(n + 1n)),
    Float32Array.from(e, halveF32),
    Float64Array.from(f, halveF64),
  ],

  /** @param {boolean[]} a @param {string[]} b @param {string[]} c */
  flipLists: (a, b, c) => [a.map((x) => !x), b.map(nextScalar), [...c].reverse()],

  swap: swapPoint,

  /** @param {{x: number}[]} ps */
  sumPoints: (ps) => [ps.length >>> 0, ps.reduce((sum, p) => sum + BigInt(wrapS32(p.x)), 0n)],

  /** @param {{x: number, y: number, label: string}[]} ps */
  reversePoints: (ps) => [...ps].reverse().map(swapPoint),

  /**
   * @param {{start: object, end: object, tags: string[], weight: number | undefined,
   *          note: string | undefined}} s
   */
  flipSegment: (s) => ({
    start: s.end,
    end: s.start,
    tags: [...s.tags].reverse(),
    weight: s.weight == null ? undefined : -s.weight,
    note: s.note == null ? undefined : `${s.note}!`,
  }),

  /** @param {{value: number}} s */
  bumpSingle: (s) => ({ value: wrapU8(s.value + 1) }),

  /** @param {[number, string, string]} t */
  rotate: ([a, b, c]) => [c, a, b],

  /** @param {[string, Int16Array | undefined][]} rows */
  table: (rows) =>
    [...rows].reverse().map(([name, list]) => [name, list == null ? undefined : Int16Array.from(list).reverse()]),
};

// ---------------------------------------------------------------------------
// Variants, enums, flags, options and results.

/** The cases of `color`, in order. */
export const COLORS = ['red', 'green', 'blue'];

/** The number of cases of `big` (c0 ... c299). */
export const BIG_CASES = 300;

/** The members of each flags type, in order. */
export const FLAGS = {
  flags1: ['a0'],
  flags8: Array.from({ length: 8 }, (_, i) => `b${i}`),
  perms: ['read', 'write', 'exec', 'admin', 'owner', 'group', 'other', 'sticky', 'setuid'],
  flags16: Array.from({ length: 16 }, (_, i) => `d${i}`),
  flags17: Array.from({ length: 17 }, (_, i) => `e${i}`),
  flags32: Array.from({ length: 32 }, (_, i) => `g${i}`),
};

/**
 * Every member of a flags value flipped: the result has exactly the type's
 * members, each the negation of the argument's (a missing member is unset).
 *
 * @param {string[]} members
 * @param {Record<string, boolean> | null | undefined} flags
 * @returns {Record<string, boolean>}
 */
export function complementFlags(members, flags) {
  const result = {};
  for (const name of members) result[name] = !(flags != null && flags[name]);
  return result;
}

/**
 * @param {{tag: string, val?: unknown}} s a shape
 * @returns {{tag: string, val?: unknown}}
 */
export function mirror(s) {
  switch (s.tag) {
    case 'circle':
      return { tag: 'circle', val: -s.val };
    case 'rect':
      return { tag: 'rect', val: swapPoint(s.val) };
    case 'empty':
      return { tag: 'empty' };
    case 'named':
      return { tag: 'named', val: reverseString(s.val) };
    default:
      throw new TypeError(`not a case of shape: ${s.tag}`);
  }
}

/** @param {string} c a color */
export function nextColor(c) {
  const index = COLORS.indexOf(c);
  if (index < 0) throw new TypeError(`not a case of color: ${c}`);
  return COLORS[(index + 1) % COLORS.length];
}

/** @param {string} b a case of big, `c0` to `c299` */
export function nextBig(b) {
  const n = /^c(0|[1-9][0-9]*)$/.test(b) ? Number(b.slice(1)) : NaN;
  if (!(n < BIG_CASES)) throw new TypeError(`not a case of big: ${b}`);
  return `c${(n + 1) % BIG_CASES}`;
}

/** @param {Record<string, boolean>} p perms */
export const invert = (p) => complementFlags(FLAGS.perms, p);

/**
 * `flip`: `ok(n)` becomes `ok` of `n` in decimal, `err(s)` becomes `err` of
 * the length of `s` in UTF-8 bytes.
 *
 * @param {{tag: 'ok', val: number} | {tag: 'err', val: string}} r result<u32, string>
 * @returns {{tag: 'ok', val: string} | {tag: 'err', val: number}} result<string, u32>
 */
export function flip(r) {
  return r.tag === 'ok' ? { tag: 'ok', val: String(r.val) } : { tag: 'err', val: utf8Length(r.val) };
}

/**
 * The `outcome` case of `transform`: `ok(n)` becomes `err(n in decimal)`,
 * `err(s)` becomes `ok(length of s in UTF-8 bytes)`.
 *
 * @param {{tag: 'ok', val: number} | {tag: 'err', val: string}} r result<u32, string>
 * @returns {{tag: 'ok', val: number} | {tag: 'err', val: string}} result<u32, string>
 */
export function flipOutcome(r) {
  return r.tag === 'ok' ? { tag: 'err', val: String(r.val) } : { tag: 'ok', val: utf8Length(r.val) };
}

/**
 * The rule of `parse-u8`: ASCII digits only, at least one, no sign, leading
 * zeros allowed, a value of at most 255.
 *
 * @param {string} s
 * @returns {{tag: 'ok', val: number} | {tag: 'err', val: undefined}}
 */
export function parseU8(s) {
  if (s.length === 0) return { tag: 'err', val: undefined };
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return { tag: 'err', val: undefined };
    n = n * 10 + (code - 0x30);
    if (n > 255) return { tag: 'err', val: undefined };
  }
  return { tag: 'ok', val: n };
}

/**
 * @param {{tag: string, val?: any}} p a payload
 * @returns {{tag: string, val?: any}}
 */
export function transform(p) {
  const { tag, val } = p;
  switch (tag) {
    case 'nothing':
      return { tag };
    case 'boolean':
      return { tag, val: !val };
    case 'int8':
      return { tag, val: wrapS8(val + 1) };
    case 'uint8':
      return { tag, val: wrapU8(val + 1) };
    case 'int16':
      return { tag, val: wrapS16(val + 1) };
    case 'uint16':
      return { tag, val: wrapU16(val + 1) };
    case 'int32':
      return { tag, val: wrapS32(val + 1) };
    case 'uint32':
      return { tag, val: wrapU32(val + 1) };
    case 'int64':
      return { tag, val: wrapS64(val + 1n) };
    case 'uint64':
      return { tag, val: wrapU64(val + 1n) };
    case 'float32':
      return { tag, val: halveF32(val) };
    case 'float64':
      return { tag, val: halveF64(val) };
    case 'letter':
      return { tag, val: nextScalar(val) };
    case 'text':
      return { tag, val: reverseString(val) };
    case 'bytes':
      return { tag, val: compound.reverseBytes(val) };
    case 'point':
      return { tag, val: swapPoint(val) };
    case 'color':
      return { tag, val: nextColor(val) };
    case 'perms':
      return { tag, val: invert(val) };
    case 'maybe':
      return { tag, val: val == null ? undefined : wrapU32(val + 1) };
    case 'outcome':
      return { tag, val: flipOutcome(val) };
    case 'pair':
      return { tag, val: [wrapU32(val[0] + 1), reverseString(val[1])] };
    case 'shape':
      return { tag, val: mirror(val) };
    default:
      throw new TypeError(`not a case of payload: ${tag}`);
  }
}

/** @param {{tag: string, val?: any}} s a step */
export function nextStep(s) {
  switch (s.tag) {
    case 'idle':
      return { tag: 'count', val: 0 };
    case 'count':
      return { tag: 'total', val: s.val };
    case 'total':
      return { tag: 'message', val: String(s.val) };
    case 'message':
      return { tag: 'idle' };
    default:
      throw new TypeError(`not a case of step: ${s.tag}`);
  }
}

export const variants = {
  mirror,
  nextColor,
  nextBig,
  transform,
  nextStep,
  invert,

  complement: (a, b, c, d, e, f) => [
    complementFlags(FLAGS.flags1, a),
    complementFlags(FLAGS.flags8, b),
    complementFlags(FLAGS.perms, c),
    complementFlags(FLAGS.flags16, d),
    complementFlags(FLAGS.flags17, e),
    complementFlags(FLAGS.flags32, f),
  ],

  /**
   * @param {{tag: 'none'} | {tag: 'some', val: number | undefined}} o option<option<u32>>
   * @returns {number | undefined} option<u32>
   */
  peel(o) {
    if (o.tag === 'none') return undefined;
    return o.val == null ? 0 : wrapU32(o.val + 1);
  },

  /** @param {(number | undefined)[]} l */
  bumpOptions: (l) => l.map((o) => (o == null ? undefined : wrapU8(o + 1))),

  /**
   * `some(o)`.  `o`, an option<option<string>>, is tagged (its payload is a
   * plain option), so the option<option<option<string>>> around it is not:
   * `some(o)` is `o` itself, and `none` would be `undefined`.
   *
   * @param {{tag: 'none'} | {tag: 'some', val: string | undefined}} o
   */
  deepen: (o) => o,

  flip,

  /** @param {{tag: 'ok' | 'err'}} r result */
  toggle: (r) => (r.tag === 'ok' ? { tag: 'err', val: 'was ok' } : { tag: 'ok', val: undefined }),

  /** @param {{tag: 'ok', val: bigint} | {tag: 'err'}} r result<u64> */
  swapOk: (r) => (r.tag === 'ok' ? { tag: 'err', val: r.val } : { tag: 'ok', val: undefined }),

  /** @param {{tag: 'ok'} | {tag: 'err', val: string}} r result<_, string> */
  swapErr: (r) => (r.tag === 'err' ? { tag: 'ok', val: r.val } : { tag: 'err', val: undefined }),

  parseU8,

  echoPayload: (p) => p,

  echoFlags: (...flags) => flags,
};

// ---------------------------------------------------------------------------
// Deep nesting.

/**
 * @param {({tag: 'ok', val: [string, bigint | undefined][]} | {tag: 'err', val: object} | undefined)[]} d
 */
export function nest(d) {
  return [...d].reverse().map((element) => {
    if (element == null) return undefined;
    if (element.tag === 'ok') {
      return {
        tag: 'ok',
        val: [...element.val].reverse().map(([c, n]) => [nextScalar(c), n == null ? undefined : wrapS64(n + 1n)]),
      };
    }
    return { tag: 'err', val: mirror(element.val) };
  });
}

export const nested = {
  nest,
  echoDeep: (d) => d,
  echoCompound: (...args) => args,
};
