// The component's exports: the interfaces `scalars`, `compound`, `variants`
// and `nested` of the world `witness:all-types/all-types`, as componentize-js
// expects them, one object per interface named after it, with a method per
// function in camelCase.  `types` has no functions and needs no export.
//
// Every rule is in rules.js, on the values the bindings pass.  This module
// only changes how a function whose WIT result is a `result` gives it back:
// the bindings take a returned value as `ok` and a thrown value as `err`
// (a thrown object's own `payload` property is the error's payload; a thrown
// Error that has none is a trap), whereas rules.js returns `{ tag, val }`.
//
// It also works around a fault of the string bindings that componentize-js
// 0.19.3 generates (see installBindingWorkarounds).  It runs only inside the
// component; rules.js knows nothing of it, and its tests run without it.

import { compound as compoundRules, nested as nestedRules, scalars as scalarsRules, variants as variantRules } from './rules.js';

installBindingWorkarounds();

/**
 * A `result` as the bindings take it from an export: `ok(v)` returned,
 * `err(e)` thrown as `{ payload: e }`.
 *
 * @param {{tag: 'ok' | 'err', val: unknown}} r
 * @returns {unknown}
 */
function returned(r) {
  if (r.tag === 'ok') return r.val;
  if (r.tag === 'err') throw { payload: r.val };
  throw new TypeError(`not a result: ${r.tag}`);
}

/** `witness:all-types/scalars@0.1.0`. */
export const scalars = { ...scalarsRules };

/** `witness:all-types/compound@0.1.0`. */
export const compound = { ...compoundRules };

/** `witness:all-types/variants@0.1.0`. */
export const variants = {
  ...variantRules,
  flip: (r) => returned(variantRules.flip(r)),
  toggle: (r) => returned(variantRules.toggle(r)),
  swapOk: (r) => returned(variantRules.swapOk(r)),
  swapErr: (r) => returned(variantRules.swapErr(r)),
  parseU8: (s) => returned(variantRules.parseU8(s)),
};

/** `witness:all-types/nested@0.1.0`. */
export const nested = { ...nestedRules };

/**
 * Patches the one place where the generated bindings get strings wrong.
 *
 * The bindings of componentize-js 0.19.3 lift an argument string with
 * `new TextDecoder().decode()`, which removes a leading U+FEFF: the WIT
 * string "\uFEFF" would reach `swap`'s label as "", and the guest would
 * answer a different call than it was given.  A string argument must arrive
 * exactly as sent, so a non-streaming UTF-8 decode keeps the BOM here, as if
 * the decoder had `ignoreBOM: true`.  The bindings use this global's
 * TextDecoder and look `decode` up on its prototype at every call.
 *
 * The patch runs when the module is evaluated during pre-initialization
 * (Wizer) and is part of the snapshot.  (The same patch as the json-tools
 * JavaScript guest's, guests/js/src/component.js, copied so that this guest
 * stands alone.)
 */
function installBindingWorkarounds() {
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function decodeKeepingBom(input, options) {
    const text = decode.call(this, input, options);
    const streaming = options != null && options.stream;
    if (
      this.encoding === 'utf-8' &&
      !this.ignoreBOM &&
      !streaming &&
      ArrayBuffer.isView(input) &&
      input.byteLength >= 3 &&
      input[0] === 0xef &&
      input[1] === 0xbb &&
      input[2] === 0xbf
    ) {
      return '\uFEFF' + text;
    }
    return text;
  };
}
