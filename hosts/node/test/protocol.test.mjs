import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

import { parseHostArgs } from '../protocol.mjs';

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
