import type * as DoksModule from '../../constructs/platform/doks-cluster';
import { MOCK_KUBECONFIG, MockedRun, registration, runWithMocks, valueOf } from './pulumi-mocks';

const CLUSTER = 'digitalocean:index/kubernetesCluster:KubernetesCluster';
const POOL = 'digitalocean:index/kubernetesNodePool:KubernetesNodePool';

function build(args: Partial<DoksModule.DoksClusterArgs> = {}): Promise<MockedRun<DoksModule.DoksCluster>> {
  return runWithMocks(() => {
    const { DoksCluster } = require('../../constructs/platform/doks-cluster') as typeof DoksModule;
    return new DoksCluster('cluster', {
      name: 'tenantscale-dev',
      region: 'fra1',
      nodePools: [
        { name: 'default', size: 's-2vcpu-4gb', min: 1, max: 5 },
        {
          name: 'memory',
          size: 'm-2vcpu-16gb',
          min: 1,
          max: 3,
          labels: { workload: 'memory' },
          taints: [{ key: 'workload', value: 'memory', effect: 'NoSchedule' }],
        },
      ],
      ...args,
    });
  });
}

describe('DoksCluster', () => {
  let run: MockedRun<DoksModule.DoksCluster>;
  beforeAll(async () => {
    run = await build();
  });
  const cluster = () => run.resources.find((r) => r.type === CLUSTER)!;

  test('the control plane is not HA unless asked (sent explicitly: the provider defaults to HA from 1.36)', () => {
    expect(cluster().inputs.ha).toBe(false);
  });

  test('the default pool autoscales between the configured min and max, without a fixed node count', () => {
    expect(cluster().inputs.nodePool).toEqual({
      name: 'default',
      size: 's-2vcpu-4gb',
      autoScale: true,
      minNodes: 1,
      maxNodes: 5,
      labels: {},
      taints: [],
      tags: ['tenantscale'],
    });
    expect(cluster().inputs.nodePool.nodeCount).toBeUndefined();
  });

  test('extra pools are KubernetesNodePools of the cluster, autoscaled, with their labels and taints', () => {
    const pools = run.resources.filter((r) => r.type === POOL);
    expect(pools).toHaveLength(1);
    expect(pools[0].name).toBe('cluster-memory');
    expect(pools[0].inputs).toEqual({
      clusterId: 'cluster_id',
      name: 'memory',
      size: 'm-2vcpu-16gb',
      autoScale: true,
      minNodes: 1,
      maxNodes: 3,
      labels: { workload: 'memory' },
      taints: [{ key: 'workload', value: 'memory', effect: 'NoSchedule' }],
      tags: ['tenantscale'],
    });
  });

  test('the version is the newest patch of the configured prefix (getKubernetesVersions)', async () => {
    const call = run.calls.find((c) => c.token === 'digitalocean:index/getKubernetesVersions:getKubernetesVersions')!;
    expect(call.inputs).toEqual({ versionPrefix: '1.35.' });
    expect(cluster().inputs.version).toBe('1.35.4-do.0');
    expect(await valueOf(run.value.version)).toBe('1.35.4-do.0');
  });

  test('auto-upgrade, surge upgrade, maintenance window and autoscaler tuning are set', () => {
    expect(cluster().inputs).toMatchObject({
      name: 'tenantscale-dev',
      region: 'fra1',
      autoUpgrade: true,
      surgeUpgrade: true,
      maintenancePolicy: { day: 'sunday', startTime: '04:00' },
      clusterAutoscalerConfigurations: [{ scaleDownUtilizationThreshold: 0.5, scaleDownUnneededTime: '10m' }],
    });
  });

  test('the cluster is protected by default', () => {
    expect(registration(run.registrations, CLUSTER, 'cluster').opts.protect).toBe(true);
  });

  test('with autoUpgrade a newer patch of the prefix does not upgrade the cluster outside the maintenance window', () => {
    expect(registration(run.registrations, CLUSTER, 'cluster').opts.ignoreChanges).toEqual(['version']);
  });

  test('the kubeconfig is read fresh through getKubernetesCluster by name, as a secret', async () => {
    const call = run.calls.find((c) => c.token === 'digitalocean:index/getKubernetesCluster:getKubernetesCluster')!;
    expect(call.inputs).toEqual({ name: 'tenantscale-dev' });
    expect(await valueOf(run.value.kubeconfig)).toBe(MOCK_KUBECONFIG);
    expect(await run.value.kubeconfig.isSecret).toBe(true);
  });

  test('configured values replace the defaults', async () => {
    const custom = await build({
      ha: true,
      protect: false,
      versionPrefix: '1.34.',
      autoUpgrade: false,
      maintenanceWindow: { day: 'saturday', startTime: '02:30' },
      autoscaler: { scaleDownUtilizationThreshold: 0.7, scaleDownUnneededTime: '5m', expanders: ['least-waste'] },
      tags: ['tenantscale', 'env:dev'],
    });
    const c = custom.resources.find((r) => r.type === CLUSTER)!;
    expect(c.inputs).toMatchObject({
      ha: true,
      version: '1.34.4-do.0',
      autoUpgrade: false,
      maintenancePolicy: { day: 'saturday', startTime: '02:30' },
      clusterAutoscalerConfigurations: [{ scaleDownUtilizationThreshold: 0.7, scaleDownUnneededTime: '5m', expanders: ['least-waste'] }],
      tags: ['tenantscale', 'env:dev'],
    });
    expect(registration(custom.registrations, CLUSTER, 'cluster').opts.protect).toBe(false);
    // without autoUpgrade, pulumi up is how patches arrive
    expect(registration(custom.registrations, CLUSTER, 'cluster').opts.ignoreChanges ?? []).toEqual([]);
  });
});

describe('DoksCluster cluster and Service ranges (issue 22 item 7)', () => {
  test('unset: no clusterSubnet/serviceSubnet is sent (DOKS chooses; an existing cluster sees no diff)', async () => {
    const run = await build();
    const inputs = run.resources.find((r) => r.type === CLUSTER)!.inputs;
    expect(inputs.clusterSubnet).toBeUndefined();
    expect(inputs.serviceSubnet).toBeUndefined();
  });

  test('set: both are passed to the KubernetesCluster as configured', async () => {
    const run = await build({ clusterSubnet: '10.42.0.0/16', serviceSubnet: '10.43.0.0/16' });
    expect(run.resources.find((r) => r.type === CLUSTER)!.inputs).toMatchObject({ clusterSubnet: '10.42.0.0/16', serviceSubnet: '10.43.0.0/16' });
  });
});
