import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../../tenants/quantity';
import { containersOf, indexObjects, namespaceOf, objectKey, SCALABLE_KINDS, scalersOf, specOf } from '../model';
import { dropletCapacity, kubeObjectsOf, nodePoolsOf } from '../resources';
import type { KubeObject, RegisteredResource, ResourceRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'capacity-fits',
  level: 'advisory',
  description:
    "If every workload at its max replicas requests more CPU or memory than the node pools hold at maxNodes, the peak leaves pods Pending: the cluster autoscaler has nothing left to add, and the interceptor's held requests time out.",
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

/** Rule 20 (Pulumi, advisory): Σ max replicas × requests fits Σ maxNodes × node size. */
export function capacityFits(resources: readonly RegisteredResource[]): Violation[] {
  const pools = nodePoolsOf(resources);
  if (pools.length === 0) return [];
  let capCpu = 0n;
  let capMemory = 0n;
  for (const pool of pools) {
    const size = pool.size ? dropletCapacity(pool.size) : undefined;
    const nodes = pool.autoScale ? pool.maxNodes : pool.nodeCount ?? pool.maxNodes;
    // An unknown size or node count makes the capacity unknown: no verdict rather than a wrong one.
    if (!size || nodes === undefined) return [];
    capCpu += size.cpuMillis * BigInt(nodes);
    capMemory += size.memoryBytes * BigInt(nodes);
  }
  const objects = kubeObjectsOf(resources).map((k) => k.object);
  const index = indexObjects(objects);
  const maxReplicas = new Map<string, number>();
  for (const s of scalersOf(objects)) {
    if (!s.target) continue;
    const key = objectKey(s.target.kind, s.namespace, s.target.name);
    maxReplicas.set(key, Math.max(maxReplicas.get(key) ?? 0, s.max));
  }
  let cpu = 0n;
  let memory = 0n;
  let workloads = 0;
  for (const o of index.values()) {
    if (!SCALABLE_KINDS.has(o.kind)) continue;
    const requests = podRequests(o);
    if (!requests) continue;
    const replicas = maxReplicas.get(objectKey(o.kind, namespaceOf(o), o.metadata.name)) ?? (typeof specOf(o).replicas === 'number' ? specOf(o).replicas : 1);
    cpu += requests.cpu * BigInt(replicas);
    memory += requests.memory * BigInt(replicas);
    workloads++;
  }
  const over: string[] = [];
  if (cpu > capCpu) over.push(`CPU ${formatCpu(cpu)} > ${formatCpu(capCpu)}`);
  if (memory > capMemory) over.push(`memory ${formatMemory(memory)} > ${formatMemory(capMemory)}`);
  if (over.length === 0) return [];
  const first = pools[0];
  return [
    {
      rule: INFO.name,
      level: INFO.level,
      namespace: '',
      kind: first.resource.type,
      name: first.resource.name,
      message: `${workloads} workload${workloads === 1 ? '' : 's'} at max replicas request ${over.join(', ')} of ${pools.length} node pool${pools.length === 1 ? '' : 's'} at maxNodes (raw node size, before system reservations): the peak leaves pods Pending`,
      fix: 'raise maxNodes or the node size, or lower max replicas or requests',
    },
  ];
}

export const capacityFitsRule: ResourceRule = { ...INFO, check: capacityFits };
