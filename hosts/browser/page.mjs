// The page of the browser host: loads the jco-transpiled guest in Chromium
// and answers the driver's batches over HTTP (`POST /exchange`, see
// driver.mjs): each request carries the answers to the last batch, and its
// response is the next batch.
//
// The driver serves this file, the guest, the WASI shim's browser build and
// the shared runner from one loopback origin (see driver.mjs for the paths).
// The shared runner (hosts/node/guest.mjs) makes every call here, probes
// included (docs/host-protocol.md, "Probes"): a probe's value is built from
// its call line and its outcome classified in this page, where the guest runs.

import { cli } from '@bytecodealliance/preview2-shim';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { loadGuest } from '/runner/guest.mjs';
import { StderrTail, denyImports, limitMemories, tapStderr } from '/runner/sandbox.mjs';
import { RAW_STRINGS } from '/runner/values.mjs';

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
  // Set by the driver in the page: the memory limit, the interfaces the
  // guest may call (null: no limit, everything), and where the driver serves
  // the `--functions` file (null: protocol 1).
  const { memoryBytes, allowImports, functionsUrl } = window.witnessConfig;
  let functions = null;
  if (functionsUrl !== null) {
    const response = await fetch(functionsUrl);
    if (response.status !== 200) throw new Error(`the functions file: HTTP ${response.status}`);
    const file = await response.json();
    if (file === null || typeof file !== 'object' || !Array.isArray(file.functions)) {
      throw new Error('the functions file has no "functions" list');
    }
    functions = file.functions;
  }
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
  // the node runner does), rather than printed with `console`: every
  // console message is a DevTools event with the page's objects in it (when
  // the driver used playwright, which keeps a handle for each, the driver
  // grew by 11 KiB per message).
  const makeImports = () => denyImports(tapStderr(new WASIShim({
    cli: cli.createCli({ environment: {}, arguments: [], stdout: outputSink(), stderr: outputSink() }),
    sandbox: { env: {}, args: [], enableNetwork: false },
  }).getImportObject(), stderrTail), allowImports);
  const guest = await loadGuest({ instantiate, getCoreModule, makeImports, memoryLimit: memoryBytes, stderrTail, functions });
  window.witnessRunBatch = guest.runBatch;
  const protocol = functions === null ? 1 : 2;
  void exchange(guest, protocol);
  // The driver echoes these in its ready line.
  return protocol === 2 ? { functions: guest.functions() } : {};
}

/**
 * Takes batches from the driver and answers them, for as long as the page
 * lives.  Both directions are the protocol's raw framing
 * (docs/host-protocol.md): `#N`, N bytes of UTF-8 and a newline for each
 * input or value, then its JSON line.  The answer starts with one raw
 * string of its own, what the guest wrote to stdout and stderr during the
 * batch, which the driver writes to its stderr (as the node runner does)
 * rather than the page printing it with `console` (a DevTools event per
 * message, see {@link load}).  In protocol 2 any number of raw strings may come before a line,
 * both ways (guest.mjs, `callTyped`).
 */
async function exchange(guest, protocol) {
  const encoder = new TextEncoder();
  let answered = 'none';
  let body = new Blob([]);
  for (;;) {
    let response;
    try {
      response = await fetch('/exchange', { method: 'POST', body, headers: { 'x-witness-answers': answered } });
    } catch (error) {
      // The driver is gone (the session ended) or the request failed; the
      // driver knows which answers it has, so the same request is repeated.
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (response.status !== 200) return;
    const batch = response.headers.get('x-witness-batch');
    let outcomes;
    try {
      outcomes = await guest.runBatch(parseBatch(new Uint8Array(await response.arrayBuffer()), protocol));
    } catch (error) {
      // A request the page cannot answer (a broken batch, an unknown
      // function): the driver reports it and exits.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await fetch('/exchange', { method: 'POST', body: message, headers: { 'x-witness-answers': batch, 'x-witness-error': '1' } });
      return;
    }
    const parts = [];
    const output = encoder.encode(guestOutput);
    guestOutput = '';
    parts.push(`#${output.length}\n`, output, '\n');
    if (protocol === 2) {
      for (const { line, raws } of outcomes) {
        for (const raw of raws) {
          const bytes = encoder.encode(raw);
          parts.push(`#${bytes.length}\n`, bytes, '\n');
        }
        parts.push(`${line}\n`);
      }
    } else {
      for (const { outcome, value } of outcomes) {
        const bytes = encoder.encode(value);
        parts.push(`#${bytes.length}\n`, bytes, `\n{"outcome":${JSON.stringify(outcome)}}\n`);
      }
    }
    body = new Blob(parts);
    answered = batch;
  }
}

/**
 * The calls of a batch in the raw framing.  In protocol 1 a raw string is
 * the next call's input; in protocol 2 the raw strings before a call line
 * go to `call[RAW_STRINGS]`, for its `null` strings to take.
 */
function parseBatch(bytes, protocol) {
  // `ignoreBOM`: a leading U+FEFF is part of the input (the contract rejects
  // it), not a byte-order mark to drop.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const calls = [];
  let raw = null;
  let raws = [];
  let pos = 0;
  while (pos < bytes.length) {
    const newline = bytes.indexOf(0x0a, pos);
    if (newline < 0) throw new Error(`a batch ends inside a line at byte ${pos}`);
    const line = decoder.decode(bytes.subarray(pos, newline));
    pos = newline + 1;
    if (line.startsWith('#')) {
      const length = Number(line.slice(1));
      raw = decoder.decode(bytes.subarray(pos, pos + length));
      pos += length + 1;
      if (protocol === 2) raws.push(raw);
      continue;
    }
    const call = JSON.parse(line);
    if (protocol === 2) {
      if (raws.length > 0) {
        call[RAW_STRINGS] = raws;
        raws = [];
      }
      calls.push(call);
      continue;
    }
    if (raw !== null) {
      call.input = raw;
      raw = null;
    }
    calls.push(call);
  }
  return calls;
}

// The driver awaits this promise; it never rejects, so that a load failure
// reaches the driver as a message instead of as an evaluation error.
window.witnessReady = load().then(
  (ready) => ({ ok: true, ...ready }),
  (error) => ({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
);
