/**
 * Where a tenant's pods run: GPUs in its resources, the node pool it names, and what a wake costs
 * when that pool can be empty. The GPU rule needs only the file; the pool rules need the stack's
 * node pools, which `pulumi up` and `synth --stack` pass (`ValidationOptions.nodePools`). Offline,
 * `unplacedChecks` says what could not be checked.
 */
import { DEFAULT_CLUSTER, DEFAULT_WAKE } from '../../core/wake-defaults';
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
  /** One node's CPU, memory and NVIDIA GPUs, when the size slug tells them. */
  readonly capacity?: { readonly cpuMillis?: bigint; readonly memoryBytes?: bigint; readonly gpus: number };
}

/**
 * NVIDIA GPUs of a DigitalOcean GPU Droplet size slug (`gpu-h100x1-80gb` → 1, `gpu-h100x8-640gb`
 * → 8); 0 for CPU sizes and AMD (`gpu-mi300x…`, which advertise amd.com/gpu). Pure.
 */
export function dropletGpus(size: string): number {
  const m = /^gpu-([a-z0-9]+?)x(\d+)-/.exec(size);
  return m && !m[1].startsWith('mi') ? Number(m[2]) : 0;
}

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
 * Problems of a resolved tenant's placement against the stack's node pools: the pool exists,
 * one of its nodes holds the tenant's requests, and a tenant that sleeps on a pool that can be
 * empty has a cold-start budget that covers a node boot. `unchecked` lists what the pool's size
 * slug did not tell. Pure.
 */
export function placementProblems(spec: TenantSpec, pools: readonly NodePoolFacts[]): { problems: Problem[]; unchecked: string[] } {
  const problems: Problem[] = [];
  const unchecked: string[] = [];
  const add = (field: string, value: unknown, message: string, allowed: string, fix: string) => problems.push({ tenant: spec.name, field, value, message, allowed, fix });
  const gpus = tenantGpus(spec);
  const name = spec.nodePool;
  if (name === undefined) {
    if (gpus > 0) add('nodePool', undefined, `the tenant asks for ${gpus} GPU${gpus === 1 ? '' : 's'} but names no node pool, so its pods may wait on CPU-only nodes forever`, `a GPU pool of this stack: ${describePools(pools.filter((p) => (p.capacity?.gpus ?? 0) > 0)) || 'none is configured'}`, 'add a GPU pool to tenantscale:nodePools and set nodePool to its name');
    return { problems, unchecked };
  }
  const pool = pools.find((p) => p.name === name);
  if (!pool) {
    add('nodePool', name, `node pool "${name}" is not in this stack`, `one of the stack's pools: ${describePools(pools)}`, `add a pool named "${name}" to tenantscale:nodePools, or set nodePool to one of ${pools.map((p) => p.name).join(', ')}`);
    return { problems, unchecked };
  }
  const cap = pool.capacity;
  const where = `a node of pool "${pool.name}" (${pool.size})`;
  const { requests } = spec.resources;
  if (cap?.cpuMillis !== undefined && isCpuQuantity(requests.cpu) && cpuMillis(requests.cpu) > cap.cpuMillis) {
    add('resources.requests.cpu', requests.cpu, `the tenant's CPU request does not fit ${where}: ${formatCpu(cap.cpuMillis)} CPU per node`, `at most ${formatCpu(cap.cpuMillis)} (less after system reservations)`, 'lower the request, or place the tenant on a pool of larger Droplets');
  }
  if (cap?.memoryBytes !== undefined && isMemoryQuantity(requests.memory) && memoryBytes(requests.memory) > cap.memoryBytes) {
    add('resources.requests.memory', requests.memory, `the tenant's memory request does not fit ${where}: ${formatMemory(cap.memoryBytes)} per node`, `at most ${formatMemory(cap.memoryBytes)} (less after system reservations)`, 'lower the request, or place the tenant on a pool of larger Droplets (memory-optimized m-* sizes)');
  }
  if (cap === undefined || cap.cpuMillis === undefined || cap.memoryBytes === undefined) {
    unchecked.push(`CPU and memory of pool "${pool.name}" (${pool.size}: the size slug does not tell them)`);
  }
  if (gpus > (cap?.gpus ?? 0)) {
    add('resources.limits.gpu', gpus, `the tenant asks for ${gpus} GPU${gpus === 1 ? '' : 's'} per replica; ${where} has ${cap?.gpus ?? 0}`, `at most ${cap?.gpus ?? 0} on pool "${pool.name}"`, `place the tenant on a GPU pool (e.g. size gpu-h100x1-80gb) or lower resources.limits.gpu`);
  }
  if (pool.min === 0 && spec.scaling.min === 0) {
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

function describePools(pools: readonly NodePoolFacts[]): string {
  return pools.map((p) => `${p.name} (${p.size}, ${p.min}-${p.max} nodes${p.taints.length ? `, taints ${p.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(' ')}` : ''})`).join(', ');
}

/** What offline validation (no stack) could not check about a tenant's placement, or undefined. */
export function unplacedChecks(spec: Pick<TenantSpec, 'name' | 'nodePool' | 'resources'>): string | undefined {
  if (spec.nodePool === undefined && tenantGpus(spec) === 0) return undefined;
  return `tenant "${spec.name}"${spec.nodePool ? ` on node pool "${spec.nodePool}"` : ` (${tenantGpus(spec)} GPU)`}: without a stack, not checked that the pool exists, that one node fits the requests, that the cold-start budget covers a node boot when the pool can be empty, and no tolerations are written for the pool's taints (synth --stack <name> and pulumi up do all four)`;
}
