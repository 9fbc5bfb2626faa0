// Runs calls of `example:json-tools/formatter@1.0.0` (format, minify) or of
// `example:pipeline/normalizer@1.0.0` (normalize, a composed pipeline: see
// contracts/json-pipeline/contract.md) against a component that `jco transpile
// --instantiation async` turned into ESM, and turns each result into a
// witness outcome.  Which interface is used depends on what the component
// exports.
//
// With a list of functions (protocol 2, `--functions`), it calls any of
// them instead, with typed arguments and results (values.mjs).
//
// This module uses no Node API, so that the node runner and the page of the
// browser host share it: both hosts classify results the same way.

import { RAW_STRINGS, ValueError, checkType, exportedFunction, fromWire, parseProbe, toWire, toWireResult } from './values.mjs';

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
 * @param {object[] | null} [config.functions] the functions of a
 *   `--functions` file: the guest then answers protocol 2 calls of those it
 *   exports (see {@link callTyped}), and a component that exports none of
 *   them still loads.
 * @returns {Promise<{runBatch: (calls: object[]) => Promise<object[]>, instances: () => number, functions: () => object[]}>}
 *   `functions` gives the functions of the file that the component exports.
 */
export async function loadGuest({ instantiate, getCoreModule, makeImports, memoryLimit = null, stderrTail = null, functions = null }) {
  if (functions !== null) checkFunctions(functions);
  stubPromising();
  let n_instances = 0;
  // The memories of the current instance's core modules.
  let memories = [];
  // Whether the core instances being made are watched (see watchExports),
  // which only a probe's instance is, and what the watch has seen.
  let watching = false;
  const watch = { entered: false, allocating: 0 };
  const instantiateCore = async (module, imports) => {
    const instance = await WebAssembly.instantiate(module, imports);
    for (const value of Object.values(instance.exports)) {
      if (value instanceof WebAssembly.Memory) memories.push(value);
    }
    return watching ? { exports: watchExports(instance.exports, watch) } : instance;
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
    if (functions !== null) return exportsOf(root, functions);
    const normalizer = root[PIPELINE_INTERFACE] ?? root.normalizer;
    if (normalizer && typeof normalizer.normalize === 'function') return normalizer;
    const formatter = root[INTERFACE] ?? root.formatter;
    if (!formatter || typeof formatter.format !== 'function' || typeof formatter.minify !== 'function') {
      throw new Error(`the component exports neither ${INTERFACE} with format and minify nor ${PIPELINE_INTERFACE} with normalize`);
    }
    return formatter;
  }

  // The current instance's exports: the interface object, or in protocol 2
  // the table of exported functions (exportsOf).
  let exports = await freshInstance();

  /** Answers one call; `trapped` tells the caller to replace the instance. */
  function callOne(call) {
    if (stderrTail !== null) stderrTail.clear();
    try {
      let value;
      if (call.fn === 'format') {
        const options = call.options == null
          ? undefined
          : { indent: call.options.indent, sortKeys: call.options['sort-keys'] };
        value = exports.format(call.input, options);
      } else if (call.fn === 'minify') {
        value = exports.minify(call.input);
      } else if (call.fn === 'normalize') {
        value = exports.normalize(call.input);
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

  const clearStderr = () => {
    if (stderrTail !== null) stderrTail.clear();
  };

  /** Answers one protocol 2 call with its framed outcome; `trapped` as in {@link callOne}. */
  function callTypedOne(call) {
    return callTyped(exports, call, clearStderr, trapCause);
  }

  const answerOne = functions === null ? callOne : callTypedOne;

  /**
   * Answers a probe (docs/host-protocol.md, "Probes: values outside their
   * type") in an instance of its own, whose core exports are watched, so
   * that an exception is known to come from before the guest ran (jco's
   * lowering: `rejected`) or after (jco's lifting of what the guest gave
   * back: a trap, as in any call).  The probe's instance is dropped after
   * the call, whatever it did, and the current instance is left as it was.
   */
  async function probeOne(call) {
    const current_memories = memories;
    try {
      let table;
      watching = true;
      try {
        table = await freshInstance();
      } finally {
        watching = false;
      }
      const beforeCall = () => {
        clearStderr();
        watch.entered = false;
        watch.allocating = 0;
      };
      return callTyped(table, call, beforeCall, trapCause, () => watch.entered).outcome;
    } finally {
      memories = current_memories;
    }
  }

  async function runBatch(calls) {
    const outcomes = new Array(calls.length);
    for (let call_idx = 0; call_idx < calls.length; call_idx++) {
      if (functions !== null && isProbe(calls[call_idx])) {
        outcomes[call_idx] = await probeOne(calls[call_idx]);
        continue;
      }
      const { outcome, trapped } = answerOne(calls[call_idx]);
      outcomes[call_idx] = outcome;
      // An instance that trapped refuses every later call, and its memory
      // may be in any state, so the next call gets a new instance.
      if (trapped) exports = await freshInstance();
    }
    return outcomes;
  }

  // The exported functions do not change between instances of one component.
  const exported = functions === null ? [] : functions.filter((spec) => exports.has(functionKey(spec)));
  return { runBatch, instances: () => n_instances, functions: () => exported };
}

/** What {@link stubPromising}'s stand-in throws, made once. */
const NO_JSPI = new TypeError('WebAssembly.promising is not supported here (no JSPI)');

/**
 * Makes instantiation cheap where V8 has no JSPI (Node 20).
 *
 * jco 1.35's instantiation code wraps each export it may call
 * asynchronously in `try { x = WebAssembly.promising(f) } catch { x = f }`:
 * 42 times per instance of a componentize-py guest.  Without JSPI each of
 * those throws "WebAssembly.promising is not a function", and V8 writes that
 * message by parsing the calling function again to print the call: the
 * instantiation generator, 16,000 lines for such a guest.  An instance took
 * about 300 ms, nearly all of it those messages, and every trap and every
 * probe makes one.  A stand-in that throws one error made in advance takes
 * each `catch` as before, without the parse (about 40 ms an instance).
 * Where JSPI exists (Chromium), nothing changes.
 */
function stubPromising() {
  if (typeof WebAssembly.promising === 'function') return;
  WebAssembly.promising = () => {
    throw NO_JSPI;
  };
}

/** Whether a protocol 2 call is a probe: it has a `probe` member (`null` counts as none). */
function isProbe(call) {
  return call !== null && typeof call === 'object' && call.probe !== undefined && call.probe !== null;
}

/**
 * The exports of a core instance with every function wrapped, so that
 * `watch.entered` says whether the guest's code ran: jco calls only the
 * guest's allocator while it lowers the arguments (`cabi_realloc`, or
 * another `cabi_` or `cm32p2_` function), and then the core function of
 * the export.  So a call of any other function, from outside the
 * allocator, is the guest running; whatever the allocator calls (a
 * guest of several core modules imports its `malloc` from another one,
 * through these wrappers) is not.
 * Memories, tables and globals are passed as they are.
 */
export function watchExports(exports, watch) {
  const watched = Object.create(null);
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== 'function') {
      watched[name] = value;
    } else if (name.startsWith('cabi_') || name.startsWith('cm32p2_')) {
      watched[name] = (...args) => {
        watch.allocating += 1;
        try {
          return value(...args);
        } finally {
          watch.allocating -= 1;
        }
      };
    } else {
      watched[name] = (...args) => {
        if (watch.allocating === 0) watch.entered = true;
        return value(...args);
      };
    }
  }
  return watched;
}

/** The wire key of a function of a `--functions` file: `interface#name`, or `name`. */
export function functionKey(spec) {
  return spec.interface === null ? spec.name : `${spec.interface}#${spec.name}`;
}

/** Checks the functions of a `--functions` file, so that a broken file fails the load rather than a call. */
function checkFunctions(functions) {
  if (!Array.isArray(functions)) throw new Error('the functions file has no list of functions');
  for (const spec of functions) {
    const ok = spec !== null && typeof spec === 'object' && typeof spec.name === 'string'
      && (spec.interface === null || typeof spec.interface === 'string') && Array.isArray(spec.params);
    if (!ok) throw new Error(`the functions file has a malformed function: ${JSON.stringify(spec)}`);
    try {
      for (const param of spec.params) checkType(param.type);
      if (spec.result !== null) checkType(spec.result);
    } catch (error) {
      throw new Error(`the functions file's ${functionKey(spec)}: ${error.message}`);
    }
  }
}

/**
 * The functions of the file that an instance exports, by wire key, each
 * with its JavaScript function and its signature.
 */
function exportsOf(root, functions) {
  const table = new Map();
  for (const spec of functions) {
    const key = functionKey(spec);
    const fn = exportedFunction(root, key);
    if (fn === null) continue;
    const result = spec.result;
    table.set(key, {
      fn,
      spec,
      // jco returns a top-level result's ok payload and throws its err payload.
      isResult: result !== null && typeof result === 'object' && Object.hasOwn(result, 'result'),
    });
  }
  return table;
}

/**
 * Answers one protocol 2 call (docs/host-protocol.md, "Calls and outcomes")
 * against the exported functions of an instance, with its outcome framed:
 * `line` is the outcome's JSON line (without its newline) and `raws` the
 * raw strings that come before it, every string of a returned value, so
 * that the host writes them unescaped.
 * A call with a `probe` member passes the probe's value in place of that
 * argument (docs/host-protocol.md, "Probes: values outside their type"),
 * after lowering every argument as usual (so that the raw strings are
 * taken as in any call), and answers `rejected` when jco throws before the
 * guest ran.
 *
 * @param {Map<string, {fn: Function, spec: object, isResult: boolean}>} table
 * @param {object} call the call line's object; `call[RAW_STRINGS]` holds
 *   the raw strings that came before it.
 * @param {() => void} beforeCall runs right before the guest is called.
 * @param {() => string} trapCause what to add to a trap's message.
 * @param {(() => boolean) | null} [guestRan] for a probe, whether the
 *   guest's code ran during the call (see `watchExports`); without it, any
 *   exception but a `WebAssembly.RuntimeError` counts as before the guest.
 * @returns {{outcome: {line: string, raws: string[]}, trapped: boolean}}
 */
export function callTyped(table, call, beforeCall, trapCause, guestRan = null) {
  if (call === null || typeof call !== 'object' || Array.isArray(call) || !Array.isArray(call.args)) {
    throw new ProtocolError(`a protocol 2 call needs "fn" and "args": ${JSON.stringify(call)}`);
  }
  let probe = null;
  if (isProbe(call)) {
    try {
      probe = parseProbe(call.probe);
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      throw new ProtocolError(`a call of ${JSON.stringify(call.fn)}: ${error.message}`);
    }
  }
  const raws = call[RAW_STRINGS] ?? NO_RAWS;
  const entry = typeof call.fn === 'string' ? table.get(call.fn) : undefined;
  if (entry === undefined) {
    return trap(`host: the component does not export ${JSON.stringify(call.fn)}`);
  }
  const { fn, spec, isResult } = entry;
  if (call.args.length !== spec.params.length) {
    return trap(`host: ${call.fn} takes ${spec.params.length} arguments, not ${call.args.length}`);
  }
  let raw_idx = 0;
  const takeRaw = () => {
    if (raw_idx >= raws.length) {
      throw new ProtocolError(`a call of ${call.fn} has more null strings than the ${raws.length} raw strings before it`);
    }
    return raws[raw_idx++];
  };
  const args = new Array(spec.params.length);
  for (let param_idx = 0; param_idx < args.length; param_idx++) {
    const param = spec.params[param_idx];
    try {
      args[param_idx] = fromWire(param.type, call.args[param_idx], takeRaw);
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      return trap(`host: argument ${param.name} of ${call.fn}: ${error.message}`);
    }
  }
  if (raw_idx !== raws.length) {
    throw new ProtocolError(`a call of ${call.fn} left ${raws.length - raw_idx} of its ${raws.length} raw strings unused`);
  }
  if (probe !== null) {
    if (probe.arg >= args.length) {
      throw new ProtocolError(`a probe of argument ${probe.arg} of ${call.fn}, which takes ${args.length}`);
    }
    // As a user would write it, and unchecked.
    args[probe.arg] = probe.valueFor(spec.params[probe.arg].type);
  }
  const out_raws = [];
  const pushRaw = (text) => {
    out_raws.push(text);
  };
  beforeCall();
  let value;
  try {
    value = fn(...args);
  } catch (error) {
    // jco throws a ComponentError whose own `payload` is the `err` value.
    if (isResult && error !== null && typeof error === 'object' && Object.hasOwn(error, 'payload')) {
      return returned(() => toWireResult(spec.result, 'err', error.payload, pushRaw), out_raws);
    }
    // A probe that jco refused, in its lowering, before the guest ran.  A
    // new instance follows, since the lowering may have left allocations
    // of the guest's behind.
    if (probe !== null && !(error instanceof WebAssembly.RuntimeError) && !(guestRan !== null && guestRan())) {
      return { outcome: { line: `{"outcome":"rejected","value":${JSON.stringify(describeError(error))}}`, raws: NO_RAWS }, trapped: true };
    }
    // Everything else is a trap, as in callOne: a WebAssembly.RuntimeError,
    // a RangeError of a wasm stack overflow, or a TypeError of jco's
    // lifting code for a value the guest returned that its type does not
    // allow (a lone surrogate as a char, a bad discriminant).
    return trap(`${describeError(error)}${trapCause()}`);
  }
  if (spec.result === null) return { outcome: { line: '{"outcome":"returned"}', raws: NO_RAWS }, trapped: false };
  if (isResult) return returned(() => toWireResult(spec.result, 'ok', value, pushRaw), out_raws);
  return returned(() => toWire(spec.result, value, pushRaw), out_raws);
}

/** An empty list of raw strings, shared. */
const NO_RAWS = Object.freeze([]);

/** A `returned` outcome with the text `lift()` gives, or a trap if the value does not fit its type. */
function returned(lift, raws) {
  let text;
  try {
    text = lift();
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    return trap(`host: the returned value does not fit its type: ${error.message}`);
  }
  return { outcome: { line: `{"outcome":"returned","value":${text}}`, raws }, trapped: false };
}

/** A trap outcome; its message goes in the line, since it is not a value of any type. */
function trap(message) {
  return { outcome: { line: `{"outcome":"trap","value":${JSON.stringify(message)}}`, raws: NO_RAWS }, trapped: true };
}

/** A request the runner cannot answer; the process reports it and exits. */
export class ProtocolError extends Error {}

/** `Name: message` of a thrown value, for a trap outcome. */
export function describeError(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `thrown: ${String(error)}`;
}
