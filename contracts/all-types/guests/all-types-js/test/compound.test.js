// The rules of the `compound` interface (src/rules.js), natively in Node.
// Lists of numbers are typed arrays both ways (the bindings lower a returned
// list<u8>, list<s32>, ... from its `buffer`, so a plain Array would not do).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { compound } from '../src/rules.js';

/**
 * Asserts that `actual` is a typed array of `type` holding `expected`
 * (compared with Object.is, so -0 and NaN count).
 */
function assertTyped(actual, type, expected) {
  assert.ok(actual instanceof type, `expected a ${type.name}, got ${actual?.constructor?.name}`);
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Object.is(actual[i], expected[i]), `element ${i}: ${actual[i]} is not ${expected[i]}`);
  }
}

describe('reverse-bytes', () => {
  test('reverses, as a Uint8Array', () => {
    assertTyped(compound.reverseBytes(Uint8Array.of(0, 255, 128)), Uint8Array, [128, 255, 0]);
    assertTyped(compound.reverseBytes(new Uint8Array(0)), Uint8Array, []);
    assertTyped(compound.reverseBytes(Uint8Array.of(7)), Uint8Array, [7]);
  });
});

describe('negate-all', () => {
  test('negates, wrapping, as an Int32Array', () => {
    assertTyped(compound.negateAll(Int32Array.of(-2147483648, 2147483647, 0, -1, 5)), Int32Array, [-2147483648, -2147483647, 0, 1, -5]);
    assertTyped(compound.negateAll(new Int32Array(0)), Int32Array, []);
  });
});

describe('bump-lists', () => {
  test('integers plus one, wrapping; floats halved', () => {
    const [a, b, c, d, e, f] = compound.bumpLists(
      Int8Array.of(127, -128, -1, 0),
      Uint16Array.of(65535, 0, 41),
      BigInt64Array.of(2n ** 63n - 1n, -1n, -(2n ** 63n)),
      BigUint64Array.of(2n ** 64n - 1n, 2n ** 53n + 1n, 0n),
      Float32Array.of(2 ** -149, -0, NaN, 3, Infinity),
      Float64Array.of(Number.MIN_VALUE, -0, NaN, 3, -Infinity),
    );
    assertTyped(a, Int8Array, [-128, -127, 0, 1]);
    assertTyped(b, Uint16Array, [0, 1, 42]);
    assertTyped(c, BigInt64Array, [-(2n ** 63n), 0n, -(2n ** 63n) + 1n]);
    assertTyped(d, BigUint64Array, [0n, 2n ** 53n + 2n, 1n]);
    assertTyped(e, Float32Array, [0, -0, NaN, 1.5, Infinity]);
    assertTyped(f, Float64Array, [0, -0, NaN, 1.5, -Infinity]);
  });

  test('empty lists stay empty, typed', () => {
    const result = compound.bumpLists(
      new Int8Array(0), new Uint16Array(0), new BigInt64Array(0),
      new BigUint64Array(0), new Float32Array(0), new Float64Array(0),
    );
    const types = [Int8Array, Uint16Array, BigInt64Array, BigUint64Array, Float32Array, Float64Array];
    result.forEach((list, i) => assertTyped(list, types[i], []));
  });
});

describe('flip-lists', () => {
  test('bools negated, chars advanced, strings in reverse order', () => {
    const [a, b, c] = compound.flipLists(
      [true, false, false],
      ['a', '\u{d7ff}', '\u{10ffff}', '\u{ffff}'],
      ['ab', 'c😀', ''],
    );
    assert.deepEqual(a, [false, true, true]);
    assert.deepEqual(b, ['b', '\u{e000}', '\0', '\u{10000}']);
    assert.deepEqual(c, ['', 'c😀', 'ab']); // each string unchanged
  });

  test('empty lists', () => {
    assert.deepEqual(compound.flipLists([], [], []), [[], [], []]);
  });
});

describe('swap', () => {
  test('exchanges x and y and upper-cases ASCII letters only', () => {
    assert.deepEqual(compound.swap({ x: -2147483648, y: 2147483647, label: 'aBc-é' }), { x: 2147483647, y: -2147483648, label: 'ABC-é' });
    assert.deepEqual(compound.swap({ x: 1, y: 2, label: 'straße ﬀ ı' }), { x: 2, y: 1, label: 'STRAßE ﬀ ı' });
    assert.deepEqual(compound.swap({ x: 0, y: 0, label: '\u{feff}' }), { x: 0, y: 0, label: '\u{feff}' });
  });

  test('gives s32 coordinates for a point passed as its unsigned bits', () => {
    assert.deepEqual(compound.swap({ x: 4294967295, y: 2147483648, label: '' }), { x: -2147483648, y: -1, label: '' });
  });
});

describe('sum-points', () => {
  const point = (x) => ({ x, y: 0, label: '' });

  test('counts, and sums x as an s64 bigint', () => {
    assert.deepEqual(compound.sumPoints([]), [0, 0n]);
    assert.deepEqual(compound.sumPoints([point(-5), point(7)]), [2, 2n]);
  });

  test('the sum does not overflow s32, nor lose precision', () => {
    assert.deepEqual(compound.sumPoints([point(2147483647), point(2147483647), point(2147483647)]), [3, 6442450941n]);
    assert.deepEqual(compound.sumPoints([point(-2147483648), point(-2147483648), point(-2147483648)]), [3, -6442450944n]);
    const many = Array.from({ length: 5000 }, () => point(2147483647));
    assert.deepEqual(compound.sumPoints(many), [5000, 5000n * 2147483647n]);
  });
});

describe('reverse-points', () => {
  test('reverses and swaps each', () => {
    assert.deepEqual(
      compound.reversePoints([{ x: 1, y: 2, label: 'a' }, { x: 3, y: 4, label: 'bé' }]),
      [{ x: 4, y: 3, label: 'Bé' }, { x: 2, y: 1, label: 'A' }],
    );
    assert.deepEqual(compound.reversePoints([]), []);
  });
});

describe('flip-segment', () => {
  const start = { x: 1, y: 2, label: 'start' };
  const end = { x: 3, y: 4, label: 'end' };

  test('exchanges start and end (unchanged), reverses tags, negates weight, appends to note', () => {
    assert.deepEqual(
      compound.flipSegment({ start, end, tags: ['a', 'b', 'c'], weight: 1.5, note: 'hi' }),
      { start: end, end: start, tags: ['c', 'b', 'a'], weight: -1.5, note: 'hi!' },
    );
  });

  test('none stays none', () => {
    const flipped = compound.flipSegment({ start, end, tags: [], weight: undefined, note: undefined });
    assert.equal(flipped.weight, undefined);
    assert.equal(flipped.note, undefined);
    assert.deepEqual(flipped.tags, []);
  });

  test('weight: IEEE negation, also of zero and NaN', () => {
    const weight = (w) => compound.flipSegment({ start, end, tags: [], weight: w, note: undefined }).weight;
    assert.ok(Object.is(weight(0), -0));
    assert.ok(Object.is(weight(-0), 0));
    assert.ok(Number.isNaN(weight(NaN)));
    assert.equal(weight(Infinity), -Infinity);
    assert.equal(weight(-Number.MIN_VALUE), Number.MIN_VALUE);
  });

  test('note: an empty note becomes "!"', () => {
    assert.equal(compound.flipSegment({ start, end, tags: [], weight: undefined, note: '' }).note, '!');
    assert.equal(compound.flipSegment({ start, end, tags: [], weight: undefined, note: '😀' }).note, '😀!');
  });
});

describe('bump-single', () => {
  test('plus one, wrapping at u8', () => {
    assert.deepEqual(compound.bumpSingle({ value: 0 }), { value: 1 });
    assert.deepEqual(compound.bumpSingle({ value: 254 }), { value: 255 });
    assert.deepEqual(compound.bumpSingle({ value: 255 }), { value: 0 });
  });
});

describe('rotate', () => {
  test('(a, b, c) becomes (c, a, b)', () => {
    assert.deepEqual(compound.rotate([7, 'seven', '😀']), ['😀', 7, 'seven']);
    assert.deepEqual(compound.rotate([255, '', '\0']), ['\0', 255, '']);
  });
});

describe('table', () => {
  test('rows reversed, each list reversed too', () => {
    const rows = compound.table([
      ['a', Int16Array.of(1, 2, -32768)],
      ['b', undefined],
      ['c', new Int16Array(0)],
    ]);
    assert.equal(rows.length, 3);
    assert.equal(rows[0][0], 'c');
    assertTyped(rows[0][1], Int16Array, []);
    assert.deepEqual(rows[1], ['b', undefined]);
    assert.equal(rows[2][0], 'a');
    assertTyped(rows[2][1], Int16Array, [-32768, 2, 1]);
    assert.deepEqual(compound.table([]), []);
  });
});
