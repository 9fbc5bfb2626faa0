// The component's exports: the interface `example:json-tools/formatter`
// of the world `json-processor`, as componentize-js expects it, an object
// named after the interface.
//
// componentize-js lowers a returned string to `ok` and a thrown value to
// `err`: a thrown object's own `payload` becomes the error string.  Any other
// exception would escape as a trap, so only the formatter's own errors are
// turned into `err`.
//
// This module also works around two faults of the string bindings that
// componentize-js 0.22.0 generates (see installBindingWorkarounds).  It runs
// only inside the component; the formatter itself (jsonfmt.js) knows nothing
// of them, and its tests run without them.

import { FormatError, format, minify } from './jsonfmt.js';

installBindingWorkarounds();

/** `example:json-tools/formatter@1.0.0`. */
export const formatter = {
  /**
   * @param {string} input
   * @param {{indent: number, sortKeys: boolean} | undefined} options
   * @returns {string}
   */
  format(input, options) {
    try {
      return format(input, options);
    } catch (error) {
      throw asErr(error);
    }
  },

  /**
   * @param {string} input
   * @returns {string}
   */
  minify(input) {
    try {
      return minify(input);
    } catch (error) {
      throw asErr(error);
    }
  },
};

/**
 * The value to throw for the `err` case: the contract's message as the
 * payload.  Anything that is not a FormatError is a bug and stays a trap.
 *
 * @param {unknown} error
 * @returns {unknown}
 */
function asErr(error) {
  if (error instanceof FormatError) return { payload: error.message };
  return error;
}

/**
 * Patches the two places where the generated bindings get strings wrong.
 *
 * The bindings run in a realm of their own (StarlingMonkey's initializer
 * script), but they use this global's TextDecoder and TextEncoder, and look
 * their methods up on the prototypes at every call.
 *
 * 1. The bindings lift an argument string with `new TextDecoder().decode()`,
 *    which removes a leading U+FEFF: the WIT string "\uFEFF{}" would reach
 *    `format` as "{}", and the contract's BOM rule could never fire.  A
 *    string argument must arrive exactly as sent, so a non-streaming UTF-8
 *    decode keeps the BOM here, as if the decoder had `ignoreBOM: true`.
 *
 * 2. The bindings lower a result string with
 *    `{ ptr, len, codepoints: [...s].length }`: the spread walks the string
 *    one code point at a time in the interpreter, about 14,000 wasm
 *    instructions per character, so a 1 MB result would cost 14 billion and
 *    run out of any sensible fuel budget.  `codepoints` is never read
 *    afterwards.  So the string iterator of the bindings' realm ends at once
 *    when it is asked for the string that TextEncoder.encode has just
 *    encoded, which is the only string the bindings spread; every other
 *    string iterates as usual.  That realm's String.prototype is reached
 *    through the first byte array the bindings decode (see
 *    patchStringIterator).
 *
 * The first patch runs when the module is evaluated during pre-initialization
 * (Wizer) and is part of the snapshot; the second is installed by the first
 * decode, before any result is lowered.
 */
function installBindingWorkarounds() {
  const decode = TextDecoder.prototype.decode;
  let iteratorPatched = false;
  TextDecoder.prototype.decode = function decodeKeepingBom(input, options) {
    if (!iteratorPatched && ArrayBuffer.isView(input)) {
      patchStringIterator(input);
      iteratorPatched = true;
    }
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

  const encode = TextEncoder.prototype.encode;
  TextEncoder.prototype.encode = function encodeAndRemember(input) {
    const bytes = encode.call(this, input);
    justEncoded = input;
    return bytes;
  };
}

/** The string TextEncoder.encode encoded last, until it is iterated. */
let justEncoded = null;

/**
 * Makes the string iterator of the realm that `view` comes from end at once
 * for `justEncoded`.
 *
 * A built-in function creates objects in its own realm, so that realm's
 * `Object('')` is a String wrapper whose prototype is that realm's
 * String.prototype.  Its Object constructor is found from the view's
 * constructor: Uint8Array → Function → Function.prototype → Object.prototype.
 *
 * @param {ArrayBufferView} view a byte array created by the bindings.
 */
function patchStringIterator(view) {
  const RealmFunction = view.constructor.constructor;
  const RealmObject = Object.getPrototypeOf(RealmFunction.prototype).constructor;
  for (const stringPrototype of new Set([String.prototype, Object.getPrototypeOf(RealmObject(''))])) {
    const iterate = stringPrototype[Symbol.iterator];
    // A method, not an arrow function, so that `this` is the string.
    stringPrototype[Symbol.iterator] = function iterateUnlessJustEncoded() {
      if (justEncoded !== null && this === justEncoded) {
        justEncoded = null;
        return [][Symbol.iterator]();
      }
      return iterate.call(this);
    };
  }
}
