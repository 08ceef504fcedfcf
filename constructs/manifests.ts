/**
 * The one path from constructs to Kubernetes objects. `tenantscale synth` writes what these
 * functions return, the tests read it, and the Pulumi program applies it: there is no second way
 * manifests are built.
 */
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { TenantSpec } from '../tenants/schema';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from './platform-settings';
import { Tenant } from './tenant';

/** A plain Kubernetes object as synthesized. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/**
 * Synthesizes one tenant. Each tenant gets its own App and Chart: cdk8s resolves a chart's
 * dependencies across the whole construct tree, so one App holding N tenants costs O(N²), while
 * one App per tenant is linear.
 */
export function tenantManifests(spec: TenantSpec, settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, spec.name, { disableResourceNameHashes: true });
  new Tenant(chart, 'tenant', { spec, settings });
  return chart.toJson() as Manifest[];
}

/**
 * Serializes objects as a multi-document YAML stream that kubectl (YAML 1.1) and every GitOps
 * tool read identically: YAML 1.1 quoting, so strings such as "on", "yes", "0755" or "1e3" stay
 * strings; no line folding; keys in synthesized order. Deterministic byte for byte.
 */
export function toYaml(objects: readonly unknown[]): string {
  return objects
    .map((o) => stringify(o, { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
