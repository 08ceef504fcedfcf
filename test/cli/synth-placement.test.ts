/** `synth` and node pools: offline it says what it could not check; with a stack it checks and writes tolerations. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runSynth } from '../../cli/commands/synth';
import { captureOutput } from './capture-output';
import { EXAMPLE_TENANTS } from '../example-project';

const FIXTURE = resolve(__dirname, '../fixtures/stacks/Pulumi.flux.yaml');
const TENANTS = EXAMPLE_TENANTS;

const podOf = (file: string) => (parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()).find((o) => o.kind === 'Deployment') as any).spec.template.spec;

describe('synth and node pools', () => {
  test('offline: nodeSelector only, and a note naming what was not checked', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-pools-')), 'dist');
    const log = captureOutput();
    expect(await runSynth({ tenants: TENANTS, out }, log)).toBe(0);
    const pod = podOf(join(out, 'tenants', 'embeddings.yaml'));
    expect(pod.nodeSelector).toEqual({ 'doks.digitalocean.com/node-pool': 'large' });
    expect(pod.tolerations).toBeUndefined();
    expect(log.stdout.filter((l) => l.startsWith('  note: '))).toEqual([
      '  note: tenant "embeddings" on node pool "large": without a stack, not checked that the pool exists, that one node\'s allocatable fits the requests, that the pool at max nodes holds scaling.max plus the rollout surge, that the cold-start budget covers a node boot when the pool can be empty, and no tolerations are written for the pool\'s taints (synth --stack <name> and pulumi up do all five)',
    ]);
  });

  test('--stack: the pool is checked and its taint tolerated; no note', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-pools-')), 'dist');
    const log = captureOutput();
    expect(await runSynth({ tenants: TENANTS, out, stack: FIXTURE }, log)).toBe(0);
    expect(podOf(join(out, 'tenants', 'embeddings.yaml')).tolerations).toEqual([{ effect: 'NoSchedule', key: 'workload', operator: 'Equal', value: 'large' }]);
    expect(log.stdout.some((l) => l.startsWith('  note: '))).toBe(false);
  });

  test('--stack without the pool: refused, naming the tenant, the pool and the stack\'s pools; nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-pools-'));
    const stack = join(dir, 'Pulumi.nopool.yaml');
    writeFileSync(stack, readFileSync(FIXTURE, 'utf8').replace(/  tenantscale:nodePools:[\s\S]*$/, '').replace('../example/tenants/tenants.yaml', TENANTS));
    const log = captureOutput();
    expect(await runSynth({ tenants: TENANTS, out: join(dir, 'dist'), stack }, log)).toBe(1);
    expect(log.stderr.join('\n')).toContain('node pool "large" is not in this stack');
    expect(log.stderr.join('\n')).toContain('default (s-2vcpu-4gb, 1-5 nodes)');
  });

  test('--stack in kubeconfig mode: no pools to check; a warning that the DOKS pool label must be put on a node by hand, not the offline note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-pools-'));
    const stack = join(dir, 'Pulumi.kind.yaml');
    writeFileSync(stack, `config:\n  tenantscale:clusterMode: kubeconfig\n  tenantscale:tenantsFile: ${TENANTS}\n`);
    const log = captureOutput();
    expect(await runSynth({ tenants: TENANTS, out: join(dir, 'dist'), stack }, log)).toBe(0);
    expect(podOf(join(dir, 'dist', 'tenants', 'embeddings.yaml')).nodeSelector).toEqual({ 'doks.digitalocean.com/node-pool': 'large' });
    expect(log.stdout.some((l) => l.startsWith('  note: '))).toBe(false);
    expect(log.stdout.filter((l) => l.includes('doks.digitalocean.com/node-pool=large'))).toEqual([
      '  ! tenant "embeddings" (nodePool: large) selects nodes labelled doks.digitalocean.com/node-pool=large, which on this cluster (kubeconfig mode) only a node labelled by hand carries: its pods stay Pending until one is (kubectl label node <node> doks.digitalocean.com/node-pool=large); pool, fit and taints are not checked',
    ]);
  });
});
