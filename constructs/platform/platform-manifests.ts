import { App, Chart } from 'cdk8s';
import { Manifest } from '../manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../platform-settings';
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
