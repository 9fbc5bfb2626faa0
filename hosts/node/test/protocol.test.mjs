import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

import { Buffer } from 'node:buffer';

import { CALL_LINE, parseHostArgs, readFrames, serveBatches, serveRawBatches } from '../protocol.mjs';
import { RAW_STRINGS } from '../values.mjs';
import { ECHO_INTERFACE, PAD, buildEchoComponent } from './fixtures/echo-component.mjs';

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
    functions: null,
  });
  assert.equal(parseHostArgs(['g', '--functions', 'f.json'], 'test', {}, 'usage').functions, resolve('f.json'));
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

test('protocol 2: the raw strings before a call line go to the call, in order; answers are framed lines', async () => {
  const request = Buffer.from([
    '{"batch":2,"calls":3}',
    '#1', 'a', '#4', 'b\nc\n', '#0', '', '{"fn":"i#f","args":[[null,null],{"x":null}]}',
    '{"fn":"g","args":[-0.0]}',
    '#2', 'é', '{"fn":"h","args":[null]}',
    '',
  ].join('\n'));
  let written = '';
  const seen = [];
  await serveBatches(async (calls) => {
    seen.push(...calls);
    return [
      { line: '{"outcome":"returned","value":[null,null]}', raws: ['x\n', 'é'] },
      { line: '{"outcome":"returned"}', raws: [] },
      { line: '{"outcome":"trap","value":"no"}', raws: [] },
    ];
  }, chunked(request, 3), async (text) => { written += text; }, 2);
  assert.deepEqual(seen.map((call) => call[RAW_STRINGS]), [['a', 'b\nc\n', ''], undefined, ['é']]);
  assert.deepEqual(seen[0].args, [[null, null], { x: null }]);
  assert.equal(seen[1][CALL_LINE], '{"fn":"g","args":[-0.0]}', 'the line as it came');
  assert.equal(written, [
    '#2', 'x\n', '#2', 'é', '{"outcome":"returned","value":[null,null]}',
    '{"outcome":"returned"}',
    '{"outcome":"trap","value":"no"}',
    '{"end":2}',
    '',
  ].join('\n'));
});

test('serveRawBatches hands on each batch\'s calls as the bytes that came, split at any chunk boundary', async () => {
  const batches = [
    ['{"batch":0,"calls":3}', '#6', '[ 1 ]\n', '{"fn":"format","options":null}', '{"fn":"minify","input":"[2]"}', '#0', '', '{"fn":"minify"}'],
    ['{"batch":1,"calls":0}'],
    ['{"batch":2,"calls":2}', '#1', 'a', '#4', 'b\nc\n', '{"fn":"i#f","args":[null,null]}', '{"fn":"g","args":[-0.0]}'],
  ];
  const request = Buffer.from(`${batches.map((lines) => lines.join('\n')).join('\n')}\n`);
  const bodies = batches.map((lines) => Buffer.from(lines.length > 1 ? `${lines.slice(1).join('\n')}\n` : ''));
  for (const size of [1, 2, 3, 5, 7, 64, request.length]) {
    const seen = [];
    let written = '';
    await serveRawBatches(async (batch, n_calls) => {
      seen.push([Buffer.from(batch).toString('utf8'), n_calls]);
      return Buffer.from(`answers ${seen.length}\n`);
    }, chunked(request, size), async (bytes) => { written += Buffer.from(bytes).toString('utf8'); }, 2);
    assert.deepEqual(seen, [[bodies[0].toString(), 3], ['', 0], [bodies[2].toString(), 2]], `chunks of ${size} bytes`);
    assert.equal(written, 'answers 1\n{"end":0}\nanswers 2\n{"end":1}\nanswers 3\n{"end":2}\n');
  }
});

test('serveRawBatches: a broken request is fatal, and says where it broke', () => {
  const protocol = new URL('../protocol.mjs', import.meta.url).href;
  for (const [request, version, message] of [
    ['{"batch":0,"calls":2}\n{"fn":"minify"}\n', 2, 'stdin closed after 1 of 2 calls of batch 0'],
    ['#3\nabc\n', 1, 'expected a batch header, got a raw string\'s length "#3"'],
    ['{"batch":0}\n', 1, 'expected a batch header {"batch": id, "calls": n}, got "{\\"batch\\":0}"'],
    ['{"batch":0,"calls":1}\n#1\na\n#1\nb\n{"fn":"minify"}\n', 1, 'call 0 of batch 0: two raw strings in a row'],
    ['{"batch":0,"calls":1}\n#2\nabc\n{"fn":"minify"}\n', 2, 'a raw string of 2 bytes is not followed by a newline'],
    ['{"batch":0,"calls":1}\n#x\n', 2, 'expected a raw string\'s length (#N), got "#x"'],
    ['{"batch":0,"calls":1', 2, 'stdin ended inside a batch header'],
  ]) {
    const script = `import { serveRawBatches } from ${JSON.stringify(protocol)};
      await serveRawBatches(async () => new Uint8Array(0), process.stdin, async () => {}, ${version});`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: request, encoding: 'utf8' });
    assert.equal(child.status, 2, `${JSON.stringify(request)}: ${child.stderr}`);
    assert.equal(child.stderr, `protocol error: ${message}\n`, JSON.stringify(request));
  }
});

/** Runs the node runner on a transpiled guest with `--functions` and a request on stdin. */
function runTyped(dir, functions_path, request) {
  const runner = fileURLToPath(new URL('../runner.mjs', import.meta.url));
  return spawnSync(process.execPath, ['--experimental-wasm-extended-const', runner, dir, '--functions', functions_path],
    { input: request, encoding: 'utf8' });
}

test('protocol 2 end to end: raw strings at depth both ways, traps, and too many or too few raw strings', async () => {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const types = ['string', { list: { record: [{ name: 'a', type: 'u8' }, { name: 'b-c', type: 'string' }] } }];
  const { dir, functions } = await buildEchoComponent(types);
  const missing = { interface: ECHO_INTERFACE, name: 'not-there', params: [], result: null };
  const functions_path = join(dir, 'functions.json');
  writeFileSync(functions_path, JSON.stringify({ functions: [...functions, missing] }));
  const pad = JSON.stringify(PAD);
  const child = runTyped(dir, functions_path, [
    '{"batch":0,"calls":4}',
    '#3', 'a"b', '#2', 'c\n',
    `{"fn":"${ECHO_INTERFACE}#echo-1","args":[[{"a":1,"b-c":null},{"a":2,"b-c":"in"},{"a":3,"b-c":null}],${pad}]}`,
    `{"fn":"${ECHO_INTERFACE}#trap","args":[]}`,
    `{"fn":"${ECHO_INTERFACE}#not-there","args":[]}`,
    `{"fn":"${ECHO_INTERFACE}#echo-0","args":["x",${pad}],"fuel-calls":5}`,
    '',
  ].join('\n'));
  assert.equal(child.status, 0, child.stderr);
  const [ready_line, ...rest] = child.stdout.split('\n');
  const ready = JSON.parse(ready_line);
  assert.equal(ready.protocol, 2);
  assert.deepEqual(ready.functions, functions, 'every exported function, and not the missing one');
  assert.equal(rest.join('\n'), [
    '#3', 'a"b', '#2', 'in', '#2', 'c\n',
    '{"outcome":"returned","value":[{"a":1,"b-c":null},{"a":2,"b-c":null},{"a":3,"b-c":null}]}',
    '{"outcome":"trap","value":"RuntimeError: wasm trap: wasm `unreachable` instruction executed"}',
    `{"outcome":"trap","value":"host: the component does not export \\"${ECHO_INTERFACE}#not-there\\""}`,
    '#1', 'x', '{"outcome":"returned","value":null}',
    '{"end":0}',
    '',
  ].join('\n'));

  const too_many = runTyped(dir, functions_path,
    `{"batch":0,"calls":1}\n#1\na\n#1\nb\n{"fn":"${ECHO_INTERFACE}#echo-0","args":[null,${pad}]}\n`);
  assert.equal(too_many.status, 2);
  assert.match(too_many.stderr, /protocol error: batch 0: .* left 1 of its 2 raw strings unused/);
  assert.equal(too_many.stdout.split('\n').length, 2, 'nothing after the ready line');
  const too_few = runTyped(dir, functions_path,
    `{"batch":0,"calls":1}\n#1\na\n{"fn":"${ECHO_INTERFACE}#echo-1","args":[[{"a":1,"b-c":null},{"a":1,"b-c":null}],${pad}]}\n`);
  assert.equal(too_few.status, 2);
  assert.match(too_few.stderr, /more null strings than the 1 raw strings before it/);
});

test('protocol 2: a component that exports none of the functions still loads', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { dir } = await buildEchoComponent(['u8']);
  const functions_path = join(mkdtempSync(join(tmpdir(), 'witness-functions-')), 'functions.json');
  writeFileSync(functions_path, JSON.stringify({ functions: [
    { interface: 'example:json-tools/formatter@1.0.0', name: 'minify', params: [{ name: 'input', type: 'string' }], result: { result: { ok: 'string', err: 'string' } } },
  ] }));
  const child = runTyped(dir, functions_path, '');
  assert.equal(child.status, 0, child.stderr);
  const ready = JSON.parse(child.stdout.split('\n')[0]);
  assert.equal(ready.ready, true);
  assert.deepEqual(ready.functions, []);
});
