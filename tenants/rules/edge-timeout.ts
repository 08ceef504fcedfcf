/**
 * The end of the cold-start chain: DigitalOcean's load balancer in front of the Gateway closes a
 * connection that stays idle longer than its HTTP idle timeout, at most 600 s. While the
 * interceptor holds a request for a waking tenant, no byte flows, so every route's timeout must fit
 * under that maximum, or the balancer cuts the wait before the route, whatever the budget says.
 */
import { DO_LB_IDLE_TIMEOUT } from '../../core/digitalocean';
import { EntryBackend, entryRouteTimeoutSeconds, kindEntryBackend, ROUTE_TIMEOUT_MARGIN_SECONDS } from '../entry-route';
import { tenantKind } from '../kind-rules';
import type { Problem } from '../problem';
import type { TenantSpec } from '../schema';

/** How the tenant's route reaches it (tenants/entry-route.ts, which the construct's plan reads too), or undefined without a route. */
function entryOf(spec: TenantSpec): EntryBackend | undefined {
  return kindEntryBackend(tenantKind(spec), spec);
}

/**
 * The HTTPRoute timeout the construct writes for a tenant (tenants/entry-route.ts
 * entryRouteTimeoutSeconds, by the entry its kind's plan gives), or undefined without a route
 * (queue, scheduled, a service without hosts). Pure.
 */
export function tenantRouteTimeoutSeconds(spec: TenantSpec): number | undefined {
  const entry = entryOf(spec);
  return entry === undefined ? undefined : entryRouteTimeoutSeconds(spec, entry);
}

/** A tenant whose route outlasts the load balancer's longest idle timeout. Pure. */
export function edgeTimeoutProblems(spec: TenantSpec): Problem[] {
  const entry = entryOf(spec);
  if (entry === undefined) return [];
  const route = entryRouteTimeoutSeconds(spec, entry);
  const max = DO_LB_IDLE_TIMEOUT.maxSeconds;
  if (route <= max) return [];
  // Both 0..N entries hold a cold request in the interceptor.
  const interceptor = entry !== 'service';
  const spare = max - ROUTE_TIMEOUT_MARGIN_SECONDS - (interceptor ? spec.responseTimeout : 0);
  return [
    {
      tenant: spec.name,
      field: interceptor ? 'coldStartBudget' : 'responseTimeout',
      value: interceptor ? spec.coldStartBudget : spec.responseTimeout,
      message: `the route waits ${route} s (${interceptor ? `coldStartBudget ${spec.coldStartBudget} + responseTimeout ${spec.responseTimeout}` : `responseTimeout ${spec.responseTimeout}`} + ${ROUTE_TIMEOUT_MARGIN_SECONDS} s margin), but DigitalOcean's load balancer closes an idle connection after at most ${max} s (http_idle_timeout_seconds 30-600), so the client is cut off first`,
      allowed: `${interceptor ? 'coldStartBudget + responseTimeout' : 'responseTimeout'} + ${ROUTE_TIMEOUT_MARGIN_SECONDS} ≤ ${max}`,
      fix: interceptor
        ? spare >= 5
          ? `lower coldStartBudget to at most ${spare} (or lower responseTimeout)`
          : `lower responseTimeout (a ${spec.responseTimeout} s response leaves no room for a wake under ${max} s), or stream the response`
        : `lower responseTimeout to at most ${spare}, or stream the response so bytes keep flowing`,
    },
  ];
}

/** The tenant with the longest route timeout, if any tenant has a route. Pure. */
export function longestRoute(tenants: readonly TenantSpec[]): { tenant: string; seconds: number } | undefined {
  let longest: { tenant: string; seconds: number } | undefined;
  for (const t of tenants) {
    const route = tenantRouteTimeoutSeconds(t);
    if (route !== undefined && (longest === undefined || route > longest.seconds)) longest = { tenant: t.name, seconds: route };
  }
  return longest;
}
