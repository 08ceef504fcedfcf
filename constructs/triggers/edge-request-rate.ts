import { durationMs } from '../../tenants/validate';
import type { TenantSpec } from '../../tenants/schema';
import { TENANT_SERIES } from '../platform/monitoring/tenant-series';
import { KedaTrigger } from './keda-trigger';

/**
 * The kube-prometheus-stack Prometheus Service: release `kube-prometheus-stack` (versions.ts) →
 * fullname `kube-prometheus-stack` → Service `kube-prometheus-stack-prometheus`, port 9090
 * (kube-prometheus-stack 88.5.3 templates/_helpers.tpl fullname; templates/prometheus/service.yaml).
 */
export const PROMETHEUS_SERVICE = { name: 'kube-prometheus-stack-prometheus', port: 9090 } as const;

/**
 * Shortest rate() window: kube-prometheus-stack scrapes every 30 s (its default
 * `prometheus.prometheusSpec.scrapeInterval`), and rate() needs two samples in the window.
 */
export const MIN_RATE_WINDOW_SECONDS = 60;

/** The Prometheus URL KEDA's operator queries (in-cluster, plain HTTP). */
export function prometheusServerAddress(monitoringNamespace: string): string {
  return `http://${PROMETHEUS_SERVICE.name}.${monitoringNamespace}.svc:${PROMETHEUS_SERVICE.port}`;
}

/**
 * The Envoy cluster Envoy Gateway builds for rule 0 of an HTTPRoute: `httproute/<ns>/<name>/rule/0`
 * (envoyproxy/gateway@v1.9.0 internal/gatewayapi/route.go:295 irRouteDestinationName; the name is
 * visible in internal/gatewayapi/testdata/backend-with-fallback.out.yaml:181). With a fallback
 * Backend every backend of the rule stays in this one cluster (route.go:921-928), so the
 * cluster's gauges cover the direct and the interceptor priority together.
 */
export function routeClusterName(namespace: string, route: string): string {
  return `httproute/${namespace}/${route}/rule/0`;
}

/**
 * The PromQL a direct-when-warm tenant scales on, from Envoy's own stats (every request of the
 * tenant passes Envoy, warm or cold):
 * - requestRate: requests per second on the tenant's route, `envoy_vhost_route_upstream_rq`
 *   (route stats named by routeStatName `%ROUTE_NAMESPACE%/%ROUTE_NAME%`, edge-route-stats.ts;
 *   `envoy_response_code!=""` keeps the per-code series and drops the per-class ones, as the
 *   Grafana dashboard does), over the tenant's window but at least MIN_RATE_WINDOW_SECONDS.
 * - concurrency: requests in flight in the route's cluster, `envoy_cluster_upstream_rq_active`
 *   (Envoy tags `cluster.<name>.` as `envoy_cluster_name`).
 * Summed over every Envoy proxy pod.
 */
export function edgeRequestQuery(namespace: string, route: string, metric: TenantSpec['scaling']['metric']): string {
  if (metric.requestRate) {
    const seconds = Math.max(MIN_RATE_WINDOW_SECONDS, Math.round(durationMs(metric.requestRate.window) / 1000));
    return `sum(rate(envoy_vhost_route_upstream_rq{envoy_response_code!="",${TENANT_SERIES.envoyRouteLabel}="${namespace}/${route}"}[${seconds}s]))`;
  }
  return `sum(envoy_cluster_upstream_rq_active{envoy_cluster_name="${routeClusterName(namespace, route)}"})`;
}

/** The per-replica target of the tenant's metric (requests per second, or requests in flight). */
export function edgeRequestThreshold(metric: TenantSpec['scaling']['metric']): number {
  return metric.requestRate ? metric.requestRate.target : metric.concurrency!.target;
}

/**
 * The KEDA `prometheus` trigger beside `external-push` for a direct-when-warm tenant: warm
 * requests bypass the interceptor, so the add-on's metric sees only the cold ones and alone would
 * let KEDA scale a busy tenant to zero. Metadata as read by kedacore/keda@v2.20.2
 * pkg/scalers/prometheus_scaler.go:49-56 (serverAddress, query, threshold, activationThreshold,
 * ignoreNullValues default true). `threshold` is an AverageValue target (GetMetricTargetType,
 * :77), so the HPA asks for ceil(query / threshold) replicas; the trigger is active while the
 * query is above `activationThreshold` 0 (:319), i.e. while any request flows. An empty result
 * (no series yet) reads as 0 (:267-270). KEDA scales to zero only after every trigger has been
 * inactive for cooldownPeriod, so the cooldown semantics are those of the interceptor mode.
 */
export function edgeRequestTrigger(namespace: string, route: string, metric: TenantSpec['scaling']['metric'], monitoringNamespace: string): KedaTrigger {
  return {
    type: 'prometheus',
    metadata: {
      serverAddress: prometheusServerAddress(monitoringNamespace),
      query: edgeRequestQuery(namespace, route, metric),
      threshold: String(edgeRequestThreshold(metric)),
      activationThreshold: '0',
    },
  };
}
