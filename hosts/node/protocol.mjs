// The host side of the witness host protocol (docs/host-protocol.md) for
// processes written for Node: frames batches read from stdin, hands each
// batch to a handler, and writes the outcomes and the end line to stdout.
//
// The node runner and the browser driver both use it, so that they frame
// the protocol identically.

import { resolve } from 'node:path';
import process from 'node:process';

import { parseAllowedImports } from './sandbox.mjs';

/**
 * Writes the ready line.
 *
 * @param {object} ready the fields after `"ready": true`.
 */
export function writeReady(ready) {
  writeLines([JSON.stringify({ ready: true, ...ready })]);
}

/**
 * Writes a `ready: false` line and exits, for a host that could not load the
 * guest.
 */
export function failReady(host, error) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`${error instanceof Error && error.stack ? error.stack : message}\n`);
  writeLines([JSON.stringify({ ready: false, host, error: message })]);
  process.exitCode = 1;
}

/**
 * Reads batches from stdin until it closes, and answers each with
 * `handler(call_lines)`, which resolves to one outcome line per call line.
 *
 * The handler gets the call lines as text, so that the browser driver can
 * hand a whole batch to the page as one string; it parses them with
 * {@link parseCall}.
 * A malformed request is fatal: the process prints why to stderr and exits
 * with status 2, since the harness and the host no longer agree on where
 * the next batch starts.
 *
 * @param {(call_lines: string[]) => Promise<string[]>} handler
 * @returns {Promise<void>} resolves when stdin is closed between batches.
 */
export async function serveBatches(handler) {
  const lines = readLines(process.stdin);
  for (;;) {
    const header_line = await lines.next();
    if (header_line.done) return;
    const header = parseRequest(header_line.value, 'batch header');
    if (!Number.isSafeInteger(header.batch) || !Number.isSafeInteger(header.calls) || header.calls < 0) {
      fatal(`expected a batch header {"batch": id, "calls": n}, got ${abbreviate(header_line.value)}`);
    }
    const call_lines = new Array(header.calls);
    for (let call_idx = 0; call_idx < header.calls; call_idx++) {
      const call_line = await lines.next();
      if (call_line.done) fatal(`stdin closed after ${call_idx} of ${header.calls} calls of batch ${header.batch}`);
      call_lines[call_idx] = call_line.value;
    }
    const out = await handler(call_lines);
    if (out.length !== call_lines.length) {
      fatal(`handler answered ${out.length} of ${call_lines.length} calls`);
    }
    out.push(JSON.stringify({ end: header.batch }));
    await writeLinesAsync(out);
  }
}

/** Parses one call line; a line that is not JSON is fatal. */
export function parseCall(line, call_idx) {
  return parseRequest(line, `call ${call_idx}`);
}

function parseRequest(line, what) {
  try {
    return JSON.parse(line);
  } catch (error) {
    fatal(`${what} is not JSON (${error.message}): ${abbreviate(line)}`);
  }
}

function abbreviate(line) {
  return line.length > 200 ? `${JSON.stringify(line.slice(0, 200))}...` : JSON.stringify(line);
}

/** Prints a protocol error to stderr and exits. */
export function fatal(message) {
  process.stderr.write(`protocol error: ${message}\n`);
  process.exit(2);
}

/** Yields the lines of a readable stream, without their `\n`. */
async function* readLines(stream) {
  stream.setEncoding('utf8');
  let pending = '';
  for await (const chunk of stream) {
    pending += chunk;
    let start = 0;
    for (;;) {
      const newline = pending.indexOf('\n', start);
      if (newline < 0) break;
      yield pending.slice(start, newline);
      start = newline + 1;
    }
    pending = pending.slice(start);
  }
  if (pending.length > 0) fatal(`stdin ended inside a line: ${abbreviate(pending)}`);
}

function writeLines(lines) {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Writes lines and waits until they are handed to the OS (back-pressure). */
function writeLinesAsync(lines) {
  return new Promise((resolve, reject) => {
    process.stdout.write(`${lines.join('\n')}\n`, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Parses the arguments every host process takes (docs/host-protocol.md,
 * "Starting"): the guest, `--fuel-per-call N`, `--memory-bytes N` and
 * `--allow-imports LIST`, plus a host's own flags, each of which takes a
 * value.  A mistake prints `usage` and exits with status 64.
 *
 * @param {string[]} argv the arguments after the script.
 * @param {string} program the script's name, for messages.
 * @param {Record<string, (value: string) => void>} extra a host's own flags.
 * @param {string} usage the usage line.
 * @returns {{dir: string, fuel_per_call: string|null, memory_bytes: number|null, allow_imports: string[]|null}}
 */
export function parseHostArgs(argv, program, extra, usage) {
  const fail = (message) => {
    process.stderr.write(`${program}: ${message}\nusage: ${usage}\n`);
    process.exit(64);
  };
  const args = { dir: null, fuel_per_call: null, memory_bytes: null, allow_imports: null };
  for (let arg_idx = 0; arg_idx < argv.length; arg_idx++) {
    const arg = argv[arg_idx];
    const value = () => {
      const next = argv[++arg_idx];
      if (next === undefined) fail(`${arg} needs a value`);
      return next;
    };
    if (arg === '--fuel-per-call' || arg === '--memory-bytes') {
      const number = value();
      if (!/^[0-9]+$/.test(number)) fail(`${arg} needs a number`);
      if (arg === '--fuel-per-call') args.fuel_per_call = number;
      else args.memory_bytes = Number(number);
    } else if (arg === '--allow-imports') {
      args.allow_imports = parseAllowedImports(value());
    } else if (Object.hasOwn(extra, arg)) {
      extra[arg](value());
    } else if (arg.startsWith('-')) {
      fail(`unknown flag ${arg}`);
    } else if (args.dir === null) {
      args.dir = resolve(arg);
    } else {
      fail(`unexpected argument ${arg}`);
    }
  }
  if (args.dir === null) fail('missing TRANSPILED_DIR');
  return args;
}
