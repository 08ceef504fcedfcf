import { NODE_POOL_MAX } from './node-pool-rules';
import { WAKE_RECORDS } from './wake-latency';
import { asNamespace, TENANT_SERIES, tenantMatcher } from './tenant-series';

/** One alerting rule, as Prometheus reads it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Seconds before expiry at which a certificate that has not been renewed alerts: 14 days. */
export const CERTIFICATE_EXPIRY_ALERT_SECONDS = 14 * 24 * 3600;

/**
 * cert-manager's certificate series as Prometheus stores them: its collector exports them per
 * Certificate with the Certificate's `namespace` (cert-manager/cert-manager@v1.21.1
 * internal/collectors/certificate_collector.go:30,33), and the chart's ServiceMonitor keeps
 * honorLabels false (deploy/charts/cert-manager/values.yaml:687), so that namespace arrives as
 * `exported_namespace`; copied back into `namespace` here.
 */
function certificateSeries(selector: string): string {
  return asNamespace(selector, 'exported_namespace');
}

/** Options of the alert rules. */
export interface AlertRuleOptions {
  /** How long tenant pods may stay Pending before the cold-start alert fires. */
  readonly pendingFor: string;
  /** How long a tenant may run at its max replicas before the capacity alert fires. */
  readonly maxedOutFor: string;
  /** Where docs/runbooks.md is published; each alert links `<runbookUrl>#<alert in lower case>`. */
  readonly runbookUrl: string;
  /** Requests the interceptor may hold for one tenant before the pile-up alert fires. */
  readonly pendingRequestsThreshold: number;
}

/** Alert names, in the order of docs/runbooks.md. */
export const ALERTS = [
  'TenantScalerErrors',
  'TenantScaledObjectNotReady',
  'TenantPodsPending',
  'TenantAtMaxReplicas',
  'TenantHPAScalingInactive',
  'TenantContainerOOMKilled',
  'TenantWakeOverBudget',
  'InterceptorPendingRequestsPilingUp',
  'NodePoolAtMax',
  'CertificateNotReady',
  'CertificateExpiringSoon',
] as const;

export type AlertName = (typeof ALERTS)[number];

/** The anchor docs/runbooks.md gives the alert's heading. */
export function runbookAnchor(alert: AlertName): string {
  return alert.toLowerCase();
}

/**
 * The alerts for the lessons' silent failures (seed 000 "Common Pitfalls", seed 003 on watching the
 * HPA). Every expression is written against the labels Prometheus stores (TENANT_SERIES) and is
 * unit-tested with promtool (test/promtool/).
 */
export function alertRules(o: AlertRuleOptions): AlertRule[] {
  const t = tenantMatcher();
  const keda = tenantMatcher(TENANT_SERIES.kedaNamespaceLabel);
  const route = tenantMatcher(TENANT_SERIES.interceptorNamespaceLabel);
  const link = (a: AlertName) => ({ runbook_url: `${o.runbookUrl}#${runbookAnchor(a)}` });
  return [
    {
      alert: 'TenantScalerErrors',
      // KEDA's series carry the ScaledObject's namespace in exported_namespace (no honorLabels).
      expr: `sum by (namespace, scaledObject) (${asNamespace(
        `rate(keda_scaled_object_errors_total{${keda}}[5m])`,
        TENANT_SERIES.kedaNamespaceLabel,
      )}) > 0`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'KEDA cannot evaluate the scaler of {{ $labels.namespace }}/{{ $labels.scaledObject }}',
        description:
          'While its trigger cannot be read, a tenant at zero replicas does not wake up. ' +
          'Read the events: kubectl describe scaledobject -n {{ $labels.namespace }} {{ $labels.scaledObject }}',
        ...link('TenantScalerErrors'),
      },
    },
    {
      alert: 'TenantScaledObjectNotReady',
      // kube-state-metrics custom-resource metric (kube-prometheus-stack.ts SCALEDOBJECT_STATE_METRICS).
      expr: `max by (namespace, scaledobject) (tenantscale_scaledobject_status_condition{type="Ready", status="True", ${t}}) == 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'ScaledObject {{ $labels.namespace }}/{{ $labels.scaledobject }} is not Ready',
        description:
          'KEDA does not scale a ScaledObject that is not Ready: the tenant stays at its current size (or asleep). ' +
          'kubectl get scaledobject -n {{ $labels.namespace }} {{ $labels.scaledobject }} -o yaml, read status.conditions.',
        ...link('TenantScaledObjectNotReady'),
      },
    },
    {
      alert: 'TenantPodsPending',
      // Value: seconds the oldest Pending pod of the tenant has waited.
      expr:
        `max by (namespace) ((time() - kube_pod_created{${t}}) ` +
        `and on (namespace, pod) (kube_pod_status_phase{phase="Pending", ${t}} == 1)) > 0`,
      for: o.pendingFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Pods of {{ $labels.namespace }} have been Pending for {{ $value | humanizeDuration }}',
        description:
          'Held requests wait while the cluster autoscaler adds a node (about 30-45 s), or until the cold-start ' +
          'budget runs out if the node pool is at its max. kubectl describe pod -n {{ $labels.namespace }}, read Events.',
        ...link('TenantPodsPending'),
      },
    },
    {
      alert: 'TenantAtMaxReplicas',
      expr:
        `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${t}}) ` +
        `>= max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${t}})`,
      for: o.maxedOutFor,
      labels: { severity: 'info' },
      annotations: {
        summary: `{{ $labels.namespace }} has run at its max replicas for ${o.maxedOutFor}`,
        description: 'Requests queue in the interceptor. Raise scaling.max of the tenant in tenants/tenants.yaml if the load is real.',
        ...link('TenantAtMaxReplicas'),
      },
    },
    {
      alert: 'TenantHPAScalingInactive',
      // A KEDA HPA of a tenant at zero reports ScalingActive=false (ScalingDisabled) by design: skip sleeping tenants.
      expr:
        `(max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_condition{condition="ScalingActive", status=~"false|unknown", ${t}}) == 1) ` +
        `unless on (namespace) (${WAKE_RECORDS.desired} == 0)`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} cannot compute its metrics',
        description:
          'The HPA holds the current replica count: no scale-up under load. Usually a container without resources.requests ' +
          '(FailedGetResourceMetric) or a metric the adapter cannot serve. kubectl describe hpa -n {{ $labels.namespace }}.',
        ...link('TenantHPAScalingInactive'),
      },
    },
    {
      alert: 'TenantContainerOOMKilled',
      expr:
        `(sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{${t}}[15m])) > 0) ` +
        `and on (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled", ${t}} == 1)`,
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.namespace }}/{{ $labels.pod }} was killed for exceeding its memory limit',
        description:
          'The VPA recommends ' +
          '{{ with printf `tenantscale_vpa_target_memory_bytes{namespace="%s", container="%s"}` $labels.namespace $labels.container | query }}' +
          '{{ . | first | value | humanize1024 }}B{{ else }}nothing yet{{ end }} for this container ' +
          '(kubectl describe vpa -n {{ $labels.namespace }}); raise resources.limits.memory in tenants/tenants.yaml toward it.',
        ...link('TenantContainerOOMKilled'),
      },
    },
    {
      alert: 'TenantWakeOverBudget',
      expr: `${WAKE_RECORDS.wakeP95} > on (namespace) ${WAKE_RECORDS.budget}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'p95 wake of {{ $labels.namespace }} over the last day is {{ $value | humanizeDuration }}, above its cold-start budget',
        description:
          'Requests held longer than the budget time out at the edge. Split the wake: ' +
          `${WAKE_RECORDS.wakeNodeWaitP95} (waiting for a node) against ${WAKE_RECORDS.wakeStartP95} (image pull and start).`,
        ...link('TenantWakeOverBudget'),
      },
    },
    {
      alert: 'InterceptorPendingRequestsPilingUp',
      expr:
        `sum by (namespace) (${asNamespace(`interceptor_request_concurrency{${route}}`, TENANT_SERIES.interceptorNamespaceLabel)}) ` +
        `> ${o.pendingRequestsThreshold}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The interceptor holds {{ $value }} requests for {{ $labels.namespace }}',
        description:
          'Requests pile up in the interceptor when the tenant cannot wake or scale out. kubectl get scaledobject,deploy,pods -n {{ $labels.namespace }}.',
        ...link('InterceptorPendingRequestsPilingUp'),
      },
    },
    {
      alert: 'NodePoolAtMax',
      expr:
        `(count by (node_pool) (label_replace(kube_node_labels, "node_pool", "$1", "label_doks_digitalocean_com_node_pool", "(.+)")) ` +
        `>= on (node_pool) ${NODE_POOL_MAX}) ` +
        `and on () (sum(kube_pod_status_phase{phase="Pending", ${t}}) > 0)`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Node pool {{ $labels.node_pool }} is at its max while tenant pods are Pending',
        description:
          'The cluster autoscaler cannot add a node: tenants that wake now wait out their budget. Raise the pool max_nodes (Pulumi config) or lower tenant requests.',
        ...link('NodePoolAtMax'),
      },
    },
    {
      alert: 'CertificateNotReady',
      // One series per condition status, 1 on the Certificate's current Ready status, Unknown when
      // it has none yet (certificate_collector.go:80-110). The wildcard certificate and every
      // customer-domain certificate; an hour covers a normal issuance (minutes) and DNS propagation.
      expr: `max by (namespace, name) (${certificateSeries('certmanager_certificate_ready_status{condition!="True"}')}) == 1`,
      for: '1h',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} has not been Ready for an hour',
        description:
          'Its hosts are served with the previous certificate, or none (browsers and webhooks refuse them). Usually a DNS record that ' +
          'does not point at the Gateway yet (HTTP-01) or a DNS token without write access (DNS-01). ' +
          'kubectl describe certificate -n {{ $labels.namespace }} {{ $labels.name }}; kubectl get challenge -A.',
        ...link('CertificateNotReady'),
      },
    },
    {
      alert: 'CertificateExpiringSoon',
      // Value: seconds left. 0 means no certificate issued yet (certificate_collector.go:156-175): not counted here
      // (CertificateNotReady covers it). cert-manager renews at two thirds of the lifetime unless told otherwise
      // (cert-manager/cert-manager@v1.21.1 pkg/util/pki/renewaltime.go:53,141-142): 30 days before a 90-day Let's
      // Encrypt certificate expires, so 14 days left means renewal has failed for over two weeks.
      expr: `min by (namespace, name) (${certificateSeries('certmanager_certificate_expiration_timestamp_seconds > 0')} - time()) < ${CERTIFICATE_EXPIRY_ALERT_SECONDS}`,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }} and has not been renewed',
        description:
          'When it expires, HTTPS to its hosts fails for every client. kubectl describe certificate -n {{ $labels.namespace }} {{ $labels.name }}; ' +
          'read the CertificateRequest and Order events; cmctl renew -n {{ $labels.namespace }} {{ $labels.name }} after the fix.',
        ...link('CertificateExpiringSoon'),
      },
    },
  ];
}
