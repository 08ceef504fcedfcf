/**
 * Issue 19: the tenant limit from `synth --max-tenants` and from the stack setting
 * `tenantscale:limits.maxTenants` (synth --stack); the flag wins over the stack.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../../cli/commands/synth';
import { parseMaxTenants } from '../../cli/max-tenants-option';
import { captureOutput } from './capture-output';

const LIST =
  'defaults:\n  image: ghcr.io/stefanprodan/podinfo:6.7.1\n  port: 9898\n  probes: { readiness: /readyz, liveness: /healthz }\n' +
  '  resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 500m, memory: 512Mi } }\n  scaling: { max: 3, metric: { requestRate: { target: 10 } } }\ntenants:\n' +
  ['a', 'b', 'c'].map((n) => `  - name: ${n}\n    hosts: [${n}.example.com]\n`).join('');

function project(stackLimit?: number): { dir: string; tenants: string; stack: string } {
  const dir = mkdtempSync(join(tmpdir(), 'synth-max-tenants-'));
  const tenants = join(dir, 'tenants.yaml');
  writeFileSync(tenants, LIST);
  const stack = join(dir, 'Pulumi.small.yaml');
  const limits = stackLimit === undefined ? '' : `  tenantscale:limits:\n    maxTenants: ${stackLimit}\n`;
  writeFileSync(stack, `config:\n  tenantscale:clusterMode: kubeconfig\n  tenantscale:tenantsFile: tenants.yaml\n${limits}`);
  return { dir, tenants, stack };
}

test('--max-tenants below the list refuses it, naming the limit and both overrides; nothing written; at the list it synthesizes', async () => {
  const { dir, tenants } = project();
  const log = captureOutput();
  expect(await runSynth({ tenants, out: join(dir, 'dist'), maxTenants: 2 }, log)).toBe(1);
  const err = log.stderr.join('\n');
  expect(err).toContain('the list has 3 tenants, more than the 2 tenantscale reads (limits.maxTenants)');
  expect(err).toContain('at most 2 tenants (limits.maxTenants, default 50,000)');
  expect(err).toContain('--max-tenants 3 (synth, plan) or `pulumi config set --path tenantscale:limits.maxTenants 3`');
  expect(existsSync(join(dir, 'dist'))).toBe(false);
  expect(await runSynth({ tenants, out: join(dir, 'dist'), maxTenants: 3 }, captureOutput())).toBe(0);
});

test('synth --stack reads tenantscale:limits.maxTenants: under the list refused, and --max-tenants overrides it', async () => {
  const { dir, tenants, stack } = project(2);
  const log = captureOutput();
  expect(await runSynth({ tenants, out: join(dir, 'dist'), stack }, log)).toBe(1);
  expect(log.stderr.join('\n')).toContain('the list has 3 tenants, more than the 2 tenantscale reads (limits.maxTenants)');
  expect(await runSynth({ tenants, out: join(dir, 'dist'), stack, maxTenants: 3 }, captureOutput())).toBe(0);
  const raised = project(3);
  expect(await runSynth({ tenants: raised.tenants, out: join(raised.dir, 'dist'), stack: raised.stack }, captureOutput())).toBe(0);
});

test('--max-tenants takes a whole number of at least 1', () => {
  expect(parseMaxTenants('100000')).toBe(100_000);
  expect(parseMaxTenants('100_000')).toBe(100_000);
  for (const bad of ['0', '-5', '1.5', '1e5', 'many', '']) expect(() => parseMaxTenants(bad)).toThrow(/whole number of tenants/);
});
