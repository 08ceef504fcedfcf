import { tenantManifests } from '../../constructs/manifests';
import { nodeFit, DOKS_NODE_SIZES } from '../../core/node-sizes';
import { Problem } from '../../tenants/problem';
import { NodePoolFacts, rolloutSurgePods } from '../../tenants/rules/placement';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsDocument, ValidationOptions } from '../../tenants/validate';

const BASE = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  scaling: { min: 1, max: 3, metric: { requestRate: { target: 10 } } },
};

function check(entry: Record<string, unknown>, options: ValidationOptions = {}): { problems: Problem[]; tenants: TenantSpec[] } {
  return validateTenantsDocument({ tenants: [{ name: 'embed', hosts: ['embed.example.com'], ...BASE, ...entry }] }, options);
}

const pool = (name: string, size: string, max: number, taints: NodePoolFacts['taints'] = []): NodePoolFacts => ({ name, size, min: 1, max, taints, capacity: nodeFit(size) });
const scaling = (max: number) => ({ min: 1, max, metric: { requestRate: { target: 10 } } });
const gpu = (n: number) => ({ requests: BASE.resources.requests, limits: { ...BASE.resources.limits, gpu: n } });
const fields = (problems: readonly Problem[]) => problems.map((p) => p.field);

describe('node fit against allocatable', () => {
  const pools = [pool('default', 's-4vcpu-8gb', 5)];

  test('nodeFit gives the allocatable figures of a known size and the raw slug for an unknown one', () => {
    expect(nodeFit('s-4vcpu-8gb')).toEqual({ cpuMillis: 3900n, memoryBytes: 6n * 1024n ** 3n, gpus: 0, basis: 'allocatable' });
    expect(nodeFit('m-2vcpu-16gb')).toEqual({ cpuMillis: 2000n, memoryBytes: 16n * 1024n ** 3n, gpus: 0, basis: 'raw' });
    expect(nodeFit('gpu-h100x1-80gb')).toMatchObject({ gpus: 1, basis: 'allocatable' });
    for (const size of Object.values(DOKS_NODE_SIZES)) {
      expect(size.allocatableCpuMilli).toBeLessThan(size.vcpu * 1000);
      expect(size.allocatableMemoryGiB).toBeLessThan(size.memoryGiB);
    }
  });

  test('7900Mi on an s-4vcpu-8gb pool is refused: 6Gi allocatable per node, although the Droplet has 8 GB', () => {
    const { problems } = check({ resources: { requests: { cpu: '500m', memory: '7900Mi' }, limits: { cpu: '1', memory: '7900Mi' } } }, { nodePools: pools });
    expect(fields(problems)).toEqual(['resources.requests.memory']);
    expect(problems[0]).toMatchObject({ tenant: 'embed', value: '7900Mi', allowed: 'at most 6Gi (DOKS allocatable, before DaemonSets)' });
    expect(problems[0].message).toBe('the tenant\'s memory request does not fit a node of any untainted pool (default: s-4vcpu-8gb): 6Gi allocatable per node');
  });

  test('5Gi on the same pool passes', () => {
    expect(check({ resources: { requests: { cpu: '500m', memory: '5Gi' }, limits: { cpu: '1', memory: '5Gi' } } }, { nodePools: pools }).problems).toEqual([]);
  });

  test('an unplaced tenant is checked against the untainted pools only; placed on the large tainted pool it passes', () => {
    const mixed = [...pools, pool('memory', 's-8vcpu-32gb', 3, [{ key: 'workload', value: 'memory', effect: 'NoSchedule' }])];
    const big = { resources: { requests: { cpu: '1', memory: '20Gi' }, limits: { cpu: '2', memory: '20Gi' } } };
    const unplaced = check(big, { nodePools: mixed });
    expect(fields(unplaced.problems)).toEqual(['resources.requests.memory']);
    expect(unplaced.problems[0].fix).toContain('place the tenant on a larger pool with nodePool');
    expect(check({ ...big, nodePool: 'memory', scaling: scaling(2) }, { nodePools: mixed }).problems).toEqual([]);
  });
});

describe('max replicas and the rollout surge against the pool at max nodes', () => {
  const gpuPool = [pool('default', 's-4vcpu-8gb', 3), pool('gpu', 'gpu-h100x1-80gb', 1, [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }])];

  test('scaling.max 3 with one GPU each on a pool of at most one 1-GPU node is refused on scaling.max', () => {
    const { problems } = check({ nodePool: 'gpu', coldStartBudget: 120, scaling: scaling(3), resources: gpu(1) }, { nodePools: gpuPool });
    expect(fields(problems)).toEqual(['scaling.max']);
    expect(problems[0]).toMatchObject({ tenant: 'embed', value: 3, allowed: 'scaling.max ≤ 1' });
    expect(problems[0].message).toBe('3 replicas (GPU tenants roll with maxSurge 0: no surge pod) need 3 pods, but pool "gpu" (gpu-h100x1-80gb, max 1 node, 1 of its pods per node) holds at most 1 at max nodes (1 GPU per replica); the rest would stay Pending');
    expect(problems[0].fix).toBe('lower scaling.max to 1, or raise the max nodes of pool "gpu" in tenantscale:nodePools');
  });

  test('scaling.max 1 on that pool passes (no surge pod: the rollout stops the old pod first)', () => {
    const { problems, tenants } = check({ nodePool: 'gpu', coldStartBudget: 120, scaling: scaling(1), resources: gpu(1) }, { nodePools: gpuPool });
    expect(problems).toEqual([]);
    expect(rolloutSurgePods(tenants[0], 1)).toBe(0);
    const deployment = tenantManifests(tenants[0]).find((o) => o.kind === 'Deployment') as any;
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  });

  test('a CPU tenant whose surge pod has no room is refused; one replica fewer passes', () => {
    // One 1-CPU pod per s-2vcpu-4gb node (1900m allocatable); 2 replicas + 1 surge pod > 2 nodes.
    const pools = [pool('default', 's-2vcpu-4gb', 2)];
    const big = { resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } };
    const { problems } = check({ ...big, scaling: scaling(2) }, { nodePools: pools });
    expect(fields(problems)).toEqual(['scaling.max']);
    expect(problems[0].message).toContain('2 replicas plus 1 rollout surge pod (maxSurge 25 %, rounded up) need 3 pods');
    expect(problems[0].message).toContain('a rollout at the peak would stick until its progress deadline');
    expect(problems[0].allowed).toBe('scaling.max ≤ 1');
    expect(check({ ...big, scaling: scaling(1) }, { nodePools: pools }).problems).toEqual([]);
  });

  test('a pool that cannot hold one replica and its surge says to raise the pool, not to lower scaling.max', () => {
    const { problems } = check({ resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }, scaling: scaling(1) }, { nodePools: [pool('default', 's-2vcpu-4gb', 1)] });
    expect(problems[0].allowed).toBe('no scaling.max: the pools cannot hold one replica and its surge');
    expect(problems[0].fix).toBe('raise the max nodes of an untainted pool in tenantscale:nodePools, or lower the requests');
  });

  test('rolloutSurgePods: 25 % rounded up, none for stateful and GPU tenants', () => {
    const spec = check({}).tenants[0];
    expect([1, 3, 4, 5].map((r) => rolloutSurgePods(spec, r))).toEqual([1, 1, 1, 2]);
    expect(rolloutSurgePods({ ...spec, kind: 'stateful' }, 1)).toBe(0);
  });
});

describe('the VPA maxAllowed never sits below the request', () => {
  const vpaOf = (spec: TenantSpec) => (tenantManifests(spec).find((o) => o.kind === 'VerticalPodAutoscaler') as any).spec.resourcePolicy.containerPolicies[0];

  test('the default maxAllowed (2 CPU / 4Gi) is raised to a larger request', () => {
    const { problems, tenants } = check({ resources: { requests: { cpu: '3', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } } });
    expect(problems).toEqual([]);
    expect(tenants[0].vpa.maxAllowed).toEqual({ cpu: '3', memory: '8Gi' });
    expect(vpaOf(tenants[0]).maxAllowed).toEqual({ cpu: '3', memory: '8Gi' });
  });

  test('a small request keeps the default maxAllowed', () => {
    expect(check({}).tenants[0].vpa.maxAllowed).toEqual({ cpu: '2', memory: '4Gi' });
  });

  test('a maxAllowed written below the request is refused, in the entry or in the defaults', () => {
    const resources = { requests: { cpu: '500m', memory: '8Gi' }, limits: { cpu: '1', memory: '8Gi' } };
    const { problems } = check({ resources, vpa: { maxAllowed: { cpu: '2', memory: '4Gi' } } });
    expect(fields(problems)).toEqual(['vpa.maxAllowed.memory']);
    expect(problems[0]).toMatchObject({ value: '4Gi', allowed: 'vpa.maxAllowed.memory ≥ resources.requests.memory (8Gi)' });
    const viaDefaults = validateTenantsDocument({ defaults: { vpa: { maxAllowed: { cpu: '2', memory: '4Gi' } } }, tenants: [{ name: 'embed', hosts: ['embed.example.com'], ...BASE, resources }] });
    expect(fields(viaDefaults.problems)).toEqual(['vpa.maxAllowed.memory']);
  });
});
