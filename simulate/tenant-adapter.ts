/**
 * The one place that maps the tenant list's `TenantSpec` to the simulator's own tenant type; nothing
 * else in simulate/ reads `TenantSpec`. Each kind gets what drives it (seed 000, the decision tree):
 * - http, stateful: requests through the interceptor (a route, a wake per first request), warm
 *   windows as cron windows beside the HTTP trigger;
 * - queue: the traffic profile's requests are messages; a backlog drained by the ready pods, read by
 *   the queue triggers KEDA polls; no route;
 * - scheduled: only its cron windows (no traffic, no route);
 * - job: the traffic profile's requests are messages; KEDA's ScaledJob starts runs from the backlog;
 * - cron-job: one run per firing of its schedule (no traffic);
 * - service: always on (min ≥ 1), an HPA on CPU utilization driven by the requests it serves.
 */
import type { QueueTrigger } from '../tenants/kinds';
import { cpuMillis, memoryBytes } from '../tenants/quantity';
import { tenantGpus } from '../tenants/rules/placement';
import type { TenantSpec } from '../tenants/schema';
import { tenantRouteTimeoutSeconds } from '../tenants/rules/edge-timeout';
import { durationMs } from '../tenants/validate';
import { cronTrigger, warmTrigger } from '../constructs/triggers/cron';
import type { CronWindowSpec } from './cron-windows';
import { ScalingMetric } from './keda';

/** Seconds the HTTPRoute timeout adds on top of the interceptor's limits (constructs/tenant-entry.ts). */
export { ROUTE_TIMEOUT_MARGIN_SECONDS } from '../constructs/tenant-entry';

/** The readiness probe period of a tenant container (constructs/tenant.ts: periodSeconds 1). */
export const READINESS_PERIOD_SECONDS = 1;

/** KEDA's default `pollingInterval` (kedacore/keda@v2.20.2 apis/keda/v1alpha1/withtriggers_types.go:51); tenantscale sets none. */
export const KEDA_POLLING_SECONDS = 30;

/**
 * One queue trigger as the simulator reads it: `backlog` metrics (Kafka lag, list length, pending
 * entries, RabbitMQ QueueLength) count waiting messages, `rate` metrics (RabbitMQ MessageRate, the
 * lessons' Prometheus request-rate query) count messages per second. `target` per replica,
 * active above `activation` (the triggers' activation thresholds, default 0).
 */
export interface QueueMetric {
  readonly kind: 'backlog' | 'rate';
  readonly target: number;
  readonly activation: number;
}

/** What drives a tenant's replicas (see the module comment). */
export type SimDriver = 'requests' | 'messages' | 'schedule' | 'runs';

/**
 * The runs of a job kind (driver `runs`): pods that start, run `seconds` and go. A cron-job starts one
 * at each firing of `cron`; a job (KEDA ScaledJob) starts them from its queue's backlog at every
 * pollingInterval, each run taking `batch` messages off the queue when its pod starts.
 */
export interface SimRuns {
  /** How long one run's pod runs (run.expectedSeconds, else run.deadlineSeconds: the most it can cost). */
  readonly seconds: number;
  readonly cron?: { readonly schedule: string; readonly timezone: string; readonly replace: boolean };
  /** ScaledJob minReplicaCount and maxReplicaCount. */
  readonly min: number;
  readonly max: number;
  /** Messages one run takes: the smallest trigger target (a job is sized for one target's worth). */
  readonly batch: number;
}

/** What the simulator needs of a tenant. */
export interface SimTenant {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Fewest replicas; 0 lets KEDA scale the tenant to zero. */
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** KEDA cooldownPeriod (scaling.scaledownPeriod). */
  readonly cooldownSeconds: number;
  readonly metric: ScalingMetric;
  readonly cpuMilli: number;
  readonly memoryBytes: number;
  /**
   * NVIDIA GPUs per pod (resources.limits.gpu).
   * @default 0
   */
  readonly gpus?: number;
  readonly image: string;
  readonly coldStartBudgetSeconds: number;
  /** Seconds after which the Gateway answers 504: the HTTPRoute's request timeout (Infinity: no route). */
  readonly routeTimeoutSeconds: number;
  readonly readinessPeriodSeconds: number;
  /** @default 'requests' */
  readonly driver?: SimDriver;
  /** Cron windows (schedule windows, or warm windows beside the HTTP trigger). @default none */
  readonly windows?: readonly CronWindowSpec[];
  /** The runs of a job or cron-job tenant (driver `runs`). @default none */
  readonly runs?: SimRuns;
  /** The queue triggers of a `messages` tenant (or of a ScaledJob). @default none */
  readonly queue?: readonly QueueMetric[];
  /**
   * The node pool the tenant is placed on (`nodePool`: a nodeSelector on the pool label and
   * tolerations for its taints): its pods run there only.
   * @default none (any pool without a NoSchedule/NoExecute taint)
   */
  readonly nodePool?: string;
}

type TriggerOf<T extends QueueTrigger['type']> = Extract<QueueTrigger, { type: T }>;

/** Each queue trigger type as a QueueMetric (field names: tenants/kinds.ts, as KEDA v2.20.2 reads them). */
const QUEUE_METRICS: { readonly [T in QueueTrigger['type']]: (t: TriggerOf<T>) => QueueMetric } = {
  kafka: (t) => ({ kind: 'backlog', target: t.lagThreshold, activation: t.activationLagThreshold }),
  'redis-list': (t) => ({ kind: 'backlog', target: t.listLength, activation: t.activationListLength ?? 0 }),
  'redis-stream': (t) => ({ kind: 'backlog', target: t.pendingEntriesCount, activation: 0 }),
  rabbitmq: (t) => ({ kind: t.mode === 'MessageRate' ? 'rate' : 'backlog', target: t.value, activation: t.activationValue ?? 0 }),
  prometheus: (t) => ({ kind: 'rate', target: t.threshold, activation: t.activationThreshold ?? 0 }),
};

function queueMetric(t: QueueTrigger): QueueMetric {
  return (QUEUE_METRICS[t.type] as (x: QueueTrigger) => QueueMetric)(t);
}

/** The cron windows tenantscale writes for the tenant (the same triggers as constructs/triggers/cron.ts). */
function windowsOf(spec: TenantSpec): CronWindowSpec[] {
  const triggers = spec.kind === 'scheduled' ? (spec.schedule ?? []).map(cronTrigger) : (spec.warm ?? []).map(warmTrigger);
  return triggers.map((t) => ({ start: t.metadata.start, end: t.metadata.end, timezone: t.metadata.timezone, replicas: Number(t.metadata.desiredReplicas) }));
}

/**
 * A service's HPA on CPU utilization as the simulator's metric: a request in service keeps its pod's
 * requested CPU busy, so utilization = requests in flight ÷ replicas, against the target fraction.
 * Memory is not modelled as load-dependent (it does not fall after load, the memory-only-hpa rule's
 * point), so a service without a CPU target keeps the HTTP metric of its entry.
 */
function serviceMetric(spec: TenantSpec, fallback: ScalingMetric): ScalingMetric {
  const cpu = spec.autoscaling?.cpu;
  return cpu !== undefined ? { kind: 'concurrency', target: cpu / 100 } : fallback;
}

/** The runs of a job or cron-job tenant (constructs/tenant-job.ts builds the same ScaledJob or CronJob). */
function runsOf(spec: TenantSpec): SimRuns | undefined {
  const kind = spec.kind ?? 'http';
  if (kind !== 'job' && kind !== 'cron-job') return undefined;
  const seconds = spec.run?.expectedSeconds ?? spec.run?.deadlineSeconds ?? 3600;
  if (kind === 'cron-job') {
    const cron = spec.cron;
    if (!cron) throw new Error(`tenant ${spec.name}: kind cron-job without cron (validate the tenant list first)`);
    return { seconds, cron: { schedule: cron.schedule, timezone: cron.timezone, replace: cron.concurrencyPolicy === 'Replace' }, min: 0, max: cron.concurrencyPolicy === 'Replace' ? 2 : 1, batch: 0 };
  }
  const targets = (spec.triggers ?? []).map((t) => queueMetric(t).target);
  return { seconds, min: spec.scaling.min, max: spec.scaling.max, batch: targets.length > 0 ? Math.min(...targets) : 1 };
}

/** TenantSpec → SimTenant. */
export function toSimTenant(spec: TenantSpec): SimTenant {
  const m = spec.scaling.metric;
  const metric: ScalingMetric = m.concurrency
    ? { kind: 'concurrency', target: m.concurrency.target }
    : {
        kind: 'requestRate',
        target: m.requestRate?.target ?? 1,
        windowSeconds: durationMs(m.requestRate?.window ?? '1m') / 1000,
        granularitySeconds: durationMs(m.requestRate?.granularity ?? '1s') / 1000,
      };
  const kind = spec.kind ?? 'http';
  const runs = runsOf(spec);
  const driver: SimDriver = runs ? 'runs' : kind === 'queue' ? 'messages' : kind === 'scheduled' ? 'schedule' : 'requests';
  const windows = windowsOf(spec);
  return {
    name: spec.name,
    labels: spec.labels,
    // Stateful tenants and shared services never scale to zero (tenants/kind-rules.ts; an HPA cannot reach 0).
    // A job's minimum is runs kept going (SimRuns.min), not pods started warm.
    minReplicas: runs ? 0 : spec.stateful || kind === 'stateful' || kind === 'service' ? Math.max(1, spec.scaling.min) : spec.scaling.min,
    maxReplicas: runs ? runs.max : spec.scaling.max,
    cooldownSeconds: spec.scaling.scaledownPeriod,
    metric: kind === 'service' ? serviceMetric(spec, metric) : metric,
    cpuMilli: Number(cpuMillis(spec.resources.requests.cpu)),
    memoryBytes: Number(memoryBytes(spec.resources.requests.memory)),
    ...(tenantGpus(spec) > 0 ? { gpus: tenantGpus(spec) } : {}),
    image: spec.image,
    coldStartBudgetSeconds: spec.coldStartBudget,
    // The timeout the tenant's HTTPRoute gets (one definition, by its plan's entry); no route: none.
    routeTimeoutSeconds: tenantRouteTimeoutSeconds(spec) ?? Infinity,
    readinessPeriodSeconds: READINESS_PERIOD_SECONDS,
    ...(driver !== 'requests' ? { driver } : {}),
    ...(windows.length > 0 ? { windows } : {}),
    ...(kind === 'queue' || kind === 'job' ? { queue: (spec.triggers ?? []).map(queueMetric) } : {}),
    ...(runs ? { runs } : {}),
    ...(spec.nodePool !== undefined ? { nodePool: spec.nodePool } : {}),
  };
}
