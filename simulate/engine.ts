/**
 * The simulation loop: traffic → KEDA (0↔1) → HPA (1↔N) → scheduler → cluster autoscaler, in
 * steps of the HPA sync period (15 s). Times inside a step are continuous (a wake starts at the
 * first request's arrival; a node is ready at scan + provisioning), so wake latencies do not depend
 * on the step. Deterministic: the same inputs and seed give the same result, bit for bit.
 */
import { chooseExpansionPool, dominantShare, newNode, nextScan, pickNode, PoolSpec, podsFitElsewhere, SimNode, utilization } from './cluster-autoscaler';
import { HPA_SYNC_SECONDS, hpaSync, HpaState, newHpaState } from './hpa';
import { CronWindows, firingSeconds } from './cron-windows';
import { concurrency, kedaDecide, requestRate } from './keda';
import { poisson, Random, streamFor } from './prng';
import { Conversations, drawConversations, requestRateAt, TrafficSpec } from './traffic';
import { KEDA_POLLING_SECONDS, QueueMetric, SimTenant } from './tenant-adapter';
import { classifyWake, podReadyAt, pullSeconds } from './wake';
import type { ClusterSettings, WakeSettings } from './profile';
import type { PodRequest } from './platform-pods';

export interface EngineInput {
  readonly tenants: readonly SimTenant[];
  readonly traffic: readonly TrafficSpec[];
  readonly pools: readonly PoolSpec[];
  readonly platformPods: readonly PodRequest[];
  readonly wake: WakeSettings;
  readonly cluster: ClusterSettings;
  readonly scaleDownUtilizationThreshold: number;
  readonly scaleDownUnneededSeconds: number;
  readonly days: number;
  readonly seed: number;
  /**
   * `autoscaled`: the cluster autoscaler adds and removes nodes. `fixed`: node counts stay at
   * `fixedNodes` (per pool) and tenants wait for room.
   * @default 'autoscaled'
   */
  readonly mode?: 'autoscaled' | 'fixed';
  /** Nodes per pool in `fixed` mode. */
  readonly fixedNodes?: readonly number[];
  /**
   * The cluster autoscaler's expanders (tenantscale:clusterAutoscaler.expanders).
   * @default [] (random, modeled as the first pool)
   */
  readonly expanders?: readonly string[];
}

export interface WakeRecord {
  readonly tenant: number;
  readonly at: number;
  /** Seconds; Infinity when no pod became ready before the end. */
  readonly latency: number;
  readonly neededNode: boolean;
  readonly overBudget: boolean;
  readonly overRouteTimeout: boolean;
}

export interface EngineResult {
  readonly horizonSeconds: number;
  /** Node-hours per pool per simulated hour (billing: from Ready to removal). */
  readonly nodeHours: readonly Float64Array[];
  /** Ready nodes (all pools) sampled every step. */
  readonly nodeSamples: Int32Array;
  /** Ready nodes per pool: min and peak over the steps. */
  readonly poolNodes: readonly { min: number; peak: number; avg: number }[];
  /** Mean running tenant pods per simulated hour. */
  readonly podsPerHour: Float64Array;
  /** Mean nodes (all pools) per simulated hour. */
  readonly nodesPerHour: Float64Array;
  readonly wakes: readonly WakeRecord[];
  /** Per tenant: the node-seconds its pods' requests took (dominant share of the node), per pool. */
  readonly tenantShareSeconds: readonly Float64Array[];
  /** Pods that fit no pool's node (their requests exceed allocatable). */
  readonly unschedulable: readonly string[];
}

interface Pod {
  readonly tenant: number;
  node: SimNode | undefined;
  readyAt: number;
  readonly createdAt: number;
  /** The first request of the wake this pod serves, or -1. */
  readonly wakeAt: number;
  neededNode: boolean;
  /** A job's run: it has taken its batch of messages off the queue. */
  taken?: boolean;
}

const MiB = 1024 * 1024;

/** The next KEDA polling tick at or after t (ticks every `interval` seconds from 0). */
export function nextPoll(t: number, interval: number): number {
  return Math.ceil(t / interval) * interval;
}

/**
 * The queue trigger that asks for the most replicas (the HPA takes the highest proposal): its usage
 * (the backlog, or the message rate) and its thresholds; undefined without triggers.
 */
export function strongestQueueMetric(metrics: readonly QueueMetric[], backlog: number, ratePerSecond: number): { usage: number; metric: QueueMetric } | undefined {
  let best: { usage: number; metric: QueueMetric } | undefined;
  for (const metric of metrics) {
    const usage = metric.kind === 'backlog' ? backlog : ratePerSecond;
    if (!best || usage / metric.target > best.usage / best.metric.target) best = { usage, metric };
  }
  return best;
}

/**
 * Jobs a KEDA ScaledJob creates at one poll, default scaling strategy (kedacore/keda@v2.20.2):
 * below minReplicaCount, the missing ones (pkg/scaling/executor/scale_jobs.go:109-112); else,
 * when a trigger is active, maxValue = min(⌈queueLength ÷ target⌉, maxReplicaCount − min)
 * (pkg/scaling/scaledjob/metrics.go:40-43, :116-118; apis/keda/v1alpha1/scaledjob_types.go:147-155)
 * less the unfinished Jobs beyond min (scale_jobs.go:113-114, :458-460), and at most ⌈queueLength⌉
 * (createJobs, :125-127). Pure.
 */
export function scaledJobRunsToStart(s: { running: number; min: number; max: number; queue?: { length: number; target: number; active: boolean } }): number {
  if (s.running < s.min) return s.min - s.running;
  if (!s.queue || !s.queue.active) return 0;
  const maxValue = Math.min(Math.ceil(s.queue.length / s.queue.target), s.max - s.min);
  return Math.max(0, Math.min(Math.ceil(s.queue.length), maxValue - (s.running - s.min)));
}

/** Runs one simulation. */
export function runEngine(input: EngineInput): EngineResult {
  const dt = HPA_SYNC_SECONDS;
  const horizon = input.days * 86400;
  const steps = Math.ceil(horizon / dt);
  const hours = Math.ceil(horizon / 3600);
  const mode = input.mode ?? 'autoscaled';
  const { wake, cluster, pools } = input;
  const daemonSet = { cpuMilli: cluster.daemonSetCpuMilliPerNode, memoryBytes: cluster.daemonSetMemoryMiBPerNode * MiB };
  const n = input.tenants.length;

  const nodes: SimNode[] = [];
  const poolCount = new Int32Array(pools.length);
  const nodeHours = pools.map(() => new Float64Array(hours));
  const addNode = (pool: number, readyAt: number): SimNode => {
    const node = newNode(nodes.length, pool, pools[pool], readyAt, daemonSet);
    nodes.push(node);
    poolCount[pool]++;
    return node;
  };
  const bill = (node: SimNode, until: number) => {
    const from = Math.max(0, node.readyAt);
    const to = Math.min(horizon, until);
    for (let t = from; t < to; ) {
      const h = Math.floor(t / 3600);
      const end = Math.min(to, (h + 1) * 3600);
      nodeHours[node.pool][h] += (end - t) / 3600;
      t = end;
    }
  };
  const tenantPools = pools.map((p, i) => (p.tenantEligible ? i : -1)).filter((i) => i >= 0);
  if (tenantPools.length === 0 && input.tenants.some((t) => t.nodePool === undefined)) throw new Error('no node pool accepts tenant pods (every pool has a NoSchedule or NoExecute taint)');
  // A tenant placed on a pool (nodeSelector + tolerations) runs there only; the others on any untainted pool.
  const poolsOf = input.tenants.map((t) => (t.nodePool === undefined ? tenantPools : pools.map((p, i) => (p.name === t.nodePool ? i : -1)).filter((i) => i >= 0)));
  const eligibleFor = (tenant: number) => (node: SimNode) => poolsOf[tenant].includes(node.pool);

  // ---- initial state: pool minimums (or fixed counts), platform pods, warm tenants ----
  const initial = mode === 'fixed' ? (input.fixedNodes ?? pools.map((p) => p.min)) : pools.map((p) => p.min);
  initial.forEach((count, pool) => {
    for (let i = 0; i < count; i++) addNode(pool, 0);
  });
  for (const p of input.platformPods) {
    let node = pickNode(nodes, (x) => x.pool === 0, p.cpuMilli, p.memoryBytes);
    if (!node && mode === 'autoscaled' && poolCount[0] < pools[0].max) node = addNode(0, 0);
    if (!node) continue; // An overcommitted platform is the operator's to fix; the simulation goes on.
    node.cpuUsed += p.cpuMilli;
    node.memUsed += p.memoryBytes;
    node.podCount++;
    node.pinned = true;
  }

  const unschedulable: string[] = [];
  /** A pod of the tenant fits an empty node of the pool (after DaemonSets), GPUs included. */
  const fitsPool = (t: SimTenant, p: number) => t.cpuMilli + daemonSet.cpuMilli <= pools[p].cpuAllocMilli && t.memoryBytes + daemonSet.memoryBytes <= pools[p].memAllocBytes && (t.gpus ?? 0) <= (pools[p].gpuAlloc ?? 0);
  const fitsAnyPool = input.tenants.map((t, ti) => {
    const ok = poolsOf[ti].some((i) => fitsPool(t, i));
    if (!ok) unschedulable.push(t.name);
    return ok;
  });

  const podsOf: Pod[][] = input.tenants.map(() => []);
  const pending: Pod[] = [];
  /** The tenant pods on each node, for scale-down. */
  const residentsOf = new Map<SimNode, Set<Pod>>();
  const imageSize = (image: string) => wake.imageSizeMB[image] ?? wake.defaultImageSizeMB;

  const bind = (pod: Pod, node: SimNode, at: number) => {
    const t = input.tenants[pod.tenant];
    pod.node = node;
    let set = residentsOf.get(node);
    if (!set) residentsOf.set(node, (set = new Set()));
    set.add(pod);
    node.cpuUsed += t.cpuMilli;
    node.memUsed += t.memoryBytes;
    node.gpuUsed += t.gpus ?? 0;
    node.podCount++;
    node.unneededSince = -1;
    const boundAt = Math.max(at, node.readyAt);
    const r = podReadyAt({
      boundAt,
      imageReadyAt: node.images.get(t.image),
      pullSeconds: pullSeconds(imageSize(t.image), wake.imagePullMBps),
      containerStartSeconds: wake.containerStartSeconds,
      readinessPeriodSeconds: t.readinessPeriodSeconds,
    });
    if (!node.images.has(t.image)) node.images.set(t.image, r.imageReadyAt);
    pod.readyAt = r.readyAt;
    if (node.readyAt > at) pod.neededNode = true;
  };
  const unbind = (pod: Pod) => {
    const node = pod.node;
    if (!node) return;
    const t = input.tenants[pod.tenant];
    node.cpuUsed -= t.cpuMilli;
    node.memUsed -= t.memoryBytes;
    node.gpuUsed -= t.gpus ?? 0;
    node.podCount--;
    residentsOf.get(node)?.delete(pod);
    pod.node = undefined;
  };
  /** Places a new pod on a node that is ready (or will be) with room, else leaves it pending. */
  const place = (pod: Pod, at: number, readyBy: number) => {
    const t = input.tenants[pod.tenant];
    const node = pickNode(nodes, (x) => eligibleFor(pod.tenant)(x) && x.readyAt <= readyBy, t.cpuMilli, t.memoryBytes, t.gpus);
    if (node) bind(pod, node, at);
    else pending.push(pod);
  };

  // Warm tenants (min ≥ 1) start running, images pulled.
  input.tenants.forEach((t, i) => {
    if (t.minReplicas === 0 || !fitsAnyPool[i]) return;
    for (let r = 0; r < t.minReplicas; r++) {
      const pod: Pod = { tenant: i, node: undefined, readyAt: 0, createdAt: 0, wakeAt: -1, neededNode: false };
      podsOf[i].push(pod);
      let node = pickNode(nodes, eligibleFor(i), t.cpuMilli, t.memoryBytes, t.gpus);
      if (!node && mode === 'autoscaled') {
        const pool = poolsOf[i].find((p) => poolCount[p] < pools[p].max && fitsPool(t, p));
        if (pool !== undefined) node = addNode(pool, 0);
      }
      if (node) {
        bind(pod, node, 0);
        node.images.set(t.image, 0);
        pod.readyAt = 0;
      } else pending.push(pod);
    }
  });

  // ---- per-tenant traffic and scaling state ----
  const randoms: Random[] = input.tenants.map((t) => streamFor(input.seed, t.name));
  // A scheduled tenant serves no traffic: only its cron windows drive it.
  const noTraffic: Conversations = { starts: new Float64Array(0), ends: new Float64Array(0) };
  const conversations: Conversations[] = input.tenants.map((t, i) => (t.driver === 'schedule' || t.runs?.cron ? noTraffic : drawConversations(input.traffic[i], horizon, randoms[i])));
  // A cron-job's firings, and the next one not yet handled.
  const runFires = input.tenants.map((t) => (t.runs?.cron ? firingSeconds(t.runs.cron.schedule, t.runs.cron.timezone, horizon) : undefined));
  const fireCursor = new Int32Array(n);
  const runsDue = (i: number, until: number) => {
    const fires = runFires[i];
    return fires !== undefined && fireCursor[i] < fires.length && fires[fireCursor[i]] < until;
  };
  /** Removes a tenant's k-th pod: from its node, or from the pending list, and from the open wakes. */
  const removePod = (pods: Pod[], k: number) => {
    const [gone] = pods.splice(k, 1);
    if (gone.node) unbind(gone);
    else pending.splice(pending.indexOf(gone), 1);
    if (gone.wakeAt >= 0 && openWakes.includes(gone)) openWakes.splice(openWakes.indexOf(gone), 1);
  };
  const startRun = (i: number, at: number) => {
    const pod: Pod = { tenant: i, node: undefined, readyAt: Infinity, createdAt: at, wakeAt: -1, neededNode: false };
    podsOf[i].push(pod);
    place(pod, at, at);
  };
  /**
   * One step of a job tenant: finished runs go (a Job's pod is terminal once it exits: no longer on
   * the node, so no longer charged), started runs take their batch, and new runs start — a
   * cron-job's at each firing (Forbid skips one while a run is going, Replace stops it), a
   * ScaledJob's at each poll: min(queueLength, maxValue − running) with maxValue = min(⌈queue ÷
   * target⌉, max − min) (kedacore/keda@v2.20.2 pkg/scaling/scaledjob/metrics.go:31-44,
   * pkg/scaling/executor/scale_jobs.go:105-126 and :458-460, the default strategy), or up to min.
   */
  const stepRuns = (i: number, t: number, tEnd: number, arrivals: number) => {
    const tenant = input.tenants[i];
    const runs = tenant.runs!;
    const pods = podsOf[i];
    for (let k = pods.length - 1; k >= 0; k--) if (pods[k].readyAt + runs.seconds <= tEnd) removePod(pods, k);
    backlog[i] += arrivals;
    for (const p of pods) {
      if (p.taken || p.readyAt >= tEnd) continue;
      p.taken = true;
      backlog[i] = Math.max(0, backlog[i] - runs.batch);
    }
    if (!fitsAnyPool[i]) {
      fireCursor[i] = runFires[i]?.length ?? 0;
      return;
    }
    if (runs.cron) {
      for (; runsDue(i, tEnd); fireCursor[i]++) {
        if (pods.length > 0 && !runs.cron.replace) continue;
        while (pods.length > 0) removePod(pods, 0);
        startRun(i, runFires[i]![fireCursor[i]]);
      }
      return;
    }
    const poll = nextPoll(t, KEDA_POLLING_SECONDS);
    if (poll >= tEnd) return;
    const running = pods.length;
    const q = strongestQueueMetric(tenant.queue ?? [], backlog[i], arrivals / (tEnd - t));
    const create = scaledJobRunsToStart({ running, min: runs.min, max: runs.max, queue: q ? { length: q.usage, target: q.metric.target, active: q.usage > q.metric.activation } : undefined });
    if (create > 0) lastActive[i] = tEnd;
    for (let k = 0; k < create; k++) startRun(i, poll);
  };
  const windows = input.tenants.map((t) => (t.windows && t.windows.length > 0 ? new CronWindows(t.windows, horizon) : undefined));
  /** Messages waiting for a queue tenant. */
  const backlog = new Float64Array(n);
  const cursor = new Int32Array(n);
  // Skipping sleeping tenants fast: pods per tenant, and the start of its current or next conversation.
  const podCount = new Int32Array(n);
  const nextStart = new Float64Array(n);
  conversations.forEach((c, i) => {
    nextStart[i] = c.starts.length > 0 ? c.starts[0] : Infinity;
    podCount[i] = podsOf[i].length;
  });
  const lastActive = new Float64Array(n).fill(-Infinity);
  const hpa: (HpaState | undefined)[] = new Array(n);
  const windowBuckets = input.tenants.map((t) => (t.metric.kind === 'requestRate' ? Math.max(1, Math.ceil(t.metric.windowSeconds / dt)) : 1));
  const counts: Float64Array[] = input.tenants.map((_, i) => new Float64Array(windowBuckets[i]));
  const wakes: WakeRecord[] = [];
  const openWakes: Pod[] = [];
  const tenantShareSeconds = input.tenants.map(() => new Float64Array(pools.length));

  const nodeSamples = new Int32Array(steps);
  const poolMin = pools.map(() => Infinity);
  const poolPeak = pools.map(() => 0);
  const poolSum = pools.map(() => 0);
  const podsPerHour = new Float64Array(hours);
  const nodesPerHour = new Float64Array(hours);
  let lastScaleUp = -Infinity;

  for (let step = 0; step < steps; step++) {
    const t = step * dt;
    const tEnd = Math.min(horizon, t + dt);

    // 1. Traffic, KEDA and the HPA, tenant by tenant.
    for (let i = 0; i < n; i++) {
      const clock = windows[i];
      if (podCount[i] === 0 && nextStart[i] >= tEnd && backlog[i] === 0 && !clock && !runsDue(i, tEnd)) continue;
      const conv = conversations[i];
      let c = cursor[i];
      while (c < conv.starts.length && conv.ends[c] <= t) c++;
      cursor[i] = c;
      nextStart[i] = c < conv.starts.length ? conv.starts[c] : Infinity;
      const pods = podsOf[i];
      const inConversation = c < conv.starts.length && conv.starts[c] < tEnd;
      // Replicas the tenant's cron windows ask for now (KEDA's cron triggers).
      const floor = clock ? clock.replicasAt(tEnd) : 0;
      if (!inConversation && pods.length === 0 && backlog[i] === 0 && floor === 0 && !runsDue(i, tEnd)) continue;
      const tenant = input.tenants[i];
      const driver = tenant.driver ?? 'requests';
      const spec = input.traffic[i];
      const random = randoms[i];

      // Arrivals in [t, tEnd).
      let arrivals = 0;
      let first = -1;
      // A conversation opens with a message (steady traffic has no conversations to open).
      const opens = inConversation && !spec.steady && conv.starts[c] >= t;
      if (inConversation) {
        const from = Math.max(t, conv.starts[c]);
        const to = Math.min(tEnd, conv.ends[c]);
        arrivals = poisson(random, requestRateAt(spec, from) * (to - from)) + (opens ? 1 : 0);
        if (arrivals > 0) first = opens ? conv.starts[c] : from + random() * (to - from);
      }
      const bucket = counts[i];
      bucket.copyWithin(0, 1);
      bucket[bucket.length - 1] = arrivals;
      if (driver === 'runs') {
        stepRuns(i, t, tEnd, arrivals);
        podCount[i] = pods.length;
        continue;
      }
      // A queue tenant: messages join the backlog, ready pods drain it (one message per serviceSeconds each).
      let queueUsage: { usage: number; metric: QueueMetric } | undefined;
      if (driver === 'messages') {
        let capacity = 0;
        for (const pod of pods) if (pod.node && pod.readyAt < tEnd) capacity += (tEnd - Math.max(t, pod.readyAt)) / spec.serviceSeconds;
        backlog[i] = Math.max(0, backlog[i] + arrivals - capacity);
        queueUsage = strongestQueueMetric(tenant.queue ?? [], backlog[i], arrivals / (tEnd - t));
      }
      const active = driver === 'messages' ? queueUsage !== undefined && queueUsage.usage > queueUsage.metric.activation : arrivals > 0 || floor > 0;
      if (active) lastActive[i] = tEnd;

      const decision = kedaDecide({
        replicas: pods.length,
        active,
        now: tEnd,
        lastActive: lastActive[i],
        cooldownSeconds: tenant.cooldownSeconds,
        minReplicas: tenant.minReplicas,
      });
      let desired = pods.length;
      if (decision.action === 'activate') {
        // What woke it: a held request or message (a wake with a latency), or a cron window alone (none).
        const held = arrivals > 0 || (driver === 'messages' && backlog[i] > 0);
        if (!fitsAnyPool[i]) {
          // No node can ever run it: one failed wake per conversation.
          if (opens) wakes.push({ tenant: i, at: first, latency: Infinity, neededNode: false, overBudget: true, overRouteTimeout: Number.isFinite(tenant.routeTimeoutSeconds) });
          continue;
        }
        const wakeAt = held ? (first >= 0 ? first : t) : -1;
        // The interceptor pushes an HTTP wake at once; KEDA polls queue and cron triggers every pollingInterval.
        const created = driver === 'requests' && held ? first + wake.kedaActivationSeconds : nextPoll(held ? wakeAt : t, KEDA_POLLING_SECONDS);
        const pod: Pod = { tenant: i, node: undefined, readyAt: Infinity, createdAt: created, wakeAt, neededNode: false };
        pods.push(pod);
        if (wakeAt >= 0) openWakes.push(pod);
        place(pod, created, created);
        podCount[i] = pods.length;
        hpa[i] = undefined;
        continue;
      } else if (decision.action === 'deactivate') {
        desired = 0;
        hpa[i] = undefined;
      } else if (decision.action === 'hpa') {
        const metric = tenant.metric;
        // The HPA KEDA made: the cron metric (desiredReplicas against 1), the queue metric, or the HTTP metric.
        const { usage, target } =
          driver === 'schedule'
            ? { usage: floor, target: 1 }
            : queueUsage
              ? { usage: queueUsage.usage, target: queueUsage.metric.target }
              : metric.kind === 'requestRate'
                ? { usage: requestRate(bucket, dt, metric.windowSeconds), target: metric.target }
                : { usage: concurrency(arrivals / (tEnd - t), spec.serviceSeconds), target: metric.target };
        const state = (hpa[i] ??= newHpaState());
        desired = hpaSync(state, { usage, target, current: pods.length, min: Math.max(1, tenant.minReplicas), max: tenant.maxReplicas, now: tEnd });
        // A warm window beside the HTTP trigger: the HPA takes the higher of the two metrics' proposals.
        if (driver === 'requests' && floor > desired) desired = Math.min(floor, tenant.maxReplicas);
      }
      while (pods.length < desired) {
        const pod: Pod = { tenant: i, node: undefined, readyAt: Infinity, createdAt: tEnd, wakeAt: -1, neededNode: false };
        pods.push(pod);
        place(pod, tEnd, tEnd);
      }
      while (pods.length > desired) {
        // The ReplicaSet removes unscheduled pods first, then the newest.
        const unscheduled = pods.findIndex((p) => p.node === undefined);
        removePod(pods, unscheduled >= 0 ? unscheduled : pods.length - 1);
      }
      podCount[i] = pods.length;
    }

    // 2. Pending pods: room on a ready node, on a node being added, or a new node.
    if (pending.length > 0) {
      const still: Pod[] = [];
      for (const pod of pending) {
        const tenant = input.tenants[pod.tenant];
        const at = Math.max(pod.createdAt, t);
        const eligible = eligibleFor(pod.tenant);
        let node = pickNode(nodes, (x) => eligible(x) && x.readyAt <= tEnd, tenant.cpuMilli, tenant.memoryBytes, tenant.gpus);
        if (!node) node = pickNode(nodes, eligible, tenant.cpuMilli, tenant.memoryBytes, tenant.gpus);
        if (!node && mode === 'autoscaled') {
          const candidates = poolsOf[pod.tenant].filter((p) => poolCount[p] < pools[p].max && fitsPool(tenant, p));
          const pool = chooseExpansionPool(candidates, pools, { cpu: tenant.cpuMilli + daemonSet.cpuMilli, mem: tenant.memoryBytes + daemonSet.memoryBytes }, input.expanders);
          if (pool !== undefined) {
            node = addNode(pool, nextScan(at, cluster.scanIntervalSeconds) + wake.nodeProvisioningSeconds);
            lastScaleUp = at;
          }
        }
        if (node) bind(pod, node, at);
        else still.push(pod);
      }
      pending.length = 0;
      pending.push(...still);
    }

    // 3. Wakes whose pod is ready.
    for (let w = openWakes.length - 1; w >= 0; w--) {
      const pod = openWakes[w];
      if (pod.readyAt > tEnd) continue;
      const tenant = input.tenants[pod.tenant];
      const latency = pod.readyAt - pod.wakeAt;
      wakes.push({ tenant: pod.tenant, at: pod.wakeAt, latency, neededNode: pod.neededNode, ...classifyWake(latency, tenant.coldStartBudgetSeconds, tenant.routeTimeoutSeconds, input.traffic[pod.tenant].serviceSeconds) });
      openWakes.splice(w, 1);
    }

    // 4. Scale-down.
    if (mode === 'autoscaled' && tEnd - lastScaleUp >= cluster.scaleDownDelayAfterAddSeconds) {
      let nonEmptyRemoved = false;
      for (const node of nodes) {
        if (node.removedAt !== Infinity || node.readyAt > tEnd || node.pinned || poolCount[node.pool] <= pools[node.pool].min) continue;
        if (utilization(node) >= input.scaleDownUtilizationThreshold) {
          node.unneededSince = -1;
          continue;
        }
        const residents: Pod[] = [...(residentsOf.get(node) ?? [])].sort((a, b) => a.tenant - b.tenant || a.createdAt - b.createdAt);
        // Nodes every resident may move to (a placed tenant only within its pool).
        const others = nodes.filter((o) => o !== node && o.removedAt === Infinity && o.readyAt <= tEnd && (residents.length === 0 ? pools[o.pool].tenantEligible : residents.every((p) => eligibleFor(p.tenant)(o))));
        const movable = podsFitElsewhere(node, residents.map((p) => ({ cpu: input.tenants[p.tenant].cpuMilli, mem: input.tenants[p.tenant].memoryBytes, gpu: input.tenants[p.tenant].gpus })), others);
        if (!movable) {
          node.unneededSince = -1;
          continue;
        }
        if (node.unneededSince < 0) node.unneededSince = tEnd;
        if (tEnd - node.unneededSince < input.scaleDownUnneededSeconds) continue;
        if (residents.length > 0 && nonEmptyRemoved) continue;
        for (const p of residents) {
          unbind(p);
          const target = pickNode(others, () => true, input.tenants[p.tenant].cpuMilli, input.tenants[p.tenant].memoryBytes, input.tenants[p.tenant].gpus);
          if (target) {
            // Evicted and recreated elsewhere: ready again once started there (the image may need a pull).
            const wasReady = p.readyAt;
            bind(p, target, tEnd);
            if (wasReady <= tEnd) p.readyAt = Math.max(p.readyAt, tEnd);
          } else pending.push(p);
        }
        if (residents.length > 0) nonEmptyRemoved = true;
        node.removedAt = tEnd;
        poolCount[node.pool]--;
        bill(node, tEnd);
      }
    }

    // 5. Accounting.
    let ready = 0;
    const perPool = new Array<number>(pools.length).fill(0);
    for (const node of nodes) {
      if (node.removedAt === Infinity && node.readyAt <= t) {
        ready++;
        perPool[node.pool]++;
      }
    }
    nodeSamples[step] = ready;
    const hour = Math.floor(t / 3600);
    nodesPerHour[hour] += (ready * (tEnd - t)) / 3600;
    for (let p = 0; p < pools.length; p++) {
      poolMin[p] = Math.min(poolMin[p], perPool[p]);
      poolPeak[p] = Math.max(poolPeak[p], perPool[p]);
      poolSum[p] += perPool[p];
    }
    let running = 0;
    for (let i = 0; i < n; i++) {
      if (podCount[i] === 0) continue;
      const tenant = input.tenants[i];
      for (const p of podsOf[i]) {
        if (!p.node || p.node.readyAt > t) continue;
        running++;
        // Dominant share: a pod holding the node's only GPU is charged the whole node.
        const share = dominantShare(p.node, tenant.cpuMilli, tenant.memoryBytes, tenant.gpus);
        tenantShareSeconds[i][p.node.pool] += share * (tEnd - t);
      }
    }
    podsPerHour[hour] += (running * (tEnd - t)) / 3600;
  }

  for (const node of nodes) if (node.removedAt === Infinity) bill(node, horizon);
  for (const pod of openWakes) {
    const tenant = input.tenants[pod.tenant];
    const latency = pod.readyAt === Infinity ? Infinity : pod.readyAt - pod.wakeAt;
    wakes.push({ tenant: pod.tenant, at: pod.wakeAt, latency, neededNode: pod.neededNode, ...classifyWake(latency, tenant.coldStartBudgetSeconds, tenant.routeTimeoutSeconds, input.traffic[pod.tenant].serviceSeconds) });
  }
  wakes.sort((a, b) => a.at - b.at || a.tenant - b.tenant);

  return {
    horizonSeconds: horizon,
    nodeHours,
    nodeSamples,
    poolNodes: pools.map((_, p) => ({ min: poolMin[p] === Infinity ? 0 : poolMin[p], peak: poolPeak[p], avg: poolSum[p] / steps })),
    podsPerHour,
    nodesPerHour,
    wakes,
    tenantShareSeconds,
    unschedulable,
  };
}

/**
 * The always-on baseline: every tenant at max(min, 1) replicas all the time. Pods are placed the way
 * the cluster would place them as they are created — the platform's on the first pool, then each
 * tenant pod on the least allocated node with room, a new node of the first tenant pool when none has
 * room — starting from the pools' minimums. Returns nodes per pool, not capped at the pool's max: the
 * point is what always-on would need.
 */
export function alwaysOnNodes(input: Pick<EngineInput, 'tenants' | 'pools' | 'platformPods' | 'cluster'>): number[] {
  const ds = { cpuMilli: input.cluster.daemonSetCpuMilliPerNode, memoryBytes: input.cluster.daemonSetMemoryMiBPerNode * MiB };
  const pools = input.pools;
  const nodes: SimNode[] = [];
  const counts = pools.map((p) => p.min);
  pools.forEach((p, i) => {
    for (let k = 0; k < p.min; k++) nodes.push(newNode(nodes.length, i, p, 0, ds));
  });
  const put = (cpu: number, mem: number, pool: (n: SimNode) => boolean, addTo: number, gpu = 0) => {
    let node = pickNode(nodes, pool, cpu, mem, gpu);
    if (!node) {
      if (cpu + ds.cpuMilli > pools[addTo].cpuAllocMilli || mem + ds.memoryBytes > pools[addTo].memAllocBytes || gpu > (pools[addTo].gpuAlloc ?? 0)) return;
      node = newNode(nodes.length, addTo, pools[addTo], 0, ds);
      nodes.push(node);
      counts[addTo]++;
    }
    node.cpuUsed += cpu;
    node.memUsed += mem;
    node.gpuUsed += gpu;
  };
  for (const p of input.platformPods) put(p.cpuMilli, p.memoryBytes, (n) => n.pool === 0, 0);
  const tenantPool = pools.findIndex((p) => p.tenantEligible);
  for (const t of input.tenants) {
    // A placed tenant on its pool, the others on the first untainted one.
    const home = t.nodePool === undefined ? tenantPool : pools.findIndex((p) => p.name === t.nodePool);
    if (home < 0) continue;
    const eligible = t.nodePool === undefined ? (n: SimNode) => pools[n.pool].tenantEligible : (n: SimNode) => n.pool === home;
    for (let r = 0; r < Math.max(1, t.minReplicas); r++) put(t.cpuMilli, t.memoryBytes, eligible, home, t.gpus);
  }
  return counts;
}
