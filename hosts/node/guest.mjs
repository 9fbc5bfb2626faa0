// Runs calls of `example:json-tools/formatter@1.0.0` (format, minify) or of
// `example:pipeline/normalizer@1.0.0` (normalize, a composed pipeline: see
// docs/composition.md) against a component that `jco transpile
// --instantiation async` turned into ESM, and turns each result into a
// witness outcome.  Which interface is used depends on what the component
// exports.
//
// This module uses no Node API, so that the node runner and the page of the
// browser host share it: both hosts classify results the same way.

/** The exported interface, as jco names it in the instantiated exports. */
const INTERFACE = 'example:json-tools/formatter@1.0.0';

/** A composed pipeline's exported interface. */
const PIPELINE_INTERFACE = 'example:pipeline/normalizer@1.0.0';

/**
 * Loads a guest and returns a runner that answers batches of calls.
 *
 * @param {object} config
 * @param {Function} config.instantiate the transpiled module's `instantiate`.
 * @param {(name: string) => Promise<WebAssembly.Module>} config.getCoreModule
 *   returns a compiled core module by file name; it should cache them, since
 *   a trap makes the runner instantiate the component again.
 * @param {() => object} config.makeImports returns a fresh import object for
 *   one instance (the WASI shim).
 * @param {number | null} [config.memoryLimit] the limit that the core modules'
 *   memories were given (see sandbox.mjs), named in the message of a trap
 *   that happens with a memory at that limit.
 * @param {{clear: () => void, describe: () => string} | null} [config.stderrTail]
 *   what the guest wrote to its stderr (see sandbox.mjs), cleared before each
 *   call and quoted in the message of a trap.
 * @returns {Promise<{runBatch: (calls: object[]) => Promise<object[]>, instances: () => number}>}
 */
export async function loadGuest({ instantiate, getCoreModule, makeImports, memoryLimit = null, stderrTail = null }) {
  let n_instances = 0;
  // The memories of the current instance's core modules.
  let memories = [];
  const instantiateCore = async (module, imports) => {
    const instance = await WebAssembly.instantiate(module, imports);
    for (const value of Object.values(instance.exports)) {
      if (value instanceof WebAssembly.Memory) memories.push(value);
    }
    return instance;
  };

  /**
   * Why a trap happened, when the message alone does not say: a guest whose
   * allocator found `memory.grow` failing aborts with `unreachable`, so a
   * trap with a memory close to its limit is named as what it most likely is.
   */
  function trapCause() {
    const stderr = stderrTail === null ? '' : stderrTail.describe();
    if (memoryLimit === null) return stderr;
    const largest = Math.max(0, ...memories.map((memory) => memory.buffer.byteLength));
    if (largest * 4 < memoryLimit * 3) return stderr;
    return ` (out of memory: the guest's linear memory had grown to ${largest} bytes of its limit of ${memoryLimit})${stderr}`;
  }

  async function freshInstance() {
    memories = [];
    const root = await instantiate(getCoreModule, makeImports(), instantiateCore);
    n_instances += 1;
    const normalizer = root[PIPELINE_INTERFACE] ?? root.normalizer;
    if (normalizer && typeof normalizer.normalize === 'function') return normalizer;
    const formatter = root[INTERFACE] ?? root.formatter;
    if (!formatter || typeof formatter.format !== 'function' || typeof formatter.minify !== 'function') {
      throw new Error(`the component exports neither ${INTERFACE} with format and minify nor ${PIPELINE_INTERFACE} with normalize`);
    }
    return formatter;
  }

  let formatter = await freshInstance();

  /** Answers one call; `trapped` tells the caller to replace the instance. */
  function callOne(call) {
    if (stderrTail !== null) stderrTail.clear();
    try {
      let value;
      if (call.fn === 'format') {
        const options = call.options == null
          ? undefined
          : { indent: call.options.indent, sortKeys: call.options['sort-keys'] };
        value = formatter.format(call.input, options);
      } else if (call.fn === 'minify') {
        value = formatter.minify(call.input);
      } else if (call.fn === 'normalize') {
        value = formatter.normalize(call.input);
      } else {
        // The harness only sends the three functions of the contracts, so
        // this is a broken request, not something the guest did.
        throw new ProtocolError(`unknown function ${JSON.stringify(call.fn)}`);
      }
      if (typeof value !== 'string') {
        return { outcome: { outcome: 'trap', value: `host: ok payload is ${typeof value}, not a string` }, trapped: true };
      }
      return { outcome: { outcome: 'ok', value }, trapped: false };
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      // jco throws a ComponentError whose own `payload` is the `err` value.
      if (error !== null && typeof error === 'object' && Object.prototype.hasOwnProperty.call(error, 'payload')) {
        const payload = error.payload;
        if (typeof payload === 'string') {
          return { outcome: { outcome: 'err', value: payload }, trapped: false };
        }
      }
      // Everything else is a trap: a WebAssembly.RuntimeError (unreachable,
      // out of bounds, ...), a RangeError for a wasm stack overflow, or a
      // TypeError of jco's lifting code for a value the guest returned
      // that its type does not allow (wasmtime traps on those too).
      return { outcome: { outcome: 'trap', value: `${describeError(error)}${trapCause()}` }, trapped: true };
    }
  }

  async function runBatch(calls) {
    const outcomes = new Array(calls.length);
    for (let call_idx = 0; call_idx < calls.length; call_idx++) {
      const { outcome, trapped } = callOne(calls[call_idx]);
      outcomes[call_idx] = outcome;
      // An instance that trapped refuses every later call, and its memory
      // may be in any state, so the next call gets a new instance.
      if (trapped) formatter = await freshInstance();
    }
    return outcomes;
  }

  return { runBatch, instances: () => n_instances };
}

/** A request the runner cannot answer; the process reports it and exits. */
export class ProtocolError extends Error {}

/** `Name: message` of a thrown value, for a trap outcome. */
export function describeError(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `thrown: ${String(error)}`;
}
