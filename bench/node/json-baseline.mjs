// The Node baseline of `cargo xtask bench`: JSON.parse + JSON.stringify with
// indent 2, timed call by call, in the same shape as bench/go-native.
//
// Usage: node json-baseline.mjs --doc FILE --calls N [--warmup N]
//
// Prints one JSON line: the runtime, the first call's time, every sample in
// nanoseconds, the output's length and the process's peak resident memory.

import { readFileSync } from 'node:fs';
import process from 'node:process';

import { parseArgs, peakResidentKiB } from './common.mjs';

const args = parseArgs(process.argv.slice(2), 'json-baseline.mjs');
const doc = readFileSync(args.doc, 'utf8');
const formatOnce = () => JSON.stringify(JSON.parse(doc), null, 2);

let started = process.hrtime.bigint();
const output = formatOnce();
const first_call_ns = Number(process.hrtime.bigint() - started);
for (let call_idx = 0; call_idx < args.warmup; call_idx++) formatOnce();
const samples_ns = new Array(args.calls);
for (let call_idx = 0; call_idx < args.calls; call_idx++) {
  started = process.hrtime.bigint();
  formatOnce();
  samples_ns[call_idx] = Number(process.hrtime.bigint() - started);
}
process.stdout.write(`${JSON.stringify({
  runtime: `node ${process.version} JSON.parse+JSON.stringify`,
  first_call_ns,
  samples_ns,
  output_bytes: Buffer.byteLength(output),
  vmhwm_kib: peakResidentKiB(),
})}\n`);
