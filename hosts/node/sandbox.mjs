// The sandbox of a jco-transpiled guest, shared by the node runner and the
// page of the browser host: the capability policy (which WASI interfaces the
// guest may call) and the memory limit (how far its linear memories may grow).
//
// This module uses no Node API, so that the page can import it too.

/** The size of a wasm page. */
const PAGE_BYTES = 65536;

/**
 * Parses `--allow-imports` (interface names without versions, separated by
 * commas) into a list; `null` (the flag was not given) stays `null`, which
 * means every interface is allowed.
 */
export function parseAllowedImports(value) {
  if (value === null || value === undefined) return null;
  return value.split(',').filter((name) => name !== '');
}

/**
 * Returns a copy of a WASI shim's import object in which every function of
 * every interface not in `allowed` throws `capability denied:
 * <interface>#<function>`, so that the guest traps when it calls one.
 * Resource classes stay as they are: only a function can make an instance of
 * one, and every function of a denied interface throws.
 *
 * @param {Record<string, object>} imports the shim's import object, keyed by
 *   unversioned interface names (`wasi:clocks/wall-clock`), as jco asks for them.
 * @param {string[] | null} allowed the interfaces the guest may call; `null`
 *   allows everything.
 */
export function denyImports(imports, allowed) {
  if (allowed === null) return imports;
  const gated = {};
  for (const [name, members] of Object.entries(imports)) {
    gated[name] = allowed.includes(name) ? members : deniedInterface(name, members);
  }
  return gated;
}

function deniedInterface(name, members) {
  const denied = {};
  for (const key of Object.keys(members ?? {})) {
    const member = members[key];
    denied[key] = typeof member === 'function' && !isClass(member)
      ? deniedFunction(`${name}#${kebab(key)}`)
      : member;
  }
  return denied;
}

function deniedFunction(qualified_name) {
  return function denied() {
    throw new Error(`capability denied: ${qualified_name}`);
  };
}

/** Whether a function is a class (a resource type, in a WASI shim). */
function isClass(member) {
  return /^class\b/.test(Function.prototype.toString.call(member)) || /^[A-Z]/.test(member.name);
}

/** `getRandomBytes` as WIT spells it: `get-random-bytes`. */
function kebab(name) {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Gives every memory that a core module defines a maximum of at most
 * `max_bytes` (rounded down to whole pages, and never below the memory's
 * initial size), so that `memory.grow` fails past it, as in wasmtime.
 * V8 has no limit of its own on a module's memory but the 4 GiB of memory32.
 *
 * @param {Uint8Array} bytes a core module.
 * @param {number | null} max_bytes the limit; `null` leaves the module as it is.
 * @returns {Uint8Array} the module, with its memory section rewritten.
 */
export function limitMemories(bytes, max_bytes) {
  if (max_bytes === null || max_bytes === undefined) return bytes;
  const limit_pages = BigInt(Math.floor(max_bytes / PAGE_BYTES));
  const pieces = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const section_start = pos;
    const id = bytes[pos++];
    let size;
    [size, pos] = readLeb(bytes, pos);
    const section_end = pos + Number(size);
    if (id !== 5) {
      pieces.push(bytes.subarray(section_start, section_end));
      pos = section_end;
      continue;
    }
    let entry_pos = pos;
    let n_memories;
    [n_memories, entry_pos] = readLeb(bytes, entry_pos);
    const payload = [...writeLeb(n_memories)];
    for (let memory_idx = 0n; memory_idx < n_memories; memory_idx++) {
      const entry_start = entry_pos;
      const flags = bytes[entry_pos++];
      let min;
      let max = null;
      [min, entry_pos] = readLeb(bytes, entry_pos);
      if (flags & 0x01) [max, entry_pos] = readLeb(bytes, entry_pos);
      if (flags & 0x08) {
        // A custom page size: copy the entry as it is.
        [, entry_pos] = readLeb(bytes, entry_pos);
        payload.push(...bytes.subarray(entry_start, entry_pos));
        continue;
      }
      let new_max = limit_pages < min ? min : limit_pages;
      if (max !== null && max < new_max) new_max = max;
      payload.push(flags | 0x01, ...writeLeb(min), ...writeLeb(new_max));
    }
    pieces.push(Uint8Array.of(5, ...writeLeb(BigInt(payload.length)), ...payload));
    pos = section_end;
  }
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

function readLeb(bytes, pos) {
  let value = 0n;
  let shift = 0n;
  let byte;
  do {
    byte = bytes[pos++];
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte & 0x80);
  return [value, pos];
}

function writeLeb(value) {
  const out = [];
  do {
    let byte = Number(value & 0x7fn);
    value >>= 7n;
    if (value !== 0n) byte |= 0x80;
    out.push(byte);
  } while (value !== 0n);
  return out;
}

/**
 * The tail of what the guest writes to its stderr, for the message of a trap
 * in the same call: a guest that panics or runs out of memory says why there
 * before it aborts with `unreachable`.
 */
export class StderrTail {
  constructor(limit = 4096) {
    this.limit = limit;
    this.text = '';
    this.decoder = new TextDecoder();
  }

  write(contents) {
    this.text = (this.text + this.decoder.decode(contents)).slice(-this.limit);
  }

  clear() {
    this.text = '';
  }

  /** `; the guest's stderr: ...`, or nothing. */
  describe() {
    const lines = this.text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    return lines.length === 0 ? '' : `; the guest's stderr: ${lines.join(' / ').slice(0, 500)}`;
  }
}

/** The stderr streams handed to guests, and the tail they write to. */
const tapped_streams = new WeakMap();
let tap_depth = 0;

/**
 * Returns the import object with `wasi:cli/stderr` wrapped so that what the
 * guest writes to its stderr also goes to `tail`.  The stream class's write
 * methods are wrapped once; they record only writes to a stream that
 * `getStderr` handed out, and only once per write (the shim's `write` calls
 * its own `blockingWriteAndFlush`).
 */
export function tapStderr(imports, tail) {
  const stderr = imports['wasi:cli/stderr'];
  const streams = imports['wasi:io/streams'];
  if (typeof stderr?.getStderr !== 'function' || typeof streams?.OutputStream !== 'function') return imports;
  const prototype = streams.OutputStream.prototype;
  for (const method of ['write', 'blockingWriteAndFlush']) {
    const original = prototype[method];
    if (typeof original !== 'function' || original.witnessTapped) continue;
    const tapped = function (contents) {
      const sink = tapped_streams.get(this);
      if (sink !== undefined && tap_depth === 0) sink.write(contents);
      tap_depth += 1;
      try {
        return original.call(this, contents);
      } finally {
        tap_depth -= 1;
      }
    };
    tapped.witnessTapped = true;
    prototype[method] = tapped;
  }
  const getStderr = stderr.getStderr;
  return {
    ...imports,
    'wasi:cli/stderr': {
      ...stderr,
      getStderr() {
        const stream = getStderr.call(stderr);
        if (stream !== null && typeof stream === 'object') tapped_streams.set(stream, tail);
        return stream;
      },
    },
  };
}
