import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../../tenants/quantity';
import { containersOf, indexObjects, namespaceOf, objectKey, SCALABLE_KINDS, scalersOf, specOf } from '../model';
import { dropletCapacity, DOKS_POOL_LABEL, kubeObjectsOf, NodePool, nodePoolsOf } from '../resources';
import type { KubeObject, RegisteredResource, ResourceRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'capacity-fits',
  level: 'advisory',
  description:
    "If the workloads at their max replicas request more CPU or memory than the node pools they can run on hold at maxNodes, the peak leaves pods Pending: the cluster autoscaler has nothing left to add, and the interceptor's held requests time out.",
  pitfall: 'A Day in the Life ("Pod is Pending (only 1 node, no capacity) → Cluster Autoscaler provisions a new node"); Level 4 "Eventually a pod can\'t schedule because every node is full"',
};

/** CPU and memory a pod of this workload requests (millicores, bytes), or undefined if a quantity is unreadable. */
function podRequests(o: KubeObject): { cpu: bigint; memory: bigint } | undefined {
  let cpu = 0n;
  let memory = 0n;
  try {
    for (const c of containersOf(o)) {
      const r = c.resources?.requests ?? {};
      if (r.cpu !== undefined) cpu += cpuMillis(String(r.cpu));
      if (r.memory !== undefined) memory += memoryBytes(String(r.memory));
    }
  } catch {
    return undefined;
  }
  return { cpu, memory };
}

/** Where a workload's pods may run: the pool its nodeSelector names, or the untainted pools. */
function placementOf(o: KubeObject): string | undefined {
  const selector = (specOf(o).template?.spec?.nodeSelector ?? {}) as Record<string, unknown>;
  const pool = selector[DOKS_POOL_LABEL];
  return typeof pool === 'string' ? pool : undefined;
}

/** Pods without a toleration cannot run on a pool with a NoSchedule or NoExecute taint. */
function repels(pool: NodePool): boolean {
  return pool.taintEffects.some((e) => e === 'NoSchedule' || e === 'NoExecute');
}

/** Raw CPU and memory of pools at maxNodes (or their fixed count); undefined when a size or count is unknown. */
function capacityOf(pools: readonly NodePool[]): { cpu: bigint; memory: bigint } | undefined {
  let cpu = 0n;
  let memory = 0n;
  for (const pool of pools) {
    const size = pool.size ? dropletCapacity(pool.size) : undefined;
    const nodes = pool.autoScale ? pool.maxNodes : pool.nodeCount ?? pool.maxNodes;
    // An unknown size or node count makes the capacity unknown: no verdict rather than a wrong one.
    if (!size || nodes === undefined) return undefined;
    cpu += size.cpuMillis * BigInt(nodes);
    memory += size.memoryBytes * BigInt(nodes);
  }
  return { cpu, memory };
}

/** Peak requests of a group of workloads. */
interface Demand {
  cpu: bigint;
  memory: bigint;
  workloads: number;
}

/**
 * Rule 20 (Pulumi, advisory): at max replicas, the workloads fit the pools they can run on. A
 * workload placed on a pool (nodeSelector `doks.digitalocean.com/node-pool`, tenants' `nodePool`)
 * counts against that pool alone; every other workload against the pools without a NoSchedule or
 * NoExecute taint (tenantscale writes tolerations only for placed tenants).
 */
export function capacityFits(resources: readonly RegisteredResource[]): Violation[] {
  const pools = nodePoolsOf(resources);
  if (pools.length === 0) return [];
  const objects = kubeObjectsOf(resources).map((k) => k.object);
  const index = indexObjects(objects);
  const maxReplicas = new Map<string, number>();
  for (const s of scalersOf(objects)) {
    if (!s.target) continue;
    const key = objectKey(s.target.kind, s.namespace, s.target.name);
    maxReplicas.set(key, Math.max(maxReplicas.get(key) ?? 0, s.max));
  }
  // '' is the shared bucket (untainted pools); any other key is a pool name.
  const demand = new Map<string, Demand>();
  for (const o of index.values()) {
    if (!SCALABLE_KINDS.has(o.kind)) continue;
    const requests = podRequests(o);
    if (!requests) continue;
    const replicas = maxReplicas.get(objectKey(o.kind, namespaceOf(o), o.metadata.name)) ?? (typeof specOf(o).replicas === 'number' ? specOf(o).replicas : 1);
    const bucket = placementOf(o) ?? '';
    const d = demand.get(bucket) ?? { cpu: 0n, memory: 0n, workloads: 0 };
    d.cpu += requests.cpu * BigInt(replicas);
    d.memory += requests.memory * BigInt(replicas);
    d.workloads++;
    demand.set(bucket, d);
  }
  const violations: Violation[] = [];
  for (const [bucket, d] of [...demand].sort(([a], [b]) => a.localeCompare(b))) {
    const candidates = bucket === '' ? pools.filter((p) => !repels(p)) : pools.filter((p) => p.name === bucket);
    // A pool the stack does not have: pulumi up refuses the tenant (tenants/rules/placement.ts).
    if (bucket !== '' && candidates.length === 0) continue;
    const cap = capacityOf(candidates);
    if (!cap) continue;
    const over: string[] = [];
    if (d.cpu > cap.cpu) over.push(`CPU ${formatCpu(d.cpu)} > ${formatCpu(cap.cpu)}`);
    if (d.memory > cap.memory) over.push(`memory ${formatMemory(d.memory)} > ${formatMemory(cap.memory)}`);
    if (over.length === 0) continue;
    const at = candidates[0] ?? pools[0];
    const what = `${d.workloads} workload${d.workloads === 1 ? '' : 's'}`;
    const where =
      bucket === ''
        ? `${candidates.length} node pool${candidates.length === 1 ? '' : 's'}${candidates.length < pools.length ? ' without a NoSchedule/NoExecute taint' : ''}`
        : `node pool ${bucket}, where ${d.workloads === 1 ? 'it is' : 'they are'} placed (nodeSelector ${DOKS_POOL_LABEL})`;
    violations.push({
      rule: INFO.name,
      level: INFO.level,
      namespace: '',
      kind: at.resource.type,
      name: at.resource.name,
      message: `${what} at max replicas request ${over.join(', ')} of ${where} at maxNodes (raw node size, before system reservations): the peak leaves pods Pending`,
      fix: bucket === '' ? 'raise maxNodes or the node size of an untainted pool, or lower max replicas or requests' : `raise maxNodes or the node size of pool ${bucket}, or lower max replicas or requests of the tenants placed on it`,
    });
  }
  return violations;
}

export const capacityFitsRule: ResourceRule = { ...INFO, check: capacityFits };
