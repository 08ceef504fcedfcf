/**
 * Nodes, pod placement and the cluster autoscaler (kubernetes/autoscaler cluster-autoscaler, as DOKS
 * runs it per node pool).
 *
 * Sources: kubernetes/autoscaler@cluster-autoscaler-1.33.0 cluster-autoscaler/FAQ.md ("How does
 * scale-up work?", "How does scale-down work?", "What are the parameters to CA?"):
 * - scale-up: pods the scheduler cannot place make the autoscaler (every --scan-interval, 10 s) add
 *   nodes to a node group; the binpacking estimator (estimator/binpacking_estimator.go) fills new
 *   nodes first-fit with the pending pods (here: a pending pod goes to a node being added that has
 *   room, else it adds one); never above the group's max.
 * - scale-down: a node whose requested CPU and memory, each divided by allocatable, are both below
 *   --scale-down-utilization-threshold (0.5; utilization is the larger of the two, simulator/
 *   utilization.go) and whose pods can all be placed on other nodes is "unneeded"; unneeded for
 *   --scale-down-unneeded-time (10m) it is removed, not earlier than --scale-down-delay-after-add
 *   (10m) after a scale-up, never below the group's min. Empty nodes go in bulk; at most one
 *   non-empty node per scan.
 * - DOKS exposes scaleDownUtilizationThreshold and scaleDownUnneededTime per cluster
 *   (tenantscale:clusterAutoscaler; docs.digitalocean.com/products/kubernetes/how-to/autoscale).
 * Placement: kube-scheduler's default NodeResourcesFit scoring is LeastAllocated (pkg/scheduler/
 * framework/plugins/noderesources/least_allocated.go): among nodes with room, the one with the most
 * free CPU and memory (mean of the two fractions) wins; ties go to the lower node index.
 */

export interface PoolSpec {
  readonly name: string;
  readonly size: string;
  readonly min: number;
  readonly max: number;
  /** Tenant pods may run here (no NoSchedule/NoExecute taint). */
  readonly tenantEligible: boolean;
  readonly cpuAllocMilli: number;
  readonly memAllocBytes: number;
  /**
   * NVIDIA GPUs per node.
   * @default 0
   */
  readonly gpuAlloc?: number;
  /** Price of one node-second. */
  readonly secondPrice: number;
}

export interface SimNode {
  readonly id: number;
  readonly pool: number;
  readonly cpuAlloc: number;
  readonly memAlloc: number;
  /** NVIDIA GPUs of the node (0 on CPU nodes). */
  readonly gpuAlloc: number;
  cpuUsed: number;
  memUsed: number;
  gpuUsed: number;
  readonly readyAt: number;
  /** Holds pods that block scale-down (kube-system and the platform's). */
  pinned: boolean;
  removedAt: number;
  unneededSince: number;
  /** Image → time its pull completes on this node. */
  readonly images: Map<string, number>;
  podCount: number;
}

export function newNode(id: number, pool: number, spec: PoolSpec, readyAt: number, daemonSet: { cpuMilli: number; memoryBytes: number }): SimNode {
  return {
    id,
    pool,
    cpuAlloc: spec.cpuAllocMilli,
    memAlloc: spec.memAllocBytes,
    gpuAlloc: spec.gpuAlloc ?? 0,
    cpuUsed: daemonSet.cpuMilli,
    memUsed: daemonSet.memoryBytes,
    gpuUsed: 0,
    readyAt,
    pinned: false,
    removedAt: Infinity,
    unneededSince: -1,
    images: new Map(),
    podCount: 0,
  };
}

export function fits(node: SimNode, cpu: number, mem: number, gpu = 0): boolean {
  return node.cpuUsed + cpu <= node.cpuAlloc && node.memUsed + mem <= node.memAlloc && node.gpuUsed + gpu <= node.gpuAlloc;
}

/**
 * Requested ÷ allocatable: the larger of CPU and memory, or on a GPU node the GPU alone
 * (kubernetes/autoscaler cluster-autoscaler/simulator/utilization/info.go Calculate: "Skips cpu
 * and memory utilization calculation for node with GPU").
 */
export function utilization(node: SimNode): number {
  if (node.gpuAlloc > 0) return node.gpuUsed / node.gpuAlloc;
  return Math.max(node.cpuUsed / node.cpuAlloc, node.memUsed / node.memAlloc);
}

/**
 * The share of a node a pod holds: its scarcest resource, the largest of its CPU, memory and GPU
 * requests each divided by the node's allocatable (dominant share). A pod holding a node's only
 * GPU holds the whole node, whatever its CPU and memory. Pure.
 */
export function dominantShare(node: Pick<SimNode, 'cpuAlloc' | 'memAlloc' | 'gpuAlloc'>, cpu: number, mem: number, gpu = 0): number {
  return Math.max(cpu / node.cpuAlloc, mem / node.memAlloc, node.gpuAlloc > 0 ? gpu / node.gpuAlloc : 0);
}

/** LeastAllocated score: the mean free fraction after placing the pod. */
export function leastAllocatedScore(node: SimNode, cpu: number, mem: number): number {
  return ((node.cpuAlloc - node.cpuUsed - cpu) / node.cpuAlloc + (node.memAlloc - node.memUsed - mem) / node.memAlloc) / 2;
}

/**
 * The node kube-scheduler would pick among `nodes` (live, eligible, ready by `at` when `readyOnly`),
 * or undefined when none has room.
 */
export function pickNode(nodes: readonly SimNode[], eligible: (n: SimNode) => boolean, cpu: number, mem: number, gpu = 0): SimNode | undefined {
  let best: SimNode | undefined;
  let bestScore = -Infinity;
  for (const n of nodes) {
    if (n.removedAt !== Infinity || !eligible(n) || !fits(n, cpu, mem, gpu)) continue;
    const s = leastAllocatedScore(n, cpu, mem);
    if (s > bestScore) {
      best = n;
      bestScore = s;
    }
  }
  return best;
}

/** The first autoscaler scan at or after `t`. */
export function nextScan(t: number, scanIntervalSeconds: number): number {
  return Math.ceil(t / scanIntervalSeconds) * scanIntervalSeconds;
}

/**
 * Whether a node is unneeded now: below the threshold, and its tenant pods (given by their requests)
 * fit first-fit on the other live, ready nodes. Pure: capacities are copied.
 */
export function podsFitElsewhere(node: SimNode, pods: readonly { cpu: number; mem: number; gpu?: number }[], others: readonly SimNode[]): boolean {
  const free = others.map((o) => ({ cpu: o.cpuAlloc - o.cpuUsed, mem: o.memAlloc - o.memUsed, gpu: o.gpuAlloc - o.gpuUsed }));
  for (const p of pods) {
    const gpu = p.gpu ?? 0;
    const slot = free.find((f) => f.cpu >= p.cpu && f.mem >= p.mem && f.gpu >= gpu);
    if (!slot) return false;
    slot.cpu -= p.cpu;
    slot.mem -= p.mem;
    slot.gpu -= gpu;
  }
  return true;
}

/**
 * The pool a scale-up grows, among `candidates` (pools with room whose nodes fit the pod), by the
 * configured expanders in order (cluster-autoscaler expander/): `least-waste` keeps the pools whose
 * new node would waste the least, score (wasted CPU ÷ allocatable + wasted memory ÷ allocatable) / 2
 * (expander/waste/waste.go); `priority` needs its ConfigMap, which tenantscale does not write, so it
 * passes every option on; `random` (and no expander) is modeled as the first pool in stack order, to
 * stay deterministic.
 */
export function chooseExpansionPool(
  candidates: readonly number[],
  pools: readonly PoolSpec[],
  pod: { cpu: number; mem: number },
  expanders: readonly string[] = [],
): number | undefined {
  let options = [...candidates];
  for (const expander of expanders) {
    if (options.length <= 1) break;
    if (expander === 'least-waste') {
      const score = (p: number) => ((pools[p].cpuAllocMilli - pod.cpu) / pools[p].cpuAllocMilli + (pools[p].memAllocBytes - pod.mem) / pools[p].memAllocBytes) / 2;
      const best = Math.min(...options.map(score));
      options = options.filter((p) => score(p) === best);
    }
  }
  return options[0];
}
