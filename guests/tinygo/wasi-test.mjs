// Runs a Go test binary that TinyGo compiled for wasip1 (`tinygo test -c`)
// under Node's WASI, in the package's directory (preopened as `.`, which
// the tests read their sources from), and exits with its exit code.
//
//   node wasi-test.mjs TEST.wasm PACKAGE-DIR [test flags...]
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { WASI } from 'node:wasi';

const [wasmPath, dir, ...flags] = process.argv.slice(2);
if (!wasmPath || !dir) {
  console.error('usage: node wasi-test.mjs TEST.wasm PACKAGE-DIR [test flags...]');
  process.exit(2);
}
const bytes = await readFile(wasmPath);
process.chdir(dir);
const wasi = new WASI({
  version: 'preview1',
  returnOnExit: true,
  args: ['jsonfmt.test', ...flags],
  env: {},
  preopens: { '.': '.' },
});
const module = await WebAssembly.compile(bytes);
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
