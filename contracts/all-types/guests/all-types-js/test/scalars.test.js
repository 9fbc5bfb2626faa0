// The rules of the `scalars` interface (src/rules.js), natively in Node, on
// the values the componentize-js bindings pass: numbers, bigints for 64-bit
// integers, one-code-point strings for chars.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { asciiUpper, nextScalar, reverseString, scalars, utf8Length } from '../src/rules.js';

/** The smallest positive f32, 2^-149 (a subnormal). */
const F32_MIN_SUBNORMAL = 2 ** -149;
/** The largest finite f32. */
const F32_MAX = Math.fround(3.4028234663852886e38);

describe('negate', () => {
  test('flips a bool', () => {
    assert.equal(scalars.negate(true), false);
    assert.equal(scalars.negate(false), true);
  });
});

describe('bump-signed', () => {
  test('adds one at each width', () => {
    assert.deepEqual(scalars.bumpSigned(0, 0, 0, 0n), [1, 1, 1, 1n]);
    assert.deepEqual(scalars.bumpSigned(-1, -1, -1, -1n), [0, 0, 0, 0n]);
    assert.deepEqual(scalars.bumpSigned(-128, -32768, -2147483648, -(2n ** 63n)), [-127, -32767, -2147483647, -(2n ** 63n) + 1n]);
  });

  test('wraps the maximum of each width to its minimum', () => {
    assert.deepEqual(scalars.bumpSigned(127, 32767, 2147483647, 2n ** 63n - 1n), [-128, -32768, -2147483648, -(2n ** 63n)]);
  });

  test('keeps the s64 a bigint, exact beyond 2^53', () => {
    const [, , , d] = scalars.bumpSigned(0, 0, 0, 2n ** 53n + 1n);
    assert.equal(typeof d, 'bigint');
    assert.equal(d, 2n ** 53n + 2n);
  });
});

describe('bump-unsigned', () => {
  test('adds one at each width', () => {
    assert.deepEqual(scalars.bumpUnsigned(0, 0, 0, 0n), [1, 1, 1, 1n]);
    assert.deepEqual(scalars.bumpUnsigned(254, 65534, 4294967294, 2n ** 64n - 2n), [255, 65535, 4294967295, 2n ** 64n - 1n]);
  });

  test('wraps the maximum of each width to zero', () => {
    assert.deepEqual(scalars.bumpUnsigned(255, 65535, 4294967295, 2n ** 64n - 1n), [0, 0, 0, 0n]);
  });

  test('a u64 above 2^53 and above 2^63 stays exact', () => {
    assert.equal(scalars.bumpUnsigned(0, 0, 0, 9007199254740993n)[3], 9007199254740994n);
    assert.equal(scalars.bumpUnsigned(0, 0, 0, 2n ** 63n - 1n)[3], 2n ** 63n);
    assert.equal(scalars.bumpUnsigned(0, 0, 0, 2n ** 63n)[3], 2n ** 63n + 1n);
  });
});

describe('halve', () => {
  test('divides both by two', () => {
    assert.deepEqual(scalars.halve(3, 3), [1.5, 1.5]);
    assert.deepEqual(scalars.halve(-1, 1e300), [-0.5, 5e299]);
    assert.deepEqual(scalars.halve(F32_MAX, Number.MAX_VALUE), [F32_MAX / 2, Number.MAX_VALUE / 2]);
  });

  test('rounds the f32 half to f32 (ties to even), the f64 half to f64', () => {
    // 2^-150 is no f32: it rounds to even, 0; as an f64 it is exact.
    const [x] = scalars.halve(F32_MIN_SUBNORMAL, 0);
    assert.ok(Object.is(x, 0), `halve(2^-149) as f32 is +0, got ${x}`);
    assert.equal(F32_MIN_SUBNORMAL / 2, 2 ** -150); // what an f64 division gives
    // 3 * 2^-149 halved is 1.5 * 2^-149, which rounds to even: 2 * 2^-149.
    assert.equal(scalars.halve(3 * F32_MIN_SUBNORMAL, 0)[0], 2 * F32_MIN_SUBNORMAL);
    // The smallest f64 halved is 2^-1075, which rounds to even: +0.
    assert.ok(Object.is(scalars.halve(0, Number.MIN_VALUE)[1], 0));
  });

  test('every f32 result is an f32', () => {
    for (const x of [F32_MIN_SUBNORMAL, 3 * F32_MIN_SUBNORMAL, Math.fround(0.1), Math.fround(1 / 3), F32_MAX]) {
      const [half] = scalars.halve(x, 0);
      assert.equal(Math.fround(half), half, `halve(${x})`);
    }
  });

  test('keeps the sign of zero', () => {
    const [x, y] = scalars.halve(-0, -0);
    assert.ok(Object.is(x, -0));
    assert.ok(Object.is(y, -0));
    const [px, py] = scalars.halve(0, 0);
    assert.ok(Object.is(px, 0));
    assert.ok(Object.is(py, 0));
  });

  test('NaN and the infinities', () => {
    const [x, y] = scalars.halve(NaN, NaN);
    assert.ok(Number.isNaN(x));
    assert.ok(Number.isNaN(y));
    assert.deepEqual(scalars.halve(Infinity, -Infinity), [Infinity, -Infinity]);
  });
});

describe('next-char', () => {
  const cases = [
    ['\0', 0, '\u{1}'],
    ['\u{7f}', 0x7f, '\u{80}'],
    ['a', 0x61, 'b'],
    ['\u{d7ff}', 0xd7ff, '\u{e000}'],
    ['\u{e000}', 0xe000, '\u{e001}'],
    ['\u{fffe}', 0xfffe, '\u{ffff}'],
    ['\u{ffff}', 0xffff, '\u{10000}'],
    ['😀', 0x1f600, '😁'],
    ['\u{10fffe}', 0x10fffe, '\u{10ffff}'],
    ['\u{10ffff}', 0x10ffff, '\0'],
  ];
  for (const [c, code, next] of cases) {
    test(`U+${code.toString(16).toUpperCase().padStart(4, '0')}`, () => {
      assert.deepEqual(scalars.nextChar(c), [code, next]);
    });
  }

  test('skips every surrogate and gives one code point', () => {
    for (let code = 0xd700; code <= 0xe100; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const next = nextScalar(String.fromCodePoint(code));
      const nextCode = next.codePointAt(0);
      assert.equal(Array.from(next).length, 1);
      assert.ok(nextCode < 0xd800 || nextCode > 0xdfff, `after U+${code.toString(16)}`);
      assert.equal(nextCode, code === 0xd7ff ? 0xe000 : code + 1);
    }
  });
});

describe('reverse-string', () => {
  const cases = [
    ['', ''],
    ['a', 'a'],
    ['ab\0c', 'c\0ba'],
    ['héllo, wörld 😀 𝄞', '𝄞 😀 dlröw ,olléh'],
    // Astral characters (surrogate pairs in UTF-16) stay whole.
    ['a😀b', 'b😀a'],
    ['😀𝄞', '𝄞😀'],
    ['\u{10ffff}\u{10000}', '\u{10000}\u{10ffff}'],
    // Scalar values, not grapheme clusters: the combining accent moves.
    ['e\u{301}x', 'x\u{301}e'],
    ['\u{feff}a', 'a\u{feff}'],
    ['a\u{feff}', '\u{feff}a'],
  ];
  for (const [s, reversed] of cases) {
    test(JSON.stringify(s), () => {
      assert.equal(scalars.reverseString(s), reversed);
    });
  }

  test('is not a reversal of UTF-16 units', () => {
    const s = 'x😀';
    assert.notEqual(reverseString(s), s.split('').reverse().join(''));
    assert.equal(reverseString(s).isWellFormed?.() ?? true, true);
  });

  test('twice is the identity', () => {
    for (const s of ['', 'abc', '😀a𝄞\u{10ffff}\0é']) assert.equal(reverseString(reverseString(s)), s);
  });
});

describe('echo-scalars and echo-wide', () => {
  test('echo-scalars gives every argument back in order', () => {
    const args = [true, -128, 255, -32768, 65535, -2147483648, 4294967295, -(2n ** 63n), 2n ** 64n - 1n, F32_MIN_SUBNORMAL, -0, '\u{10ffff}', 'a😀'];
    const result = scalars.echoScalars(...args);
    assert.equal(result.length, 13);
    for (let i = 0; i < args.length; i++) assert.ok(Object.is(result[i], args[i]), `element ${i}`);
  });

  test('echo-wide gives every argument back in order', () => {
    const bytes = Uint8Array.of(0, 255);
    const args = [255, 65535, 4294967295, 2n ** 64n - 1n, -128, -32768, -2147483648, -(2n ** 63n), NaN, -0, '\0', false, '', bytes, undefined];
    const result = scalars.echoWide(...args);
    assert.equal(result.length, 15);
    for (let i = 0; i < args.length; i++) assert.ok(Object.is(result[i], args[i]), `element ${i}`);
    assert.deepEqual(scalars.echoWide(...args.slice(0, 14), 7)[14], 7);
  });
});

describe('helpers', () => {
  test('utf8Length counts UTF-8 bytes per scalar value', () => {
    assert.equal(utf8Length(''), 0);
    assert.equal(utf8Length('\0'), 1);
    assert.equal(utf8Length('\u{7f}'), 1);
    assert.equal(utf8Length('\u{80}'), 2);
    assert.equal(utf8Length('\u{7ff}'), 2);
    assert.equal(utf8Length('\u{800}'), 3);
    assert.equal(utf8Length('\u{ffff}'), 3);
    assert.equal(utf8Length('\u{10000}'), 4);
    assert.equal(utf8Length('\u{10ffff}'), 4);
    const s = 'héllo, wörld 😀 𝄞';
    assert.equal(utf8Length(s), new TextEncoder().encode(s).length);
  });

  test('asciiUpper changes a-z only', () => {
    assert.equal(asciiUpper('aBc-é'), 'ABC-é');
    assert.equal(asciiUpper('straße'), 'STRAßE');
    assert.equal(asciiUpper('ﬀ ı ÿ µ'), 'ﬀ ı ÿ µ');
    assert.equal(asciiUpper('az{`@['), 'AZ{`@[');
  });
});
