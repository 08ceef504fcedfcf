/**
 * `npm run bench:read`: time and peak memory of reading hostile and large tenant lists.
 *
 * Writes each input to a temporary directory and, in a fresh child process per run, loads
 * `build/tenants/validate.js` and calls `loadTenants(file)` (read, parse, validate: everything
 * before synth writes a file). The child reports wall time and CPU time of that call, its peak
 * resident memory (`process.resourceUsage().maxRSS`, Node's own start included) and the size of
 * the message a user would see. Prints a markdown table for docs/benchmarks.md.
 *
 * Options: `--runs 3` (the table shows the run with the median wall time and the largest peak RSS),
 * `--module PATH` (the validate module of another build, e.g. an older commit built elsewhere, for
 * before/after tables; a child that runs past `--timeout 60` seconds or crashes is reported as such).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTenantList } from './bench';

const ROOT = resolve(__dirname, '..', '..');

/** An alias bomb: `levels` anchors, each a list of 9 aliases of the one before (9^levels nodes once expanded). */
export function aliasBomb(levels: number): string {
  const lines = ['bomb:', '  x0: &a0 [lol]'];
  for (let i = 1; i < levels; i++) lines.push(`  x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\ntenants:\n  - name: bomb\n    hosts: [bomb.example.com]\n    env: *a${levels - 1}\n`;
}

/** The largest generated list whose UTF-8 size is at most `bytes`. */
function listUpTo(bytes: number): { text: string; tenants: number } {
  let tenants = Math.floor(bytes / 218);
  let text = generateTenantList(tenants);
  while (Buffer.byteLength(text) > bytes) text = generateTenantList((tenants -= 100));
  return { text, tenants };
}

interface Case {
  readonly name: string;
  readonly text: string;
}

function cases(): Case[] {
  const tenMb = listUpTo(10_000_000);
  const fourMib = listUpTo(4 * 1024 * 1024);
  const valid = generateTenantList(3);
  // Each tenant gains 10 bytes; the list stays under the file limit.
  const ipHosts = listUpTo(4 * 1024 * 1024 - 200_000);
  return [
    { name: `alias bomb, 10 levels (${aliasBomb(10).length} bytes)`, text: aliasBomb(10) },
    { name: `alias bomb, 9 levels (${aliasBomb(9).length} bytes)`, text: aliasBomb(9) },
    { name: `10 MB list (${tenMb.tenants.toLocaleString('en-US')} tenants, ${(tenMb.text.length / 1e6).toFixed(1)} MB)`, text: tenMb.text },
    { name: `4 MiB list (${fourMib.tenants.toLocaleString('en-US')} tenants, just under the former 4 MiB limit)`, text: fourMib.text },
    { name: `4 MiB list, every tenant with an IP host (${ipHosts.tenants.toLocaleString('en-US')} tenants)`, text: ipHosts.text.replace(/hosts: \[/g, 'hosts: [10.0.0.1, ') },
    { name: '10 MB env value in a 3-tenant list', text: valid.replace('    labels: { plan: plan-0 }\n', `    labels: { plan: plan-0 }\n    env: { BLOB: ${'x'.repeat(10_000_000)} }\n`) },
    { name: '3.9 MiB of nested `[`', text: `tenants: ${'['.repeat(4_000_000)}\n` },
  ];
}

interface Measurement {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly messageBytes: number;
  readonly outcome: string;
}

const CHILD = `
const { loadTenants } = require(process.argv[1]);
const t0 = performance.now(); const c0 = process.cpuUsage();
let outcome, message = '';
try { outcome = loadTenants(process.argv[2]).length + ' tenants accepted'; }
catch (err) { message = String(err && err.message); outcome = err && err.problems ? err.problems.length + ' problem(s): ' + err.problems[0].message.slice(0, 60) : 'crash: ' + message.slice(0, 80); }
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024, messageBytes: Buffer.byteLength(message), outcome }));
`;

function runOnce(module: string, file: string, timeoutSeconds: number): Measurement {
  const run = spawnSync(process.execPath, ['-e', CHILD, module, file], { encoding: 'utf8', timeout: timeoutSeconds * 1000, maxBuffer: 64 * 1024 * 1024 });
  if (run.status === 0 && run.stdout) return JSON.parse(run.stdout) as Measurement;
  const why = run.error ? `killed after ${timeoutSeconds} s` : `crashed (exit ${run.status}): ${(run.stderr ?? '').split('\n').find((l) => /Error|heap/.test(l))?.slice(0, 80) ?? ''}`;
  return { wallMs: NaN, cpuMs: NaN, maxRssMiB: NaN, messageBytes: NaN, outcome: why };
}

function main(): void {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const runs = Number(arg('--runs') ?? 3);
  const timeout = Number(arg('--timeout') ?? 60);
  const module = resolve(arg('--module') ?? join(ROOT, 'build', 'tenants', 'validate.js'));
  const dir = mkdtempSync(join(tmpdir(), 'tenantscale-read-bench-'));
  const rows = ['| input | outcome | wall (read+validate) | CPU | peak RSS | message |', '|---|---|---:|---:|---:|---:|'];
  try {
    for (const c of cases()) {
      const file = join(dir, 'tenants.yaml');
      writeFileSync(file, c.text);
      const ms = Array.from({ length: runs }, () => runOnce(module, file, timeout));
      const byWall = [...ms].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(ms.length / 2)];
      const rss = Math.max(...ms.map((m) => m.maxRssMiB));
      const fmt = (n: number, unit: string, digits = 0) => (Number.isNaN(n) ? '—' : `${n.toFixed(digits)} ${unit}`);
      rows.push(`| ${c.name} | ${byWall.outcome.replace(/\|/g, '\\|')} | ${fmt(byWall.wallMs / 1000, 's', 2)} | ${fmt(byWall.cpuMs / 1000, 's', 2)} | ${fmt(rss, 'MiB')} | ${Number.isNaN(byWall.messageBytes) ? '—' : `${byWall.messageBytes.toLocaleString('en-US')} B`} |`);
      process.stderr.write(`${rows[rows.length - 1]}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`module: ${module}; runs: ${runs}; load average at the end: ${loadavg()[0].toFixed(1)}\n`);
  console.log(rows.join('\n'));
}

if (require.main === module) main();
