// Tests of values.mjs: every vector of hosts/protocol-vectors.json, the
// JavaScript side of the awkward cases, and the same values sent through a
// real jco-transpiled component (test/fixtures/echo-component.mjs), so that
// what is asserted about jco's representation is what jco does.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { callTyped } from '../guest.mjs';
import { RAW_STRINGS, ValueError, exportedFunction, fromWire, lowerCamelCase, toWire } from '../values.mjs';
import { ECHO_INTERFACE, PAD, buildEchoComponent } from './fixtures/echo-component.mjs';

const VECTORS = JSON.parse(readFileSync(new URL('../../protocol-vectors.json', import.meta.url), 'utf8')).vectors;

/** Wire -> JS -> wire text, with strings inline. */
function roundTrip(type, json) {
  return JSON.parse(toWire(type, fromWire(type, json)));
}

test('every vector round-trips wire -> JS -> wire unchanged', () => {
  assert.ok(VECTORS.length > 50, 'the vectors are there');
  for (const { name, type, json } of VECTORS) {
    // deepStrictEqual tells -0 from 0.
    assert.deepStrictEqual(roundTrip(type, json), json, name);
  }
});

test('every vector round-trips with its strings as raw strings', () => {
  for (const { name, type, json } of VECTORS) {
    const raws = [];
    const text = toWire(type, fromWire(type, json), (raw) => raws.push(raw));
    const n_raws = raws.length;
    const again = fromWire(type, JSON.parse(text), () => {
      assert.ok(raws.length > 0, `${name}: a null string without a raw string`);
      return raws.shift();
    });
    assert.equal(raws.length, 0, `${name}: every raw string is taken`);
    assert.deepStrictEqual(JSON.parse(toWire(type, again)), json, name);
    if (type === 'string') assert.deepEqual([n_raws, text], [1, 'null'], `${name}: a string goes raw`);
  }
});

test('a string at depth is a raw string, in order', () => {
  const type = { record: [{ name: 'a', type: 'string' }, { name: 'b', type: { list: { option: 'string' } } }, { name: 'c', type: 'char' }] };
  const raws = [];
  const text = toWire(type, { a: 'one', b: ['two', undefined, 'three'], c: 'x' }, (raw) => raws.push(raw));
  assert.equal(text, '{"a":null,"b":[{"some":null},null,{"some":null}],"c":"x"}');
  assert.deepEqual(raws, ['one', 'two', 'three'], 'a char is not a string');
  const queue = ['1', '2'];
  assert.deepEqual(fromWire(type, { a: null, b: [{ some: null }, null, { some: 'inline' }], c: 'y' }, () => queue.shift()),
    { a: '1', b: ['2', undefined, 'inline'], c: 'y' });
  assert.throws(() => fromWire('string', null), ValueError, 'no raw strings to take');
});

test('64-bit integers are BigInts, written as decimal strings', () => {
  assert.equal(fromWire('u64', '18446744073709551615'), 18446744073709551615n);
  assert.equal(fromWire('u64', '9007199254740993'), 9007199254740993n);
  assert.equal(fromWire('s64', '-9223372036854775808'), -9223372036854775808n);
  assert.equal(fromWire('s64', '-1'), -1n);
  assert.equal(toWire('u64', 2n ** 53n + 1n), '"9007199254740993"');
  assert.equal(toWire('s64', -5n), '"-5"');
  assert.throws(() => fromWire('u64', '18446744073709551616'), ValueError);
  assert.throws(() => fromWire('u64', '-1'), ValueError);
  assert.throws(() => fromWire('s64', 5), ValueError, 'a number is not the wire form');
  assert.throws(() => toWire('u64', 5), ValueError, 'jco gives BigInts');
});

test('floats: NaN, the infinities, -0 and f32 values', () => {
  assert.ok(Number.isNaN(fromWire('f64', 'nan')));
  assert.equal(fromWire('f32', '-inf'), -Infinity);
  assert.ok(Object.is(fromWire('f64', -0), -0));
  assert.equal(toWire('f64', -0), '-0.0');
  assert.equal(toWire('f64', 0), '0');
  assert.equal(toWire('f32', NaN), '"nan"');
  assert.equal(toWire('f64', Infinity), '"inf"');
  assert.equal(toWire('f32', Math.fround(0.1)), '0.10000000149011612');
  assert.equal(fromWire('f32', 0.10000000149011612), Math.fround(0.1));
  assert.throws(() => fromWire('f32', 0.1), ValueError, 'not an f32: jco would round it');
  assert.throws(() => fromWire('f64', 'NaN'), ValueError);
});

test('chars are one Unicode scalar value', () => {
  assert.equal(fromWire('char', '😀'), '😀');
  assert.equal(toWire('char', '\u{10ffff}'), '"\u{10ffff}"');
  for (const bad of ['\ud800', '\udc00', 'ab', '', '😀x', 1]) {
    assert.throws(() => fromWire('char', bad), ValueError, JSON.stringify(bad));
    assert.throws(() => toWire('char', bad), ValueError, JSON.stringify(bad));
  }
  assert.throws(() => fromWire('string', 'a\ud800b'), ValueError, 'a lone surrogate is no string either');
});

test('integers are checked against their range, since jco wraps them', () => {
  assert.throws(() => fromWire('u8', 256), ValueError);
  assert.throws(() => fromWire('s8', -129), ValueError);
  assert.throws(() => fromWire('u32', -1), ValueError);
  assert.throws(() => fromWire('s32', 1.5), ValueError);
  assert.throws(() => fromWire('u16', '1'), ValueError);
  assert.equal(fromWire('u32', 4294967295), 4294967295);
  assert.ok(Object.is(fromWire('s32', -0), 0), 'JSON -0 is the integer 0');
});

test('option<option<T>> is tagged on the outside, untagged inside', () => {
  const type = { option: { option: 'u32' } };
  assert.deepEqual(fromWire(type, null), { tag: 'none' });
  assert.deepEqual(fromWire(type, { some: null }), { tag: 'some', val: undefined });
  assert.deepEqual(fromWire(type, { some: { some: 0 } }), { tag: 'some', val: 0 });
  assert.equal(toWire(type, { tag: 'some', val: undefined }), '{"some":null}');
  assert.equal(toWire(type, { tag: 'none' }), 'null');
  assert.equal(fromWire({ option: 'u32' }, null), undefined);
  assert.equal(fromWire({ option: 'u32' }, { some: 7 }), 7);
  assert.throws(() => fromWire({ option: 'u32' }, 7), ValueError, 'some is spelled out');
  assert.throws(() => toWire(type, undefined), ValueError, 'jco never gives a bare undefined here');
});

test('nested options alternate: tagged where the payload may be undefined, as jco lifts them', () => {
  // option<option<option<string>>>: jco 1.35.0 lifts the outer level
  // untagged, the middle one tagged, the inner one untagged.
  const type = { option: { option: { option: 'string' } } };
  assert.equal(fromWire(type, null), undefined);
  assert.deepEqual(fromWire(type, { some: null }), { tag: 'none' });
  assert.deepEqual(fromWire(type, { some: { some: null } }), { tag: 'some', val: undefined });
  assert.deepEqual(fromWire(type, { some: { some: { some: 'a' } } }), { tag: 'some', val: 'a' });
  assert.equal(toWire(type, undefined), 'null');
  assert.equal(toWire(type, { tag: 'none' }), '{"some":null}');
  assert.equal(toWire(type, { tag: 'some', val: undefined }), '{"some":{"some":null}}');
  assert.equal(toWire(type, { tag: 'some', val: '' }), '{"some":{"some":{"some":""}}}');
  // Four levels: tagged, untagged, tagged, untagged.
  const four = { option: type };
  assert.deepEqual(fromWire(four, null), { tag: 'none' });
  assert.deepEqual(fromWire(four, { some: null }), { tag: 'some', val: undefined });
});

test('results without payloads, and results nested in a type', () => {
  const bare = { result: { ok: null, err: null } };
  assert.deepEqual(fromWire(bare, { ok: null }), { tag: 'ok', val: undefined });
  assert.deepEqual(fromWire(bare, { err: null }), { tag: 'err', val: undefined });
  assert.equal(toWire(bare, { tag: 'err', val: undefined }), '{"err":null}');
  assert.throws(() => fromWire(bare, { ok: 1 }), ValueError);
  assert.throws(() => fromWire(bare, { ok: null, err: null }), ValueError);
  const nested = { list: { result: { ok: 'u8', err: 'string' } } };
  assert.deepEqual(fromWire(nested, [{ ok: 1 }, { err: 'no' }]), [{ tag: 'ok', val: 1 }, { tag: 'err', val: 'no' }]);
});

test('flags are an object of booleans keyed by camelCase names, 32 of them too', () => {
  const names = Array.from({ length: 32 }, (_, idx) => `f${idx}`);
  const type = { flags: names };
  const value = fromWire(type, ['f0', 'f31']);
  assert.equal(Object.keys(value).length, 32);
  assert.equal(value.f0, true);
  assert.equal(value.f31, true);
  assert.equal(value.f30, false);
  assert.equal(toWire(type, { ...value, f31: false, f5: true }), '["f0","f5"]', "the type's order");
  const kebab = { flags: ['is-HTTP', 'read-only'] };
  assert.deepEqual(fromWire(kebab, ['read-only']), { isHttp: false, readOnly: true });
  assert.throws(() => fromWire(kebab, ['exec']), ValueError);
});

test('empty lists and records, and records keyed by camelCase names', () => {
  assert.deepEqual(fromWire({ list: 'string' }, []), []);
  assert.deepEqual(fromWire({ list: 'u8' }, []), new Uint8Array(0));
  assert.equal(toWire({ list: 's64' }, new BigInt64Array(0)), '[]');
  assert.deepEqual(fromWire({ record: [] }, {}), {});
  assert.equal(toWire({ record: [] }, {}), '{}');
  const type = { record: [{ name: 'sort-keys', type: 'bool' }, { name: 'URL-path', type: 'string' }, { name: 'x2-y', type: 'u8' }] };
  assert.deepEqual(fromWire(type, { 'sort-keys': true, 'URL-path': '/', 'x2-y': 3 }), { sortKeys: true, urlPath: '/', x2Y: 3 });
  assert.equal(toWire(type, { sortKeys: false, urlPath: 'p', x2Y: 0 }), '{"sort-keys":false,"URL-path":"p","x2-y":0}');
  assert.throws(() => fromWire(type, { 'sort-keys': true, 'URL-path': '/' }), /no field x2-y/);
  assert.throws(() => fromWire(type, { 'sort-keys': true, 'URL-path': '/', 'x2-y': 3, extra: 1 }), ValueError);
  assert.equal(lowerCamelCase('get-HTTP-response'), 'getHttpResponse');
});

test('numeric lists are the TypedArray of their type', () => {
  const expected = {
    u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array,
    s32: Int32Array, u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
  };
  for (const [element, Typed] of Object.entries(expected)) {
    const json = element.endsWith('64') && element[0] !== 'f' ? ['1', '2'] : [1, 2];
    const value = fromWire({ list: element }, json);
    assert.ok(value instanceof Typed, `list<${element}> is a ${Typed.name}`);
    assert.deepEqual(JSON.parse(toWire({ list: element }, value)), json);
  }
  assert.deepEqual(fromWire({ list: 's64' }, ['-1', '9223372036854775807']), BigInt64Array.of(-1n, 9223372036854775807n));
  assert.throws(() => fromWire({ list: 'u8' }, [256]), ValueError, 'a TypedArray would wrap it');
  assert.deepEqual(fromWire({ list: 'bool' }, [true]), [true], 'bool is no TypedArray');
  assert.deepEqual(fromWire({ list: 'char' }, ['a']), ['a']);
});

test('variants and enums use the kebab-case names', () => {
  const type = { variant: [{ name: 'none-here', type: null }, { name: 'HTTP-case', type: 'u8' }] };
  assert.deepEqual(fromWire(type, { tag: 'none-here' }), { tag: 'none-here' });
  assert.deepEqual(fromWire(type, { tag: 'HTTP-case', val: 1 }), { tag: 'HTTP-case', val: 1 });
  assert.throws(() => fromWire(type, { tag: 'HTTP-case' }), /needs a val/);
  assert.throws(() => fromWire(type, { tag: 'none-here', val: 1 }), /has no payload/);
  assert.throws(() => fromWire(type, { tag: 'httpCase', val: 1 }), ValueError);
  assert.equal(fromWire({ enum: ['south-west'] }, 'south-west'), 'south-west');
  assert.throws(() => fromWire({ enum: ['south-west'] }, 'southWest'), ValueError);
});

test('exported functions are found by interface name and camelCase function name', () => {
  const format = () => 'f';
  const root = { formatter: { format }, 'example:json-tools/formatter@1.0.0': { format }, rootEcho: () => 1, local: { doIt: () => 2 } };
  assert.equal(exportedFunction(root, 'example:json-tools/formatter@1.0.0#format'), format);
  assert.equal(exportedFunction(root, 'example:json-tools/formatter@1.0.0#minify'), null);
  // jco's short alias (`formatter`) answers to any package and version: an
  // interface of a package is found by its full name only.
  assert.equal(exportedFunction(root, 'example:other/formatter@1.0.0#format'), null);
  assert.equal(exportedFunction(root, 'example:json-tools/formatter@2.0.0#format'), null);
  assert.equal(exportedFunction(root, 'root-echo')(), 1);
  assert.equal(exportedFunction(root, 'local#do-it')(), 2);
  assert.equal(exportedFunction(root, 'to-string'), null, 'not an inherited property');
});

// The same values through jco's own bindings.

/** The distinct types of the vectors, in order. */
const TYPES = [];
for (const { type } of VECTORS) {
  if (!TYPES.some((seen) => JSON.stringify(seen) === JSON.stringify(type))) TYPES.push(type);
}
const EXTRA_TYPES = [{ list: 'u64' }, { list: 'f64' }, { list: 's8' }, { list: 'u16' }, { list: 's16' },
  { list: 'u32' }, { list: 's32' }, { list: 'bool' }, { list: 'string' }];
const ALL_TYPES = [...TYPES, ...EXTRA_TYPES];

let echo;

before(async () => {
  const { dir, functions } = await buildEchoComponent(ALL_TYPES);
  const { instantiate } = await import(pathToFileURL(join(dir, 'guest.js')).href);
  const root = await instantiate(undefined, {});
  const table = new Map();
  for (const spec of functions) {
    const key = spec.interface === null ? spec.name : `${spec.interface}#${spec.name}`;
    const fn = exportedFunction(root, key);
    const isResult = spec.result !== null && typeof spec.result === 'object' && Object.hasOwn(spec.result, 'result');
    if (fn !== null) table.set(key, { fn, spec, isResult });
  }
  echo = { root, table, functions };
});

/** The wire key of the echo function of a type. */
function echoKey(type) {
  const type_idx = ALL_TYPES.findIndex((known) => JSON.stringify(known) === JSON.stringify(type));
  assert.ok(type_idx >= 0, JSON.stringify(type));
  return `${ECHO_INTERFACE}#echo-${type_idx}`;
}

/** Calls `echo-N` through jco directly with a JS value. */
function echoJs(type, value) {
  return exportedFunction(echo.root, echoKey(type))(value, PAD);
}

test('jco finds every function of the echo component by its wire key', () => {
  assert.equal(echo.table.size, echo.functions.length);
  assert.ok(echo.table.has('root-echo'));
});

test('every vector goes through jco and back unchanged', () => {
  for (const { name, type, json } of VECTORS) {
    const call = { fn: echoKey(type), args: [json, PAD] };
    const { outcome, trapped } = callTyped(echo.table, call, () => {}, () => '');
    assert.equal(trapped, false, `${name}: ${outcome.line}`);
    const returned = JSON.parse(outcome.line);
    assert.equal(returned.outcome, 'returned');
    // A top-level result is still `returned`, whichever side it took.
    const queue = [...outcome.raws];
    const value = fromWire(type, returned.value, () => queue.shift());
    assert.equal(queue.length, 0, name);
    assert.deepStrictEqual(JSON.parse(toWire(type, value)), json, name);
  }
});

test('jco gives back the representation values.mjs expects', () => {
  assert.equal(echoJs('u64', 2n ** 64n - 1n), 2n ** 64n - 1n);
  assert.equal(echoJs('s64', -(2n ** 63n)), -(2n ** 63n));
  assert.ok(Object.is(echoJs('f64', -0), -0));
  assert.ok(Object.is(echoJs('f32', -0), -0));
  assert.equal(echoJs('f32', Math.fround(0.1)), Math.fround(0.1));
  assert.equal(echoJs('char', '😀'), '😀');
  const find = (json) => ALL_TYPES.find((type) => JSON.stringify(type) === JSON.stringify(json));
  const numeric = { u8: Uint8Array, s64: BigInt64Array, f32: Float32Array, u64: BigUint64Array, f64: Float64Array,
    s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array, s32: Int32Array };
  for (const [element, Typed] of Object.entries(numeric)) {
    const type = find({ list: element });
    const back = echoJs(type, fromWire(type, []));
    assert.ok(back instanceof Typed, `jco gives list<${element}> as ${back.constructor.name}`);
  }
  const nested = find({ option: { option: 'u32' } });
  assert.deepEqual(echoJs(nested, { tag: 'some', val: undefined }), { tag: 'some', val: undefined });
  assert.deepEqual(echoJs(nested, { tag: 'none' }), { tag: 'none' });
  const options = find({ option: 'u32' });
  assert.equal(echoJs(options, undefined), undefined);
  const flags = find({ flags: Array.from({ length: 32 }, (_, idx) => `f${idx}`) });
  const all = echoJs(flags, fromWire(flags, ['f31']));
  assert.equal(all.f31, true);
  assert.equal(all.f0, false);
  const record = find({ record: [{ name: 'indent', type: 'u32' }, { name: 'sort-keys', type: 'bool' }] });
  assert.deepEqual(echoJs(record, { indent: 4, sortKeys: true }), { indent: 4, sortKeys: true });
  // A top-level result: the ok payload comes back, the err payload is thrown.
  const both = find({ result: { ok: 'string', err: 'string' } });
  assert.equal(echoJs(both, { tag: 'ok', val: 'yes' }), 'yes');
  assert.throws(() => echoJs(both, { tag: 'err', val: 'no' }), (error) => error.payload === 'no');
  const bare = find({ result: { ok: null, err: null } });
  assert.throws(() => echoJs(bare, { tag: 'err', val: undefined }), (error) => Object.hasOwn(error, 'payload') && error.payload === undefined);
  const names = exportedFunction(echo.root, `${ECHO_INTERFACE}#spell-out`);
  const odd = { urlPath: 'p', x2Y: 1, isHttpOk: { isHttp: true, a1B: false }, kind: { tag: 'HTTP-case', val: 2 }, dir: 'north-WEST' };
  assert.deepEqual(names(odd, PAD), odd);
});

test('a value jco would misread is a trap, not a call; raw strings are counted', () => {
  const key = echoKey('u8');
  const { outcome, trapped } = callTyped(echo.table, { fn: key, args: [256, PAD] }, () => {}, () => '');
  assert.equal(trapped, true);
  assert.match(JSON.parse(outcome.line).value, /argument x of .*#echo-\d+: cannot lower 256 as u8/);
  const bad_char = callTyped(echo.table, { fn: `${ECHO_INTERFACE}#bad-char`, args: [] }, () => {}, () => '');
  assert.equal(bad_char.trapped, true);
  assert.match(JSON.parse(bad_char.outcome.line).value, /TypeError: not a valid char/);
  const string_key = echoKey('string');
  const raw_call = { fn: string_key, args: [null, PAD], [RAW_STRINGS]: ['a\n"b"'] };
  const answered = callTyped(echo.table, raw_call, () => {}, () => '');
  assert.deepEqual(answered.outcome, { line: '{"outcome":"returned","value":null}', raws: ['a\n"b"'] });
  assert.throws(() => callTyped(echo.table, { fn: string_key, args: [null, PAD] }, () => {}, () => ''), /more null strings than the 0 raw strings/);
  assert.throws(() => callTyped(echo.table, { fn: string_key, args: ['x', PAD], [RAW_STRINGS]: ['y'] }, () => {}, () => ''), /left 1 of its 1 raw strings unused/);
  const nothing = callTyped(echo.table, { fn: `${ECHO_INTERFACE}#nothing`, args: [] }, () => {}, () => '');
  assert.deepEqual(nothing.outcome, { line: '{"outcome":"returned"}', raws: [] });
});
