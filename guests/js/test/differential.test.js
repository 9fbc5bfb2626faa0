// The formatter against JavaScript's own JSON, on generated documents.
//
// JSON.stringify prints every token in one canonical spelling, so on
// documents made only of such tokens (no escapes but \" and \\, integers and
// short decimals, no duplicate or integer-like keys) the contract's output is
// exactly what JSON.stringify prints: minify is JSON.stringify(value), and
// format with indent k from 1 to 10 is JSON.stringify(value, null, k)
// (JSON.stringify clamps larger indents to 10).  And outside
// the contract's three restrictions (surrogate escapes, BOM, depth), a
// document is accepted exactly when JSON.parse accepts it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FormatError, format, minify } from '../src/jsonfmt.js';

/** A small deterministic PRNG (mulberry32), so that failures reproduce. */
function prng(seed) {
  let state = seed >>> 0;
  return (bound) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return (((mixed ^ (mixed >>> 14)) >>> 0) % bound);
  };
}

const KEY_CHARACTERS = ['a', 'b', 'z', 'A', '_', ' ', 'é', 'ß', '\u00ff', '€', '\uff61', '\uffff', '😀', '😁', '\u{10ffff}', '"', '\\', '/', '\u2028'];
const STRING_CHARACTERS = [...KEY_CHARACTERS, '0', ',', ':', '[', '{', '}', ']', '\ufeff', '\u007f'];
const WHITESPACE = ['', '', '', ' ', '  ', '\n', '\r\n', '\t', ' \n\t '];

/** A random JSON value with canonical tokens and distinct, non-integer keys. */
function randomValue(random, depth) {
  const kind = random(depth > 5 ? 5 : 8);
  switch (kind) {
    case 0:
      return random(2000001) - 1000000;
    case 1:
      return (random(20001) - 10000) / 8;
    case 2:
      return [true, false, null][random(3)];
    case 3:
    case 4: {
      let text = '';
      for (let idx = random(6); idx > 0; idx--) text += STRING_CHARACTERS[random(STRING_CHARACTERS.length)];
      return text;
    }
    case 5:
    case 6: {
      const array = [];
      for (let idx = random(5); idx > 0; idx--) array.push(randomValue(random, depth + 1));
      return array;
    }
    default: {
      const object = {};
      for (let idx = random(5); idx > 0; idx--) {
        let key = 'k';
        for (let n_chars = random(4); n_chars > 0; n_chars--) key += KEY_CHARACTERS[random(KEY_CHARACTERS.length)];
        // The first character varies too, so that keys do not all share a prefix.
        if (random(2) === 0) key = key.slice(1) || 'k';
        if (/^\d+$/.test(key)) key = 'k' + key;
        object[key] = randomValue(random, depth + 1);
      }
      return object;
    }
  }
}

/** JSON text for `value` with random whitespace between the tokens. */
function render(random, value) {
  const ws = () => WHITESPACE[random(WHITESPACE.length)];
  if (Array.isArray(value)) {
    return '[' + ws() + value.map((item) => ws() + render(random, item) + ws()).join(',') + ws() + ']';
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([key, item]) => ws() + JSON.stringify(key) + ws() + ':' + ws() + render(random, item) + ws());
    return '{' + ws() + members.join(',') + ws() + '}';
  }
  return JSON.stringify(value);
}

/** Code-point order, the contract's order for keys. */
function compareCodePoints(left, right) {
  const leftPoints = [...left].map((character) => character.codePointAt(0));
  const rightPoints = [...right].map((character) => character.codePointAt(0));
  for (let idx = 0; idx < Math.min(leftPoints.length, rightPoints.length); idx++) {
    if (leftPoints[idx] !== rightPoints[idx]) return leftPoints[idx] - rightPoints[idx];
  }
  return leftPoints.length - rightPoints.length;
}

/** `value` with the members of every object in code-point order of keys. */
function sortedValue(value) {
  if (Array.isArray(value)) return value.map(sortedValue);
  if (value === null || typeof value !== 'object') return value;
  const sorted = {};
  for (const key of Object.keys(value).sort(compareCodePoints)) sorted[key] = sortedValue(value[key]);
  return sorted;
}

test('minify and format agree with JSON.stringify on canonical documents', () => {
  const random = prng(20261125);
  for (let case_idx = 0; case_idx < 2000; case_idx++) {
    const value = randomValue(random, 0);
    const text = WHITESPACE[random(WHITESPACE.length)] + render(random, value) + WHITESPACE[random(WHITESPACE.length)];
    const context = `case ${case_idx}: ${JSON.stringify(text)}`;
    assert.equal(minify(text), JSON.stringify(value), context);
    // JSON.stringify clamps its indent to 10.
    const indent = 1 + random(10);
    assert.equal(format(text, { indent, sortKeys: false }), JSON.stringify(value, null, indent), context);
    assert.equal(format(text, { indent, sortKeys: true }), JSON.stringify(sortedValue(value), null, indent), context);
    assert.equal(format(text), JSON.stringify(value, null, 2), context);
  }
});

test('a document is accepted exactly when JSON.parse accepts it', () => {
  const random = prng(7);
  const MUTATIONS = ['"', '\\', ',', ':', '[', ']', '{', '}', ' ', '\n', '\t', '\f', 'a', 'e', 'E', '0', '1', '-', '+', '.', 't', 'n', '\u0001', 'é', '😀', "'"];
  let n_checked = 0;
  let n_refused = 0;
  for (let case_idx = 0; case_idx < 5000; case_idx++) {
    let text = render(random, randomValue(random, 0));
    for (let n_mutations = random(3); n_mutations > 0; n_mutations--) {
      const at = random(text.length + 1);
      const replacement = MUTATIONS[random(MUTATIONS.length)];
      const how = random(3);
      text = text.slice(0, at) + (how === 0 ? '' : replacement) + text.slice(how === 1 ? at : at + 1);
    }
    // The contract's restrictions on top of RFC 8259, which JSON.parse does
    // not have: surrogate escapes (a mutation can make one from `\\u`).
    if (/\\u[dD][89a-fA-F]/.test(text)) continue;
    let parsed = true;
    try {
      JSON.parse(text);
    } catch {
      parsed = false;
    }
    let accepted = true;
    try {
      minify(text);
    } catch (error) {
      assert.ok(error instanceof FormatError, String(error));
      accepted = false;
    }
    assert.equal(accepted, parsed, `case ${case_idx}: ${JSON.stringify(text)}`);
    n_checked++;
    if (!accepted) n_refused++;
  }
  // Both outcomes must be well represented for the comparison to mean much.
  assert.ok(n_refused > n_checked / 5 && n_refused < (n_checked * 4) / 5, `${n_refused} of ${n_checked} refused`);
});
