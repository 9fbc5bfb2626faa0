// What the Node bench scripts share: their command line and the peak
// resident memory of the process.

import { readFileSync } from 'node:fs';
import process from 'node:process';

/**
 * Parses `--doc FILE --calls N --warmup N --dir DIR --iterations N`; each
 * script uses the flags it needs.
 */
export function parseArgs(argv, program) {
  const args = { doc: null, dir: null, calls: 1000, warmup: 100, iterations: 100 };
  for (let arg_idx = 0; arg_idx < argv.length; arg_idx++) {
    const flag = argv[arg_idx];
    const value = argv[++arg_idx];
    if (value === undefined) usage(program, `${flag} needs a value`);
    switch (flag) {
      case '--doc': args.doc = value; break;
      case '--dir': args.dir = value; break;
      case '--calls': args.calls = Number(value); break;
      case '--warmup': args.warmup = Number(value); break;
      case '--iterations': args.iterations = Number(value); break;
      default: usage(program, `unknown flag ${flag}`);
    }
  }
  return args;
}

function usage(program, message) {
  process.stderr.write(`${program}: ${message}\n`);
  process.exit(64);
}

/** VmHWM of /proc/self/status in KiB, or -1 where there is none. */
export function peakResidentKiB() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) : -1;
  } catch {
    return -1;
  }
}
