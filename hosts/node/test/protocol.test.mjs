import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

import { Buffer } from 'node:buffer';

import { parseHostArgs, readFrames, serveBatches } from '../protocol.mjs';

test('parseHostArgs reads the common flags and a host\'s own', () => {
  let chromium = null;
  const args = parseHostArgs(
    ['guest-dir', '--fuel-per-call', '2000', '--memory-bytes', '65536', '--allow-imports', 'wasi:io/poll,,wasi:random/random', '--chromium', '/bin/c'],
    'test',
    { '--chromium': (value) => { chromium = value; } },
    'usage',
  );
  assert.deepEqual(args, {
    dir: resolve('guest-dir'),
    fuel_per_call: '2000',
    memory_bytes: 65536,
    allow_imports: ['wasi:io/poll', 'wasi:random/random'],
  });
  assert.equal(chromium, '/bin/c');
  assert.equal(parseHostArgs(['g'], 'test', {}, 'usage').allow_imports, null, 'no flag: no policy');
});

test('a mistake in the arguments exits 64 and says what is wrong', () => {
  const runner = fileURLToPath(new URL('../runner.mjs', import.meta.url));
  for (const [argv, message] of [
    [[], 'missing TRANSPILED_DIR'],
    [['g', '--memory-bytes', 'lots'], '--memory-bytes needs a number'],
    [['g', '--allow-imports'], '--allow-imports needs a value'],
    [['g', '--chromium', 'x'], 'unknown flag --chromium'],
    [['g', 'h'], 'unexpected argument h'],
  ]) {
    const child = spawnSync(process.execPath, [runner, ...argv], { encoding: 'utf8' });
    assert.equal(child.status, 64, argv.join(' '));
    assert.match(child.stderr, new RegExp(`^runner\\.mjs: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\nusage: runner\\.mjs TRANSPILED_DIR`));
    assert.equal(child.stdout, '', 'nothing on the protocol channel');
  }
});

/** An async iterable of the bytes of `text`, cut into chunks of `size`. */
async function* chunked(bytes, size) {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

test('readFrames finds lines and raw strings across any chunk boundaries', async () => {
  const raw = 'é😀\n{"a": [1]}\n#3\n';
  const bytes = Buffer.from(`{"batch":1,"calls":1}\n#${Buffer.byteLength(raw)}\n${raw}\n{"fn":"minify"}\n#0\n\n`);
  for (const size of [1, 2, 3, 7, bytes.length]) {
    const frames = [];
    for await (const frame of readFrames(chunked(bytes, size))) frames.push(frame);
    assert.deepEqual(frames, [
      { line: '{"batch":1,"calls":1}' },
      { raw },
      { line: '{"fn":"minify"}' },
      { raw: '' },
    ], `chunks of ${size} bytes`);
  }
});

test('serveBatches fills in raw inputs and answers with raw values', async () => {
  const request = Buffer.from([
    '{"batch":4,"calls":3}',
    '#6', '[ 1 ]\n', '{"fn":"format","options":null}',
    '{"fn":"minify","input":"[2]"}',
    '#3', 'bad', '{"fn":"minify"}',
    '',
  ].join('\n'));
  let written = '';
  const seen = [];
  await serveBatches(async (calls) => {
    seen.push(...calls);
    return calls.map((call) => (call.input === 'bad'
      ? { outcome: 'err', value: 'at byte 0: bad' }
      : { outcome: 'ok', value: `${call.input}é` }));
  }, chunked(request, 5), async (text) => { written += text; });
  assert.deepEqual(seen, [
    { fn: 'format', options: null, input: '[ 1 ]\n' },
    { fn: 'minify', input: '[2]' },
    { fn: 'minify', input: 'bad' },
  ]);
  assert.equal(written, [
    '#8', '[ 1 ]\né', '{"outcome":"ok"}',
    '#5', '[2]é', '{"outcome":"ok"}',
    '#14', 'at byte 0: bad', '{"outcome":"err"}',
    '{"end":4}',
    '',
  ].join('\n'));
});
