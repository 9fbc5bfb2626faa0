// Warm instantiation in the node host, which its protocol cannot show: the
// core modules of a jco-transpiled guest are compiled once, and then the
// component is instantiated again and again with a fresh WASI shim, as
// hosts/node/runner.mjs does after a trap.
//
// Usage: node --experimental-wasm-extended-const instantiate.mjs
//          --dir TRANSPILED_DIR --iterations N
//
// Prints one JSON line: the time to compile every core module, and one
// sample per instantiation in nanoseconds.

import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { parseArgs } from './common.mjs';

// The WASI shim comes from the node host's own pinned packages.
const hosts_node = fileURLToPath(new URL('../../hosts/node/', import.meta.url));
const require = createRequire(join(hosts_node, 'package.json'));
const { WASIShim } = await import(pathToFileURL(require.resolve('@bytecodealliance/preview2-shim/instantiation')).href);

const args = parseArgs(process.argv.slice(2), 'instantiate.mjs');
const dir = resolve(args.dir);
const { instantiate } = await import(pathToFileURL(join(dir, 'guest.js')).href);

const names = (await readdir(dir)).filter((name) => name.endsWith('.wasm'));
let started = process.hrtime.bigint();
const modules = new Map();
for (const name of names) modules.set(name, await WebAssembly.compile(await readFile(join(dir, name))));
const compile_ns = Number(process.hrtime.bigint() - started);

const getCoreModule = (name) => modules.get(name);
const makeImports = () => new WASIShim({
  sandbox: { preopens: {}, env: {}, args: ['guest'], enableNetwork: false },
}).getImportObject();

for (let warm_idx = 0; warm_idx < 5; warm_idx++) await instantiate(getCoreModule, makeImports());
const samples_ns = new Array(args.iterations);
for (let iteration = 0; iteration < args.iterations; iteration++) {
  started = process.hrtime.bigint();
  await instantiate(getCoreModule, makeImports());
  samples_ns[iteration] = Number(process.hrtime.bigint() - started);
}
process.stdout.write(`${JSON.stringify({ runtime: `node ${process.version}`, compile_ns, samples_ns })}\n`);
// The WASI shim's I/O worker thread would keep the process alive.
process.exit(0);
