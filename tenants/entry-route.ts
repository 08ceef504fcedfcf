/**
 * How a tenant's requests enter and how long its HTTPRoute waits: facts of the tenant file alone
 * (its kind, hosts, cold-start budget and response timeout), defined here, below the constructs
 * that write them (constructs/tenant-kinds.ts, constructs/tenant-entry.ts) and beside the
 * validation that bounds them (tenants/rules/edge-timeout.ts).
 */
import type { TenantKind } from './kinds';
import type { TenantSpec } from './schema';

/**
 * How requests enter: through the interceptor (0..N), straight to the tenant's Service while it is
 * up with the interceptor as the fallback (0..N, `routing: direct-when-warm`, docs/routing-modes.md),
 * or straight to the always-on Service.
 */
export type EntryBackend = 'interceptor' | 'direct-when-warm' | 'service';

/** A 0..N HTTP tenant's entry: its `routing` mode (default interceptor). */
const httpEntry = (spec: Pick<TenantSpec, 'routing'>): EntryBackend => (spec.routing === 'direct-when-warm' ? 'direct-when-warm' : 'interceptor');

/** Seconds the route timeout adds on top of the interceptor's cold-start wait and response timeout. */
export const ROUTE_TIMEOUT_MARGIN_SECONDS = 5;

/**
 * Each kind's entry: http and stateful tenants through the interceptor, a service with hosts
 * straight to its Service; undefined: no HTTPRoute (queue, scheduled and job tenants serve no requests,
 * a service without hosts is reached only inside the cluster).
 */
const KIND_ENTRY: { readonly [K in TenantKind]: (spec: Pick<TenantSpec, 'hosts' | 'routing'>) => EntryBackend | undefined } = {
  http: httpEntry,
  stateful: httpEntry,
  queue: () => undefined,
  scheduled: () => undefined,
  job: () => undefined,
  'cron-job': () => undefined,
  service: (spec) => (spec.hosts.length > 0 ? 'service' : undefined),
};

/** How requests reach a tenant of `kind` (the plan constructs/tenant-kinds.ts builds reads it). Pure. */
export function kindEntryBackend(kind: TenantKind, spec: Pick<TenantSpec, 'hosts' | 'routing'>): EntryBackend | undefined {
  return KIND_ENTRY[kind](spec);
}

/**
 * The HTTPRoute timeout of a tenant entry: through the interceptor, the cold-start budget +
 * response timeout + margin; straight to an always-on Service, the response timeout + margin.
 * The one definition: the construct writes it, validation (tenants/rules/edge-timeout.ts) and the
 * load balancer's idle timeout read it.
 */
export function entryRouteTimeoutSeconds(spec: Pick<TenantSpec, 'coldStartBudget' | 'responseTimeout'>, backend: EntryBackend): number {
  // direct-when-warm: a cold request still waits in the interceptor, so the same budget.
  return backend === 'service' ? spec.responseTimeout + ROUTE_TIMEOUT_MARGIN_SECONDS : routeTimeoutSeconds(spec.coldStartBudget, spec.responseTimeout);
}

/** The HTTPRoute timeout through the interceptor: cold-start budget + response timeout + ROUTE_TIMEOUT_MARGIN_SECONDS. */
export function routeTimeoutSeconds(coldStartBudget: number, responseTimeout: number): number {
  return coldStartBudget + responseTimeout + ROUTE_TIMEOUT_MARGIN_SECONDS;
}
