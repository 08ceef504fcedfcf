/**
 * Where a tenant's pods run: GPUs in its resources, the node pool it names, and what a wake costs
 * when that pool can be empty. The GPU rule needs only the file; the pool rules need the stack's
 * node pools, which `pulumi up` and `synth --stack` pass (`ValidationOptions.nodePools`). Offline,
 * `unplacedChecks` says what could not be checked.
 */
import { DEFAULT_CLUSTER, DEFAULT_WAKE } from '../../core/wake-defaults';
import { tenantKind } from '../kind-rules';
import { JOB_KINDS } from '../kinds';
import type { Problem } from '../problem';
import { cpuMillis, formatCpu, formatMemory, isCpuQuantity, isMemoryQuantity, memoryBytes } from '../quantity';
import type { TenantSpec } from '../schema';

/** NVIDIA's extended resource name (device plugin), as pods request it. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** Node label DOKS puts on every node with its pool's name (core/digitalocean.ts). */
export { DOKS_POOL_LABEL } from '../../core/digitalocean';

/** A node pool of the stack, as validation sees it. */
export interface NodePoolFacts {
  readonly name: string;
  /** Droplet size slug, e.g. `m-2vcpu-16gb`. */
  readonly size: string;
  /** Fewest nodes the autoscaler keeps (0: the pool can be empty). */
  readonly min: number;
  readonly max: number;
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
  /**
   * What pods can request of one node (core/node-sizes.ts nodeFit): CPU, memory and NVIDIA
   * GPUs, and whether CPU and memory are DOKS allocatable figures or only the raw Droplet size.
   */
  readonly capacity?: { readonly cpuMillis?: bigint; readonly memoryBytes?: bigint; readonly gpus: number; readonly basis?: 'allocatable' | 'raw' };
}

export { dropletGpus } from '../../core/node-sizes';

/**
 * Seconds from the first request to a ready pod when the tenant's pool has no node: the cluster
 * autoscaler's scan, a new Droplet booting and joining, the image pull and the container start.
 * DigitalOcean publishes no node provisioning time; the figures are the simulator's
 * (core/wake-defaults.ts DEFAULT_WAKE, DEFAULT_CLUSTER: the lessons' ~30 s node, commonly 45-90 s
 * for Droplet boot plus kubelet registration; kubernetes/autoscaler FAQ --scan-interval 10s).
 */
export function emptyPoolWake(): { seconds: number; parts: string } {
  const pull = DEFAULT_WAKE.defaultImageSizeMB / DEFAULT_WAKE.imagePullMBps;
  const parts: [string, number][] = [
    ['autoscaler scan', DEFAULT_CLUSTER.scanIntervalSeconds],
    ['node provisioning and join', DEFAULT_WAKE.nodeProvisioningSeconds],
    [`image pull (${DEFAULT_WAKE.defaultImageSizeMB} MB at ${DEFAULT_WAKE.imagePullMBps} MB/s)`, pull],
    ['container start', DEFAULT_WAKE.containerStartSeconds],
    ['KEDA activation', DEFAULT_WAKE.kedaActivationSeconds],
  ];
  const seconds = Math.ceil(parts.reduce((sum, [, s]) => sum + s, 0));
  return { seconds, parts: parts.map(([what, s]) => `${what} ${s} s`).join(' + ') };
}

/**
 * GPUs in resources: `nvidia.com/gpu` is an extended resource, so the API server wants a limit
 * and a request equal to it ("Limit must be set for non overcommitable resources", "must be equal
 * to nvidia.com/gpu limit of N": kubernetes/kubernetes pkg/apis/core/validation/validation.go
 * validateResourceRequirements). A limit alone is copied to the request. Pure.
 */
export function gpuProblems(spec: Pick<TenantSpec, 'name' | 'resources'>): Problem[] {
  const request = spec.resources.requests.gpu;
  const limit = spec.resources.limits.gpu;
  // A request of 0 without a limit asks for no GPU; beside a limit it is a request that differs.
  if (request === undefined || request === limit || (request === 0 && !limit)) return [];
  const base = { tenant: spec.name, field: 'resources.requests.gpu', value: request };
  return limit === undefined
    ? [{ ...base, message: `a GPU request without a limit: the API server refuses the pod ("Limit must be set for non overcommitable resources"; ${GPU_RESOURCE} is never overcommitted)`, allowed: 'resources.limits.gpu set, and equal to the request', fix: `set resources.limits.gpu: ${request}` }]
    : [{ ...base, message: `the GPU request differs from the limit (${limit}): the API server refuses the pod ("must be equal to ${GPU_RESOURCE} limit of ${limit}")`, allowed: `resources.requests.gpu equal to resources.limits.gpu (${limit}), or unset`, fix: `set resources.requests.gpu: ${limit}, or remove it (the limit is copied)` }];
}

/** GPUs one replica takes: the limit (the request equals it or is copied from it). */
export function tenantGpus(spec: Pick<TenantSpec, 'resources'>): number {
  return spec.resources.limits.gpu ?? spec.resources.requests.gpu ?? 0;
}

/**
 * How the tenant's Deployment replaces pods on a rollout. Stateful tenants are replaced with
 * Recreate (a ReadWriteOnce volume attaches to one node). GPU tenants roll with maxSurge 0 and
 * maxUnavailable 1: a surge pod would need a GPU the pool may not have (on a pool of one 1-GPU
 * node it stays Pending and the rollout sticks until progressDeadlineSeconds), so the old pod is
 * stopped first and a single-replica GPU tenant is briefly unavailable during a rollout. Others
 * keep the Kubernetes default RollingUpdate 25 % / 25 %. Pure.
 */
export function tenantRollout(spec: Pick<TenantSpec, 'kind' | 'stateful' | 'resources'>): { type: 'Recreate' } | { type: 'RollingUpdate'; rollingUpdate: { maxSurge: string | number; maxUnavailable: string | number } } {
  if (tenantKind(spec) === 'stateful') return { type: 'Recreate' };
  if (tenantGpus(spec) > 0) return { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
  return { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
}

/**
 * Pods a rollout adds above `replicas`: a percentage maxSurge rounds up (kubernetes/kubernetes@v1.28.15
 * pkg/controller/deployment/util/deployment_util.go ResolveFenceposts: `intstrutil.GetScaledValueFromIntOrPercent(maxSurge, desired, true)`),
 * so 25 % of 3 is 1; none under Recreate or maxSurge 0, nor for job kinds. Pure.
 */
export function rolloutSurgePods(spec: Pick<TenantSpec, 'kind' | 'stateful' | 'resources'>, replicas: number): number {
  // Job kinds have no Deployment to roll: each run is a new Job (constructs/tenant-job.ts).
  if (JOB_KINDS.includes(tenantKind(spec))) return 0;
  const rollout = tenantRollout(spec);
  if (rollout.type === 'Recreate') return 0;
  const surge = rollout.rollingUpdate.maxSurge;
  return typeof surge === 'number' ? surge : Math.ceil((replicas * parseInt(surge, 10)) / 100);
}

/** Pools a pod without tolerations can run on: no NoSchedule or NoExecute taint. */
function untainted(pool: NodePoolFacts): boolean {
  return !pool.taints.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
}

/** How many of the tenant's pods one node holds by its requests and GPUs, or undefined when the size does not tell. Pure. */
export function podsPerNode(spec: Pick<TenantSpec, 'resources'>, cap: NodePoolFacts['capacity']): number | undefined {
  const { requests } = spec.resources;
  if (cap?.cpuMillis === undefined || cap.memoryBytes === undefined || !isCpuQuantity(requests.cpu) || !isMemoryQuantity(requests.memory)) return undefined;
  const cpu = cpuMillis(requests.cpu);
  const memory = memoryBytes(requests.memory);
  if (cpu === 0n || memory === 0n) return undefined;
  const gpus = tenantGpus(spec);
  const counts = [cap.cpuMillis / cpu, cap.memoryBytes / memory].map(Number);
  if (gpus > 0) counts.push(Math.floor(cap.gpus / gpus));
  return Math.min(...counts);
}

/** "6Gi allocatable" or "8Gi (raw Droplet size; allocatable is lower)". */
function perNode(amount: string, cap: NonNullable<NodePoolFacts['capacity']>): string {
  return cap.basis === 'allocatable' ? `${amount} allocatable per node` : `${amount} per node`;
}

/**
 * Problems of a resolved tenant's placement against the stack's node pools: the pool exists (the
 * one `nodePool` names; else the pools without a NoSchedule/NoExecute taint), one of its nodes
 * holds the tenant's requests and GPUs (allocatable where core/node-sizes.ts knows the size),
 * the pool at max nodes holds scaling.max replicas plus the rollout surge (`rolloutSurgePods`),
 * and a tenant that sleeps on a pool that can be empty has a cold-start budget that covers a node
 * boot. `unchecked` lists what the pool's size slug did not tell. Pure.
 */
export function placementProblems(spec: TenantSpec, pools: readonly NodePoolFacts[]): { problems: Problem[]; unchecked: string[] } {
  const problems: Problem[] = [];
  const unchecked: string[] = [];
  const add = (field: string, value: unknown, message: string, allowed: string, fix: string) => problems.push({ tenant: spec.name, field, value, message, allowed, fix });
  const gpus = tenantGpus(spec);
  const name = spec.nodePool;
  if (name === undefined && gpus > 0) {
    add('nodePool', undefined, `the tenant asks for ${gpus} GPU${gpus === 1 ? '' : 's'} but names no node pool, so its pods may wait on CPU-only nodes forever`, `a GPU pool of this stack: ${describePools(pools.filter((p) => (p.capacity?.gpus ?? 0) > 0)) || 'none is configured'}`, 'add a GPU pool to tenantscale:nodePools and set nodePool to its name');
    return { problems, unchecked };
  }
  const pool = name === undefined ? undefined : pools.find((p) => p.name === name);
  if (name !== undefined && !pool) {
    add('nodePool', name, `node pool "${name}" is not in this stack`, `one of the stack's pools: ${describePools(pools)}`, `add a pool named "${name}" to tenantscale:nodePools, or set nodePool to one of ${pools.map((p) => p.name).join(', ')}`);
    return { problems, unchecked };
  }
  // Where the pods may run: the named pool, else every untainted pool (tenantscale writes tolerations only for placed tenants).
  const candidates = pool ? [pool] : pools.filter(untainted);
  if (candidates.length === 0) return { problems, unchecked };
  const where = pool ? `a node of pool "${pool.name}" (${pool.size})` : `a node of any untainted pool (${candidates.map((p) => `${p.name}: ${p.size}`).join(', ')})`;
  const fix = pool ? 'place the tenant on a pool of larger Droplets' : 'place the tenant on a larger pool with nodePool, or add a larger untainted pool';
  // The largest node of the candidates, per resource (a request fits if some candidate holds it).
  const known = candidates.filter((p) => p.capacity?.cpuMillis !== undefined && p.capacity.memoryBytes !== undefined);
  for (const p of candidates) if (!known.includes(p)) unchecked.push(`CPU and memory of pool "${p.name}" (${p.size}: the size slug does not tell them)`);
  const { requests } = spec.resources;
  const fitsCpu = (p: NodePoolFacts) => !isCpuQuantity(requests.cpu) || cpuMillis(requests.cpu) <= p.capacity!.cpuMillis!;
  const fitsMemory = (p: NodePoolFacts) => !isMemoryQuantity(requests.memory) || memoryBytes(requests.memory) <= p.capacity!.memoryBytes!;
  if (known.length === candidates.length) {
    const best = (by: (p: NodePoolFacts) => bigint) => known.reduce((a, b) => (by(b) > by(a) ? b : a));
    if (!known.some(fitsCpu)) {
      const cap = best((p) => p.capacity!.cpuMillis!).capacity!;
      add('resources.requests.cpu', requests.cpu, `the tenant's CPU request does not fit ${where}: ${perNode(`${formatCpu(cap.cpuMillis!)} CPU`, cap)}`, `at most ${formatCpu(cap.cpuMillis!)}${cap.basis === 'allocatable' ? ' (DOKS allocatable, before DaemonSets)' : ' (less after system reservations)'}`, `lower the request, or ${fix}`);
    }
    if (!known.some(fitsMemory)) {
      const cap = best((p) => p.capacity!.memoryBytes!).capacity!;
      add('resources.requests.memory', requests.memory, `the tenant's memory request does not fit ${where}: ${perNode(formatMemory(cap.memoryBytes!), cap)}`, `at most ${formatMemory(cap.memoryBytes!)}${cap.basis === 'allocatable' ? ' (DOKS allocatable, before DaemonSets)' : ' (less after system reservations)'}`, `lower the request, or ${fix} (memory-optimized m-* sizes)`);
    }
  }
  if (pool && gpus > (pool.capacity?.gpus ?? 0)) {
    add('resources.limits.gpu', gpus, `the tenant asks for ${gpus} GPU${gpus === 1 ? '' : 's'} per replica; ${where} has ${pool.capacity?.gpus ?? 0}`, `at most ${pool.capacity?.gpus ?? 0} on pool "${pool.name}"`, `place the tenant on a GPU pool (e.g. size gpu-h100x1-80gb) or lower resources.limits.gpu`);
  }
  if (problems.length === 0) problems.push(...peakProblems(spec, candidates, pool === undefined));
  if (pool && pool.min === 0 && spec.scaling.min === 0) {
    const wake = emptyPoolWake();
    if (spec.coldStartBudget < wake.seconds) {
      add(
        'coldStartBudget',
        spec.coldStartBudget,
        `pool "${pool.name}" may be at 0 nodes when the tenant sleeps, so its first request waits for a new node: ${wake.parts} ≈ ${wake.seconds} s (DigitalOcean publishes no node provisioning time: simulator figures, simulate/profile.ts), longer than the ${spec.coldStartBudget} s budget`,
        `coldStartBudget ≥ ${wake.seconds} on a pool that can be empty`,
        `set coldStartBudget: ${Math.max(wake.seconds, 90)} (a GPU node also installs its driver: measure), keep scaling.min: 1, or give pool "${pool.name}" min: 1`,
      );
    }
  }
  return { problems, unchecked };
}

/**
 * scaling.max replicas plus the rollout surge against the candidate pools at max nodes, the
 * tenant alone (other tenants and platform pods only take more room: the policy pack's
 * capacity-fits rule adds them up). A GPU tenant is bounded by max nodes × ⌊node GPUs ÷ GPUs
 * per replica⌋. Undefined sizes: no verdict. Pure.
 */
function peakProblems(spec: TenantSpec, candidates: readonly NodePoolFacts[], shared: boolean): Problem[] {
  let room = 0;
  for (const p of candidates) {
    const per = podsPerNode(spec, p.capacity);
    if (per === undefined) return [];
    room += per * p.max;
  }
  const max = spec.scaling.max;
  const surge = rolloutSurgePods(spec, max);
  if (max + surge <= room) return [];
  const gpus = tenantGpus(spec);
  const pools = candidates.map((p) => `"${p.name}" (${p.size}, max ${p.max} node${p.max === 1 ? '' : 's'}, ${podsPerNode(spec, p.capacity)} of its pods per node)`).join(', ');
  const surgeText = surge > 0 ? ` plus ${surge} rollout surge pod${surge === 1 ? '' : 's'} (maxSurge 25 %, rounded up)` : gpus > 0 ? ' (GPU tenants roll with maxSurge 0: no surge pod)' : '';
  let allowed = max - 1;
  while (allowed > 0 && allowed + rolloutSurgePods(spec, allowed) > room) allowed--;
  return [
    {
      tenant: spec.name,
      field: 'scaling.max',
      value: max,
      message: `${max} replica${max === 1 ? '' : 's'}${surgeText} need ${max + surge} pods, but ${shared ? `the untainted pool${candidates.length === 1 ? '' : 's'}` : 'pool'} ${pools} hold${candidates.length === 1 ? 's' : ''} at most ${room} at max nodes${gpus > 0 ? ` (${gpus} GPU${gpus === 1 ? '' : 's'} per replica)` : ''}; the rest would stay Pending${surge > 0 ? ' and a rollout at the peak would stick until its progress deadline' : ''}`,
      allowed: allowed >= 1 ? `scaling.max ≤ ${allowed}` : 'no scaling.max: the pools cannot hold one replica and its surge',
      fix: `${allowed >= 1 ? `lower scaling.max to ${allowed}, or raise` : 'raise'} the max nodes of ${shared ? 'an untainted pool' : `pool "${candidates[0].name}"`} in tenantscale:nodePools${allowed >= 1 ? '' : ', or lower the requests'}`,
    },
  ];
}

function describePools(pools: readonly NodePoolFacts[]): string {
  return pools.map((p) => `${p.name} (${p.size}, ${p.min}-${p.max} nodes${p.taints.length ? `, taints ${p.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(' ')}` : ''})`).join(', ');
}

/** What offline validation (no stack) could not check about a tenant's placement, or undefined. */
export function unplacedChecks(spec: Pick<TenantSpec, 'name' | 'nodePool' | 'resources'>): string | undefined {
  if (spec.nodePool === undefined && tenantGpus(spec) === 0) return undefined;
  return `tenant "${spec.name}"${spec.nodePool ? ` on node pool "${spec.nodePool}"` : ` (${tenantGpus(spec)} GPU)`}: without a stack, not checked that the pool exists, that one node's allocatable fits the requests, that the pool at max nodes holds scaling.max plus the rollout surge, that the cold-start budget covers a node boot when the pool can be empty, and no tolerations are written for the pool's taints (synth --stack <name> and pulumi up do all five)`;
}
