// The exports of src/component.js, natively in Node (it needs no bindings):
// one object per interface of the WIT with exactly its functions, results
// given back as the componentize-js bindings take them, and the TextDecoder
// patch that keeps a leading U+FEFF of a string argument.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import * as component from '../src/component.js';

const WIT = readFileSync(new URL('../../../wit/all-types.wit', import.meta.url), 'utf8');

/** The functions of each interface of the WIT, in camelCase. */
function witFunctions() {
  const interfaces = {};
  for (const match of WIT.matchAll(/^interface ([a-z0-9-]+) \{\n([\s\S]*?)^\}/gm)) {
    const names = [...match[2].matchAll(/^\s*([a-z0-9-]+): func\(/gm)].map(([, name]) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase()));
    if (names.length > 0) interfaces[match[1]] = names.sort();
  }
  return interfaces;
}

/**
 * What the bindings make of an export's result: `{ tag: 'ok', val }` when
 * it returns, `{ tag: 'err', val }` when it throws a value with an own
 * `payload` (or anything but an Error), and a trap (rethrown) for an Error.
 * The same logic as `getErrorPayload` of the generated bindings.
 */
function asBindingsSee(call) {
  try {
    return { tag: 'ok', val: call() };
  } catch (e) {
    if (e && Object.prototype.hasOwnProperty.call(e, 'payload')) return { tag: 'err', val: e.payload };
    if (e instanceof Error) throw e;
    return { tag: 'err', val: e };
  }
}

describe('exports', () => {
  test('one object per interface with functions, each with exactly its functions', () => {
    const expected = witFunctions();
    assert.deepEqual(Object.keys(expected).sort(), ['compound', 'nested', 'scalars', 'variants']);
    assert.equal(expected.variants.length, 17);
    assert.deepEqual(Object.keys(component).sort(), Object.keys(expected).sort());
    for (const [name, functions] of Object.entries(expected)) {
      assert.deepEqual(Object.keys(component[name]).sort(), functions, name);
      for (const fn of functions) assert.equal(typeof component[name][fn], 'function', `${name}.${fn}`);
    }
  });
});

describe('results', () => {
  const { variants } = component;

  test('flip: ok returned, err thrown with its payload', () => {
    assert.deepEqual(asBindingsSee(() => variants.flip({ tag: 'ok', val: 12 })), { tag: 'ok', val: '12' });
    assert.deepEqual(asBindingsSee(() => variants.flip({ tag: 'err', val: 'é' })), { tag: 'err', val: 2 });
  });

  test('toggle: result<_, string>', () => {
    assert.deepEqual(asBindingsSee(() => variants.toggle({ tag: 'ok', val: undefined })), { tag: 'err', val: 'was ok' });
    assert.deepEqual(asBindingsSee(() => variants.toggle({ tag: 'err', val: undefined })), { tag: 'ok', val: undefined });
  });

  test('swap-ok: result<_, u64>', () => {
    assert.deepEqual(asBindingsSee(() => variants.swapOk({ tag: 'ok', val: 2n ** 64n - 1n })), { tag: 'err', val: 2n ** 64n - 1n });
    assert.deepEqual(asBindingsSee(() => variants.swapOk({ tag: 'err', val: undefined })), { tag: 'ok', val: undefined });
  });

  test('swap-err: result<string>', () => {
    assert.deepEqual(asBindingsSee(() => variants.swapErr({ tag: 'err', val: 'x' })), { tag: 'ok', val: 'x' });
    assert.deepEqual(asBindingsSee(() => variants.swapErr({ tag: 'ok', val: undefined })), { tag: 'err', val: undefined });
  });

  test('parse-u8: result<u8>, the err thrown as an own payload, not an Error', () => {
    assert.deepEqual(asBindingsSee(() => variants.parseU8('0000000000000000000255')), { tag: 'ok', val: 255 });
    for (const s of ['256', '+1', '-0', ' 1', '１', '']) {
      let thrown;
      try {
        variants.parseU8(s);
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown !== undefined, `${JSON.stringify(s)} throws`);
      assert.ok(!(thrown instanceof Error), 'an Error would be a trap');
      assert.ok(Object.prototype.hasOwnProperty.call(thrown, 'payload'));
      assert.equal(thrown.payload, undefined);
    }
  });

  test('functions without a result return plainly', () => {
    assert.equal(component.scalars.reverseString('a😀'), '😀a');
    assert.equal(component.variants.nextBig('c299'), 'c0');
  });
});

describe('the TextDecoder patch (imported with component.js)', () => {
  const bom = [0xef, 0xbb, 0xbf];

  test('a non-streaming UTF-8 decode keeps a leading U+FEFF', () => {
    assert.equal(new TextDecoder().decode(Uint8Array.of(...bom, 0x61)), '\u{feff}a');
    assert.equal(new TextDecoder().decode(Uint8Array.of(...bom)), '\u{feff}');
    assert.equal(new TextDecoder().decode(Uint8Array.of(...bom, ...bom)), '\u{feff}\u{feff}');
  });

  test('other decodes are unchanged', () => {
    assert.equal(new TextDecoder().decode(Uint8Array.of(0x61, ...bom)), 'a\u{feff}');
    assert.equal(new TextDecoder().decode(new Uint8Array(0)), '');
    assert.equal(new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.of(...bom, 0x61)), '\u{feff}a');
    assert.equal(new TextDecoder().decode(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80)), '😀');
  });
});
