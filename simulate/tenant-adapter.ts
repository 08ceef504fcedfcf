/**
 * The one place that maps the tenant list's `TenantSpec` to the simulator's own tenant type. New
 * tenant kinds (queue, scheduled, service, warm windows …) become one more case here; nothing else
 * in simulate/ reads `TenantSpec`.
 */
import { cpuMillis, memoryBytes } from '../tenants/quantity';
import type { TenantSpec } from '../tenants/schema';
import { durationMs } from '../tenants/validate';
import { ScalingMetric } from './keda';

/**
 * Seconds the HTTPRoute timeout adds on top of the cold-start budget and response timeout; equal to
 * constructs/tenant.ts `ROUTE_TIMEOUT_MARGIN_SECONDS` (a test checks; importing it would load cdk8s).
 */
export const ROUTE_TIMEOUT_MARGIN_SECONDS = 5;

/** The readiness probe period of a tenant container (constructs/tenant.ts: periodSeconds 1). */
export const READINESS_PERIOD_SECONDS = 1;

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
  readonly image: string;
  readonly coldStartBudgetSeconds: number;
  /** Seconds after which the Gateway answers 504: the HTTPRoute's request timeout. */
  readonly routeTimeoutSeconds: number;
  readonly readinessPeriodSeconds: number;
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
  return {
    name: spec.name,
    labels: spec.labels,
    // A stateful tenant never scales to zero (tenants/schema.ts `stateful`).
    minReplicas: spec.stateful ? Math.max(1, spec.scaling.min) : spec.scaling.min,
    maxReplicas: spec.scaling.max,
    cooldownSeconds: spec.scaling.scaledownPeriod,
    metric,
    cpuMilli: Number(cpuMillis(spec.resources.requests.cpu)),
    memoryBytes: Number(memoryBytes(spec.resources.requests.memory)),
    image: spec.image,
    coldStartBudgetSeconds: spec.coldStartBudget,
    routeTimeoutSeconds: spec.coldStartBudget + spec.responseTimeout + ROUTE_TIMEOUT_MARGIN_SECONDS,
    readinessPeriodSeconds: READINESS_PERIOD_SECONDS,
  };
}
