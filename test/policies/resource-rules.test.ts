/**
 * The Pulumi-only rules, over registered resources as CrossGuard sees them (test/fixtures/pulumi).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runResourceRules } from '../../policies/engine';
import { dropletCapacity, kubeObjectOf } from '../../policies/resources';
import { capacityFits } from '../../policies/rules/capacity-fits';
import { chartVersionsPinned } from '../../policies/rules/chart-versions-pinned';
import { scaleToZeroNeedsNodeAutoscaling } from '../../policies/rules/scale-to-zero-needs-node-autoscaling';
import type { RegisteredResource } from '../../policies/types';
import { FIXTURES } from './helpers';

const CLUSTER = 'digitalocean:index/kubernetesCluster:KubernetesCluster';
const POOL = 'digitalocean:index/kubernetesNodePool:KubernetesNodePool';
const RELEASE = 'kubernetes:helm.sh/v3:Release';

function resources(): RegisteredResource[] {
  return JSON.parse(readFileSync(join(FIXTURES, 'pulumi', 'resources.json'), 'utf8')) as RegisteredResource[];
}

function get(list: RegisteredResource[], type: string, name: string): RegisteredResource & { props: any } {
  const r = list.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no ${type} ${name}`);
  return r as RegisteredResource & { props: any };
}

/** The fixture with every node pool autoscaling 1–10 Droplets of 4 vCPU / 8 GB. */
function healthy(): RegisteredResource[] {
  const list = resources();
  get(list, CLUSTER, 'doks').props.nodePool = { name: 'default', size: 's-4vcpu-8gb', autoScale: true, minNodes: 1, maxNodes: 10 };
  Object.assign(get(list, POOL, 'agents').props, { size: 's-4vcpu-8gb', minNodes: 1, maxNodes: 10 });
  return list;
}

describe('chart-versions-pinned', () => {
  test('fires on a release without a version and on a version range', () => {
    expect(chartVersionsPinned(resources())).toEqual([
      expect.objectContaining({ rule: 'chart-versions-pinned', level: 'mandatory', namespace: '', kind: RELEASE, name: 'keda', message: 'chart keda has no version: the next run may install a different chart than the preview showed' }),
      expect.objectContaining({ kind: RELEASE, name: 'envoy-gateway', message: expect.stringMatching(/^chart oci:\/\/docker\.io\/envoyproxy\/gateway-helm has version "\^1\.9\.0", a range/) }),
    ]);
  });

  test('silent with exact versions (a v prefix included) and for local chart paths', () => {
    const list = resources();
    get(list, RELEASE, 'keda').props.version = '2.20.2';
    get(list, RELEASE, 'envoy-gateway').props.version = 'v1.9.0';
    list.push({ type: 'kubernetes:helm.sh/v4:Chart', name: 'local', props: { chart: './charts/tenant-extras' } });
    expect(chartVersionsPinned(list)).toEqual([]);
  });
});

describe('scale-to-zero-needs-node-autoscaling', () => {
  test('fires on a fixed default pool and on a pool whose min equals its max', () => {
    expect(scaleToZeroNeedsNodeAutoscaling(resources())).toEqual([
      expect.objectContaining({ rule: 'scale-to-zero-needs-node-autoscaling', level: 'mandatory', kind: CLUSTER, name: 'doks', message: expect.stringMatching(/^nodePool \(default\) does not autoscale, yet default\/HTTPScaledObject\/chatbot can scale to zero/) }),
      expect.objectContaining({ kind: POOL, name: 'agents', message: expect.stringMatching(/autoscales between minNodes 2 and maxNodes 2, so it can never shrink/) }),
    ]);
  });

  test('silent when every pool autoscales', () => {
    expect(scaleToZeroNeedsNodeAutoscaling(healthy())).toEqual([]);
  });

  test('silent when nothing can scale to zero, however the pools are set', () => {
    const list = resources();
    get(list, 'kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject', 'chatbot').props.spec.replicas.min = 1;
    expect(scaleToZeroNeedsNodeAutoscaling(list)).toEqual([]);
  });
});

describe('capacity-fits', () => {
  test('fires when 20 × (500m, 1Gi) exceeds 4 × s-2vcpu-4gb', () => {
    expect(capacityFits(resources())).toEqual([
      expect.objectContaining({ rule: 'capacity-fits', level: 'advisory', kind: CLUSTER, name: 'doks', message: expect.stringMatching(/^1 workload at max replicas request CPU 10 > 8, memory 20Gi > 16Gi of 2 node pools/) }),
    ]);
  });

  test('silent once the pools can grow to hold the peak', () => {
    expect(capacityFits(healthy())).toEqual([]);
  });

  /** healthy(), with the chatbot placed on pool agents (and its size, taint as given). */
  function placed(agents: Record<string, unknown>): RegisteredResource[] {
    const list = healthy();
    Object.assign(get(list, POOL, 'agents').props, agents);
    const deployment = list.find((r) => r.type === 'kubernetes:apps/v1:Deployment') as RegisteredResource & { props: any };
    deployment.props.spec.template.spec.nodeSelector = { 'doks.digitalocean.com/node-pool': 'agents' };
    return list;
  }

  test('fires when a workload placed on a pool outgrows that pool, though all pools together would hold it', () => {
    // 20 × (500m, 1Gi) on agents at 2 × s-2vcpu-4gb; the default pool alone (10 × 4 vCPU) would hold it.
    expect(capacityFits(placed({ size: 's-2vcpu-4gb', maxNodes: 2 }))).toEqual([
      expect.objectContaining({
        rule: 'capacity-fits',
        kind: POOL,
        name: 'agents',
        message: expect.stringMatching(/^1 workload at max replicas request CPU 10 > 4, memory 20Gi > 8Gi of node pool agents, where it is placed \(nodeSelector doks\.digitalocean\.com\/node-pool\)/),
        fix: expect.stringContaining('of pool agents'),
      }),
    ]);
  });

  test('silent when the placed workload fits its pool; a tainted pool holds no unplaced workload', () => {
    expect(capacityFits(placed({ size: 's-4vcpu-8gb', maxNodes: 10, taints: [{ key: 'workload', value: 'agents', effect: 'NoSchedule' }] }))).toEqual([]);
    // the same workload unplaced: only the untainted default pool counts (10 × 4 vCPU: it fits there too)
    const list = healthy();
    get(list, POOL, 'agents').props.taints = [{ key: 'workload', value: 'agents', effect: 'NoSchedule' }];
    get(list, CLUSTER, 'doks').props.nodePool.maxNodes = 2;
    expect(capacityFits(list)).toEqual([
      expect.objectContaining({ kind: CLUSTER, name: 'doks', message: expect.stringMatching(/of 1 node pool without a NoSchedule\/NoExecute taint at maxNodes/) }),
    ]);
  });

  test('no verdict for an unknown Droplet size', () => {
    const list = resources();
    get(list, POOL, 'agents').props.size = 'custom-size';
    expect(capacityFits(list)).toEqual([]);
  });
});

describe('registered resources', () => {
  test('Droplet slugs give vCPUs and memory', () => {
    expect(dropletCapacity('s-2vcpu-4gb')).toEqual({ cpuMillis: 2000n, memoryBytes: 4n * 1024n ** 3n });
    expect(dropletCapacity('s-1vcpu-512mb-10gb')).toEqual({ cpuMillis: 1000n, memoryBytes: 512n * 1024n ** 2n });
    expect(dropletCapacity('c-4')).toEqual({ cpuMillis: 4000n, memoryBytes: 8n * 1024n ** 3n });
    expect(dropletCapacity('gpu-h100x1-80gb')).toBeUndefined();
  });

  test('a Kubernetes resource becomes its object; type tokens fill a missing apiVersion, kind or name', () => {
    expect(kubeObjectOf({ type: 'kubernetes:core/v1:Namespace', name: 'tenants', props: {} })).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenants' } });
    expect(kubeObjectOf({ type: RELEASE, name: 'keda', props: { chart: 'keda' } })).toBeUndefined();
    expect(kubeObjectOf({ type: CLUSTER, name: 'doks', props: {} })).toBeUndefined();
  });

  test('runResourceRules runs the three Pulumi rules in a stable order', () => {
    expect(runResourceRules(resources()).map((v) => `${v.rule} ${v.name}`)).toEqual([
      'capacity-fits doks',
      'scale-to-zero-needs-node-autoscaling doks',
      'scale-to-zero-needs-node-autoscaling agents',
      'chart-versions-pinned envoy-gateway',
      'chart-versions-pinned keda',
    ]);
  });
});
