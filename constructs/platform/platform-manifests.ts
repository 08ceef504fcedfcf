import { App, Chart } from 'cdk8s';
import { Manifest } from '../manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../platform-settings';
import { AutoscalingAlerts, AutoscalingAlertsProps } from './autoscaling-alerts';
import { PlatformObjects, PlatformObjectsProps } from './platform-objects';

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
  return chart.toJson() as Manifest[];
}

/**
 * Synthesizes the tenant autoscaling alerts (a PrometheusRule in the monitoring namespace).
 * `tenantscale synth` writes them with the platform objects; the KubePrometheusStack component
 * applies exactly these objects after the chart that installs the PrometheusRule CRD.
 */
export function alertManifests(
  settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS,
  options: Omit<AutoscalingAlertsProps, 'settings'> = {},
): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, 'alerts', { disableResourceNameHashes: true });
  new AutoscalingAlerts(chart, 'alerts', { ...options, settings });
  return chart.toJson() as Manifest[];
}
