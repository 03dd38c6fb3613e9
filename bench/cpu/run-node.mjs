// Runs the bench/cpu wasm builds under Node (V8) and prints
// "NAME checksum median_ns", the same format as out/native/NAME.
//
//   node run-node.mjs NAME N K     one program, run(N) K times after 1 warm-up
//   node run-node.mjs [K]          every program in programs.txt at its
//                                  default n (K defaults to 5); exits 1 if a
//                                  checksum differs from the expected one
//
// Each program is a self-contained module: no imports, exports `run`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function loadRun(name) {
  const bytes = readFileSync(join(here, 'out', `${name}.wasm`));
  const module = new WebAssembly.Module(bytes);
  if (WebAssembly.Module.imports(module).length !== 0) {
    throw new Error(`${name}.wasm has imports; expected none`);
  }
  return new WebAssembly.Instance(module, {}).exports.run;
}

function bench(name, n, k) {
  const run = loadRun(name);
  const expected = run(n); // warm-up (also lets V8 tier up to TurboFan)
  const times = [];
  for (let i = 0; i < k; i++) {
    const t0 = process.hrtime.bigint();
    const c = run(n);
    times.push(process.hrtime.bigint() - t0);
    if (c !== expected) {
      throw new Error(`${name}: checksum changed between runs (${c} vs ${expected})`);
    }
  }
  times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const median = k % 2 ? times[k >> 1] : (times[k / 2 - 1] + times[k / 2]) / 2n;
  return { checksum: expected, median };
}

function programs() {
  return readFileSync(join(here, 'programs.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [name, n, checksum] = l.split(/\s+/);
      return { name, n: Number(n), checksum: Number(checksum) };
    });
}

const args = process.argv.slice(2);
if (args.length === 3) {
  const [name, n, k] = args;
  const r = bench(name, Number(n), Math.max(1, Number(k)));
  console.log(`${name} ${r.checksum} ${r.median}`);
} else if (args.length <= 1) {
  const k = args.length ? Math.max(1, Number(args[0])) : 5;
  let bad = 0;
  for (const p of programs()) {
    const r = bench(p.name, p.n, k);
    const ok = r.checksum === p.checksum;
    if (!ok) bad++;
    console.log(`${p.name} ${r.checksum} ${r.median}${ok ? '' : ` MISMATCH expected ${p.checksum}`}`);
  }
  process.exit(bad ? 1 : 0);
} else {
  console.error('usage: node run-node.mjs NAME N K | node run-node.mjs [K]');
  process.exit(2);
}
