// The one Chromium of a browser column: `node server.mjs --chromium PATH
// --user-data-dir DIR` starts it, prints `{"endpoint": "ws://..."}` on
// stdout once it listens for DevTools, and stops it when stdin ends, which
// is when the harness that started this server drops it or dies.  Each
// session's driver connects with `--cdp-endpoint` and runs its guest in a
// browser context of its own, which Chromium disposes of when the driver's
// connection goes, so that a driver the harness kills (a guest that hung its
// page past the batch deadline) takes its page and renderer with it.
//
// If Chromium exits on its own, the server says so on stderr and exits 70;
// the harness starts a new one for the next session.

import process from 'node:process';

import { startChromium, stopProcess } from './chromium.mjs';

function usage(message) {
  process.stderr.write(`server.mjs: ${message}\nusage: node server.mjs --chromium PATH --user-data-dir DIR\n`);
  process.exit(2);
}

const args = { chromium: null, user_data_dir: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const value = argv[i + 1];
  if (value === undefined) usage(`${argv[i]} needs a value`);
  if (argv[i] === '--chromium') args.chromium = value;
  else if (argv[i] === '--user-data-dir') args.user_data_dir = value;
  else usage(`unknown argument ${argv[i]}`);
}
if (args.chromium === null || args.user_data_dir === null) usage('--chromium and --user-data-dir are required');

let stopping = false;
let child = null;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  if (child) await stopProcess(child);
  process.exit(code);
};
process.on('SIGTERM', () => void stop(143));
process.on('SIGINT', () => void stop(130));
process.stdin.on('end', () => void stop(0));
process.stdin.on('error', () => void stop(0));
process.stdin.resume();

try {
  const started = await startChromium(args.chromium, args.user_data_dir);
  child = started.child;
  process.on('exit', () => child.kill('SIGKILL'));
  child.once('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`chromium exited unexpectedly (${code ?? signal})\n`);
      process.exit(70);
    }
  });
  process.stdout.write(`${JSON.stringify({ endpoint: started.endpoint })}\n`);
} catch (error) {
  process.stderr.write(`server.mjs: ${error && error.message ? error.message : error}\n`);
  process.exit(1);
}
