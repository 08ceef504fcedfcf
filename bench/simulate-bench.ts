/**
 * `npm run bench:simulate`: times `tenantscale simulate` on generated tenant lists (1,000 tenants ×
 * 7 days and 10,000 tenants × 1 day by default) as a child process under /usr/bin/time -v, and prints
 * a markdown row per run: wall time, CPU time, peak RSS, load average at the start. Default profile
 * (assistant), the lessons' 10% active fraction, stack Pulumi.dev.yaml with the pool max raised so
 * the cluster can grow.
 *
 * Options: `--cases 1000x7,10000x1`, `--runs 3`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function tenantList(count: number): string {
  const lines = [
    'defaults:',
    '  image: ghcr.io/stefanprodan/podinfo:6.7.1',
    '  port: 9898',
    '  probes: { readiness: /readyz, liveness: /healthz }',
    '  resources: { requests: { cpu: 100m, memory: 256Mi }, limits: { cpu: 500m, memory: 512Mi } }',
    '  scaling: { min: 0, max: 3, scaledownPeriod: 600, metric: { requestRate: { target: 10 } } }',
    'tenants:',
  ];
  for (let i = 0; i < count; i++) lines.push(`  - { name: t${i}, hosts: [t${i}.example.com] }`);
  return `${lines.join('\n')}\n`;
}

const STACK = `config:
  tenantscale:region: fra1
  tenantscale:nodePools:
    - { name: default, size: s-8vcpu-32gb, min: 1, max: 100 }
`;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const cases = arg('--cases', '1000x7,10000x1').split(',').map((c) => c.split('x').map(Number) as [number, number]);
const runs = Number(arg('--runs', '3'));
const dir = mkdtempSync(join(tmpdir(), 'tenantscale-simbench-'));
writeFileSync(join(dir, 'Pulumi.bench.yaml'), STACK);
console.log('| tenants × days | run | wall s | CPU s | peak RSS MiB | load avg (1 min) at start |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [tenants, days] of cases) {
  const file = join(dir, `tenants-${tenants}.yaml`);
  writeFileSync(file, tenantList(tenants));
  for (let r = 1; r <= runs; r++) {
    const load = loadavg()[0].toFixed(2);
    const started = process.hrtime.bigint();
    const res = spawnSync('/usr/bin/time', ['-v', 'node', join(ROOT, 'bin', 'tenantscale.js'), 'simulate', '--tenants', file, '--stack', join(dir, 'Pulumi.bench.yaml'), '--active-fraction', '0.1', '--days', String(days), '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    if (res.status !== 0) throw new Error(res.stderr);
    const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(res.stderr)?.[1] ?? NaN);
    const cpu = field('User time \\(seconds\\)') + field('System time \\(seconds\\)');
    const rss = field('Maximum resident set size \\(kbytes\\)') / 1024;
    console.log(`| ${tenants.toLocaleString('en-US')} × ${days} | ${r} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${rss.toFixed(0)} | ${load} |`);
  }
}
rmSync(dir, { recursive: true, force: true });
