import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../platform-settings';
import { releaseArgs } from './helm-release';
import { kubernetesResource } from './kubernetes-resource';
import { BudgetTenant } from './monitoring/cold-start-budgets';
import { NodePoolLimit } from './monitoring/node-pool-rules';
import { monitoringManifests } from './platform-manifests';
import { CHARTS } from './versions';
import { BilledFixedItems } from '../../core/prices';

/**
 * kube-state-metrics (chart 8.4.0, app v2.20.0, a kube-prometheus-stack 88.5.3 dependency) values:
 * - the DOKS node-pool label and the Droplet size on kube_node_labels
 *   (`label_doks_digitalocean_com_node_pool`, `label_node_kubernetes_io_instance_type`; the running
 *   cost joins the size with the price table, monitoring/cost-rules.ts). kube-state-metrics leaves
 *   every Kubernetes label out unless allow-listed (kubernetes/kube-state-metrics@v2.20.0
 *   internal/store/node.go:210-232, internal/store/utils.go:198-231); the chart passes the list as
 *   `--metric-labels-allowlist` (prometheus-community/helm-charts@kube-state-metrics-8.4.0
 *   charts/kube-state-metrics/templates/deployment.yaml:100-101; kube-prometheus-stack 88.5.3 sets none);
 * - ScaledObject conditions as `tenantscale_scaledobject_status_condition{namespace, scaledobject,
 *   type, status}` (custom-resource-state StateSet: 1 for the condition's current status, 0 for the
 *   others), plus the RBAC to list and watch ScaledObjects. KEDA exports no readiness metric;
 * - the VPA recommendation (target) per container as `tenantscale_vpa_target_cpu_cores` and
 *   `tenantscale_vpa_target_memory_bytes{namespace, verticalpodautoscaler, container}`:
 *   kube-state-metrics dropped its VPA metrics in v2.9, and custom-resource-state gauges parse
 *   quantity strings ("250m", "256Mi"; kubernetes/kube-state-metrics@v2.20.0
 *   pkg/customresourcestate/registry_factory.go:745-777).
 * kube-prometheus-stack scrapes kube-state-metrics with honorLabels: true, so `namespace` is the object's.
 */
export const KUBE_STATE_METRICS_VALUES = {
  metricLabelsAllowlist: ['nodes=[doks.digitalocean.com/node-pool,node.kubernetes.io/instance-type]'],
  rbac: {
    extraRules: [
      { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['list', 'watch'] },
      { apiGroups: ['autoscaling.k8s.io'], resources: ['verticalpodautoscalers'], verbs: ['list', 'watch'] },
    ],
  },
  customResourceState: {
    enabled: true,
    config: {
      kind: 'CustomResourceStateMetrics',
      spec: {
        resources: [
          {
            groupVersionKind: { group: 'keda.sh', version: 'v1alpha1', kind: 'ScaledObject' },
            metricNamePrefix: 'tenantscale_scaledobject',
            labelsFromPath: { namespace: ['metadata', 'namespace'], scaledobject: ['metadata', 'name'] },
            metrics: [
              {
                name: 'status_condition',
                help: 'The status of each condition of a KEDA ScaledObject.',
                each: {
                  type: 'StateSet',
                  stateSet: {
                    path: ['status', 'conditions'],
                    labelsFromPath: { type: ['type'] },
                    labelName: 'status',
                    valueFrom: ['status'],
                    list: ['True', 'False', 'Unknown'],
                  },
                },
              },
            ],
          },
          {
            groupVersionKind: { group: 'autoscaling.k8s.io', version: 'v1', kind: 'VerticalPodAutoscaler' },
            metricNamePrefix: 'tenantscale_vpa',
            labelsFromPath: { namespace: ['metadata', 'namespace'], verticalpodautoscaler: ['metadata', 'name'] },
            metrics: (
              [
                ['target_cpu_cores', 'cpu'],
                ['target_memory_bytes', 'memory'],
              ] as const
            ).map(([name, resource]) => ({
              name,
              help: `The VPA's recommended ${resource} (target) per container.`,
              each: {
                type: 'Gauge',
                gauge: {
                  path: ['status', 'recommendation', 'containerRecommendations'],
                  labelsFromPath: { container: ['containerName'] },
                  valueFrom: ['target', resource],
                },
              },
            })),
          },
        ],
      },
    },
  },
} as const;

export interface KubePrometheusStackArgs {
  /**
   * Chart version.
   * @default CHARTS.kubePrometheusStack.version
   */
  readonly version?: string;
  /**
   * Namespace; tenants' NetworkPolicies admit scrapes from it (PlatformSettings.monitoringNamespace).
   * @default CHARTS.kubePrometheusStack.namespace
   */
  readonly namespace?: string;
  /**
   * The control plane is managed (DOKS): its scheduler, controller manager, etcd and kube-proxy
   * cannot be scraped, so their monitors and alerts are left out instead of firing forever.
   * @default true
   */
  readonly managedControlPlane?: boolean;
  /**
   * Install Grafana, with the dashboard sidecar that loads ConfigMaps labelled `grafana_dashboard: "1"` from every namespace.
   * @default true
   */
  readonly grafana?: boolean;
  /**
   * Install Alertmanager.
   * @default true
   */
  readonly alertmanager?: boolean;
  /**
   * How long Prometheus keeps samples.
   * @default '7d'
   */
  readonly retention?: string;
  /**
   * Apply tenantscale's monitoring objects (`monitoringManifests`: alert and recording rules,
   * PodMonitors of the interceptor, external scaler and Envoy proxies, Grafana dashboards).
   * @default true
   */
  readonly alerts?: boolean;
  /**
   * The tenants, for their cold-start budget series.
   * @default []
   */
  readonly tenants?: readonly BudgetTenant[];
  /**
   * DOKS node pools and their max, for the NodePoolAtMax alert.
   * @default []
   */
  readonly nodePools?: readonly NodePoolLimit[];
  /**
   * What the stack is billed for besides its nodes (load balancer, HA control plane), for the running-cost rules.
   * @default undefined (the running cost counts the nodes only)
   */
  readonly billedItems?: BilledFixedItems;
  /**
   * Shared names; the alerts select tenant namespaces by their prefix.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
}

/**
 * kube-prometheus-stack: the Prometheus Operator (monitoring.coreos.com CRDs), Prometheus,
 * Alertmanager, Grafana, kube-state-metrics and node-exporter. Prometheus selects every
 * ServiceMonitor, PodMonitor, PrometheusRule, Probe and ScrapeConfig in every namespace, so a
 * tenant's ServiceMonitor needs no `release` label.
 */
export class KubePrometheusStack extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;
  public readonly namespace: string;
  /** The applied monitoring objects (exactly `monitoringManifests()`), after the chart that installs their CRDs. */
  public readonly alertRules: readonly pulumi.CustomResource[];

  constructor(name: string, args: KubePrometheusStackArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:KubePrometheusStack', name, {}, opts);
    const version = args.version ?? CHARTS.kubePrometheusStack.version;
    this.namespace = args.namespace ?? CHARTS.kubePrometheusStack.namespace;
    const managedControlPlane = args.managedControlPlane ?? true;
    const grafana = args.grafana ?? true;
    const alertmanager = args.alertmanager ?? true;
    const retention = args.retention ?? '7d';
    const alerts = args.alerts ?? true;
    const settings = args.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const tenants = args.tenants ?? [];
    const nodePools = args.nodePools ?? [];
    const values = {
      crds: { enabled: true },
      prometheus: {
        prometheusSpec: {
          // false: an unset selector selects everything instead of only `release: <name>`.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
          retention,
        },
      },
      alertmanager: { enabled: alertmanager },
      grafana: {
        enabled: grafana,
        // Empty: the Grafana chart generates a random password once and keeps it in its Secret
        // (instead of kube-prometheus-stack's well-known default).
        adminPassword: '',
        sidecar: {
          dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' },
        },
      },
      'kube-state-metrics': KUBE_STATE_METRICS_VALUES,
      kubeControllerManager: { enabled: !managedControlPlane },
      kubeScheduler: { enabled: !managedControlPlane },
      kubeEtcd: { enabled: !managedControlPlane },
      kubeProxy: { enabled: !managedControlPlane },
    };
    this.release = new k8s.helm.v3.Release(
      name,
      releaseArgs(CHARTS.kubePrometheusStack, version, values, { namespace: this.namespace }),
      { parent: this },
    );
    this.alertRules = alerts
      ? monitoringManifests({ ...settings, monitoringNamespace: this.namespace }, { tenants, nodePools, billedItems: args.billedItems }).map((manifest) =>
          kubernetesResource(manifest, { parent: this, dependsOn: [this.release] }),
        )
      : [];
    this.registerOutputs({ status: this.release.status });
  }
}
