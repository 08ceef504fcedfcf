/**
 * What one DOKS node of a Droplet size holds: vCPUs, memory and NVIDIA GPUs, and what pods can
 * request of it (allocatable, after DOKS's kubelet and system reservations and the eviction
 * threshold). The lowest layer that needs these facts: tenant validation checks fit against them
 * (tenants/rules/placement.ts), the simulator prices them (simulate/prices.ts adds the prices),
 * the policy pack reads raw sizes (policies/resources.ts dropletCapacity).
 *
 * Sources and how sure they are (read 2026-12-08):
 * - CPU sizes: vCPUs and memory are in the slug. Allocatable memory: DOKS's "allocatable memory"
 *   table as the project recalled it in 2026-08 (2 GB → 1 GiB, 4 GB → 2.5 GiB, 8 GB → 6 GiB,
 *   16 GB → 13 GiB, 32 GB → 28 GiB); allocatable CPU: the vCPUs less 100m each. Neither figure
 *   was found in the stored DigitalOcean pages (docs.digitalocean.com/products/kubernetes/details/
 *   limits has no allocatable table): uncertain, check `kubectl describe node` (Allocatable) on a
 *   real cluster and override `prices.nodeSizes` in a simulate profile.
 * - GPU sizes: the GPU count and GPU memory are in the slug (`gpu-h100x1-80gb`: 1 × H100, 80 GB).
 *   vCPUs and host memory are DigitalOcean's GPU Droplet plans as recalled (RTX 4000 Ada 8 vCPU /
 *   32 GiB, RTX 6000 Ada and L40S 8 vCPU / 64 GiB, H100 20 vCPU / 240 GiB, H100x8 160 vCPU /
 *   1920 GiB): not verified. Allocatable on GPU nodes is not published either: estimated as the
 *   vCPUs less 100m each and 90 % of the memory (uncertain, same check).
 */

/** One node of a Droplet size. */
export interface NodeSizeFacts {
  readonly vcpu: number;
  /** The Droplet's memory in GiB. */
  readonly memoryGiB: number;
  /** NVIDIA GPUs (`nvidia.com/gpu`), 0 for CPU sizes. */
  readonly gpus: number;
  /** CPU pods can request, in millicores. */
  readonly allocatableCpuMilli: number;
  /** Memory pods can request, in GiB. */
  readonly allocatableMemoryGiB: number;
}

const gpuSize = (vcpu: number, memoryGiB: number, gpus: number): NodeSizeFacts => ({
  vcpu,
  memoryGiB,
  gpus,
  allocatableCpuMilli: vcpu * 1000 - vcpu * 100,
  allocatableMemoryGiB: Math.floor(memoryGiB * 0.9),
});

/** The Droplet sizes tenantscale knows allocatable figures for (see the file comment for sources). */
export const DOKS_NODE_SIZES: Readonly<Record<string, NodeSizeFacts>> = {
  's-1vcpu-2gb': { vcpu: 1, memoryGiB: 2, gpus: 0, allocatableMemoryGiB: 1, allocatableCpuMilli: 900 },
  's-2vcpu-2gb': { vcpu: 2, memoryGiB: 2, gpus: 0, allocatableMemoryGiB: 1, allocatableCpuMilli: 1900 },
  's-2vcpu-4gb': { vcpu: 2, memoryGiB: 4, gpus: 0, allocatableMemoryGiB: 2.5, allocatableCpuMilli: 1900 },
  's-4vcpu-8gb': { vcpu: 4, memoryGiB: 8, gpus: 0, allocatableMemoryGiB: 6, allocatableCpuMilli: 3900 },
  's-8vcpu-16gb': { vcpu: 8, memoryGiB: 16, gpus: 0, allocatableMemoryGiB: 13, allocatableCpuMilli: 7900 },
  's-8vcpu-32gb': { vcpu: 8, memoryGiB: 32, gpus: 0, allocatableMemoryGiB: 28, allocatableCpuMilli: 7900 },
  'gpu-4000adax1-20gb': gpuSize(8, 32, 1),
  'gpu-6000adax1-48gb': gpuSize(8, 64, 1),
  'gpu-l40sx1-48gb': gpuSize(8, 64, 1),
  'gpu-h100x1-80gb': gpuSize(20, 240, 1),
  'gpu-h100x8-640gb': gpuSize(160, 1920, 8),
};

const GiB = 1024n ** 3n;
const MiB = 1024n ** 2n;

/** vCPUs and memory (bytes) a Droplet size slug spells out (`s-2vcpu-4gb`, `c-4`), or undefined. Pure. */
export function slugCapacity(size: string): { cpuMillis: bigint; memoryBytes: bigint } | undefined {
  const m = /(\d+)vcpu-(\d+)(gb|mb)/.exec(size);
  if (m) return { cpuMillis: BigInt(m[1]) * 1000n, memoryBytes: BigInt(m[2]) * (m[3] === 'gb' ? GiB : MiB) };
  // CPU-optimized c-N: N vCPUs with 2 GB each.
  const c = /^c-(\d+)$/.exec(size);
  if (c) return { cpuMillis: BigInt(c[1]) * 1000n, memoryBytes: BigInt(c[1]) * 2n * GiB };
  return undefined;
}

/**
 * NVIDIA GPUs of a DigitalOcean GPU Droplet size slug (`gpu-h100x1-80gb` → 1, `gpu-h100x8-640gb`
 * → 8); 0 for CPU sizes and AMD (`gpu-mi300x…`, which advertise amd.com/gpu). Pure.
 */
export function dropletGpus(size: string): number {
  const m = /^gpu-([a-z0-9]+?)x(\d+)-/.exec(size);
  return m && !m[1].startsWith('mi') ? Number(m[2]) : 0;
}

/** What pods can request of one node of a size, and whether the figures are allocatable or the raw Droplet. */
export interface NodeFit {
  readonly cpuMillis?: bigint;
  readonly memoryBytes?: bigint;
  readonly gpus: number;
  /** `allocatable`: from DOKS_NODE_SIZES; `raw`: only the slug's vCPUs and memory were known (allocatable is lower). */
  readonly basis: 'allocatable' | 'raw';
}

/**
 * One node of a size as pods see it: the allocatable figures of `DOKS_NODE_SIZES`, else the
 * slug's raw vCPUs and memory (basis `raw`; CPU and memory stay undefined when the slug does not
 * tell them), with the slug's GPUs. Pure.
 */
export function nodeFit(size: string): NodeFit {
  const known = DOKS_NODE_SIZES[size];
  if (known) {
    return { cpuMillis: BigInt(known.allocatableCpuMilli), memoryBytes: BigInt(Math.round(known.allocatableMemoryGiB * 1024)) * MiB, gpus: known.gpus, basis: 'allocatable' };
  }
  const raw = slugCapacity(size);
  return { cpuMillis: raw?.cpuMillis, memoryBytes: raw?.memoryBytes, gpus: dropletGpus(size), basis: 'raw' };
}
