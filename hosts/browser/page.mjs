// The page of the browser host: loads the jco-transpiled guest in Chromium
// and exposes `window.witnessRunBatch(calls)` to the driver.
//
// The driver serves this file, the guest, the WASI shim's browser build and
// the shared runner from one loopback origin (see driver.mjs for the paths).

import { cli } from '@bytecodealliance/preview2-shim';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { loadGuest } from '/runner/guest.mjs';
import { StderrTail, denyImports, limitMemories, tapStderr } from '/runner/sandbox.mjs';

/** The most characters of guest output kept between two batches. */
const MAX_OUTPUT_CHARS = 64 << 10;

/** What the guest wrote to stdout and stderr since the driver last took it. */
let guestOutput = '';

/** A stream handler for the shim that appends to `guestOutput`. */
function outputSink() {
  const decoder = new TextDecoder();
  const append = (text) => {
    guestOutput += text;
    if (guestOutput.length > MAX_OUTPUT_CHARS) guestOutput = `[...]${guestOutput.slice(-MAX_OUTPUT_CHARS)}`;
  };
  return {
    write(contents) {
      append(decoder.decode(contents, { stream: true }));
    },
    flush() {
      append(decoder.decode());
    },
    blockingFlush() {
      this.flush();
    },
    drop() {
      this.flush();
    },
  };
}

async function load() {
  // Set by the driver in the page: the memory limit and the interfaces the
  // guest may call (null: no limit, everything).
  const { memoryBytes, allowImports } = window.witnessConfig;
  const { instantiate } = await import('/guest/guest.js');
  const core_modules = new Map();
  const getCoreModule = (name) => {
    let compiled = core_modules.get(name);
    if (!compiled) {
      compiled = fetch(`/guest/${encodeURIComponent(name)}`)
        .then((response) => response.arrayBuffer())
        .then((bytes) => WebAssembly.compile(limitMemories(new Uint8Array(bytes), memoryBytes)));
      core_modules.set(name, compiled);
    }
    return compiled;
  };
  // The guest gets nothing of the host's: no environment, no arguments (as
  // in wasmtime, not even a program name), no network (the browser shim has
  // no host filesystem to expose), and the functions of the interfaces it
  // was not granted throw.
  const stderrTail = new StderrTail();
  // Every instance gets stdin, stdout and stderr streams of its own
  // (`createCli`).  The shim's default ones are shared by every instance in
  // the page, and a stream keeps each pollable subscribed to it until the
  // pollable is dropped, which a trapped instance never does: the page's
  // live heap grew by about 300 bytes with every instance replaced.
  // What the guest writes to stdout and stderr is kept here and handed to
  // the driver with the batch's outcomes, which writes it to its stderr (as
  // the node runner does), rather than printed with `console`: playwright
  // keeps a handle for every console message, and the driver grew by
  // 11 KiB per message.
  const makeImports = () => denyImports(tapStderr(new WASIShim({
    cli: cli.createCli({ environment: {}, arguments: [], stdout: outputSink(), stderr: outputSink() }),
    sandbox: { env: {}, args: [], enableNetwork: false },
  }).getImportObject(), stderrTail), allowImports);
  const guest = await loadGuest({ instantiate, getCoreModule, makeImports, memoryLimit: memoryBytes, stderrTail });
  window.witnessRunBatch = guest.runBatch;
  // The driver's entry points: a JSON array of calls in, outcome lines out,
  // joined with `\n` (JSON.stringify escapes every newline inside a string).
  // Outcomes can be far bigger than their calls (a deep document formatted
  // with indent 16), so they go back in pieces of at most `max_chars`
  // characters: `{text, more}`, and `witnessTakeOutcomes` for the rest.
  let pending = [];
  window.witnessRunBatchText = async (calls_json, max_chars) => {
    const outcomes = await guest.runBatch(JSON.parse(calls_json));
    pending = outcomes.map((outcome) => JSON.stringify(outcome));
    return window.witnessTakeOutcomes(max_chars);
  };
  window.witnessTakeOutcomes = (max_chars) => {
    let n_lines = 0;
    let n_chars = 0;
    while (n_lines < pending.length && (n_lines === 0 || n_chars + pending[n_lines].length <= max_chars)) {
      n_chars += pending[n_lines].length + 1;
      n_lines += 1;
    }
    const text = pending.slice(0, n_lines).join('\n');
    pending = pending.slice(n_lines);
    const output = guestOutput;
    guestOutput = '';
    return { text, n_lines, more: pending.length > 0, output };
  };
}

// The driver awaits this promise; it never rejects, so that a load failure
// reaches the driver as a message instead of as an evaluation error.
window.witnessReady = load().then(
  () => ({ ok: true }),
  (error) => ({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
);
