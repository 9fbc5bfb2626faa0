// The browser host of witness: runs one jco-transpiled guest in headless
// Chromium and answers the witness host protocol (docs/host-protocol.md) on
// stdin/stdout.
//
// Usage: node [--experimental-websocket] driver.mjs TRANSPILED_DIR
//          [--cdp-endpoint URL | --user-data-dir DIR --chromium PATH]
//          [--fuel-per-call N] [--memory-bytes N] [--allow-imports LIST]
//          [--functions FILE]
//
// The driver serves the page, the guest and the WASI shim from a loopback
// HTTP server on an ephemeral port, and drives Chromium over the DevTools
// protocol (cdp.mjs): a browser context of its own in the column's shared
// Chromium (`--cdp-endpoint`, server.mjs), or in a Chromium it starts.
// Batches go to the page, and answers come back, over the same loopback
// server (`POST /exchange`): as raw bytes in the protocol's framing, passed
// on as they came from stdin (protocol.mjs, serveRawBatches), which costs a
// fraction of passing them through CDP, where the browser process parses
// and re-encodes every message.
// A Chromium the driver starts is its own child, in the driver's process
// group, so that the harness's kill of that group takes Chromium with it.
// Chromium, like V8 in Node, offers no fuel, so that limit is accepted and
// reported as not enforced: the harness's batch deadline stops a guest that
// never returns.  The page enforces the memory limit and the capability
// policy as the node runner does (hosts/node/sandbox.mjs); the driver hands
// them to the page in the page itself.
// With `--functions FILE` the session speaks protocol 2 (typed calls of any
// exported function): the driver serves the file to the page, which loads
// it and converts values itself (hosts/node/values.mjs).

import { Buffer } from 'node:buffer';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { failReady, fatal, parseHostArgs, serveRawBatches, writeReady } from '../node/protocol.mjs';

import { Cdp, describeRemote } from './cdp.mjs';
import { startChromium, stopProcess } from './chromium.mjs';

const HOST = 'browser';
const HERE = fileURLToPath(new URL('.', import.meta.url));

/**
 * Calls between two full collections of the page's heap.  Left to itself,
 * the page's V8 keeps the garbage of every call: a soak of 300,000 calls
 * took its heap to 800 MiB, 1 MiB of it live, and neither V8's own
 * collections nor the page's `gc()` freed the rest, while DevTools'
 * `HeapProfiler.collectGarbage` (a low-memory collection) did.  A
 * collection of the small live heap takes milliseconds; this many calls
 * take a second or more.
 */
const CALLS_PER_COLLECTION = 4000;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The page, with the sandbox's settings for page.mjs. */
const pageHtml = (config) => `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>witness browser host</title>
<script>window.witnessConfig = ${JSON.stringify(config).replace(/</g, '\\u003c')};</script>
<script type="importmap">
{"imports": {
  "@bytecodealliance/preview2-shim": "/shim/browser/index.js",
  "@bytecodealliance/preview2-shim/instantiation": "/shim/common/instantiation.js"
}}
</script>
<script type="module" src="/page.mjs"></script>
</head>
<body></body>
</html>
`;

async function main() {
  const own = { user_data_dir: null, chromium: '/usr/bin/chromium', cdp_endpoint: null };
  const args = parseHostArgs(process.argv.slice(2), 'driver.mjs', {
    '--user-data-dir': (value) => { own.user_data_dir = resolve(value); },
    '--chromium': (value) => { own.chromium = value; },
    '--cdp-endpoint': (value) => { own.cdp_endpoint = value; },
  }, 'driver.mjs TRANSPILED_DIR [--cdp-endpoint URL | --user-data-dir DIR --chromium PATH] [--fuel-per-call N] [--memory-bytes N] [--allow-imports LIST] [--functions FILE]');
  Object.assign(args, own);
  const shim_dir = join(HERE, 'node_modules', '@bytecodealliance', 'preview2-shim', 'dist');
  // URL prefix -> directory it serves; nothing outside these is reachable.
  const roots = [
    ['/guest/', args.dir],
    ['/shim/', shim_dir],
    ['/runner/', join(HERE, '..', 'node')],
  ];
  const functions_url = args.functions === null ? null : '/functions.json';
  const files = new Map([
    ['/', {
      body: pageHtml({ memoryBytes: args.memory_bytes, allowImports: args.allow_imports, functionsUrl: functions_url }),
      type: CONTENT_TYPES['.html'],
    }],
    ['/page.mjs', { path: join(HERE, 'page.mjs') }],
    // Chromium asks for it on every page; an empty answer keeps the 404 out of stderr.
    ['/favicon.ico', { body: '', type: 'image/x-icon' }],
  ]);
  if (functions_url !== null) files.set(functions_url, { path: args.functions, type: 'application/json' });
  const exchange = new Exchange();
  const server = await listen(roots, files, exchange);
  const port = server.address().port;

  // With --cdp-endpoint the session is a browser context of its own in a
  // Chromium that server.mjs runs for the whole column; otherwise the
  // driver starts a Chromium for itself.
  const shared = args.cdp_endpoint !== null;
  let user_data_dir = args.user_data_dir;
  const own_user_data_dir = !shared && user_data_dir === null;
  if (own_user_data_dir) user_data_dir = await mkdtemp(join(tmpdir(), 'witness-chromium-'));

  let chromium_process = null;
  let cdp = null;
  let browser_context_id = null;
  let exiting = false;
  const shutdown = async (code) => {
    if (exiting) return;
    exiting = true;
    try {
      // A shared Chromium outlives the session: dispose of only this
      // context (Chromium disposes of it anyway when this connection goes,
      // `disposeOnDetach`, so a killed driver leaves no page behind, hung
      // or not), then disconnect.
      if (cdp && browser_context_id !== null) await cdp.send('Target.disposeBrowserContext', { browserContextId: browser_context_id });
    } catch {
      // The connection is already gone.
    }
    if (cdp) await cdp.close();
    if (chromium_process) await stopProcess(chromium_process);
    server.close();
    if (own_user_data_dir) await rm(user_data_dir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown(143));
  process.on('SIGINT', () => void shutdown(130));

  let session;
  let version;
  let loaded;
  try {
    let endpoint = args.cdp_endpoint;
    if (!shared) {
      const started = await startChromium(args.chromium, user_data_dir);
      chromium_process = started.child;
      // However the driver ends (a protocol error exits at once), Chromium
      // does not outlive it.
      process.on('exit', () => chromium_process.kill('SIGKILL'));
      chromium_process.once('exit', (code, signal) => {
        if (!exiting) {
          process.stderr.write(`chromium exited unexpectedly (${code ?? signal})\n`);
          void shutdown(70);
        }
      });
      endpoint = started.endpoint;
    }
    cdp = await Cdp.connect(endpoint);
    cdp.onclose = () => {
      if (!exiting) {
        process.stderr.write(shared ? 'the shared chromium went away\n' : 'the DevTools connection to chromium closed\n');
        void shutdown(70);
      }
    };
    ({ product: version } = await cdp.send('Browser.getVersion'));
    ({ browserContextId: browser_context_id } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true }));
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId: browser_context_id });
    ({ sessionId: session } = await cdp.send('Target.attachToTarget', { targetId, flatten: true }));
    cdp.on('Runtime.consoleAPICalled', ({ type, args: values }) => {
      process.stderr.write(`page console.${type}: ${values.map(describeRemote).join(' ')}\n`);
    }, session);
    cdp.on('Runtime.exceptionThrown', ({ exceptionDetails: details }) => {
      process.stderr.write(`page error: ${details.exception?.description ?? details.text}\n`);
    }, session);
    cdp.on('Inspector.targetCrashed', () => {
      process.stderr.write('the page crashed\n');
      void shutdown(70);
    }, session);
    let page_loaded;
    const load_event = new Promise((resolve) => { page_loaded = resolve; });
    cdp.on('Page.loadEventFired', () => page_loaded(), session);
    await Promise.all(['Runtime.enable', 'Inspector.enable', 'Page.enable'].map((method) => cdp.send(method, {}, session)));
    const navigated = await cdp.send('Page.navigate', { url: `http://127.0.0.1:${port}/` }, session);
    if (navigated.errorText) throw new Error(`the page did not load: ${navigated.errorText}`);
    await load_event;
    // page.mjs sets `witnessReady` as its module runs, which is before the
    // load event; its promise settles once the guest is loaded.
    const evaluated = await cdp.send('Runtime.evaluate', {
      expression: 'window.witnessReady',
      awaitPromise: true,
      returnByValue: true,
    }, session);
    if (evaluated.exceptionDetails) throw new Error(evaluated.exceptionDetails.exception?.description ?? evaluated.exceptionDetails.text);
    loaded = evaluated.result.value;
    if (!loaded || !loaded.ok) throw new Error(loaded ? loaded.error : 'the page did not start');
  } catch (error) {
    failReady(HOST, error);
    await shutdown(1);
    return;
  }

  const protocol = args.functions === null ? 1 : 2;
  const ready = {
    host: HOST,
    runtime: `chromium ${version.replace(/^[^/]*\//, '')}, over CDP`,
    limits: { 'fuel-per-call': null, 'memory-bytes': args.memory_bytes },
    'allowed-imports': args.allow_imports,
  };
  // jco's ESM carries no types, so the page echoes the file's types.
  if (protocol === 2) Object.assign(ready, { protocol: 2, functions: loaded.functions });
  writeReady(ready);
  let calls_since_collection = 0;
  // Batches go to the page as the bytes that came, in the protocol's
  // framing, which the page reads (page.mjs, parseBatch).
  await serveRawBatches(async (batch, n_calls) => {
    calls_since_collection += n_calls;
    if (calls_since_collection >= CALLS_PER_COLLECTION) {
      calls_since_collection = 0;
      await cdp.send('HeapProfiler.collectGarbage', {}, session);
    }
    const answer = await exchange.send(batch);
    // The answer's first raw string is the guest's output; the rest is the
    // outcomes in the protocol's framing, which go to stdout as they are.
    const newline = answer.indexOf(0x0a);
    const output_length = Number(answer.toString('latin1', 1, newline));
    const output_end = newline + 1 + output_length;
    if (output_length > 0) process.stderr.write(answer.subarray(newline + 1, output_end));
    return answer.subarray(output_end + 1);
  }, undefined, undefined, protocol);
  await shutdown(0);
}

/**
 * The driver's side of `POST /exchange`: the page's request is held until
 * the next batch, which is its response; the page's next request carries
 * the answers (`x-witness-answers` names the batch they answer).
 */
class Exchange {
  constructor() {
    this.n_batches = 0;
    // The page's request waiting for a batch, and a batch waiting for it.
    this.waiting = null;
    this.pending = null;
    // The batch being answered, and what to do with its answers.
    this.current = null;
  }

  /** Sends a batch (bytes) and resolves to the page's answers (a Buffer). */
  send(batch) {
    const id = String(this.n_batches++);
    return new Promise((resolve) => {
      this.current = { id, resolve };
      this.pending = { id, batch };
      this.flush();
    });
  }

  flush() {
    if (this.waiting === null || this.pending === null) return;
    const { id, batch } = this.pending;
    this.pending = null;
    this.waiting.writeHead(200, { 'content-type': 'application/octet-stream', 'x-witness-batch': id }).end(batch);
    this.waiting = null;
  }

  /** A `POST /exchange` from the page. */
  async receive(request, response) {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const answers = request.headers['x-witness-answers'];
    if (request.headers['x-witness-error']) fatal(`the page could not run batch ${answers}: ${body.toString('utf8')}`);
    if (this.current !== null && answers === this.current.id) {
      const { resolve } = this.current;
      this.current = null;
      resolve(body);
    }
    // Only the newest request is answered; an older one (the page retried
    // after a failed request) gets nothing more.
    if (this.waiting !== null) this.waiting.writeHead(409).end();
    this.waiting = response;
    this.flush();
  }
}

/**
 * Serves the fixed files and the roots on 127.0.0.1, on an ephemeral port,
 * and hands `POST /exchange` to `exchange`.
 */
function listen(roots, files, exchange) {
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url, 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname);
      if (path === '/exchange' && request.method === 'POST') {
        await exchange.receive(request, response);
        return;
      }
      let file = files.get(path);
      if (!file) {
        for (const [prefix, dir] of roots) {
          if (!path.startsWith(prefix)) continue;
          const full = resolve(dir, `.${sep}${path.slice(prefix.length)}`);
          if (full.startsWith(resolve(dir) + sep)) file = { path: full };
          break;
        }
      }
      if (!file) {
        response.writeHead(404).end();
        return;
      }
      const body = file.body ?? await readFile(file.path);
      const type = file.type ?? CONTENT_TYPES[extname(file.path)] ?? 'application/octet-stream';
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch (error) {
      response.writeHead(error && error.code === 'ENOENT' ? 404 : 500).end();
    }
  });
  return new Promise((resolve_listen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve_listen(server));
  });
}

main().catch((error) => {
  process.stderr.write(`driver.mjs: ${error && error.stack ? error.stack : error}\n`);
  fatal('the driver failed');
});
