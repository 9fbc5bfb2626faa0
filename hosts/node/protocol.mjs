// The host side of the witness host protocol (docs/host-protocol.md) for
// processes written for Node: frames batches read from stdin, hands each
// batch to a handler, and writes the outcomes and the end line to stdout.
//
// The node runner and the browser driver both use it, so that they frame
// the protocol identically.

import { Buffer } from 'node:buffer';
import { resolve } from 'node:path';
import process from 'node:process';

import { ProtocolError } from './guest.mjs';
import { parseAllowedImports } from './sandbox.mjs';
import { RAW_STRINGS } from './values.mjs';

/**
 * The key under which a protocol 2 call keeps the text of its line, for the
 * browser's driver to pass on as it came: `JSON.stringify` of the parsed
 * call would write an argument of `-0.0` as `0`.
 */
export const CALL_LINE = Symbol('witness.call-line');

/**
 * Writes the ready line.  It says `"raw-strings": true`: {@link serveBatches}
 * reads inputs sent as raw strings (docs/host-protocol.md, "Raw strings").
 *
 * @param {object} ready the fields after `"ready": true`.
 */
export function writeReady(ready) {
  writeLines([JSON.stringify({ ready: true, ...ready, 'raw-strings': true })]);
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
 * `handler(calls)`, which resolves to one answer per call.
 *
 * A call is its line's object, with its `input` filled in from the raw
 * string before the line, where the harness sent one.
 * Each answer is an outcome object (`{outcome, value}`), written with its
 * value as a raw string.  The handler may instead resolve to the bytes of
 * every outcome, already framed (what the browser's page sends), which are
 * written as they are.
 * In protocol 2, any number of raw strings may come before a call line;
 * they are put on the call as `call[RAW_STRINGS]`, in order, for its `null`
 * strings to take (guest.mjs counts them, since that takes the types), and
 * each answer is `{line, raws}`: the outcome's JSON line and the raw
 * strings written before it.
 * A malformed request is fatal: the process prints why to stderr and exits
 * with status 2, since the harness and the host no longer agree on where
 * the next batch starts.  So is a `ProtocolError` of the handler.
 *
 * @param {(calls: object[]) => Promise<object[] | Uint8Array>} handler
 * @param {AsyncIterable<Buffer>} [input] where requests come from; stdin by default.
 * @param {(text: string) => Promise<void>} [output] where answers go; stdout by default.
 * @param {1 | 2} [protocol] which protocol's call lines come (docs/host-protocol.md).
 * @returns {Promise<void>} resolves when the input is closed between batches.
 */
export async function serveBatches(handler, input = process.stdin, output = writeAsync, protocol = 1) {
  const frames = readFrames(input);
  const next = async () => {
    const frame = await frames.next();
    return frame.done ? null : frame.value;
  };
  for (;;) {
    const header_frame = await next();
    if (header_frame === null) return;
    if (header_frame.line === undefined) fatal(`expected a batch header, got a raw string of ${header_frame.raw.length} characters`);
    const header = parseRequest(header_frame.line, 'batch header');
    if (!Number.isSafeInteger(header.batch) || !Number.isSafeInteger(header.calls) || header.calls < 0) {
      fatal(`expected a batch header {"batch": id, "calls": n}, got ${abbreviate(header_frame.line)}`);
    }
    const calls = new Array(header.calls);
    for (let call_idx = 0; call_idx < header.calls; call_idx++) {
      const closed = () => fatal(`stdin closed after ${call_idx} of ${header.calls} calls of batch ${header.batch}`);
      let frame = await next();
      if (frame === null) closed();
      if (protocol === 2) {
        let raws = null;
        while (frame.raw !== undefined) {
          (raws ??= []).push(frame.raw);
          frame = await next();
          if (frame === null) closed();
        }
        const call = parseCall(frame.line, call_idx);
        if (call === null || typeof call !== 'object' || Array.isArray(call)) {
          fatal(`call ${call_idx} of batch ${header.batch} is not an object: ${abbreviate(frame.line)}`);
        }
        if (raws !== null) call[RAW_STRINGS] = raws;
        call[CALL_LINE] = frame.line;
        calls[call_idx] = call;
        continue;
      }
      let raw = null;
      if (frame.raw !== undefined) {
        raw = frame.raw;
        frame = await next();
        if (frame === null) closed();
        if (frame.line === undefined) fatal(`call ${call_idx} of batch ${header.batch}: two raw strings in a row`);
      }
      const call = parseCall(frame.line, call_idx);
      if (raw !== null) {
        if (call === null || typeof call !== 'object' || Object.hasOwn(call, 'input')) {
          fatal(`call ${call_idx} of batch ${header.batch} has an input both raw and in its line: ${abbreviate(frame.line)}`);
        }
        call.input = raw;
      }
      calls[call_idx] = call;
    }
    let answers;
    try {
      answers = await handler(calls);
    } catch (error) {
      if (error instanceof ProtocolError) fatal(`batch ${header.batch}: ${error.message}`);
      throw error;
    }
    if (answers instanceof Uint8Array) {
      // Framed by the handler; the harness checks that every call is answered.
      await output(answers);
      await output(`{"end":${header.batch}}\n`);
      continue;
    }
    if (answers.length !== calls.length) {
      fatal(`handler answered ${answers.length} of ${calls.length} calls`);
    }
    const pieces = answers.map(answerText);
    pieces.push(`{"end":${header.batch}}\n`);
    await output(pieces.join(''));
  }
}

/**
 * Reads batches from stdin until it closes, like {@link serveBatches}, but
 * hands each batch on as the bytes that came, without decoding its calls:
 * for a host that passes batches to another process (the browser's driver
 * to its page), where decoding every input to a string and encoding it
 * again cost more CPU than the guest's calls (docs/bench.md).
 *
 * The framing is still checked here, so that a broken request is fatal at
 * once with the batch and call it broke in: a header that is not a batch
 * header, a raw string's length that is not `#N`, a raw string not ended by
 * a newline, in protocol 1 two raw strings in a row, and stdin ending
 * inside a batch.  The call lines themselves are parsed where they are run.
 *
 * @param {(batch: Buffer, calls: number) => Promise<Uint8Array>} handler
 *   gets the batch's calls in the protocol's framing (everything after the
 *   header line) and their number, and resolves to the framed outcomes.
 * @param {AsyncIterable<Buffer>} [input] where requests come from; stdin by default.
 * @param {(bytes: Uint8Array | string) => Promise<void>} [output] where answers go.
 * @param {1 | 2} [protocol] which protocol's call lines come.
 * @returns {Promise<void>} resolves when the input is closed between batches.
 */
export async function serveRawBatches(handler, input = process.stdin, output = writeAsync, protocol = 1) {
  const scanner = new BatchScanner(protocol);
  for await (const chunk of input) {
    let rest = chunk;
    while (rest !== null) {
      const done = scanner.feed(rest);
      if (done === null) break;
      rest = done.rest;
      const answers = await handler(done.body, done.header.calls);
      await output(answers);
      await output(`{"end":${done.header.batch}}\n`);
    }
  }
  scanner.finish();
}

/**
 * Splits a byte stream into batches, in the framing of
 * docs/host-protocol.md, keeping each batch's calls as bytes.
 */
export class BatchScanner {
  constructor(protocol) {
    this.protocol = protocol;
    this.startBatch();
  }

  startBatch() {
    // The batch's header, once read; the bytes of its calls so far.
    this.header = null;
    this.pieces = [];
    this.size = 0;
    // The text of a line being read whose text matters (the header, `#N`),
    // or null inside a call line, whose bytes only pass through.
    this.line = [];
    this.line_bytes = 0;
    this.at_line_start = true;
    // The bytes left of the raw string being read (and its newline), or -1.
    this.raw_left = -1;
    this.raw_length = 0;
    this.calls_done = 0;
    this.raws_before_line = 0;
  }

  /**
   * Takes the next chunk; returns `{header, body, rest}` when it completes a
   * batch (`rest`: the chunk's bytes after it, or null), else null.
   */
  feed(chunk) {
    let pos = 0;
    // Where this chunk's part of the batch's calls starts, once known.
    let body_start = this.header === null ? null : 0;
    while (pos < chunk.length) {
      if (this.raw_left >= 0) {
        const take = Math.min(this.raw_left, chunk.length - pos);
        pos += take;
        this.raw_left -= take;
        if (this.raw_left > 0) break;
        if (pos >= chunk.length) {
          // The raw string's newline is in the next chunk.
          this.raw_left = 0;
          break;
        }
        if (chunk[pos] !== 0x0a) this.fail(`a raw string of ${this.raw_length} bytes is not followed by a newline`);
        pos += 1;
        this.raw_left = -1;
        continue;
      }
      if (this.at_line_start) {
        this.at_line_start = false;
        // A call line's text is not needed; a header's and a `#N`'s is.
        this.line = this.header === null || chunk[pos] === 0x23 ? [] : null;
        this.line_bytes = 0;
      }
      const newline = chunk.indexOf(0x0a, pos);
      const end = newline < 0 ? chunk.length : newline;
      if (this.line !== null) {
        this.line.push(chunk.subarray(pos, end));
        this.line_bytes += end - pos;
        if (this.line_bytes > 4096) {
          this.fail(`expected a batch header or a raw string's length, got a line of over 4096 bytes: ${abbreviate(Buffer.concat(this.line).toString('utf8'))}`);
        }
      }
      if (newline < 0) {
        pos = chunk.length;
        break;
      }
      pos = newline + 1;
      this.at_line_start = true;
      const text = this.line === null ? null : Buffer.concat(this.line).toString('utf8');
      if (this.header === null) {
        this.header = this.parseHeader(text);
        body_start = pos;
        if (this.header.calls === 0) return this.complete(chunk, body_start, pos);
        continue;
      }
      if (text !== null) {
        this.raw_length = rawLength(text);
        this.raw_left = this.raw_length;
        this.raws_before_line += 1;
        if (this.protocol === 1 && this.raws_before_line > 1) {
          this.fail(`call ${this.calls_done} of batch ${this.header.batch}: two raw strings in a row`);
        }
        // A raw string of 0 bytes is its newline alone.
        continue;
      }
      this.raws_before_line = 0;
      this.calls_done += 1;
      if (this.calls_done === this.header.calls) return this.complete(chunk, body_start, pos);
    }
    if (this.header !== null && body_start !== null && body_start < pos) {
      this.pieces.push(chunk.subarray(body_start, pos));
      this.size += pos - body_start;
    }
    return null;
  }

  complete(chunk, body_start, pos) {
    this.pieces.push(chunk.subarray(body_start, pos));
    this.size += pos - body_start;
    const body = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.size);
    const { header } = this;
    this.startBatch();
    return { header, body, rest: pos < chunk.length ? chunk.subarray(pos) : null };
  }

  parseHeader(text) {
    if (text.startsWith('#')) this.fail(`expected a batch header, got a raw string's length ${abbreviate(text)}`);
    const header = parseRequest(text, 'batch header');
    if (header === null || typeof header !== 'object' || !Number.isSafeInteger(header.batch)
        || !Number.isSafeInteger(header.calls) || header.calls < 0) {
      this.fail(`expected a batch header {"batch": id, "calls": n}, got ${abbreviate(text)}`);
    }
    return header;
  }

  /** At the end of the input: fatal unless it ended between batches. */
  finish() {
    if (this.header !== null) {
      this.fail(`stdin closed after ${this.calls_done} of ${this.header.calls} calls of batch ${this.header.batch}`);
    }
    if (!this.at_line_start) this.fail('stdin ended inside a batch header');
  }

  fail(message) {
    fatal(message);
  }
}

/**
 * The text of one outcome: in protocol 1 with its value as a raw string,
 * in protocol 2 its raw strings and then its line (guest.mjs, `callTyped`).
 */
function answerText(answer) {
  if (answer.line !== undefined) {
    const { line, raws } = answer;
    if (raws.length === 0) return `${line}\n`;
    let text = '';
    for (const raw of raws) text += `#${Buffer.byteLength(raw, 'utf8')}\n${raw}\n`;
    return `${text}${line}\n`;
  }
  const { outcome, value } = answer;
  return `#${Buffer.byteLength(value, 'utf8')}\n${value}\n{"outcome":${JSON.stringify(outcome)}}\n`;
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

/** The N of a `#N` line, which introduces a raw string of N bytes. */
function rawLength(line) {
  if (!/^#[0-9]{1,15}$/.test(line)) fatal(`expected a raw string's length (#N), got ${abbreviate(line)}`);
  return Number(line.slice(1));
}

/**
 * Yields the frames of a byte stream: `{line}` for a line (without its
 * `\n`), `{raw}` for a raw string (`#N`, a newline, N bytes of UTF-8, a
 * newline).  Bytes are kept as chunks until a frame is complete, so that a
 * large raw string is copied once.
 */
export async function* readFrames(stream) {
  let chunks = [];
  let size = 0;
  // The length of the raw string being read, or -1 between frames.
  let raw_length = -1;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
    if (raw_length >= 0 ? size <= raw_length : chunk.indexOf(0x0a) < 0) continue;
    const buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    let start = 0;
    for (;;) {
      if (raw_length >= 0) {
        const end = start + raw_length;
        if (buffer.length <= end) break;
        if (buffer[end] !== 0x0a) fatal(`a raw string of ${raw_length} bytes is not followed by a newline`);
        yield { raw: buffer.toString('utf8', start, end) };
        start = end + 1;
        raw_length = -1;
        continue;
      }
      const newline = buffer.indexOf(0x0a, start);
      if (newline < 0) break;
      const line = buffer.toString('utf8', start, newline);
      start = newline + 1;
      if (line.startsWith('#')) raw_length = rawLength(line);
      else yield { line };
    }
    const rest = buffer.subarray(start);
    chunks = rest.length > 0 ? [rest] : [];
    size = rest.length;
  }
  if (raw_length >= 0) fatal(`stdin ended inside a raw string of ${raw_length} bytes`);
  if (size > 0) fatal(`stdin ended inside a line: ${abbreviate(Buffer.concat(chunks, size).toString('utf8'))}`);
}

function writeLines(lines) {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Writes text and waits until it is handed to the OS (back-pressure). */
function writeAsync(text) {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Parses the arguments every host process takes (docs/host-protocol.md,
 * "Starting"): the guest, `--fuel-per-call N`, `--memory-bytes N`,
 * `--allow-imports LIST` and `--functions FILE` (which makes the session
 * speak protocol 2), plus a host's own flags, each of which takes a value.
 * A mistake prints `usage` and exits with status 64.
 *
 * @param {string[]} argv the arguments after the script.
 * @param {string} program the script's name, for messages.
 * @param {Record<string, (value: string) => void>} extra a host's own flags.
 * @param {string} usage the usage line.
 * @returns {{dir: string, fuel_per_call: string|null, memory_bytes: number|null, allow_imports: string[]|null, functions: string|null}}
 *   `functions` is the absolute path of the functions file.
 */
export function parseHostArgs(argv, program, extra, usage) {
  const fail = (message) => {
    process.stderr.write(`${program}: ${message}\nusage: ${usage}\n`);
    process.exit(64);
  };
  const args = { dir: null, fuel_per_call: null, memory_bytes: null, allow_imports: null, functions: null };
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
    } else if (arg === '--functions') {
      args.functions = resolve(value());
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
