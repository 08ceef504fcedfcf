/**
 * Bounds of CPU and memory requests and limits: quantities no pod can use are refused. Below:
 * memory under what a container needs to start. Above: more than one node can hold. The upper
 * bound is the largest node pool of the stack when it is known (`pulumi up` passes it), and an
 * absolute bound offline (synth, plan, add-tenant); every message says which bound applied.
 */
import type { Problem } from '../problem';
import { cpuMillis, formatCpu, formatMemory, isCpuQuantity, isMemoryQuantity, memoryBytes } from '../quantity';

/**
 * Least memory a container can start with: 6 MiB, moby/moby daemon/daemon_unix.go `linuxMinMemory`
 * ("to account for overhead during startup"). containerd does not check, and a container under
 * it is OOM-killed while starting (runc: "container init was OOM-killed (memory limit too low?)").
 */
export const MIN_MEMORY_BYTES = 6n * 1024n * 1024n;

/** The most one pod may request or be limited to, and where that bound comes from. */
export interface PodBound {
  readonly cpuMillis: bigint;
  readonly memoryBytes: bigint;
  /** E.g. `node pool "default" (s-2vcpu-4gb)`, quoted in messages. */
  readonly source: string;
}

/** Offline bound: 256 cores and 4 TiB, more than any single node tenantscale provisions. */
export const OFFLINE_POD_BOUND: PodBound = {
  cpuMillis: 256_000n,
  memoryBytes: 4n * 1024n ** 4n,
  source: 'the offline bound (no stack known: at most 256 cores and 4Ti, more than any one node)',
};

/** The largest pool's size as a bound (by memory, then CPU), or the offline bound when no size is known. Pure. */
export function largestPoolBound(pools: readonly { name: string; size: string; capacity?: { cpuMillis: bigint; memoryBytes: bigint } }[]): PodBound {
  let best: PodBound | undefined;
  for (const p of pools) {
    if (!p.capacity) continue;
    if (!best || p.capacity.memoryBytes > best.memoryBytes || (p.capacity.memoryBytes === best.memoryBytes && p.capacity.cpuMillis > best.cpuMillis)) {
      best = {
        cpuMillis: p.capacity.cpuMillis,
        memoryBytes: p.capacity.memoryBytes,
        source: `the largest node pool "${p.name}" (${p.size}: ${formatCpu(p.capacity.cpuMillis)} CPU, ${formatMemory(p.capacity.memoryBytes)}; allocatable is lower after system reservations)`,
      };
    }
  }
  return best ?? OFFLINE_POD_BOUND;
}

/**
 * Problems of one quantity field (`resources.requests.memory`, …) against the bounds. Quantities
 * that do not parse are the schema's to report. Pure.
 */
export function quantityBoundProblems(tenant: string, field: string, resource: 'cpu' | 'memory', value: string, bound: PodBound = OFFLINE_POD_BOUND): Problem[] {
  if (resource === 'memory') {
    if (!isMemoryQuantity(value)) return [];
    const bytes = memoryBytes(value);
    if (bytes > 0n && bytes < MIN_MEMORY_BYTES) {
      return [
        {
          tenant,
          field,
          value,
          message: `${value} is ${bytes} bytes (a number without a unit counts bytes); no container starts with less than 6Mi`,
          allowed: `from 6Mi up to ${formatMemory(bound.memoryBytes)} (${bound.source})`,
          fix: `add the unit: e.g. "${/^\d+$/.test(value) ? `${value}Mi` : '128Mi'}"`,
        },
      ];
    }
    if (bytes > bound.memoryBytes) {
      return [{ tenant, field, value, message: `${value} is more memory than one node holds, so no pod with it can be scheduled`, allowed: `at most ${formatMemory(bound.memoryBytes)}: ${bound.source}`, fix: 'lower it to what one replica uses, e.g. "512Mi", and scale out with replicas' }];
    }
    return [];
  }
  if (!isCpuQuantity(value)) return [];
  const millis = cpuMillis(value);
  if (millis > bound.cpuMillis) {
    return [{ tenant, field, value, message: `${value} is more CPU than one node holds, so no pod with it can be scheduled`, allowed: `at most ${formatCpu(bound.cpuMillis)}: ${bound.source}`, fix: 'lower it to what one replica uses, e.g. "500m", and scale out with replicas' }];
  }
  return [];
}
