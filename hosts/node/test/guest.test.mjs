// Tests of how guest.mjs turns what a jco-transpiled export does into
// outcomes, with stand-in instances instead of a real component.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadGuest, ProtocolError } from '../guest.mjs';

/** jco's ComponentError: an Error with an own `payload`. */
class ComponentError extends Error {
  constructor(payload) {
    super(payload);
    Object.defineProperty(this, 'payload', { value: payload, enumerable: false });
  }
}

/**
 * A stand-in for `instantiate`: each instance remembers its number, traps on
 * the input `trap`, and answers `err` for the input `err`.
 */
function fakeInstantiate() {
  let n_made = 0;
  return async () => {
    const instance_idx = n_made++;
    const run = (input, options) => {
      if (input === 'trap') throw new WebAssembly.RuntimeError('unreachable');
      if (input === 'deep') throw new RangeError('Maximum call stack size exceeded');
      if (input === 'err') throw new ComponentError('at byte 0: nope');
      return `${instance_idx}:${input}:${JSON.stringify(options ?? null)}`;
    };
    const formatter = { format: run, minify: (input) => run(input) };
    return { 'example:json-tools/formatter@1.0.0': formatter };
  };
}

async function load() {
  return loadGuest({ instantiate: fakeInstantiate(), getCoreModule: () => null, makeImports: () => ({}) });
}

test('ok, err and options map to outcomes', async () => {
  const guest = await load();
  const outcomes = await guest.runBatch([
    { fn: 'format', input: '[]', options: { indent: 4, 'sort-keys': true } },
    { fn: 'format', input: '[]', options: null },
    { fn: 'minify', input: 'err' },
  ]);
  assert.deepEqual(outcomes, [
    { outcome: 'ok', value: '0:[]:{"indent":4,"sortKeys":true}' },
    { outcome: 'ok', value: '0:[]:null' },
    { outcome: 'err', value: 'at byte 0: nope' },
  ]);
});

test('a trap is an outcome, and the next call gets a fresh instance', async () => {
  const guest = await load();
  const outcomes = await guest.runBatch([
    { fn: 'minify', input: 'a' },
    { fn: 'minify', input: 'trap' },
    { fn: 'minify', input: 'b' },
    { fn: 'minify', input: 'deep' },
    { fn: 'minify', input: 'c' },
  ]);
  assert.deepEqual(outcomes, [
    { outcome: 'ok', value: '0:a:null' },
    { outcome: 'trap', value: 'RuntimeError: unreachable' },
    { outcome: 'ok', value: '1:b:null' },
    { outcome: 'trap', value: 'RangeError: Maximum call stack size exceeded' },
    { outcome: 'ok', value: '2:c:null' },
  ]);
  assert.equal(guest.instances(), 3);
});

test('an unknown function is a protocol error, not an outcome', async () => {
  const guest = await load();
  await assert.rejects(guest.runBatch([{ fn: 'parse', input: '1' }]), ProtocolError);
});

test('a component without the interface does not load', async () => {
  await assert.rejects(
    loadGuest({ instantiate: async () => ({}), getCoreModule: () => null, makeImports: () => ({}) }),
    /exports neither example:json-tools\/formatter@1.0.0 .* nor example:pipeline\/normalizer@1.0.0/,
  );
});

test('a composed pipeline answers normalize, and a formatter call is a trap', async () => {
  const instantiate = async () => ({
    'example:pipeline/normalizer@1.0.0': {
      normalize: (input) => {
        if (input === 'err') throw new ComponentError('at byte 0: nope');
        return `normalized:${input}`;
      },
    },
  });
  const guest = await loadGuest({ instantiate, getCoreModule: () => null, makeImports: () => ({}) });
  const outcomes = await guest.runBatch([
    { fn: 'normalize', input: '[1]' },
    { fn: 'normalize', input: 'err' },
    { fn: 'minify', input: '[1]' },
  ]);
  assert.deepEqual(outcomes.slice(0, 2), [
    { outcome: 'ok', value: 'normalized:[1]' },
    { outcome: 'err', value: 'at byte 0: nope' },
  ]);
  assert.equal(outcomes[2].outcome, 'trap');
});

test('protocol 2: typed calls, err payloads, traps on a fresh instance, and only exported functions', async () => {
  const string_result = { result: { ok: 'string', err: 'string' } };
  const functions = [
    { interface: 'example:json-tools/formatter@1.0.0', name: 'minify', params: [{ name: 'input', type: 'string' }], result: string_result },
    { interface: null, name: 'add-one', params: [{ name: 'x', type: 'u64' }], result: 'u64' },
    { interface: 'example:json-tools/formatter@1.0.0', name: 'not-exported', params: [], result: null },
  ];
  let n_made = 0;
  const instantiate = async () => {
    const instance_idx = n_made++;
    return {
      'example:json-tools/formatter@1.0.0': { minify: (input) => {
        if (input === 'trap') throw new WebAssembly.RuntimeError('unreachable');
        if (input === 'err') throw new ComponentError('at byte 0: nope');
        return `${instance_idx}:${input}`;
      } },
      addOne: (x) => x + 1n,
    };
  };
  const guest = await loadGuest({ instantiate, getCoreModule: () => null, makeImports: () => ({}), functions });
  assert.deepEqual(guest.functions(), functions.slice(0, 2));
  const minify = 'example:json-tools/formatter@1.0.0#minify';
  const outcomes = await guest.runBatch([
    { fn: minify, args: ['a'] },
    { fn: minify, args: ['err'] },
    { fn: minify, args: ['trap'] },
    { fn: minify, args: ['b'] },
    { fn: 'add-one', args: ['18446744073709551614'] },
    { fn: 'add-one', args: ['18446744073709551615'] },
  ]);
  assert.deepEqual(outcomes, [
    { line: '{"outcome":"returned","value":{"ok":null}}', raws: ['0:a'] },
    { line: '{"outcome":"returned","value":{"err":null}}', raws: ['at byte 0: nope'] },
    { line: '{"outcome":"trap","value":"RuntimeError: unreachable"}', raws: [] },
    { line: '{"outcome":"returned","value":{"ok":null}}', raws: ['1:b'] },
    { line: '{"outcome":"returned","value":"18446744073709551615"}', raws: [] },
    { line: '{"outcome":"trap","value":"host: the returned value does not fit its type: cannot lift 18446744073709551616n as u64"}', raws: [] },
  ]);
  await assert.rejects(guest.runBatch([{ fn: minify }]), ProtocolError, 'a call without args');
});
