// Starting and stopping the Chromium of the browser host: used by the driver
// when it runs a Chromium of its own, and by server.mjs, which runs the one
// Chromium that every session of a browser column shares.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import process from 'node:process';

/** The flags every Chromium of witness starts with (issue 4). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  // A ceiling on the page's heap, besides the collections of
  // `CALLS_PER_COLLECTION`: 512 MiB leaves room for the biggest answers the
  // hostile fixtures give (48 MiB, held a few times over while it is
  // lifted, serialized and sent).
  '--js-flags=--max-old-space-size=512',
];

/**
 * Starts Chromium with a DevTools endpoint on an ephemeral loopback port, and
 * resolves to the child and the endpoint's URL once Chromium prints it.
 */
export function startChromium(executable, user_data_dir) {
  const child = spawn(executable, [
    ...CHROMIUM_FLAGS,
    `--user-data-dir=${user_data_dir}`,
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0',
    'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve_start, reject) => {
    let pending = '';
    let listening = false;
    child.stderr.setEncoding('utf8');
    // Chromium's stderr is read to its end, or Chromium would block on a
    // full pipe.  Its complaints about the missing D-Bus are left out.
    child.stderr.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const endpoint = /^DevTools listening on (ws:\/\/\S+)/.exec(line);
        if (endpoint && !listening) {
          listening = true;
          resolve_start({ child, endpoint: endpoint[1] });
        } else if (line.trim() !== '' && !/dbus|DBus/.test(line)) {
          process.stderr.write(`chromium: ${line}\n`);
        }
      }
    });
    child.once('error', (error) => reject(new Error(`cannot start ${executable}: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (!listening) reject(new Error(`${executable} exited (${code ?? signal}) before it listened for DevTools`));
    });
  });
}

/** Ends a child: SIGTERM, then SIGKILL if it is still there after 2 s. */
export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

