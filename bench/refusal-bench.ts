/**
 * `npm run bench:refusal`: time and peak memory of the CLI refusing hostile tenant lists, end to
 * end (issue 19): `/usr/bin/time node bin/tenantscale.js synth --tenants <list> --out <fresh dir>
 * --quiet`, a fresh process per run, build/ up to date beforehand (a first-run compile is not
 * timed; docs/benchmarks.md measures it apart). The goal is every refusal under 2 s and 300 MiB.
 *
 * Reports, per list: the outcome (exit code, first line of the message), wall time, CPU time
 * (user + system: the steadier figure on a shared machine), peak RSS, and the 1-minute load
 * average when the run started. Prints a markdown table for docs/benchmarks.md.
 *
 * Options: `--runs 3` (the row shows the run with the median wall time and the largest peak RSS),
 * `--only <substring>` (the cases whose name contains it), `--cli PATH` (another build's
 * bin/tenantscale.js, for before/after tables).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTenantList } from './bench';
import { aliasBomb } from './read-bench';

const ROOT = resolve(__dirname, '..', '..');
const TIME = '/usr/bin/time';

interface Case {
  readonly name: string;
  /** The list's text, or its size in bytes for a file of spaces (only `stat` should read it). */
  readonly text: string | number;
}

const MIB = 1024 * 1024;

function cases(): Case[] {
  const three = generateTenantList(3);
  const one = generateTenantList(1);
  const tenantLine = (text: string) => text.indexOf('  - name: ');
  return [
    {
      name: '1 tenant, `memory: 128` in requests and `memory: 256` in limits (bytes)',
      text: one.replace('    requests: { cpu: 100m, memory: 128Mi }', '    requests: { cpu: 100m, memory: 128 }').replace('    limits: { cpu: 500m, memory: 512Mi }', '    limits: { cpu: 500m, memory: 256 }'),
    },
    { name: 'alias bomb, 10 levels (521 bytes)', text: aliasBomb(10) },
    { name: 'nesting: 3.9 MiB of `[`', text: `tenants: ${'['.repeat(4_000_000)}\n` },
    { name: 'nesting: 40 levels of block mappings', text: `${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} 1\n${three.slice(tenantLine(three) - 'tenants:\n'.length)}` },
    { name: 'huge string: a 10 MB env value', text: three.replace('    labels: { plan: plan-0 }\n', `    labels: { plan: plan-0 }\n    env: { BLOB: ${'x'.repeat(10_000_000)} }\n`) },
    { name: 'huge string: a 1 MB quoted host', text: three.replace('hosts: [tenant-0.tenants.example.com]', `hosts: ["${'a'.repeat(1_000_000)}"]`) },
    { name: 'YAML content over the limit: 14 MiB of `[1,1,…]`', text: `tenants: [${'1,'.repeat(7 * MIB)}1]\n` },
    { name: 'file over the backstop: 60 MiB', text: 60 * MIB },
    { name: 'many tenants: 50,001 (one over the default limit, 10.9 MB)', text: generateTenantList(50_001) },
    { name: 'many nodes: 1 tenant and 100,000 junk nodes', text: `junk: [${Array(100_000).fill('1').join(',')}]\n${three.slice(tenantLine(three) - 'tenants:\n'.length)}` },
    { name: 'duplicate names: 1,000 tenants all named `dup`', text: generateTenantList(1_000).replace(/name: tenant-\d+/g, 'name: dup') },
    // generateTenantList(10_000) pads names to 5 digits: the first is tenant-00000.
    { name: 'duplicate name: the last of 10,000 tenants repeats the first', text: `${generateTenantList(10_000)}  - name: tenant-00000\n    hosts: [again.example.com]\n` },
    { name: 'every tenant broken: 10,000 tenants with `memory: 128`', text: generateTenantList(10_000).replace('    requests: { cpu: 100m, memory: 128Mi }', '    requests: { cpu: 100m, memory: 128 }') },
    { name: 'valid 9.6 MiB list: 3 tenants below a 9.6 MiB comment block (accepted, synthesized)', text: `${`# ${'x'.repeat(98)}\n`.repeat(Math.ceil((9.6 * MIB) / 101))}${three}` },
  ];
}

interface Measurement {
  readonly wall: number;
  readonly cpu: number;
  readonly rssMiB: number;
  readonly load: number;
  readonly outcome: string;
}

function runOnce(cli: string, file: string, out: string): Measurement {
  const load = loadavg()[0];
  const run = spawnSync(TIME, ['-f', '@@ %e %U %S %M', process.execPath, cli, 'synth', '--tenants', file, '--out', out, '--quiet'], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 * MIB });
  const stats = /@@ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(run.stderr ?? '');
  const message = (run.stderr ?? '').split('\n').filter((l) => l !== '' && !l.startsWith('@@') && !l.startsWith('Command exited'));
  const first = message.find((l) => /^\s+(tenant|file)/.test(l)) ?? message[0] ?? '';
  const outcome = run.status === 0 ? 'accepted (exit 0)' : `exit ${run.status}: ${first.trim().replace(/\s+/g, ' ').slice(0, 90)}`;
  if (!stats) return { wall: NaN, cpu: NaN, rssMiB: NaN, load, outcome };
  return { wall: Number(stats[1]), cpu: Number(stats[2]) + Number(stats[3]), rssMiB: Number(stats[4]) / 1024, load, outcome };
}

function main(): void {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const runs = Number(arg('--runs') ?? 3);
  const only = arg('--only');
  const cli = resolve(arg('--cli') ?? join(ROOT, 'bin', 'tenantscale.js'));
  const dir = mkdtempSync(join(tmpdir(), 'tenantscale-refusal-bench-'));
  const rows = ['| list | outcome | wall (s) | CPU user+sys (s) | peak RSS (MiB) | load avg at start |', '|---|---|---:|---:|---:|---:|'];
  try {
    for (const c of cases().filter((k) => only === undefined || k.name.includes(only))) {
      const file = join(dir, 'tenants.yaml');
      writeFileSync(file, typeof c.text === 'string' ? c.text : Buffer.alloc(c.text, 0x20));
      const ms = Array.from({ length: runs }, (_, i) => runOnce(cli, file, join(dir, `out-${i}`)));
      const median = [...ms].sort((a, b) => a.wall - b.wall)[Math.floor(ms.length / 2)];
      const rss = Math.max(...ms.map((m) => m.rssMiB));
      rows.push(`| ${c.name} | ${median.outcome.replace(/\|/g, '\\|')} | ${median.wall.toFixed(2)} | ${median.cpu.toFixed(2)} | ${rss.toFixed(0)} | ${median.load.toFixed(1)} |`);
      process.stderr.write(`${rows[rows.length - 1]}\n`);
      for (let i = 0; i < runs; i++) rmSync(join(dir, `out-${i}`), { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`cli: ${cli}; runs: ${runs}; load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(', ')}\n`);
  console.log(rows.join('\n'));
}

if (require.main === module) main();
