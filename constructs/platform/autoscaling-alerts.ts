import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr as Expr } from '../imports/monitoring.coreos.com';
import { DEFAULT_PLATFORM_SETTINGS, LABELS, MANAGER, PlatformSettings } from '../platform-settings';
import { NAMESPACE_PREFIX } from '../../tenants/schema';

/** Name of the PrometheusRule that holds the tenant autoscaling alerts. */
export const AUTOSCALING_ALERTS_NAME = 'tenantscale-autoscaling';

export interface AutoscalingAlertsProps {
  /**
   * Where the rule lives (its monitoring namespace) and how tenant namespaces are named.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * How long tenant pods may stay Pending before the cold-start alert fires.
   * @default '2m'
   */
  readonly pendingFor?: string;
  /**
   * How long a tenant may run at its max replicas before the capacity alert fires.
   * @default '15m'
   */
  readonly maxedOutFor?: string;
}

/**
 * Alerts for the failures the lessons say are silent: a scaler KEDA cannot read (a sleeping
 * tenant never wakes), tenant pods Pending (the first request waits for a new node, or the pool is
 * at its max), a tenant pinned at its max replicas, and tenant containers killed for memory (read
 * the VPA recommendation). They use KEDA's operator metrics and kube-state-metrics, both scraped by
 * kube-prometheus-stack, whose Prometheus selects PrometheusRules in every namespace.
 */
export class AutoscalingAlerts extends Construct {
  public readonly rule: PrometheusRule;

  constructor(scope: Construct, id: string, props: AutoscalingAlertsProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const pendingFor = props.pendingFor ?? '2m';
    const maxedOutFor = props.maxedOutFor ?? '15m';
    const tenants = `namespace=~"${NAMESPACE_PREFIX}.+"`;

    this.rule = new PrometheusRule(this, 'rule', {
      metadata: {
        name: AUTOSCALING_ALERTS_NAME,
        namespace: settings.monitoringNamespace,
        labels: { [LABELS.partOf]: MANAGER, [LABELS.managedBy]: MANAGER },
      },
      spec: {
        groups: [
          {
            name: 'tenantscale.autoscaling',
            rules: [
              {
                alert: 'TenantScalerErrors',
                expr: Expr.fromString(
                  `sum by (namespace, scaledObject) (rate(keda_scaled_object_errors_total{${tenants}}[5m])) > 0`,
                ),
                for: '5m',
                labels: { severity: 'warning' },
                annotations: {
                  summary: 'KEDA cannot evaluate the scaler of {{ $labels.namespace }}/{{ $labels.scaledObject }}',
                  description:
                    'While its trigger cannot be read, a tenant at zero replicas does not wake up. ' +
                    'Read the events: kubectl describe scaledobject -n {{ $labels.namespace }} {{ $labels.scaledObject }}',
                },
              },
              {
                alert: 'TenantPodsPending',
                expr: Expr.fromString(`sum by (namespace) (kube_pod_status_phase{phase="Pending", ${tenants}}) > 0`),
                for: pendingFor,
                labels: { severity: 'warning' },
                annotations: {
                  summary: 'Pods of {{ $labels.namespace }} cannot be scheduled',
                  description:
                    'Held requests wait while the cluster autoscaler adds a node (about 30-45 s), or until the cold-start ' +
                    'budget runs out if the node pool is at its max. Check the pool max and kubectl describe pod -n {{ $labels.namespace }}.',
                },
              },
              {
                alert: 'TenantAtMaxReplicas',
                expr: Expr.fromString(
                  `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${tenants}}) ` +
                    `>= max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${tenants}})`,
                ),
                for: maxedOutFor,
                labels: { severity: 'info' },
                annotations: {
                  summary: '{{ $labels.namespace }} has run at its max replicas for ' + maxedOutFor,
                  description: 'Requests queue in the interceptor. Raise scaling.max of the tenant in tenants/tenants.yaml if the load is real.',
                },
              },
              {
                alert: 'TenantContainerOOMKilled',
                expr: Expr.fromString(
                  `(sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{${tenants}}[15m])) > 0) ` +
                    `and on (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled", ${tenants}} == 1)`,
                ),
                labels: { severity: 'warning' },
                annotations: {
                  summary: '{{ $labels.namespace }}/{{ $labels.pod }} was killed for exceeding its memory limit',
                  description:
                    'Read the VPA recommendation (kubectl describe vpa -n {{ $labels.namespace }}) and raise resources.limits.memory in tenants/tenants.yaml.',
                },
              },
            ],
          },
        ],
      },
    });
  }
}
