// The node host of witness: loads one jco-transpiled guest and answers the
// witness host protocol (docs/host-protocol.md) on stdin/stdout.
//
// Usage: node --experimental-wasm-extended-const runner.mjs TRANSPILED_DIR
//          [--fuel-per-call N] [--memory-bytes N] [--allow-imports LIST]
//          [--functions FILE]
//
// TRANSPILED_DIR is the output of
// `jco transpile --instantiation async --name guest`, so it holds `guest.js`
// and the core modules it names.
// V8 offers no fuel, so that limit is accepted and reported as not enforced:
// the harness's batch deadline is what stops a guest that never returns.
// The memory limit is enforced by giving the core modules' memories a
// maximum (sandbox.mjs), and the capability policy by making every function
// of an interface not in `--allow-imports` throw.
// With `--functions FILE` the session speaks protocol 2: typed calls of any
// function of the file that the component exports (guest.mjs, values.mjs).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import process from 'node:process';

import { cli } from '@bytecodealliance/preview2-shim';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';

import { loadGuest } from './guest.mjs';
import { failReady, parseHostArgs, serveBatches, writeReady } from './protocol.mjs';
import { StderrTail, denyImports, limitMemories, tapStderr } from './sandbox.mjs';

const HOST = 'node';

async function main() {
  const args = parseHostArgs(process.argv.slice(2), 'runner.mjs', {},
    'runner.mjs TRANSPILED_DIR [--fuel-per-call N] [--memory-bytes N] [--allow-imports LIST] [--functions FILE]');

  // stdout belongs to the protocol: whatever the guest writes to its WASI
  // stdout goes to our stderr instead, where the harness keeps it for reports.
  cli._setStdout(cli.stderr.getStderr());

  const module_url = pathToFileURL(join(args.dir, 'guest.js')).href;
  const { instantiate } = await import(module_url);
  const core_modules = new Map();
  const getCoreModule = (name) => {
    let compiled = core_modules.get(name);
    if (!compiled) {
      compiled = readFile(join(args.dir, name))
        .then((bytes) => WebAssembly.compile(limitMemories(new Uint8Array(bytes), args.memory_bytes)));
      core_modules.set(name, compiled);
    }
    return compiled;
  };
  // The guest gets nothing of the host's (no files, no environment, no
  // network) even where it was granted the interfaces, and the functions of
  // the interfaces it was not granted throw.
  const stderrTail = new StderrTail();
  const makeImports = () => denyImports(tapStderr(new WASIShim({
    sandbox: { preopens: {}, env: {}, args: [], enableNetwork: false },
  }).getImportObject(), stderrTail), args.allow_imports);

  let guest;
  try {
    const functions = args.functions === null ? null : await readFunctions(args.functions);
    guest = await loadGuest({ instantiate, getCoreModule, makeImports, memoryLimit: args.memory_bytes, stderrTail, functions });
  } catch (error) {
    failReady(HOST, error);
    return;
  }
  const ready = {
    host: HOST,
    runtime: `node ${process.version}, jco ${await jcoVersion()}`,
    limits: { 'fuel-per-call': null, 'memory-bytes': args.memory_bytes },
    'allowed-imports': args.allow_imports,
  };
  // jco's ESM carries no types, so the file's types are echoed.
  if (args.functions !== null) Object.assign(ready, { protocol: 2, functions: guest.functions() });
  writeReady(ready);
  await serveBatches((calls) => guest.runBatch(calls), undefined, undefined, args.functions === null ? 1 : 2);
  // The WASI shim's I/O worker thread would keep the process alive.
  process.exit(0);
}

/** The functions of a `--functions` file (docs/host-protocol.md, "The functions"). */
async function readFunctions(path) {
  const file = JSON.parse(await readFile(path, 'utf8'));
  if (file === null || typeof file !== 'object' || !Array.isArray(file.functions)) {
    throw new Error(`${path} has no "functions" list`);
  }
  return file.functions;
}

/** The version of jco that transpiled the guest, from the pinned install. */
async function jcoVersion() {
  try {
    const manifest = await readFile(new URL('./node_modules/@bytecodealliance/jco/package.json', import.meta.url), 'utf8');
    return JSON.parse(manifest).version;
  } catch {
    return 'unknown';
  }
}

main().catch((error) => {
  process.stderr.write(`runner.mjs: ${error && error.stack ? error.stack : error}\n`);
  process.exit(70);
});
