import { NAMESPACE_PREFIX } from '../../../tenants/schema';

/**
 * How a tenant shows up in the series Prometheus stores, in one place: every alert, recording rule
 * and dashboard query builds its tenant selectors from here, so renaming a tenant's namespace or
 * its route is one edit.
 *
 * - kube-state-metrics (scraped with honorLabels: true by kube-prometheus-stack 88.5.3, values.yaml
 *   `kube-state-metrics.prometheus.monitor.http.honorLabels`): `namespace` is the object's namespace.
 * - KEDA's operator (kedacore/charts@v2.20.2 keda/templates/manager/servicemonitor.yaml:31-58 has no
 *   honorLabels): Prometheus renames the series' own `namespace` to `exported_namespace` and sets
 *   `namespace="keda"` (the target's). kedacore/charts#434.
 * - the HTTP add-on interceptor (kedacore/http-add-on@v0.15.0 interceptor/metrics/instruments.go:20-24):
 *   `route_name`/`route_namespace` are the name and namespace of the InterceptorRoute the request
 *   matched (interceptor/middleware/routing.go:49-53; an HTTPScaledObject is turned into an
 *   InterceptorRoute of the same name, pkg/routing/table.go:72-90): the tenant's, in `tenant-<name>`.
 *   Unrouted requests (404) carry empty route labels. The PodMonitor keeps `namespace="keda"`.
 * - Envoy (routeStatName `%ROUTE_NAMESPACE%/%ROUTE_NAME%`, see edge-route-stats.ts): `envoy_route`
 *   is `<namespace>/<HTTPRoute name>`.
 */
export const TENANT_SERIES = {
  /** Tenant namespaces: `tenant-<name>`. */
  namespaceRegex: `${NAMESPACE_PREFIX}.+`,
  /** The label KEDA's operator series carry the tenant namespace in (see above). */
  kedaNamespaceLabel: 'exported_namespace',
  /** The label the interceptor's series carry the tenant namespace in. */
  interceptorNamespaceLabel: 'route_namespace',
  /** Envoy's route tag; value `<namespace>/<route>`. */
  envoyRouteLabel: 'envoy_route',
  /** The value BackendTrafficPolicy.telemetry.metrics.routeStatName gives the route stats. */
  envoyRouteStatName: '%ROUTE_NAMESPACE%/%ROUTE_NAME%',
} as const;

/** The namespace of a tenant. */
export function tenantNamespace(name: string): string {
  return `${NAMESPACE_PREFIX}${name}`;
}

/** Label matcher selecting tenant namespaces in `label` (default `namespace`). */
export function tenantMatcher(label = 'namespace'): string {
  return `${label}=~"${TENANT_SERIES.namespaceRegex}"`;
}

/**
 * Wraps an instant-vector expression so that the tenant namespace held in `from` is copied into
 * `namespace` (alerts and dashboards then group and link by one label).
 */
export function asNamespace(expr: string, from: string): string {
  return `label_replace(${expr}, "namespace", "$1", "${from}", "(.+)")`;
}

/** Copies the namespace part of Envoy's `envoy_route` (`<namespace>/<route>`) into `namespace`. */
export function envoyRouteAsNamespace(expr: string): string {
  return `label_replace(${expr}, "namespace", "$1", "${TENANT_SERIES.envoyRouteLabel}", "([^/]+)/.*")`;
}

/** Envoy route matcher for tenant routes. */
export function envoyTenantRouteMatcher(): string {
  return `${TENANT_SERIES.envoyRouteLabel}=~"${TENANT_SERIES.namespaceRegex.replace('.+', '[^/]+')}/.+"`;
}
