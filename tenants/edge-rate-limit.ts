import type { TenantSpec } from './schema';

/** Requests per second one replica is assumed to serve per concurrent request (100 ms each) when the metric is concurrency. */
export const REQUESTS_PER_SECOND_PER_SLOT = 10;
/** Per-replica rate assumed for a tenant without an HTTP scaling metric (an always-on service). */
export const SERVICE_REPLICA_REQUESTS_PER_SECOND = 50;
/** Headroom of the default limit over what the tenant can serve at scaling.max. */
export const RATE_LIMIT_HEADROOM = 2;
/** Bounds of the default limit, requests per second. */
export const DEFAULT_RATE_LIMIT_BOUNDS = { min: 10, max: 10_000 } as const;

export interface EdgeRateLimit {
  readonly requests: number;
  readonly unit: 'Second' | 'Minute' | 'Hour';
  /** Where the value comes from. */
  readonly source: 'tenant' | 'default';
}

/**
 * The edge rate limit of a tenant's route: its own `rateLimit`, else RATE_LIMIT_HEADROOM × what it
 * serves at scaling.max — max × requestRate.target, max × concurrency.target ×
 * REQUESTS_PER_SECOND_PER_SLOT, or max × SERVICE_REPLICA_REQUESTS_PER_SECOND without a metric —
 * per second, within DEFAULT_RATE_LIMIT_BOUNDS. Pure.
 */
export function edgeRateLimit(spec: Pick<TenantSpec, 'rateLimit' | 'scaling'>): EdgeRateLimit {
  if (spec.rateLimit) return { ...spec.rateLimit, source: 'tenant' };
  const metric = spec.scaling.metric as TenantSpec['scaling']['metric'] | undefined;
  const perReplica = metric?.requestRate
    ? metric.requestRate.target
    : metric?.concurrency
      ? metric.concurrency.target * REQUESTS_PER_SECOND_PER_SLOT
      : SERVICE_REPLICA_REQUESTS_PER_SECOND;
  const wanted = Math.ceil(RATE_LIMIT_HEADROOM * Math.max(1, spec.scaling.max) * perReplica);
  return { requests: Math.min(DEFAULT_RATE_LIMIT_BOUNDS.max, Math.max(DEFAULT_RATE_LIMIT_BOUNDS.min, wanted)), unit: 'Second', source: 'default' };
}
