import { tenantManifests } from '../../constructs/manifests';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import { Problem } from '../../tenants/problem';
import { dropletGpus, emptyPoolWake, NodePoolFacts, unplacedChecks } from '../../tenants/rules/placement';
import { pathsOverlap } from '../../tenants/rules/volumes';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsDocument, ValidationOptions } from '../../tenants/validate';

const BASE = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } },
};

const STATEFUL = { kind: 'stateful', hosts: ['claw.example.com'], scaling: { min: 1, max: 1, metric: { requestRate: { target: 10 } } } };

function check(entry: Record<string, unknown>, options: ValidationOptions = {}): { problems: Problem[]; tenants: TenantSpec[] } {
  return validateTenantsDocument({ tenants: [{ name: 'claw', hosts: ['claw.example.com'], ...BASE, ...entry }] }, options);
}

const fields = (problems: readonly Problem[]) => problems.map((p) => p.field);

describe('volumes', () => {
  test('an http tenant with a volume is refused, quoting the one-attachment reason', () => {
    const { problems } = check({ volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ tenant: 'claw', field: 'volumes', allowed: 'volumes on kind stateful only' });
    expect(problems[0].message).toContain('attaches to one Droplet at a time');
  });

  test('a stateful single-replica tenant with one volume passes, storage class defaulted', () => {
    const { problems, tenants } = check({ ...STATEFUL, volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }] });
    expect(problems).toEqual([]);
    expect(tenants[0].volumes).toEqual([{ name: 'data', mountPath: '/data', size: '10Gi', storageClass: 'do-block-storage' }]);
  });

  test('a stateful tenant with volumes and scaling.max 2 is refused on scaling.max', () => {
    const { problems } = check({ ...STATEFUL, scaling: { min: 1, max: 2, metric: { requestRate: { target: 10 } } }, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
    expect(fields(problems)).toEqual(['scaling.max']);
    expect(problems[0].allowed).toBe('scaling.max: 1 with volumes');
  });

  test.each([
    ['512Mi', 'below'],
    ['17Ti', 'above'],
    ['1073741823', 'below'],
  ])('size %s is %s DigitalOcean volume bounds (1Gi to 16Ti)', (size, side) => {
    const { problems } = check({ ...STATEFUL, volumes: [{ name: 'data', mountPath: '/data', size }] });
    expect(fields(problems)).toEqual(['volumes[0].size']);
    expect(problems[0].message).toContain(side);
    expect(problems[0].allowed).toContain('from 1Gi to 16Ti');
  });

  test('16Ti and 1Gi pass', () => {
    expect(check({ ...STATEFUL, volumes: [{ name: 'a', mountPath: '/a', size: '16Ti' }, { name: 'b', mountPath: '/b', size: '1Gi' }] }).problems).toEqual([]);
  });

  test('overlapping mount paths, /tmp, / and the name "tmp" are refused', () => {
    const { problems } = check({
      ...STATEFUL,
      volumes: [
        { name: 'data', mountPath: '/data', size: '1Gi' },
        { name: 'cache', mountPath: '/data/cache', size: '1Gi' },
        { name: 'scratch', mountPath: '/tmp/x', size: '1Gi' },
        { name: 'root', mountPath: '/', size: '1Gi' },
        { name: 'tmp', mountPath: '/srv', size: '1Gi' },
      ],
    });
    expect(fields(problems)).toEqual(['volumes[1].mountPath', 'volumes[2].mountPath', 'volumes[3].mountPath', 'volumes[4].name']);
    expect(problems[0].message).toContain('overlaps volumes[0].mountPath (/data)');
  });

  test('a mount path the runtime cleans ("//tmp", "/srv/") is refused with its clean form', () => {
    const { problems } = check({
      ...STATEFUL,
      volumes: [
        { name: 'scratch', mountPath: '//tmp', size: '1Gi' },
        { name: 'srv', mountPath: '/srv', size: '1Gi' },
        { name: 'srv2', mountPath: '//srv', size: '1Gi' },
      ],
    });
    expect(fields(problems)).toEqual(['volumes[0].mountPath', 'volumes[2].mountPath']);
    expect(problems[0]).toMatchObject({ tenant: 'claw', value: '//tmp', fix: 'write "/tmp"' });
    expect(problems[0].message).toContain('the container runtime mounts it at /tmp');
    expect(problems[1].fix).toBe('write "/srv"');
  });

  test.each([
    ['/proc/data', 'lies under /proc'],
    ['/dev', 'is /dev'],
    ['/sys/fs/data', 'lies under /sys'],
    ['/etc/resolv.conf', 'is /etc/resolv.conf'],
    ['/var/run/secrets/kubernetes.io/serviceaccount', 'lies under /var/run/secrets'],
    ['/var', 'contains /var/run/secrets'],
  ])('mount path %s is refused: it %s', (mountPath, says) => {
    const { problems } = check({ ...STATEFUL, volumes: [{ name: 'data', mountPath, size: '1Gi' }] });
    expect(fields(problems)).toEqual(['volumes[0].mountPath']);
    expect(problems[0].message).toContain(`it ${says}`);
    expect(problems[0].allowed).toContain('/proc, /sys, /dev');
  });

  test.each(['/etc', '/usr'])('a volume at the image directory %s itself is refused', (mountPath) => {
    const { problems } = check({ ...STATEFUL, volumes: [{ name: 'data', mountPath, size: '1Gi' }] });
    expect(fields(problems)).toEqual(['volumes[0].mountPath']);
    expect(problems[0].message).toContain(`would hide the image's own ${mountPath}`);
  });

  test('data directories under /etc, /var and /usr pass (only the reserved paths themselves are refused)', () => {
    const { problems } = check({
      ...STATEFUL,
      volumes: [
        { name: 'config', mountPath: '/etc/app', size: '1Gi' },
        { name: 'pg', mountPath: '/var/lib/postgresql/data', size: '1Gi' },
        { name: 'share', mountPath: '/usr/share/app', size: '1Gi' },
        { name: 'proc', mountPath: '/process', size: '1Gi' },
      ],
    });
    expect(problems).toEqual([]);
  });

  test('a relative mount path and a name that is not a DNS label are refused by the schema', () => {
    const { problems } = check({ ...STATEFUL, volumes: [{ name: 'Data_1', mountPath: 'data', size: '1Gi' }] });
    expect(fields(problems).sort()).toEqual(['volumes.0.mountPath', 'volumes.0.name']);
  });

  test('pathsOverlap: prefix by path segment, not by characters', () => {
    expect(pathsOverlap('/data', '/data/x')).toBe(true);
    expect(pathsOverlap('/data/', '/data')).toBe(true);
    expect(pathsOverlap('/data', '/database')).toBe(false);
  });

  test('the claims, mounts and quota of a stateful tenant with a volume', () => {
    const spec = check({ ...STATEFUL, volumes: [{ name: 'sessions', mountPath: '/data', size: '10Gi', storageClass: 'do-block-storage-retain' }] }).tenants[0];
    const objects = tenantManifests(spec);
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim') as any;
    expect(pvc.metadata).toMatchObject({ name: 'claw-sessions', namespace: 'tenant-claw' });
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'do-block-storage-retain', resources: { requests: { storage: '10Gi' } } });
    const deployment = objects.find((o) => o.kind === 'Deployment') as any;
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }, { mountPath: '/data', name: 'sessions' }]);
    expect(pod.volumes).toEqual([{ emptyDir: { sizeLimit: '64Mi' }, name: 'tmp' }, { name: 'sessions', persistentVolumeClaim: { claimName: 'claw-sessions' } }]);
    const quota = objects.find((o) => o.kind === 'ResourceQuota') as any;
    expect(quota.spec.hard).toMatchObject({ persistentvolumeclaims: '1', 'requests.storage': '10Gi' });
  });
});

describe('GPUs', () => {
  test('a GPU request without a limit is refused with the API server\'s words', () => {
    const { problems } = check({ resources: { ...BASE.resources, requests: { ...BASE.resources.requests, gpu: 1 } } });
    expect(fields(problems)).toEqual(['resources.requests.gpu']);
    expect(problems[0].message).toContain('Limit must be set for non overcommitable resources');
    expect(problems[0].fix).toBe('set resources.limits.gpu: 1');
  });

  test('a GPU request different from the limit is refused', () => {
    const { problems } = check({ resources: { requests: { ...BASE.resources.requests, gpu: 1 }, limits: { ...BASE.resources.limits, gpu: 2 } } });
    expect(problems[0].message).toContain('must be equal to nvidia.com/gpu limit of 2');
  });

  test('a GPU request of 0 beside a limit of 1 is refused, not silently written as 1', () => {
    const { problems } = check({ resources: { requests: { ...BASE.resources.requests, gpu: 0 }, limits: { ...BASE.resources.limits, gpu: 1 } } });
    expect(fields(problems)).toEqual(['resources.requests.gpu']);
    expect(problems[0]).toMatchObject({ tenant: 'claw', value: 0, fix: 'set resources.requests.gpu: 1, or remove it (the limit is copied)' });
  });

  test('gpu: 0 in requests alone, or in both, asks for no GPU and passes', () => {
    for (const limits of [BASE.resources.limits, { ...BASE.resources.limits, gpu: 0 }]) {
      const { problems, tenants } = check({ resources: { requests: { ...BASE.resources.requests, gpu: 0 }, limits } });
      expect(problems).toEqual([]);
      const container = (tenantManifests(tenants[0]).find((o) => o.kind === 'Deployment') as any).spec.template.spec.containers[0];
      expect(container.resources.limits['nvidia.com/gpu']).toBeUndefined();
    }
  });

  test('a GPU limit alone is written as request and limit, and quota\'d by requests', () => {
    const spec = check({ resources: { requests: BASE.resources.requests, limits: { ...BASE.resources.limits, gpu: 1 } } }).tenants[0];
    const objects = tenantManifests(spec);
    const container = (objects.find((o) => o.kind === 'Deployment') as any).spec.template.spec.containers[0];
    expect(container.resources.requests['nvidia.com/gpu']).toBe('1');
    expect(container.resources.limits['nvidia.com/gpu']).toBe('1');
    // 3 replicas and no surge pod: GPU tenants roll with maxSurge 0.
    expect((objects.find((o) => o.kind === 'ResourceQuota') as any).spec.hard['requests.nvidia.com/gpu']).toBe('3');
    expect((objects.find((o) => o.kind === 'Deployment') as any).spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  });

  test('dropletGpus reads NVIDIA GPU sizes and ignores AMD and CPU sizes', () => {
    expect(dropletGpus('gpu-h100x1-80gb')).toBe(1);
    expect(dropletGpus('gpu-h100x8-640gb')).toBe(8);
    expect(dropletGpus('gpu-mi300x1-192gb')).toBe(0);
    expect(dropletGpus('m-2vcpu-16gb')).toBe(0);
  });
});

describe('node pools (the stack is known)', () => {
  const pools: NodePoolFacts[] = [
    { name: 'default', size: 's-2vcpu-4gb', min: 1, max: 5, taints: [], capacity: { cpuMillis: 2000n, memoryBytes: 4n * 1024n ** 3n, gpus: 0 } },
    { name: 'memory', size: 'm-2vcpu-16gb', min: 0, max: 3, taints: [{ key: 'workload', value: 'memory', effect: 'NoSchedule' }], capacity: { cpuMillis: 2000n, memoryBytes: 16n * 1024n ** 3n, gpus: 0 } },
  ];

  test('a pool the stack does not have is refused, naming the tenant, the pool and the existing pools', () => {
    const { problems } = check({ nodePool: 'gpu' }, { nodePools: pools });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ tenant: 'claw', field: 'nodePool', value: 'gpu', message: 'node pool "gpu" is not in this stack' });
    expect(problems[0].allowed).toContain('default (s-2vcpu-4gb, 1-5 nodes)');
    expect(problems[0].allowed).toContain('memory (m-2vcpu-16gb, 0-3 nodes, taints workload=memory:NoSchedule)');
  });

  test('requests that no node of the pool holds are refused with the figures', () => {
    const { problems } = check({ nodePool: 'memory', scaling: { min: 1, max: 2, metric: { requestRate: { target: 10 } } }, resources: { requests: { cpu: '3', memory: '20Gi' }, limits: { cpu: '3', memory: '20Gi' } } }, { nodePools: pools });
    expect(fields(problems)).toEqual(['resources.requests.cpu', 'resources.requests.memory']);
    expect(problems[0].message).toBe('the tenant\'s CPU request does not fit a node of pool "memory" (m-2vcpu-16gb): 2 CPU per node');
    expect(problems[1].message).toBe('the tenant\'s memory request does not fit a node of pool "memory" (m-2vcpu-16gb): 16Gi per node');
  });

  test('a GPU tenant on a pool without GPUs is refused', () => {
    const { problems } = check({ nodePool: 'default', scaling: { min: 1, max: 1, metric: { requestRate: { target: 10 } } }, resources: { requests: BASE.resources.requests, limits: { ...BASE.resources.limits, gpu: 1 } } }, { nodePools: pools });
    expect(fields(problems)).toEqual(['resources.limits.gpu']);
  });

  test('requests that fit pass; the pod gets the pool label and tolerates exactly its taints', () => {
    const { problems, tenants } = check({ nodePool: 'memory', scaling: { min: 1, max: 2, metric: { requestRate: { target: 10 } } }, resources: { requests: { cpu: '1', memory: '12Gi' }, limits: { cpu: '2', memory: '14Gi' } } }, { nodePools: pools });
    expect(problems).toEqual([]);
    const settings = { ...DEFAULT_PLATFORM_SETTINGS, nodePoolTaints: { memory: [{ key: 'workload', value: 'memory', effect: 'NoSchedule' as const }] } };
    const pod = (tenantManifests(tenants[0], settings).find((o) => o.kind === 'Deployment') as any).spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'doks.digitalocean.com/node-pool': 'memory' });
    expect(pod.tolerations).toEqual([{ effect: 'NoSchedule', key: 'workload', operator: 'Equal', value: 'memory' }]);
  });

  test('a sleeping tenant on a pool that can be empty needs a budget that covers a node boot', () => {
    const wake = emptyPoolWake();
    expect(wake.seconds).toBe(74);
    const short = check({ nodePool: 'memory', coldStartBudget: 60 }, { nodePools: pools });
    expect(fields(short.problems)).toEqual(['coldStartBudget']);
    expect(short.problems[0].message).toContain('autoscaler scan 10 s + node provisioning and join 60 s');
    expect(short.problems[0].allowed).toBe('coldStartBudget ≥ 74 on a pool that can be empty');
    expect(check({ nodePool: 'memory', coldStartBudget: 90 }, { nodePools: pools }).problems).toEqual([]);
    // Kept warm (min 1): the node stays, nothing to wait for.
    expect(check({ nodePool: 'memory', coldStartBudget: 60, scaling: { min: 1, max: 3, metric: { requestRate: { target: 10 } } } }, { nodePools: pools }).problems).toEqual([]);
  });

  test('a node pool name with uppercase letters is refused, saying the form a pool name has', () => {
    const { problems } = check({ nodePool: 'GPU' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ tenant: 'claw', field: 'nodePool', value: 'GPU', message: 'malformed value' });
    expect(problems[0].allowed).toContain('a DNS label of lowercase letters');
    expect(problems[0].fix).toContain('lowercase, e.g. "gpu"');
    expect(check({ nodePool: 'gpu-h100' }).problems).toEqual([]);
  });

  test('offline, placement is not checked and unplacedChecks says what was not', () => {
    const { problems, tenants } = check({ nodePool: 'gpu' });
    expect(problems).toEqual([]);
    expect(unplacedChecks(tenants[0])).toContain('tenant "claw" on node pool "gpu": without a stack, not checked that the pool exists');
    expect(unplacedChecks({ ...tenants[0], nodePool: undefined })).toBeUndefined();
  });
});

describe('route timeout against the load balancer (DigitalOcean: at most 600 s)', () => {
  test('a 900 s cold-start budget is refused with the figures', () => {
    const { problems } = check({ coldStartBudget: 900 });
    expect(fields(problems)).toEqual(['coldStartBudget']);
    expect(problems[0].message).toContain('the route waits 935 s (coldStartBudget 900 + responseTimeout 30 + 5 s margin)');
    expect(problems[0].fix).toBe('lower coldStartBudget to at most 565 (or lower responseTimeout)');
  });

  test('565 s + 30 s + 5 s = 600 s passes', () => {
    expect(check({ coldStartBudget: 565 }).problems).toEqual([]);
  });

  test('a service routed straight from the Gateway is bounded by its response timeout', () => {
    const service = { kind: 'service', scaling: { min: 1, max: 2, metric: { requestRate: { target: 10 } } }, autoscaling: { cpu: 70 }, responseTimeout: 600 };
    const { problems } = check(service);
    expect(fields(problems)).toEqual(['responseTimeout']);
    expect(problems[0].fix).toBe('lower responseTimeout to at most 595, or stream the response so bytes keep flowing');
  });
});
