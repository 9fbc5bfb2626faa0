// Builds the all-types contract's JavaScript guest:
// `node build.mjs --wit DIR --world NAME --out FILE`.
//
// 1. Installs the pinned toolchain from package-lock.json with `npm ci`, unless
//    node_modules was installed from this very lock file already.
// 2. Gives the componentizer's WIT reader a filesystem preopen (see below).
// 3. Runs componentize-js on src/component.js with every optional WASI feature
//    of the engine disabled, so that the component imports nothing.
// 4. Writes the component to a temporary file beside FILE and renames it.
//
// The build takes its inputs as arguments and runs no shell.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const GUEST_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * The engine features componentize-js enables by default, all disabled: the
 * guest needs no stdio, randomness, clocks or HTTP.  A pure component
 * traps instead of printing an uncaught exception, which is what a witness
 * host expects of a bug anyway.
 */
const DISABLED_FEATURES = ['stdio', 'random', 'clocks', 'http', 'fetch-event'];

/** Where `ensureDependencies` records the hash of the lock file it installed. */
const INSTALLED_LOCK_STAMP = join(GUEST_DIR, 'node_modules', '.witness-package-lock.sha256');

const { values: args } = parseArgs({
  options: {
    wit: { type: 'string' },
    world: { type: 'string' },
    out: { type: 'string' },
  },
  strict: true,
});
for (const name of ['wit', 'world', 'out']) {
  if (args[name] === undefined) {
    fail(`missing --${name}; usage: node build.mjs --wit DIR --world NAME --out FILE`);
  }
}

ensureDependencies();
const witDir = resolve(args.wit);
await addWitPreopen(witDir);
const { componentize } = await import('@bytecodealliance/componentize-js');
const started = Date.now();
const { component } = await componentize({
  sourcePath: join(GUEST_DIR, 'src', 'component.js'),
  witPath: witDir,
  worldName: args.world,
  disableFeatures: DISABLED_FEATURES,
});
writeAtomically(resolve(args.out), component);
console.log(`componentize-js: ${component.length} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${args.out}`);

/**
 * Runs `npm ci` when node_modules does not hold exactly what
 * package-lock.json pins.  `npm ci` always deletes node_modules first, so it
 * only runs when the lock file changed since the last install (or when that
 * install did not finish: the stamp is written last).
 */
function ensureDependencies() {
  const lockHash = createHash('sha256').update(readFileSync(join(GUEST_DIR, 'package-lock.json'))).digest('hex');
  let installedHash = '';
  try {
    installedHash = readFileSync(INSTALLED_LOCK_STAMP, 'utf8').trim();
  } catch {
    // Never installed by this script.
  }
  if (installedHash === lockHash) return;
  console.log('npm ci: node_modules is missing or was installed from another lock file');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: GUEST_DIR, stdio: 'inherit' });
  writeFileSync(INSTALLED_LOCK_STAMP, `${lockHash}\n`);
}

/**
 * Lets the componentizer read the WIT.
 *
 * componentize-js parses the WIT inside its splicer, a WebAssembly component
 * that runs in Node on jco's WASI preview2 shim and reads files through WASI
 * preopens.  preview2-shim 0.26 starts with no preopens at all (0.25 and
 * earlier preopened `/`), so the splicer fails with "reading file ...: No such
 * file or directory".  The fix is to preopen the WIT directory, at its own
 * path, in the very shim module instance the splicer imports: it is resolved
 * from the splicer's own location, as Node resolves the splicer's import.
 *
 * @param {string} witDir an absolute path.
 */
async function addWitPreopen(witDir) {
  // The package exports only its entry point (src/componentize.js); the
  // splicer's bindings are lib/spidermonkey-embedding-splicer.js beside it.
  const entryPoint = fileURLToPath(import.meta.resolve('@bytecodealliance/componentize-js'));
  const splicer = join(dirname(entryPoint), '..', 'lib', 'spidermonkey-embedding-splicer.js');
  const shimPath = createRequire(splicer).resolve('@bytecodealliance/preview2-shim/filesystem');
  const shim = await import(pathToFileURL(shimPath).href);
  const existing = shim._getPreopens().map(([, virtualPath]) => virtualPath);
  if (existing.includes('/') || existing.includes(witDir)) return;
  shim._addPreopen(witDir, witDir);
}

/**
 * Writes `bytes` to `path` through a temporary file in the same directory, so
 * that `path` never holds half a component.
 *
 * @param {string} path
 * @param {Uint8Array} bytes
 */
function writeAtomically(path, bytes) {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** @param {string} message */
function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(2);
}
