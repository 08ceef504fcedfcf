import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../platform-settings';
import { releaseArgs } from './helm-release';
import { kubernetesResource } from './kubernetes-resource';
import { alertManifests } from './platform-manifests';
import { CHARTS } from './versions';

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
   * Apply the tenant autoscaling alerts (`alertManifests`, the PrometheusRule `tenantscale-autoscaling`).
   * @default true
   */
  readonly alerts?: boolean;
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
  /** The applied alert rules (exactly `alertManifests()`), after the chart that installs their CRD. */
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
      ? alertManifests({ ...settings, monitoringNamespace: this.namespace }).map((manifest) =>
          kubernetesResource(manifest, { parent: this, dependsOn: [this.release] }),
        )
      : [];
    this.registerOutputs({ status: this.release.status });
  }
}
