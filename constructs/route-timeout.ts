/**
 * The HTTPRoute timeouts of a tenant entry, pure: the construct (constructs/tenant-entry.ts) writes
 * them, validation (tenants/rules/edge-timeout.ts), `explain` and the load balancer's idle timeout
 * read them. Apart from the construct so that reading them does not load cdk8s.
 */
import type { TenantSpec } from '../tenants/schema';
import type { EntryBackend } from './tenant-kinds';

/** Seconds the route timeout adds on top of the interceptor's cold-start wait and response timeout. */
export const ROUTE_TIMEOUT_MARGIN_SECONDS = 5;

/**
 * The HTTPRoute timeout of a tenant entry: through the interceptor, the cold-start budget +
 * response timeout + margin; straight to an always-on Service, the response timeout + margin.
 * The one definition: the construct writes it, validation (tenants/rules/edge-timeout.ts) and the
 * load balancer's idle timeout read it.
 */
export function entryRouteTimeoutSeconds(spec: Pick<TenantSpec, 'coldStartBudget' | 'responseTimeout'>, backend: EntryBackend): number {
  return backend === 'interceptor' ? routeTimeoutSeconds(spec.coldStartBudget, spec.responseTimeout) : spec.responseTimeout + ROUTE_TIMEOUT_MARGIN_SECONDS;
}

/** The HTTPRoute timeout through the interceptor: cold-start budget + response timeout + ROUTE_TIMEOUT_MARGIN_SECONDS. */
export function routeTimeoutSeconds(coldStartBudget: number, responseTimeout: number): number {
  return coldStartBudget + responseTimeout + ROUTE_TIMEOUT_MARGIN_SECONDS;
}
