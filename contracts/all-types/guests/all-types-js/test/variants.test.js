// The rules of the `variants` and `nested` interfaces (src/rules.js),
// natively in Node, on the componentize-js representation: variants and
// results `{ tag, val }`, enums strings, flags objects of booleans, options
// `undefined` or the value except where the payload is itself an option.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BIG_CASES, FLAGS, complementFlags, flipOutcome, nested, variants } from '../src/rules.js';

const ok = (val) => ({ tag: 'ok', val });
const err = (val) => ({ tag: 'err', val });

describe('mirror', () => {
  test('each case', () => {
    assert.deepEqual(variants.mirror({ tag: 'circle', val: 1.5 }), { tag: 'circle', val: -1.5 });
    assert.deepEqual(variants.mirror({ tag: 'rect', val: { x: -1, y: 2, label: 'ab' } }), { tag: 'rect', val: { x: 2, y: -1, label: 'AB' } });
    assert.deepEqual(variants.mirror({ tag: 'empty' }), { tag: 'empty' });
    assert.deepEqual(variants.mirror({ tag: 'named', val: 'a😀b' }), { tag: 'named', val: 'b😀a' });
  });

  test('circle: IEEE negation of zero and NaN', () => {
    assert.ok(Object.is(variants.mirror({ tag: 'circle', val: 0 }).val, -0));
    assert.ok(Object.is(variants.mirror({ tag: 'circle', val: -0 }).val, 0));
    assert.ok(Number.isNaN(variants.mirror({ tag: 'circle', val: NaN }).val));
  });

  test('an unknown case is a bug', () => {
    assert.throws(() => variants.mirror({ tag: 'square', val: 1 }), TypeError);
  });
});

describe('next-color', () => {
  test('red, green, blue, red', () => {
    assert.equal(variants.nextColor('red'), 'green');
    assert.equal(variants.nextColor('green'), 'blue');
    assert.equal(variants.nextColor('blue'), 'red');
    assert.throws(() => variants.nextColor('Red'), TypeError);
  });
});

describe('next-big', () => {
  test('c299 wraps to c0', () => {
    assert.equal(variants.nextBig('c299'), 'c0');
    assert.equal(variants.nextBig('c0'), 'c1');
    assert.equal(variants.nextBig('c255'), 'c256');
    assert.equal(variants.nextBig('c298'), 'c299');
  });

  test('every case moves to the next, and the 300 form one cycle', () => {
    const seen = new Set();
    let b = 'c0';
    for (let i = 0; i < BIG_CASES; i++) {
      seen.add(b);
      const next = variants.nextBig(b);
      assert.equal(next, `c${(i + 1) % BIG_CASES}`);
      b = next;
    }
    assert.equal(b, 'c0');
    assert.equal(seen.size, 300);
  });

  test('a name that is no case is a bug', () => {
    for (const name of ['c300', 'c01', 'c-1', 'C1', 'c', '']) assert.throws(() => variants.nextBig(name), TypeError, name);
  });
});

/** Asserts that `flags` has exactly the members `members`, set as `expected`. */
function assertFlags(flags, members, expected) {
  assert.deepEqual(Object.keys(flags).sort(), [...members].sort());
  for (const name of members) assert.equal(flags[name], expected.includes(name), name);
}

describe('invert', () => {
  test('flips all nine flags, including the ninth (setuid)', () => {
    const none = Object.fromEntries(FLAGS.perms.map((name) => [name, false]));
    assertFlags(variants.invert(none), FLAGS.perms, FLAGS.perms);
    const all = Object.fromEntries(FLAGS.perms.map((name) => [name, true]));
    assertFlags(variants.invert(all), FLAGS.perms, []);
    assertFlags(variants.invert({ ...none, setuid: true }), FLAGS.perms, FLAGS.perms.filter((name) => name !== 'setuid'));
    assertFlags(variants.invert({ ...none, read: true, sticky: true }), FLAGS.perms, ['write', 'exec', 'admin', 'owner', 'group', 'other', 'setuid']);
  });
});

describe('complement', () => {
  test('the member lists have 1, 8, 9, 16, 17 and 32 flags', () => {
    assert.deepEqual(Object.values(FLAGS).map((members) => members.length), [1, 8, 9, 16, 17, 32]);
    assert.deepEqual(FLAGS.flags32.slice(-2), ['g30', 'g31']);
    assert.deepEqual(FLAGS.flags17.slice(-1), ['e16']);
  });

  test('flips exactly the members of each type', () => {
    const types = Object.values(FLAGS);
    // Every other flag set, starting with the first, and then the last alone.
    const alternate = types.map((members) => Object.fromEntries(members.map((name, i) => [name, i % 2 === 0])));
    const result = variants.complement(...alternate);
    assert.equal(result.length, 6);
    result.forEach((flags, t) => assertFlags(flags, types[t], types[t].filter((_, i) => i % 2 === 1)));

    const lastOnly = types.map((members) => Object.fromEntries(members.map((name, i) => [name, i === members.length - 1])));
    variants.complement(...lastOnly).forEach((flags, t) => assertFlags(flags, types[t], types[t].slice(0, -1)));
  });

  test('the empty set becomes the full set, and back', () => {
    const types = Object.values(FLAGS);
    const empty = types.map(() => ({}));
    const full = variants.complement(...empty);
    full.forEach((flags, t) => assertFlags(flags, types[t], types[t]));
    variants.complement(...full).forEach((flags, t) => assertFlags(flags, types[t], []));
  });

  test('complementFlags ignores keys that are no member', () => {
    assert.deepEqual(complementFlags(['a0'], { a0: false, b0: true }), { a0: true });
  });
});

describe('transform', () => {
  const cases = [
    ['nothing', undefined, undefined],
    ['boolean', true, false],
    ['boolean', false, true],
    ['int8', 127, -128],
    ['int8', -1, 0],
    ['int8', -128, -127],
    ['uint8', 255, 0],
    ['int16', 32767, -32768],
    ['int16', -32768, -32767],
    ['uint16', 65535, 0],
    ['int32', 2147483647, -2147483648],
    // An s32 that reaches the export as its unsigned bits (see README.md).
    ['int32', 4294967295, 0],
    ['uint32', 4294967295, 0],
    ['int64', 2n ** 63n - 1n, -(2n ** 63n)],
    ['int64', -1n, 0n],
    ['uint64', 2n ** 64n - 1n, 0n],
    ['uint64', 2n ** 53n + 1n, 2n ** 53n + 2n],
    ['float32', 2 ** -149, 0],
    ['float32', 3, 1.5],
    ['float32', -0, -0],
    ['float64', Number.MIN_VALUE, 0],
    ['float64', -3, -1.5],
    ['letter', '\u{10ffff}', '\0'],
    ['letter', '\u{d7ff}', '\u{e000}'],
    ['text', 'a😀b', 'b😀a'],
    ['point', { x: -1, y: 5, label: 'xé' }, { x: 5, y: -1, label: 'Xé' }],
    ['color', 'blue', 'red'],
    ['maybe', undefined, undefined],
    ['maybe', 4294967295, 0],
    ['maybe', 0, 1],
    ['outcome', ok(42), err('42')],
    ['outcome', ok(4294967295), err('4294967295')],
    ['outcome', err('é😀'), ok(6)],
    ['outcome', err(''), ok(0)],
    ['pair', [4294967295, 'ab'], [0, 'ba']],
    ['pair', [1, '😀x'], [2, 'x😀']],
    ['shape', { tag: 'circle', val: 2 }, { tag: 'circle', val: -2 }],
    ['shape', { tag: 'named', val: 'ab' }, { tag: 'named', val: 'ba' }],
    ['shape', { tag: 'empty' }, { tag: 'empty' }],
  ];
  for (const [tag, val, expected] of cases) {
    test(`${tag}(${typeof val === 'object' ? JSON.stringify(val) : String(val)})`, () => {
      const payload = val === undefined && tag === 'nothing' ? { tag } : { tag, val };
      const result = variants.transform(payload);
      assert.equal(result.tag, tag);
      if (typeof expected === 'number') assert.ok(Object.is(result.val, expected), `${result.val} is not ${expected}`);
      else assert.deepEqual(result.val, expected);
    });
  }

  test('bytes: reversed, a Uint8Array', () => {
    const result = variants.transform({ tag: 'bytes', val: Uint8Array.of(1, 2, 255) });
    assert.ok(result.val instanceof Uint8Array);
    assert.deepEqual([...result.val], [255, 2, 1]);
  });

  test('perms: every flag flipped', () => {
    const result = variants.transform({ tag: 'perms', val: { read: true, write: false, exec: false, admin: false, owner: false, group: false, other: false, sticky: false, setuid: false } });
    assertFlags(result.val, FLAGS.perms, FLAGS.perms.filter((name) => name !== 'read'));
  });

  test('float NaN stays NaN', () => {
    assert.ok(Number.isNaN(variants.transform({ tag: 'float32', val: NaN }).val));
    assert.ok(Number.isNaN(variants.transform({ tag: 'float64', val: NaN }).val));
  });

  test('a payload integer keeps its JavaScript type', () => {
    assert.equal(typeof variants.transform({ tag: 'int64', val: 1n }).val, 'bigint');
    assert.equal(typeof variants.transform({ tag: 'uint32', val: 1 }).val, 'number');
  });

  test('flipOutcome is the outcome rule', () => {
    assert.deepEqual(flipOutcome(ok(0)), err('0'));
    assert.deepEqual(flipOutcome(err('abc')), ok(3));
  });
});

describe('next-step', () => {
  test('idle, count, total, message, idle', () => {
    assert.deepEqual(variants.nextStep({ tag: 'idle' }), { tag: 'count', val: 0 });
    assert.deepEqual(variants.nextStep({ tag: 'count', val: 7 }), { tag: 'total', val: 7 });
    assert.deepEqual(variants.nextStep({ tag: 'total', val: 4294967295 }), { tag: 'message', val: '4294967295' });
    assert.deepEqual(variants.nextStep({ tag: 'total', val: 0 }), { tag: 'message', val: '0' });
    assert.deepEqual(variants.nextStep({ tag: 'message', val: 'x' }), { tag: 'idle' });
  });
});

describe('peel', () => {
  test('none, some(none), some(some(n))', () => {
    assert.equal(variants.peel({ tag: 'none' }), undefined);
    assert.equal(variants.peel({ tag: 'some', val: undefined }), 0);
    assert.equal(variants.peel({ tag: 'some', val: 0 }), 1);
    assert.equal(variants.peel({ tag: 'some', val: 41 }), 42);
    assert.equal(variants.peel({ tag: 'some', val: 4294967295 }), 0);
  });
});

describe('bump-options', () => {
  test('some(n) plus one, wrapping; none stays none', () => {
    assert.deepEqual(variants.bumpOptions([undefined, 0, 255, 7, undefined]), [undefined, 1, 0, 8, undefined]);
    assert.deepEqual(variants.bumpOptions([]), []);
  });
});

describe('deepen', () => {
  // The bindings' lowering of option<option<option<string>>>: the outer level
  // is `undefined` for none, anything else is some; its payload is tagged;
  // the innermost is `undefined` or the string.  Decoded to a neutral form.
  const decode1 = (v) => (v == null ? 'none' : { some: v });
  const decode2 = (v) => {
    assert.ok(v.tag === 'none' || v.tag === 'some', `not a tagged option: ${JSON.stringify(v)}`);
    return v.tag === 'none' ? 'none' : { some: decode1(v.val) };
  };
  const decode3 = (v) => (v == null ? 'none' : { some: decode2(v) });

  const inputs = [{ tag: 'none' }, { tag: 'some', val: undefined }, { tag: 'some', val: 'x' }, { tag: 'some', val: '' }];
  for (const o of inputs) {
    test(`some(${JSON.stringify(o)})`, () => {
      assert.deepEqual(decode3(variants.deepen(o)), { some: decode2(o) });
    });
  }
});

describe('flip', () => {
  test('ok(n) becomes ok of n in decimal', () => {
    assert.deepEqual(variants.flip(ok(0)), ok('0'));
    assert.deepEqual(variants.flip(ok(4294967295)), ok('4294967295'));
  });

  test('err(s) becomes err of its length in UTF-8 bytes', () => {
    assert.deepEqual(variants.flip(err('')), err(0));
    assert.deepEqual(variants.flip(err('\0')), err(1));
    assert.deepEqual(variants.flip(err('é')), err(2));
    assert.deepEqual(variants.flip(err('\u{ffff}')), err(3));
    assert.deepEqual(variants.flip(err('😀')), err(4));
    assert.deepEqual(variants.flip(err('aé😀')), err(7));
  });
});

describe('result shapes', () => {
  test('toggle: ok becomes err("was ok"), err becomes ok', () => {
    assert.deepEqual(variants.toggle(ok(undefined)), err('was ok'));
    assert.deepEqual(variants.toggle(err(undefined)), ok(undefined));
  });

  test('swap-ok: ok(n) becomes err(n), err becomes ok', () => {
    assert.deepEqual(variants.swapOk(ok(2n ** 64n - 1n)), err(2n ** 64n - 1n));
    assert.deepEqual(variants.swapOk(ok(0n)), err(0n));
    assert.deepEqual(variants.swapOk(err(undefined)), ok(undefined));
  });

  test('swap-err: err(s) becomes ok(s), ok becomes err', () => {
    assert.deepEqual(variants.swapErr(err('s😀')), ok('s😀'));
    assert.deepEqual(variants.swapErr(err('')), ok(''));
    assert.deepEqual(variants.swapErr(ok(undefined)), err(undefined));
  });
});

describe('parse-u8', () => {
  const accepted = [
    ['0', 0],
    ['00', 0],
    ['7', 7],
    ['007', 7],
    ['99', 99],
    ['255', 255],
    ['0255', 255],
    ['0000000000000000000255', 255],
    ['0'.repeat(10000) + '1', 1],
  ];
  for (const [s, n] of accepted) {
    test(`${JSON.stringify(s.length > 30 ? `${s.slice(0, 10)}...` : s)} is ok(${n})`, () => {
      assert.deepEqual(variants.parseU8(s), ok(n));
    });
  }

  const rejected = ['', '256', '999', '1000', '2555', '99999999999999999999999', '+1', '-0', '-1', ' 1', '1 ', '1\n',
    '１', '٣', '1e2', '0x10', '1.0', '1_0', 'a', '\0', '2\u{300}'];
  for (const s of rejected) {
    test(`${JSON.stringify(s)} is err`, () => {
      assert.deepEqual(variants.parseU8(s), err(undefined));
    });
  }
});

describe('echo-payload and echo-flags', () => {
  test('identities', () => {
    const p = { tag: 'outcome', val: err('x') };
    assert.equal(variants.echoPayload(p), p);
    const flags = [{ a0: true }, {}, { setuid: true }, {}, { e16: true }, { g31: true }];
    const result = variants.echoFlags(...flags);
    assert.equal(result.length, 6);
    result.forEach((f, i) => assert.equal(f, flags[i]));
  });
});

describe('nest', () => {
  test('outer list reversed; ok lists reversed and advanced; err shapes mirrored; none stays', () => {
    const rect = { tag: 'rect', val: { x: -3, y: 4, label: 'ab' } };
    const result = nested.nest([
      undefined,
      ok([['a', 5n], ['\u{10ffff}', undefined], ['\u{d7ff}', 2n ** 63n - 1n]]),
      err(rect),
      ok([]),
      err({ tag: 'named', val: '😀z' }),
    ]);
    assert.deepEqual(result, [
      err({ tag: 'named', val: 'z😀' }),
      ok([]),
      err({ tag: 'rect', val: { x: 4, y: -3, label: 'AB' } }),
      ok([['\u{e000}', -(2n ** 63n)], ['\0', undefined], ['b', 6n]]),
      undefined,
    ]);
    assert.deepEqual(nested.nest([]), []);
  });

  test('circle errors are negated', () => {
    const [e] = nested.nest([err({ tag: 'circle', val: 0 })]);
    assert.ok(Object.is(e.val.val, -0));
  });
});

describe('echo-deep and echo-compound', () => {
  test('identities', () => {
    const d = [undefined, ok([['a', 1n]]), err({ tag: 'empty' })];
    assert.equal(nested.echoDeep(d), d);
    const args = [{ start: {}, end: {}, tags: [], weight: undefined, note: undefined }, 'c299', { e16: true }, ok([{ value: 1 }, 'x']), []];
    const result = nested.echoCompound(...args);
    assert.equal(result.length, 5);
    result.forEach((v, i) => assert.equal(v, args[i]));
  });
});
