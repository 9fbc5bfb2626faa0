// Tests of probes (docs/host-protocol.md, "Probes: values outside their
// type"): values.mjs's parseProbe, and real probe lines sent through the
// node runner to a real jco-transpiled component
// (test/fixtures/echo-component.mjs), whose identity functions show what
// the guest received.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { callTyped, watchExports } from '../guest.mjs';
import { ValueError, parseProbe } from '../values.mjs';
import { ECHO_INTERFACE, PAD, buildEchoComponent } from './fixtures/echo-component.mjs';

test('parseProbe builds each form as a user of jco would write it', () => {
  const value = (form, type = 'u8') => parseProbe({ arg: 0, value: form }).valueFor(type);
  assert.equal(parseProbe({ arg: 3, value: { int: '1' } }).arg, 3);
  assert.equal(value({ int: '256' }), 256);
  assert.equal(value({ int: '-1' }, 'u32'), -1);
  assert.equal(value({ int: '18446744073709551616' }, 'u64'), 18446744073709551616n, 'a BigInt for a 64-bit integer');
  assert.equal(value({ int: '-9223372036854775809' }, 's64'), -9223372036854775809n);
  assert.equal(value({ int: '18446744073709551616' }, 'u32'), 2 ** 64, 'a Number for any other type');
  assert.equal(value({ float: 1.5 }), 1.5);
  assert.ok(Object.is(value({ float: -0 }), -0));
  const lone = value({ 'code-points': [97, 0xd800, 98, 0x1f600, 0xdc00] }, 'string');
  assert.equal(lone.length, 6);
  assert.deepEqual([...lone].map((unit) => unit.charCodeAt(0)), [97, 0xd800, 98, 0xd83d, 0xdc00]);
  assert.equal(lone.isWellFormed(), false, 'the surrogates stand alone');
  assert.equal(value({ 'code-points': [0xd83d, 0xde00] }, 'char'), '😀', 'a pair of surrogates is a pair');
  assert.equal(value({ 'code-points': [] }, 'char'), '');
  assert.deepEqual(value({ flags: ['read', 'no-such-flag', 'URL-path'] }, { flags: ['read', 'write'] }),
    { read: true, noSuchFlag: true, urlPath: true }, 'the names given, camel-cased, unknown ones too');
  assert.deepEqual(value({ flags: [] }, { flags: ['read'] }), {});
  assert.equal(value({ enum: 'no-such-case' }, { enum: ['north'] }), 'no-such-case');
});

test('parseProbe refuses a malformed probe', () => {
  for (const probe of [
    null,
    [0, { int: '1' }],
    { value: { int: '1' } },
    { arg: -1, value: { int: '1' } },
    { arg: 1.5, value: { int: '1' } },
    { arg: '0', value: { int: '1' } },
    { arg: 0 },
    { arg: 0, value: {} },
    { arg: 0, value: { int: '1', float: 1 } },
    { arg: 0, value: { bigint: '1' } },
    { arg: 0, value: { int: 1 } },
    { arg: 0, value: { int: '1e3' } },
    { arg: 0, value: { int: '' } },
    { arg: 0, value: { float: '1.5' } },
    { arg: 0, value: { float: null } },
    { arg: 0, value: { 'code-points': 'a' } },
    { arg: 0, value: { 'code-points': [0x110000] } },
    { arg: 0, value: { 'code-points': [-1] } },
    { arg: 0, value: { 'code-points': [1.5] } },
    { arg: 0, value: { flags: 'read' } },
    { arg: 0, value: { flags: [1] } },
    { arg: 0, value: { enum: 1 } },
  ]) {
    assert.throws(() => parseProbe(probe), ValueError, JSON.stringify(probe));
  }
});

test('callTyped: a probe\'s exception is rejected or a trap by whether the guest ran', () => {
  /** jco's ComponentError: an Error with an own `payload`. */
  class ComponentError extends Error {
    constructor(payload) {
      super(String(payload));
      Object.defineProperty(this, 'payload', { value: payload });
    }
  }
  const seen = [];
  const throwing = (error) => (x) => {
    seen.push(x);
    throw error;
  };
  const spec = (result) => ({ name: 'f', interface: null, params: [{ name: 'x', type: 'u8' }], result });
  const table = new Map([
    ['lowering', { fn: throwing(new TypeError('must be a string')), spec: spec('u8'), isResult: false }],
    ['trap', { fn: throwing(new WebAssembly.RuntimeError('unreachable')), spec: spec('u8'), isResult: false }],
    ['err', { fn: throwing(new ComponentError(7)), spec: spec({ result: { ok: null, err: 'u8' } }), isResult: true }],
  ]);
  const call = (fn, guest_ran) => callTyped(table, { fn, args: [0], probe: { arg: 0, value: { int: '300' } } },
    () => {}, () => '', guest_ran === undefined ? null : () => guest_ran);
  assert.deepEqual(call('lowering', false), {
    outcome: { line: '{"outcome":"rejected","value":"TypeError: must be a string"}', raws: [] },
    trapped: true,
  });
  assert.equal(call('lowering').outcome.line, '{"outcome":"rejected","value":"TypeError: must be a string"}',
    'without a watch, every exception but a RuntimeError');
  assert.equal(call('lowering', true).outcome.line, '{"outcome":"trap","value":"TypeError: must be a string"}',
    'after the guest ran, jco\'s lifting threw: a trap as in any call');
  assert.equal(call('trap', false).outcome.line, '{"outcome":"trap","value":"RuntimeError: unreachable"}');
  assert.equal(call('err', true).outcome.line, '{"outcome":"returned","value":{"err":7}}');
  assert.deepEqual(seen, [300, 300, 300, 300, 300], 'the probe\'s value, unchecked, in place of the argument');
  // A call without a probe is checked as always.
  assert.equal(callTyped(table, { fn: 'lowering', args: [300] }, () => {}, () => '').outcome.line,
    '{"outcome":"trap","value":"host: argument x of lowering: cannot lower 300 as u8"}');
});

test('watchExports: the guest ran when a function outside the allocator was called', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const watch = { entered: false, allocating: 0 };
  // A guest of several core modules: its realloc calls malloc, an export
  // of another instance, through that instance's (watched) exports.
  const libc = watchExports({ malloc: (size) => size + 8 }, watch);
  const main = watchExports({
    memory,
    cabi_realloc: (old, old_size, align, size) => libc.malloc(size),
    'cabi_post_i#f': () => {},
    'i#f': (x) => libc.malloc(x),
  }, watch);
  assert.equal(main.memory, memory, 'a memory as it is');
  assert.equal(main.cabi_realloc(0, 0, 1, 4), 12);
  assert.deepEqual(watch, { entered: false, allocating: 0 }, 'the allocator, and what it calls, are not the guest running');
  assert.throws(() => watchExports({ cabi_realloc: () => { throw new RangeError('no'); } }, watch).cabi_realloc());
  assert.deepEqual(watch, { entered: false, allocating: 0 }, 'an allocator that threw is left');
  assert.equal(main['i#f'](1), 9);
  assert.equal(watch.entered, true);
});

// The echo component and its functions file, built once.
const TYPES = ['u8', 'u64', 's64', 'char', 'string', { flags: ['read', 'write'] }, { enum: ['north', 'south'] }];
const [U8, U64, S64, CHAR, STRING, FLAGS, ENUM] = TYPES.map((_, type_idx) => `${ECHO_INTERFACE}#echo-${type_idx}`);
let dir;
let functions_path;

before(async () => {
  const built = await buildEchoComponent(TYPES);
  dir = built.dir;
  functions_path = join(dir, 'functions.json');
  writeFileSync(functions_path, JSON.stringify({ functions: built.functions }));
});

/** Runs the node runner with `--functions` and the request on stdin. */
function runTyped(request) {
  const runner = fileURLToPath(new URL('../runner.mjs', import.meta.url));
  return spawnSync(process.execPath, ['--experimental-wasm-extended-const', runner, dir, '--functions', functions_path],
    { input: request, encoding: 'utf8' });
}

/**
 * A batch of one call: `fn` with `x` (its raw strings before the line) and
 * the pad, probed at argument 0 with `value` unless it is null.
 */
function batch(batch_idx, fn, x, value, raws = [], pad = PAD) {
  const probe = value === null ? '' : `,"probe":{"arg":0,"value":${JSON.stringify(value)}}`;
  return [
    `{"batch":${batch_idx},"calls":1}`,
    ...raws.flatMap((raw) => [`#${Buffer.byteLength(raw)}`, raw]),
    `{"fn":"${fn}","args":[${JSON.stringify(x)},${JSON.stringify(pad)}]${probe}}`,
  ].join('\n');
}

test('probes through the runner: rejected, returned with what the guest got, trapped', () => {
  const calls = [
    // jco wraps integers, and truncates a fraction: the guest gets another value.
    [U8, 0, { int: '256' }],
    [U8, 0, { int: '-1' }],
    [U8, 0, { float: 1.5 }],
    [U64, '0', { int: '-1' }],
    [U64, '0', { int: '18446744073709551616' }],
    [S64, '0', { int: '9223372036854775808' }],
    // jco's lowering throws: BigInt(1.5), a char that is not a string, an unknown case.
    [U64, '0', { float: 1.5 }],
    [CHAR, 'z', { int: '65' }],
    [ENUM, 'north', { enum: 'no-such-case' }],
    // jco takes the first code point of a char, whatever follows it.
    [CHAR, 'z', { 'code-points': [97, 98] }],
    // jco passes a lone surrogate into the guest as a char, and throws
    // only when it lifts the guest's answer: a trap, since the guest ran.
    [CHAR, 'z', { 'code-points': [0xd800] }],
    // The probed argument's valid value takes its raw string as in any call.
    [STRING, null, { 'code-points': [97, 0xd800, 98] }, ['ignored']],
    [FLAGS, [], { flags: ['read', 'no-such-flag'] }],
    // The host's own checks still hold for every other argument.
    [U8, 0, { int: '256' }, [], [256, ...PAD.slice(1)]],
    // A call without a probe, after all of them, in the same session.
    [STRING, null, null, ['still here']],
  ];
  const request = `${calls.map(([fn, x, value, raws, pad], batch_idx) => batch(batch_idx, fn, x, value, raws, pad)).join('\n')}\n`;
  const child = runTyped(request);
  assert.equal(child.status, 0, child.stderr);
  const [ready_line, ...rest] = child.stdout.split('\n');
  assert.equal(JSON.parse(ready_line).protocol, 2);
  const outcomes = rest.join('\n').split(/\{"end":\d+\}\n/);
  assert.equal(outcomes.pop(), '', 'every batch ended');
  assert.deepEqual(outcomes, [
    '{"outcome":"returned","value":0}\n',
    '{"outcome":"returned","value":255}\n',
    '{"outcome":"returned","value":1}\n',
    '{"outcome":"returned","value":"18446744073709551615"}\n',
    '{"outcome":"returned","value":"0"}\n',
    '{"outcome":"returned","value":"-9223372036854775808"}\n',
    '{"outcome":"rejected","value":"RangeError: The number 1.5 cannot be converted to a BigInt because it is not an integer"}\n',
    '{"outcome":"rejected","value":"TypeError: must be a string"}\n',
    '{"outcome":"rejected","value":"TypeError: \\"no-such-case\\" is not one of the cases of t2"}\n',
    '{"outcome":"returned","value":"a"}\n',
    '{"outcome":"trap","value":"TypeError: not a valid char"}\n',
    '#5\na\ufffdb\n{"outcome":"returned","value":null}\n',
    '{"outcome":"returned","value":["read"]}\n',
    `{"outcome":"trap","value":"host: argument pad of ${ECHO_INTERFACE}#echo-0: cannot lower 256 as u8"}\n`,
    '#10\nstill here\n{"outcome":"returned","value":null}\n',
  ]);
});

test('a malformed probe is a protocol error: the runner says why and exits with status 2', () => {
  for (const [probe, message] of [
    ['{"arg":2,"value":{"int":"1"}}', `a probe of argument 2 of ${ECHO_INTERFACE}#echo-0, which takes 2`],
    ['{"arg":0,"value":{"bigint":"1"}}', 'unknown form "bigint"'],
    ['{"arg":0,"value":{"int":"0x10"}}', 'an int is a string of decimal digits'],
    ['{"arg":"x","value":{"int":"1"}}', 'a probe\'s arg is an index'],
    ['[0]', 'a probe is {"arg": i, "value": V}'],
  ]) {
    const child = runTyped(`{"batch":0,"calls":1}\n{"fn":"${U8}","args":[0,${JSON.stringify(PAD)}],"probe":${probe}}\n`);
    assert.equal(child.status, 2, probe);
    assert.ok(child.stderr.includes(`protocol error: batch 0: `) && child.stderr.includes(message), `${probe}: ${child.stderr}`);
    assert.equal(child.stdout.split('\n').length, 2, 'nothing after the ready line');
  }
});
