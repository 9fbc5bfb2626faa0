// The component's exports: the interface `example:json-tools/formatter`
// of the world `json-processor`, as componentize-js expects it, an object
// named after the interface.
//
// componentize-js lowers a returned string to `ok` and a thrown value to
// `err`: a thrown object's own `payload` becomes the error string.  Any other
// exception would escape as a trap, so only the formatter's own errors are
// turned into `err`.
//
// This module also works around a fault of the string bindings that
// componentize-js 0.19.3 generates (see installBindingWorkarounds).  It runs
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
 * Patches the one place where the generated bindings get strings wrong.
 *
 * The bindings of componentize-js 0.19.3 lift an argument string with
 * `new TextDecoder().decode()`, which removes a leading U+FEFF: the WIT
 * string "\uFEFF{}" would reach `format` as "{}", and the contract's BOM
 * rule could never fire.  A string argument must arrive exactly as sent, so a
 * non-streaming UTF-8 decode keeps the BOM here, as if the decoder had
 * `ignoreBOM: true`.  The bindings use this global's TextDecoder and look
 * `decode` up on its prototype at every call.
 *
 * The patch runs when the module is evaluated during pre-initialization
 * (Wizer) and is part of the snapshot.
 *
 * (The bindings of 0.22.0 also lowered a result string with
 * `{ ptr, len, codepoints: [...s].length }`, about 14,000 wasm instructions
 * per character, which needed a second patch; those of 0.19.3 lower it with
 * `TextEncoder.encode` alone.)
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
