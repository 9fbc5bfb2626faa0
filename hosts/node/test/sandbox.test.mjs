// Tests of sandbox.mjs: the capability policy, the memory limit and the
// guest's stderr tail, with stand-ins for the WASI shim and a hand-made module.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { StderrTail, denyImports, limitMemories, parseAllowedImports, tapStderr } from '../sandbox.mjs';

test('a denied interface throws, naming the function; an allowed one is left alone', () => {
  class Pollable {}
  const imports = {
    'wasi:clocks/wall-clock': { now: () => 42 },
    'wasi:random/random': { getRandomBytes: () => new Uint8Array(1) },
    'wasi:io/poll': { Pollable, poll: () => [] },
  };
  const gated = denyImports(imports, parseAllowedImports('wasi:io/poll,wasi:random/random'));
  assert.throws(() => gated['wasi:clocks/wall-clock'].now(), /^Error: capability denied: wasi:clocks\/wall-clock#now$/);
  assert.equal(gated['wasi:random/random'].getRandomBytes().length, 1);
  assert.equal(gated['wasi:io/poll'].Pollable, Pollable);
  assert.equal(denyImports(imports, parseAllowedImports(null)), imports, 'no flag: everything is allowed');
  assert.deepEqual(parseAllowedImports(''), []);
});

test('a denied interface keeps its resource classes, and kebab-cases function names', () => {
  class Descriptor {}
  const gated = denyImports({ 'wasi:filesystem/types': { Descriptor, filesystemErrorCode: () => null } }, []);
  assert.equal(gated['wasi:filesystem/types'].Descriptor, Descriptor);
  assert.throws(() => gated['wasi:filesystem/types'].filesystemErrorCode(), /wasi:filesystem\/types#filesystem-error-code/);
});

/** `(module (memory (export "m") 1))`, by hand. */
const ONE_PAGE_MODULE = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01,
  0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00,
);

test('a memory can grow up to the limit and no further', async () => {
  const limited = limitMemories(ONE_PAGE_MODULE, 3 * 65536 + 100);
  const { instance } = await WebAssembly.instantiate(limited);
  const memory = instance.exports.m;
  assert.equal(memory.grow(2), 1);
  assert.throws(() => memory.grow(1), RangeError);
  assert.equal(memory.buffer.byteLength, 3 * 65536);
  assert.equal(limitMemories(ONE_PAGE_MODULE, null), ONE_PAGE_MODULE);
});

test('a limit below the initial size keeps the initial size', async () => {
  const { instance } = await WebAssembly.instantiate(limitMemories(ONE_PAGE_MODULE, 0));
  assert.equal(instance.exports.m.buffer.byteLength, 65536);
  assert.throws(() => instance.exports.m.grow(1), RangeError);
});

test('what the guest writes to stderr is kept once, for the trap message', () => {
  class OutputStream {
    constructor() {
      this.written = [];
    }

    write(contents) {
      return this.blockingWriteAndFlush(contents);
    }

    blockingWriteAndFlush(contents) {
      this.written.push(contents);
    }
  }
  const stderr_stream = new OutputStream();
  const other_stream = new OutputStream();
  const tail = new StderrTail();
  const imports = tapStderr({
    'wasi:cli/stderr': { getStderr: () => stderr_stream },
    'wasi:io/streams': { OutputStream },
  }, tail);
  const stream = imports['wasi:cli/stderr'].getStderr();
  stream.write(new TextEncoder().encode('memory allocation of 1048576 bytes failed\n'));
  stream.blockingWriteAndFlush(new TextEncoder().encode('note: run with RUST_BACKTRACE=1\n'));
  other_stream.write(new TextEncoder().encode('not stderr\n'));
  assert.equal(stderr_stream.written.length, 2, 'the writes still happen');
  assert.equal(tail.describe(), "; the guest's stderr: memory allocation of 1048576 bytes failed / note: run with RUST_BACKTRACE=1");
  tail.clear();
  assert.equal(tail.describe(), '');
});
