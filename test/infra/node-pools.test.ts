/**
 * The Pulumi program and the stack's node pools (under the Pulumi mocks): a pool that may be
 * empty, tenants placed on a pool (nodeSelector and tolerations from the stack's taints), the
 * checks that refuse a missing pool or requests no node holds, and the load balancer's idle
 * timeout set from the longest route.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type * as Program from '../../infra/index';
import { failWithMocks, MockedRun, runWithMocks } from '../platform/pulumi-mocks';
import { EXAMPLE_DIR } from '../example-project';

// The program reads ./Pulumi.*.yaml and the stack's tenant list from its project directory: the example fixture's (issue 21).
const REPO_CWD = process.cwd();
beforeAll(() => process.chdir(EXAMPLE_DIR));
afterAll(() => process.chdir(REPO_CWD));

const ROOT = EXAMPLE_DIR;
const loadProgram = () => require('../../infra/index') as typeof Program;

function devConfig(overrides: Record<string, unknown> = {}): Record<string, string> {
  const doc = parse(readFileSync(resolve(ROOT, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, unknown> };
  const merged = { ...doc.config, 'digitalocean:token': 'dop_v1_test_only', ...overrides };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

const DEFAULT_POOL = { name: 'default', size: 's-2vcpu-4gb', min: 1, max: 5 };
const MEMORY_POOL = { name: 'memory', size: 'm-2vcpu-16gb', min: 0, max: 3, taints: [{ key: 'workload', value: 'memory', effect: 'NoSchedule' }] };

/** A tenant list in a temporary file: one tenant on the memory pool with the given resources. */
function tenantsFile(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantscale-pools-'));
  const file = join(dir, 'tenants.yaml');
  const tenant = {
    name: 'vectors',
    kind: 'service',
    image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
    port: 9898,
    probes: { readiness: '/readyz', liveness: '/healthz' },
    resources,
    scaling: { min: 1, max: 2, metric: { requestRate: { target: 10 } } },
    autoscaling: { cpu: 70 },
    nodePool: 'memory',
    ...extra,
  };
  writeFileSync(file, JSON.stringify({ tenants: [tenant] }));
  return file;
}

describe('doks mode: Pulumi.dev.yaml with a pool of larger nodes that may be empty', () => {
  let run: MockedRun<typeof Program>;
  beforeAll(async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    run = await runWithMocks(loadProgram, devConfig());
    warn.mockRestore();
  });

  test('the extra pool is a KubernetesNodePool autoscaling from 0, with its taint', () => {
    const pools = run.resources.filter((r) => r.type === 'digitalocean:index/kubernetesNodePool:KubernetesNodePool');
    expect(pools).toHaveLength(1);
    expect(pools[0].inputs).toMatchObject({
      name: 'large',
      size: 's-4vcpu-8gb',
      autoScale: true,
      minNodes: 0,
      maxNodes: 3,
      taints: [{ key: 'workload', value: 'large', effect: 'NoSchedule' }],
    });
  });

  test('embeddings runs on it: the DOKS pool label as nodeSelector and a toleration for exactly its taint', () => {
    const deployment = run.resources.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.inputs.metadata?.namespace === 'tenant-embeddings')!;
    const pod = deployment.inputs.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'doks.digitalocean.com/node-pool': 'large' });
    expect(pod.tolerations).toEqual([{ effect: 'NoSchedule', key: 'workload', operator: 'Equal', value: 'large' }]);
    const ahmed = run.resources.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.inputs.metadata?.namespace === 'tenant-ahmed')!;
    expect(ahmed.inputs.spec.template.spec.nodeSelector).toBeUndefined();
    expect(ahmed.inputs.spec.template.spec.tolerations).toBeUndefined();
  });

  test('openclaw gets its disk: a ReadWriteOnce claim on do-block-storage', () => {
    const pvc = run.resources.find((r) => r.type === 'kubernetes:core/v1:PersistentVolumeClaim')!;
    expect(pvc.inputs.metadata).toMatchObject({ name: 'openclaw-sessions', namespace: 'tenant-openclaw' });
    expect(pvc.inputs.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], storageClassName: 'do-block-storage', resources: { requests: { storage: '1Gi' } } });
  });

  test('the load balancer idle timeout is unset in the stack, so the program sets the longest route timeout (95 s)', () => {
    const ep = run.resources.find((r) => r.type === 'kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy')!;
    expect(ep.inputs.spec.provider.kubernetes.envoyService.annotations['service.beta.kubernetes.io/do-loadbalancer-http-idle-timeout-seconds']).toBe('95');
  });
});

describe('doks mode: node pool checks refuse before any resource is registered', () => {
  const registered = (resources: { type: string }[]) => resources.filter((r) => r.type !== 'pulumi:pulumi:Stack');

  test('a tenant naming a pool the stack does not have: the error names the tenant, the pool and the pools there are', async () => {
    const { error, resources } = await failWithMocks(loadProgram, devConfig({ 'tenantscale:nodePools': [DEFAULT_POOL] }));
    expect(String(error)).toContain('tenant "embeddings", field nodePool = "large": node pool "large" is not in this stack (allowed: one of the stack\'s pools: default (s-2vcpu-4gb, 1-5 nodes)');
    expect(registered(resources)).toEqual([]);
  });

  test('requests no node of the named pool holds (though the largest pool would): the error gives the node\'s figures', async () => {
    const file = tenantsFile({ requests: { cpu: '1', memory: '6Gi' }, limits: { cpu: '2', memory: '8Gi' } }, { nodePool: 'default' });
    const { error, resources } = await failWithMocks(loadProgram, devConfig({ 'tenantscale:nodePools': [DEFAULT_POOL, MEMORY_POOL], 'tenantscale:tenantsFile': file }));
    expect(String(error)).toContain('tenant "vectors", field resources.requests.memory = "6Gi": the tenant\'s memory request does not fit a node of pool "default" (s-2vcpu-4gb): 2560Mi allocatable per node');
    expect(registered(resources)).toEqual([]);
  });

  test('requests that fit: the program runs and places the tenant', async () => {
    const file = tenantsFile({ requests: { cpu: '1', memory: '12Gi' }, limits: { cpu: '2', memory: '14Gi' } });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const run = await runWithMocks(loadProgram, devConfig({ 'tenantscale:nodePools': [DEFAULT_POOL, MEMORY_POOL], 'tenantscale:tenantsFile': file }));
    warn.mockRestore();
    const deployment = run.resources.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.inputs.metadata?.namespace === 'tenant-vectors')!;
    expect(deployment.inputs.spec.template.spec.nodeSelector).toEqual({ 'doks.digitalocean.com/node-pool': 'memory' });
  });

  test('a configured idle timeout below a route timeout is refused with the figures', async () => {
    const lb = { name: 'tenantscale-dev-gateway', sizeUnit: 1, httpIdleTimeoutSeconds: 60 };
    const { error, resources } = await failWithMocks(loadProgram, devConfig({ 'tenantscale:gateway': { port: 80, loadBalancer: lb } }));
    expect(String(error)).toContain('tenantscale:gateway.loadBalancer.httpIdleTimeoutSeconds = 60: tenant "ahmed" has a route timeout of 95 s');
    expect(registered(resources)).toEqual([]);
  });

  test('the first pool may not be at 0 nodes', async () => {
    const { error } = await failWithMocks(loadProgram, devConfig({ 'tenantscale:nodePools': [{ ...DEFAULT_POOL, min: 0 }, MEMORY_POOL] }));
    expect(String(error)).toContain('tenantscale:nodePools[0].min = 0');
  });
});
