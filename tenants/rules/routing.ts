/** routing: direct-when-warm needs a cooldown longer than the lag of the signal that keeps it up. */
import type { Problem } from '../problem';
import type { TenantSpec } from '../schema';
import { tenantKind } from '../kind-rules';

/** Prometheus scrape interval the platform runs (kube-prometheus-stack default). */
export const PROMETHEUS_SCRAPE_SECONDS = 30;
/** KEDA's polling interval (ScaledObject pollingInterval unset: 30 s). */
export const KEDA_POLLING_SECONDS = 30;
/**
 * Worst-case seconds before KEDA sees warm traffic of a direct-when-warm tenant: two scrapes (rate()
 * needs two samples) and one poll. simulate/routing.ts models the same lag.
 */
export const DIRECT_SIGNAL_LAG_SECONDS = 2 * PROMETHEUS_SCRAPE_SECONDS + KEDA_POLLING_SECONDS;

/**
 * A direct-when-warm tenant whose scaledownPeriod is at most the signal lag: after a wake, the
 * interceptor sees no more requests (they go direct) and the Prometheus trigger is not active yet,
 * so KEDA scales the tenant to zero in the middle of its traffic. Kinds without an HTTP entry
 * ignore routing. Pure.
 */
export function routingProblems(spec: Pick<TenantSpec, 'name' | 'routing' | 'scaling' | 'kind' | 'stateful'>): Problem[] {
  // Only the kinds served through the interceptor have a routing mode (constructs/tenant-kinds.ts httpServed).
  const kind = tenantKind(spec);
  if (kind !== 'http' && kind !== 'stateful') return [];
  if (spec.routing !== 'direct-when-warm' || spec.scaling.scaledownPeriod > DIRECT_SIGNAL_LAG_SECONDS) return [];
  return [
    {
      tenant: spec.name,
      field: 'scaling.scaledownPeriod',
      value: spec.scaling.scaledownPeriod,
      message: `routing direct-when-warm: warm requests bypass the interceptor and reach KEDA only through Prometheus, up to ${DIRECT_SIGNAL_LAG_SECONDS} s late (two ${PROMETHEUS_SCRAPE_SECONDS} s scrapes and a ${KEDA_POLLING_SECONDS} s poll); a cooldown of ${spec.scaling.scaledownPeriod} s scales the tenant to zero while requests flow`,
      allowed: `scaledownPeriod > ${DIRECT_SIGNAL_LAG_SECONDS} with routing direct-when-warm`,
      fix: `raise scaling.scaledownPeriod above ${DIRECT_SIGNAL_LAG_SECONDS} (300 is KEDA's default), or use routing: interceptor`,
    },
  ];
}
