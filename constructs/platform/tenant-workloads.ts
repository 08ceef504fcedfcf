import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Manifest, tenantManifests } from '../manifests';
import { DEFAULT_PLATFORM_SETTINGS, LABELS, MANAGER, PlatformSettings } from '../platform-settings';
import { TenantSpec } from '../../tenants/schema';
import { apiGroup, isCustomResource, kubernetesResource } from './kubernetes-resource';

/** Kinds that start pods: created after the namespace's guardrails (quota, limits, network policy) exist. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

/** One applied object and what it was told to wait for. */
export interface AppliedObject {
  readonly manifest: Manifest;
  readonly resource: pulumi.CustomResource;
  /** The resources this one depends on (created before it, deleted after it). */
  readonly dependsOn: readonly pulumi.Resource[];
}

export interface TenantWorkloadsArgs {
  /** The validated tenant. */
  readonly spec: TenantSpec;
  /**
   * Shared platform names.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * For each custom-resource API group, what must be ready before such an object is applied: the
   * component that installs the CRD and runs its controller (e.g. `http.keda.sh` → KedaHttpAddon,
   * `gateway.networking.k8s.io` → EnvoyGateway). A group absent here is assumed to be installed on
   * the cluster already.
   * @default {}
   */
  readonly crdProviders?: Readonly<Record<string, readonly pulumi.Resource[]>>;
  /**
   * Values of the Secrets the tenant's env references (`{secret, key}`), by Secret name and key,
   * from Pulumi secret config. Each becomes a Secret in the tenant namespace, created before the
   * Deployment, so its pods start on the first `pulumi up`.
   * @default {} (the Secrets are created outside Pulumi)
   */
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
}

/**
 * One tenant on the cluster: exactly the objects `tenantManifests(spec, settings)` synthesizes,
 * one Pulumi resource each. Ordering (and, reversed, deletion when the tenant leaves the list):
 * Namespace → guardrails and Service → Deployment → custom resources (HTTPScaledObject, VPA,
 * HTTPRoute, ReferenceGrant, ServiceMonitor), each also after the chart that installs its CRD.
 * So removing a tenant deletes its autoscaling and routing objects while their controllers and
 * the namespace still exist, and the namespace last — it never hangs Terminating on a finalizer.
 * Secrets the tenant's env references can be created from Pulumi secret config (`secrets`), before
 * the Deployment.
 */
export class TenantWorkloads extends pulumi.ComponentResource {
  public readonly objects: readonly AppliedObject[];
  public readonly namespace: k8s.core.v1.Namespace;
  /** Secrets created from `secrets` (not synthesized objects: their values never leave Pulumi's encrypted config). */
  public readonly secrets: k8s.core.v1.Secret[];

  constructor(name: string, args: TenantWorkloadsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:TenantWorkloads', name, {}, opts);
    const settings = args.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const crdProviders = args.crdProviders ?? {};
    const secrets = args.secrets ?? {};
    const manifests = tenantManifests(args.spec, settings);

    const namespaceManifest = manifests.find((m) => m.apiVersion === 'v1' && m.kind === 'Namespace');
    if (!namespaceManifest) throw new Error(`TenantWorkloads: tenant "${args.spec.name}" synthesized no Namespace`);
    const builtins = manifests.filter((m) => m !== namespaceManifest && !isCustomResource(m));
    const supporting = builtins.filter((m) => !WORKLOAD_KINDS.has(m.kind));
    const workloads = builtins.filter((m) => WORKLOAD_KINDS.has(m.kind));
    const customs = manifests.filter((m) => isCustomResource(m));

    const objects: AppliedObject[] = [];
    const apply = (manifest: Manifest, dependsOn: pulumi.Resource[]): pulumi.CustomResource => {
      const resource = kubernetesResource(manifest, {
        parent: this,
        dependsOn,
        // KEDA owns the replica count: without this every `pulumi up` fights the autoscaler (and,
        // under server-side apply, fails with a conflict on .spec.replicas).
        ...(WORKLOAD_KINDS.has(manifest.kind) ? { ignoreChanges: ['spec.replicas'] } : {}),
      });
      objects.push({ manifest, resource, dependsOn });
      return resource;
    };

    this.namespace = apply(namespaceManifest, []) as k8s.core.v1.Namespace;
    const namespaceName = namespaceManifest.metadata.name;
    this.secrets = Object.entries(secrets).map(
      ([secretName, data]) =>
        new k8s.core.v1.Secret(
          `${namespaceName}-secret-${secretName}`,
          {
            metadata: {
              name: secretName,
              namespace: namespaceName,
              labels: { [LABELS.tenant]: args.spec.name, [LABELS.partOf]: MANAGER, [LABELS.managedBy]: MANAGER },
            },
            type: 'Opaque',
            stringData: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, pulumi.secret(v)])),
          },
          { parent: this, dependsOn: [this.namespace] },
        ),
    );
    const supportingResources = [...this.secrets, ...supporting.map((m) => apply(m, [this.namespace]))];
    const workloadResources = workloads.map((m) => apply(m, [this.namespace, ...supportingResources]));
    const referenceGrants: pulumi.Resource[] = [];
    // ReferenceGrants first, so an HTTPRoute is never applied before it may reach the interceptor.
    const ordered = [...customs.filter((m) => m.kind === 'ReferenceGrant'), ...customs.filter((m) => m.kind !== 'ReferenceGrant')];
    for (const m of ordered) {
      const providers = crdProviders[apiGroup(m.apiVersion)] ?? [];
      const routeDeps = m.kind === 'HTTPRoute' ? referenceGrants : [];
      const resource = apply(m, [this.namespace, ...supportingResources, ...workloadResources, ...providers, ...routeDeps]);
      if (m.kind === 'ReferenceGrant') referenceGrants.push(resource);
    }
    this.objects = objects;
    this.registerOutputs({ namespace: this.namespace.metadata.name });
  }
}

/** The Secrets (name and key) a tenant's env reads. */
export function secretReferences(spec: TenantSpec): { secret: string; key: string }[] {
  return Object.values(spec.env).flatMap((v) => (typeof v === 'object' && v !== null ? [{ secret: v.secret, key: v.key }] : []));
}
