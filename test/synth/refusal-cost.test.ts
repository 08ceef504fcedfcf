/**
 * Issue 19: a refused tenant list answers without the work only a valid list needs. The CLI
 * (build/cli/index.js, as bin/tenantscale.js runs it) is run in a fresh Node process; after it
 * answers, that process lists the heavy packages in its require.cache and the worker threads it
 * started. Untimed: the time and memory of refusals are in bench/refusal-bench.ts and
 * docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const HEAVY = /node_modules\/(cdk8s|cdk8s-plus-28|constructs|@pulumi\/[^/]+|@grafana\/grafana-foundation-sdk|@bufbuild\/cel|kubernetes-models|ajv)\//;

const CHILD = `
const wt = require('node:worker_threads');
let workers = 0;
const Worker = wt.Worker;
wt.Worker = class extends Worker { constructor(...a) { super(...a); workers++; } };
const { main } = require(process.argv[1]);
main(['node', 'tenantscale', ...JSON.parse(process.argv[2])]).then((code) => {
  const heavy = new Set();
  for (const k of Object.keys(require.cache)) { const m = ${HEAVY}.exec(k); if (m) heavy.add(m[1]); }
  process.stdout.write(JSON.stringify({ code, heavy: [...heavy].sort(), workers, synthWorker: Object.keys(require.cache).some((k) => k.endsWith('cli/synth-worker.js')) }));
  process.exit(0);
});
`;

function runCli(args: string[]): { code: number; heavy: string[]; workers: number; synthWorker: boolean } {
  const r = spawnSync(process.execPath, ['-e', CHILD, join(ROOT, 'build', 'cli', 'index.js'), JSON.stringify(args)], { encoding: 'utf8', cwd: ROOT });
  expect(r.stderr).not.toMatch(/Error:/);
  return JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('{"code"')));
}

const dir = mkdtempSync(join(tmpdir(), 'tenantscale-refusal-'));
const list = (memory: string, count = 1) =>
  'defaults:\n  image: ghcr.io/stefanprodan/podinfo:6.7.1\n  port: 9898\n  probes: { readiness: /readyz, liveness: /healthz }\n' +
  `  resources: { requests: { cpu: 100m, memory: ${memory} }, limits: { cpu: 500m, memory: 512Mi } }\n  scaling: { max: 3, metric: { requestRate: { target: 10 } } }\ntenants:\n` +
  Array.from({ length: count }, (_, i) => `  - name: t${i}\n    hosts: [t${i}.example.com]\n`).join('');

test('synth refusing a list (memory: 128, bytes) loads no cdk8s, Pulumi, CEL or Grafana SDK and starts no worker', () => {
  const file = join(dir, 'bytes.yaml');
  writeFileSync(file, list('128'));
  const r = runCli(['synth', '--tenants', file, '--out', join(dir, 'out-bytes'), '--quiet']);
  expect(r).toEqual({ code: 1, heavy: [], workers: 0, synthWorker: false });
});

test('synth refusing a large list (1,000 tenants, 45 KB, one broken) starts no worker either', () => {
  const file = join(dir, 'large.yaml');
  writeFileSync(file, list('128Mi', 1000).replace('name: t150\n', 'name: T_150\n'));
  const r = runCli(['synth', '--tenants', file, '--out', join(dir, 'out-large'), '--quiet']);
  expect(r).toEqual({ code: 1, heavy: [], workers: 0, synthWorker: false });
});

test('synth refusing a list over --max-tenants loads none of it; the same list with a higher limit is synthesized with cdk8s', () => {
  const file = join(dir, 'three.yaml');
  writeFileSync(file, list('128Mi', 3));
  expect(runCli(['synth', '--tenants', file, '--out', join(dir, 'out-3'), '--quiet', '--max-tenants', '2'])).toMatchObject({ code: 1, heavy: [] });
  const ok = runCli(['synth', '--tenants', file, '--out', join(dir, 'out-3'), '--quiet', '--max-tenants', '3']);
  expect(ok.code).toBe(0);
  expect(ok.heavy).toEqual(expect.arrayContaining(['cdk8s', 'cdk8s-plus-28']));
});
