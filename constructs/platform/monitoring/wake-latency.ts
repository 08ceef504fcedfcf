import { envoyRouteAsNamespace, envoyTenantRouteMatcher, tenantMatcher } from './tenant-series';

/**
 * Wake latency per tenant, as recording rules. Two views of one wake:
 *
 * - Pod side (what the alert reads): a pod that exists while its tenant has replicas desired but
 *   none ready is a wake pod; its start is kube_pod_status_ready_time − kube_pod_created
 *   (kube-state-metrics v2.20, timestamps in seconds). Node provisioning, image pull and app start
 *   are all inside it. The creation time is latched by a recording rule (`last_over_time`) because
 *   the "no ready replica" moment is gone by the time the pod is ready.
 * - Edge (what the client felt): Envoy's per-route `upstream_rq_time` histogram (milliseconds,
 *   Envoy's default buckets reach 60 s, 300 s, … 3600 s; the interceptor's own histogram stops at
 *   10 s, kedacore/http-add-on@v0.15.0 interceptor/metrics/instruments.go:79-81), kept only for the
 *   5-minute windows in which the tenant was waking.
 */
export const WAKE_RECORDS = {
  desired: 'tenantscale:tenant_desired_replicas',
  ready: 'tenantscale:tenant_ready_replicas',
  waking: 'tenantscale:tenant_waking',
  wakePodCreated: 'tenantscale:wake_pod_created_timestamp_seconds',
  wakePodStart: 'tenantscale:wake_pod_start_seconds',
  wakeNodeWait: 'tenantscale:wake_pod_scheduling_seconds',
  wakeStart: 'tenantscale:wake_pod_startup_seconds',
  wakeP95: 'tenantscale:tenant_wake_seconds:p95_1d',
  wakeNodeWaitP95: 'tenantscale:tenant_wake_scheduling_seconds:p95_1d',
  wakeStartP95: 'tenantscale:tenant_wake_startup_seconds:p95_1d',
  wakesPerDay: 'tenantscale:tenant_wakes:count_1d',
  edgeBuckets: 'tenantscale:edge_request_duration_milliseconds_bucket:rate5m',
  wakeRequestBuckets: 'tenantscale:wake_request_duration_milliseconds_bucket:rate5m',
  wakeRequestP95: 'tenantscale:tenant_wake_request_seconds:p95_5m',
  budget: 'tenantscale:tenant_cold_start_budget_seconds',
} as const;

/** One recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
}

/** How far back a wake pod's creation time is remembered (a pod not ready after this is not a wake). */
const LATCH = '2h';

/** The recording rules, in evaluation order (later rules read earlier ones in the same group). */
export function wakeLatencyRules(): RecordingRule[] {
  const t = tenantMatcher();
  const r = WAKE_RECORDS;
  return [
    { record: r.desired, expr: `sum by (namespace) (kube_deployment_spec_replicas{${t}})` },
    { record: r.ready, expr: `sum by (namespace) (kube_deployment_status_replicas_available{${t}})` },
    {
      record: r.waking,
      expr: `clamp_max(${r.desired} > 0, 1) unless on (namespace) (${r.ready} > 0)`,
    },
    {
      record: r.wakePodCreated,
      expr: `max by (namespace, pod) (kube_pod_created{${t}}) and on (namespace) ${r.waking}`,
    },
    {
      record: r.wakePodStart,
      expr:
        `(max by (namespace, pod) (kube_pod_status_ready_time{${t}}) ` +
        `and on (namespace, pod) (max by (namespace, pod) (kube_pod_status_ready{condition="true", ${t}}) == 1)) ` +
        `- on (namespace, pod) max by (namespace, pod) (last_over_time(${r.wakePodCreated}[${LATCH}]))`,
    },
    // The two halves of a wake (the lessons: node provisioning vs image bloat and dependency drift):
    // created -> scheduled (waiting for a node) and scheduled -> Ready (image pull, start, probes).
    {
      record: r.wakeNodeWait,
      expr:
        `max by (namespace, pod) (kube_pod_status_scheduled_time{${t}}) ` +
        `- on (namespace, pod) max by (namespace, pod) (last_over_time(${r.wakePodCreated}[${LATCH}]))`,
    },
    {
      record: r.wakeStart,
      expr: `${r.wakePodStart} - on (namespace, pod) ${r.wakeNodeWait}`,
    },
    { record: r.wakeP95, expr: `quantile by (namespace) (0.95, last_over_time(${r.wakePodStart}[1d]))` },
    { record: r.wakeNodeWaitP95, expr: `quantile by (namespace) (0.95, last_over_time(${r.wakeNodeWait}[1d]))` },
    { record: r.wakeStartP95, expr: `quantile by (namespace) (0.95, last_over_time(${r.wakeStart}[1d]))` },
    { record: r.wakesPerDay, expr: `count by (namespace) (last_over_time(${r.wakePodStart}[1d]))` },
    {
      record: r.edgeBuckets,
      expr: `sum by (namespace, le) (${envoyRouteAsNamespace(
        `rate(envoy_vhost_route_upstream_rq_time_bucket{${envoyTenantRouteMatcher()}}[5m])`,
      )})`,
    },
    {
      record: r.wakeRequestBuckets,
      expr: `${r.edgeBuckets} and on (namespace) (max_over_time(${r.waking}[5m]) > 0)`,
    },
    { record: r.wakeRequestP95, expr: `histogram_quantile(0.95, ${r.wakeRequestBuckets}) / 1000` },
  ];
}
