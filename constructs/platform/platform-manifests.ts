import { App, Chart } from 'cdk8s';
import { Manifest } from '../manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../platform-settings';
import { AutoscalingAlerts, AutoscalingAlertsProps } from './autoscaling-alerts';
import { CertManagerObjects, CertManagerObjectsProps } from './cert-manager-objects';
import { EdgeRouteStats } from './edge-route-stats';
import { GrafanaDashboards } from './grafana-dashboards';
import { PlatformMonitors } from './platform-monitors';
import { PlatformNetworkPolicies, PlatformNetworkPoliciesProps } from './platform-network-policies';
import { PlatformObjects, PlatformObjectsProps } from './platform-objects';
import { RunningCostRules, RunningCostRulesProps } from './running-cost-rules';

/** The options of the monitoring objects: the alerts' and the running cost's (what the stack is billed for). */
export type MonitoringOptions = Omit<AutoscalingAlertsProps, 'settings'> & Pick<RunningCostRulesProps, 'billedItems'>;

/** Everything of PlatformObjectsProps except the settings, which are passed on their own. */
export type PlatformManifestOptions = Omit<PlatformObjectsProps, 'settings'>;

/**
 * Synthesizes the platform-level objects (EnvoyProxy, GatewayClass, Gateway) in dependency order.
 * `tenantscale synth` writes them to dist/platform/platform.yaml and the Pulumi program applies
 * exactly these objects, one resource each, like `tenantManifests` for a tenant.
 */
export function platformManifests(
  settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS,
  options: PlatformManifestOptions = {},
): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, 'platform', { disableResourceNameHashes: true });
  new PlatformObjects(chart, 'platform', { ...options, settings });
  new EdgeRouteStats(chart, 'edge-route-stats', { settings });
  return chart.toJson() as Manifest[];
}

/**
 * Synthesizes the cert-manager ClusterIssuers (Let's Encrypt staging and production, or the
 * local CA chain) in dependency order. `tenantscale synth` writes them with the platform objects;
 * the CertManager component applies exactly these, after its chart and the DNS token Secret.
 */
export function certManagerManifests(
  settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS,
  options: Omit<CertManagerObjectsProps, 'settings'> = {},
): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, 'cert-manager', { disableResourceNameHashes: true });
  new CertManagerObjects(chart, 'issuers', { ...options, settings });
  return chart.toJson() as Manifest[];
}

/**
 * Synthesizes everything kube-prometheus-stack reads from tenantscale: the alert and recording
 * rules (`alertManifests`, the running cost included), the PodMonitors of the interceptor, the external scaler and the Envoy
 * proxies, and the Grafana dashboards (ConfigMaps for the sidecar). `tenantscale synth` writes them
 * with the platform objects; the KubePrometheusStack component applies exactly these, after its chart.
 */
export function monitoringManifests(
  settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS,
  options: MonitoringOptions = {},
): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, 'monitoring', { disableResourceNameHashes: true });
  const { billedItems, ...alerts } = options;
  new AutoscalingAlerts(chart, 'alerts', { ...alerts, settings });
  new RunningCostRules(chart, 'running-cost', { settings, billedItems });
  new PlatformMonitors(chart, 'monitors', { settings });
  new GrafanaDashboards(chart, 'dashboards', { settings });
  return chart.toJson() as Manifest[];
}

/**
 * Synthesizes the rules only (PrometheusRules in the monitoring namespace: alerts, wake-latency
 * recording rules, per-tenant budgets, running cost), a subset of `monitoringManifests`; scripts/export-rules.js
 * writes their groups as a Prometheus rule file for `promtool test rules`.
 */
export function alertManifests(
  settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS,
  options: MonitoringOptions = {},
): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, 'alerts', { disableResourceNameHashes: true });
  const { billedItems, ...alerts } = options;
  new AutoscalingAlerts(chart, 'alerts', { ...alerts, settings });
  new RunningCostRules(chart, 'running-cost', { settings, billedItems });
  return chart.toJson() as Manifest[];
}

/**
 * Synthesizes the platform namespaces' ingress NetworkPolicies (a default-deny per namespace and
 * one allow per flow, docs/platform-isolation.md). `tenantscale synth` writes them to
 * dist/platform/platform.yaml; the Platform component applies exactly these, each after the chart
 * that creates its namespace. Off with `tenantscale:platformNetworkPolicies: false`.
 */
export function platformNetworkPolicyManifests(
  settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS,
  options: Omit<PlatformNetworkPoliciesProps, 'settings'> = {},
): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, 'platform-network-policies', { disableResourceNameHashes: true });
  new PlatformNetworkPolicies(chart, 'policies', { ...options, settings });
  return chart.toJson() as Manifest[];
}
