/**
 * Scratch space: sized emptyDir mounts beside /tmp, for every kind (a model server caching weights
 * under /data, a report writing a large intermediate file). The root filesystem stays read-only;
 * scratch is emptied when the pod goes.
 *
 * How the kubelet counts it, which is what the quota and the limits here follow:
 * - disk-backed (`medium: disk`, emptyDir without a medium) lives on the node's filesystem and is
 *   local ephemeral storage: the kubelet evicts a pod whose emptyDir exceeds its sizeLimit, or whose
 *   emptyDirs plus container logs and writable layers exceed the sum of its containers'
 *   `limits.ephemeral-storage` (kubernetes/kubernetes pkg/kubelet/eviction/helpers.go
 *   podLocalEphemeralStorageUsage, eviction_manager.go emptyDirLimitEviction / podEphemeralStorageLimitEviction).
 *   So the app container requests and limits exactly /tmp + its disk scratch + the kubelet's log
 *   allowance, and the ResourceQuota counts `requests.ephemeral-storage` / `limits.ephemeral-storage`.
 * - memory-backed (`medium: memory`) is a tmpfs: its pages are charged to the pod's memory cgroup,
 *   so they count against the container's memory limit (an app that fills it is OOM-killed, not
 *   evicted), and the kubelet sizes the tmpfs at the smaller of sizeLimit and the pod's memory limit
 *   (kubernetes/kubernetes pkg/volume/emptydir/empty_dir.go calculateEmptyDirMemorySize, feature
 *   SizeMemoryBackedVolumes, on by default since 1.22). It is not ephemeral-storage and is refused
 *   unless it fits under resources.limits.memory with room left for the app.
 */
import type { Problem } from '../problem';
import { formatMemory, isMemoryQuantity, memoryBytes } from '../quantity';
import type { TenantSpec } from '../schema';
import { mountPathProblem, pathsOverlap, TMP_VOLUME } from './volumes';

/** Smallest and largest scratch mount: 1 MiB to 1 TiB (a bound on input, well above a Droplet's disk). */
export const SCRATCH_SIZE_BOUNDS = { minBytes: 1024n ** 2n, maxBytes: 1024n ** 4n } as const;

/**
 * Container log bytes the kubelet keeps per container before rotating them away: containerLogMaxSize
 * 10Mi × containerLogMaxFiles 5 (kubelet defaults, kubernetes/kubernetes
 * pkg/kubelet/apis/config/v1beta1/defaults.go). Logs count as the pod's ephemeral storage.
 */
export const CONTAINER_LOG_BYTES = 50n * 1024n ** 2n;

type Scratch = NonNullable<TenantSpec['scratch']>[number];

/** The tenant's disk-backed scratch mounts. */
function diskScratch(spec: Pick<TenantSpec, 'scratch'>): Scratch[] {
  return (spec.scratch ?? []).filter((s) => (s.medium ?? 'disk') === 'disk');
}

/**
 * Ephemeral storage one pod of the tenant requests (= limits), or undefined for a tenant without disk
 * scratch (its pod template and quota stay as they were: no rollout for tenants that do not use it).
 * /tmp's sizeLimit + every disk scratch size + the kubelet's log allowance. Pure.
 */
export function podEphemeralStorageBytes(spec: Pick<TenantSpec, 'scratch'>): bigint | undefined {
  const disk = diskScratch(spec);
  if (disk.length === 0) return undefined;
  return memoryBytes(TMP_VOLUME.sizeLimit) + CONTAINER_LOG_BYTES + disk.reduce((sum, s) => sum + memoryBytes(s.size), 0n);
}

/** Ephemeral storage of a container that states none (the LimitRange default): /tmp + logs. */
export function defaultEphemeralStorageBytes(): bigint {
  return memoryBytes(TMP_VOLUME.sizeLimit) + CONTAINER_LOG_BYTES;
}

/** Bytes of memory-backed scratch (charged to the container's memory limit). Pure. */
export function memoryScratchBytes(spec: Pick<TenantSpec, 'scratch'>): bigint {
  return (spec.scratch ?? []).filter((s) => s.medium === 'memory' && isMemoryQuantity(s.size)).reduce((sum, s) => sum + memoryBytes(s.size), 0n);
}

/** Problems of a resolved tenant's scratch mounts. Pure. */
export function scratchProblems(spec: TenantSpec): Problem[] {
  const scratch = spec.scratch ?? [];
  if (scratch.length === 0) return [];
  const out: Problem[] = [];
  const add = (field: string, value: unknown, message: string, allowed: string, fix: string) => out.push({ tenant: spec.name, field, value, message, allowed, fix });
  const volumes = spec.volumes ?? [];
  const names = new Set<string>();
  scratch.forEach((s, i) => {
    if (s.name === TMP_VOLUME.name) add(`scratch[${i}].name`, s.name, 'the pod already has a volume named "tmp" (the /tmp emptyDir)', 'a DNS label other than "tmp"', 'rename it, e.g. "cache"');
    else if (names.has(s.name)) add(`scratch[${i}].name`, s.name, 'two scratch mounts have the same name', 'each scratch name once', 'rename one of them');
    else if (volumes.some((v) => v.name === s.name)) add(`scratch[${i}].name`, s.name, `volume ${s.name} already has this name: the pod's volumes share one list`, 'a name no volume of the tenant uses', `rename it, e.g. "${s.name}-scratch"`);
    names.add(s.name);
    if (isMemoryQuantity(s.size)) {
      const bytes = memoryBytes(s.size);
      if (bytes < SCRATCH_SIZE_BOUNDS.minBytes || bytes > SCRATCH_SIZE_BOUNDS.maxBytes) {
        add(`scratch[${i}].size`, s.size, `${s.size} is ${bytes < SCRATCH_SIZE_BOUNDS.minBytes ? 'below' : 'above'} the scratch bounds`, `from ${formatMemory(SCRATCH_SIZE_BOUNDS.minBytes)} to ${formatMemory(SCRATCH_SIZE_BOUNDS.maxBytes)}`, bytes < SCRATCH_SIZE_BOUNDS.minBytes ? 'write e.g. size: 256Mi (a number without a unit counts bytes)' : 'keep large data in a volume or object storage');
      }
    }
    const path = mountPathProblem(s.mountPath, 'scratch mount');
    if (path) add(`scratch[${i}].mountPath`, s.mountPath, path.message, path.allowed, path.fix);
    const others = [...volumes.map((v, j) => ({ field: `volumes[${j}]`, path: v.mountPath })), ...scratch.slice(0, i).map((e, j) => ({ field: `scratch[${j}]`, path: e.mountPath }))];
    const hit = s.mountPath === '/' ? undefined : others.find((o) => o.path !== '/' && pathsOverlap(s.mountPath, o.path));
    if (hit) add(`scratch[${i}].mountPath`, s.mountPath, `it overlaps ${hit.field}.mountPath (${hit.path}): one mount would hide the other's files`, 'mount paths that do not contain one another', `mount it beside ${hit.path}, e.g. "${hit.path.replace(/\/+$/, '')}-${s.name}"`);
  });
  const inMemory = memoryScratchBytes(spec);
  const limit = spec.resources.limits.memory;
  if (inMemory > 0n && isMemoryQuantity(limit) && inMemory >= memoryBytes(limit)) {
    add(
      'scratch',
      formatMemory(inMemory),
      `memory-backed scratch (${formatMemory(inMemory)} in all) is a tmpfs whose pages count against the container's memory limit (${limit}): filled, it leaves the application no memory and the container is OOM-killed`,
      `memory-backed scratch smaller than resources.limits.memory (${limit}), with room for the application`,
      'use medium: disk for large scratch, or raise resources.limits.memory by the scratch size',
    );
  }
  return out;
}
