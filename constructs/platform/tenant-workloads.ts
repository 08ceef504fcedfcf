import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Manifest, tenantManifests } from '../manifests';
import { DEFAULT_PLATFORM_SETTINGS, LABELS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { tenantKind } from '../../tenants/kind-rules';
import { TenantSpec } from '../../tenants/schema';
import { queueTrigger } from '../triggers/index';
import { apiGroup, isCustomResource, kubernetesResource } from './kubernetes-resource';

/** Kinds that start pods: KEDA or the HPA owns their replica count. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

/**
 * When each kind of tenant object is applied: an object waits for every object of the earlier
 * phases of its tenant (and, deleted, goes before them). Kinds not listed go last.
 *  1. Namespace.
 *  2. What pods and triggers need before they start: guardrails, Service, TriggerAuthentication.
 *  3. The workload.
 *  4. What routes and scales it refers to: ReferenceGrant, InterceptorRoute, and (migration only)
 *     the HTTPScaledObject carrying the orphan annotation; the Certificate of the tenant's own
 *     domains and the ListenerSet whose listeners terminate with it (the route's parent).
 *  5. The autoscaler and the route: a ScaledObject after the InterceptorRoute it names (otherwise
 *     the scaler reports no metric and KEDA's HPA falls back to CPU: keda-docs
 *     content/http-add-on/0.15/user-guide/autoscale-an-app.md, "Create the ScaledObject after the
 *     InterceptorRoute"; http-add-on@v0.15.0 scaler/handlers.go:111-117) and after the annotated
 *     HTTPScaledObject has let go of it; the HTTPRoute after the InterceptorRoute and grant, so the
 *     interceptor knows the hosts before the Gateway sends them (it answers 404 otherwise,
 *     interceptor/middleware/routing.go:41-46), and removed before them.
 */
export const APPLY_PHASES: Readonly<Record<string, number>> = {
  Namespace: 1,
  ResourceQuota: 2,
  LimitRange: 2,
  NetworkPolicy: 2,
  Service: 2,
  TriggerAuthentication: 2,
  ConfigMap: 2,
  Deployment: 3,
  StatefulSet: 3,
  ReferenceGrant: 4,
  InterceptorRoute: 4,
  HTTPScaledObject: 4,
  Certificate: 4,
  ListenerSet: 4,
  ScaledObject: 5,
  HorizontalPodAutoscaler: 5,
  PodDisruptionBudget: 5,
  HTTPRoute: 5,
  VerticalPodAutoscaler: 5,
  ServiceMonitor: 5,
};
const LAST_PHASE = 5;

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
  /**
   * Data of the ConfigMaps the tenant references (the placeholder's `coldStart.placeholder.configMap`,
   * `configMapReferences`), by ConfigMap name and key, from stack config. Each becomes a ConfigMap
   * in the tenant namespace labelled `http.keda.sh/response-body: "true"` (the interceptor caches
   * only ConfigMaps with that label: kedacore/http-add-on pkg/k8s ResponseBodyLabels; InterceptorRoute
   * reference, bodyFromConfigMap), created before the InterceptorRoute that reads it.
   * @default {} (the ConfigMaps are created outside Pulumi)
   */
  readonly configMaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * `.dockerconfigjson` of the tenant's `imagePullSecret` (RegistryCredentials). Becomes a
   * `kubernetes.io/dockerconfigjson` Secret of that name in the tenant namespace, created before
   * the Deployment. Synth writes only the reference (the pod's imagePullSecrets); this Secret is
   * the one object of a tenant that exists only here, because its value must never reach dist/.
   * @default none (no imagePullSecret, or the Secret is created outside Pulumi)
   */
  readonly dockerConfigJson?: pulumi.Input<string>;
}

/**
 * One tenant on the cluster: exactly the objects `tenantManifests(spec, settings)` synthesizes,
 * one Pulumi resource each, in the phases of APPLY_PHASES (and, reversed, deleted when the tenant
 * leaves the list), each custom resource also after the chart that installs its CRD.
 * So removing a tenant deletes its autoscaling and routing objects while their controllers and
 * the namespace still exist, and the namespace last — it never hangs Terminating on a finalizer.
 * Secrets the tenant's env references can be created from Pulumi secret config (`secrets`), and
 * its image pull Secret from the stack's registry credentials (`dockerConfigJson`), before the
 * Deployment.
 */
export class TenantWorkloads extends pulumi.ComponentResource {
  public readonly objects: readonly AppliedObject[];
  public readonly namespace: k8s.core.v1.Namespace;
  /** Secrets created from `secrets` (not synthesized objects: their values never leave Pulumi's encrypted config). */
  public readonly secrets: k8s.core.v1.Secret[];
  /** ConfigMaps created from `configMaps` (stack config, like `secrets`). */
  public readonly configMaps: k8s.core.v1.ConfigMap[];
  /** The image pull Secret created from `dockerConfigJson` (not a synthesized object either). */
  public readonly pullSecret?: k8s.core.v1.Secret;

  constructor(name: string, args: TenantWorkloadsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:TenantWorkloads', name, {}, opts);
    const settings = args.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const crdProviders = args.crdProviders ?? {};
    const secrets = args.secrets ?? {};
    const manifests = tenantManifests(args.spec, settings);

    const namespaceManifest = manifests.find((m) => m.apiVersion === 'v1' && m.kind === 'Namespace');
    if (!namespaceManifest) throw new Error(`TenantWorkloads: tenant "${args.spec.name}" synthesized no Namespace`);

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
    // A Secret from stack config: its values stay secret outputs, created right after the namespace.
    const secret = (resourceName: string, name: string, type: string, stringData: Record<string, pulumi.Input<string>>) =>
      new k8s.core.v1.Secret(
        resourceName,
        {
          metadata: { name, namespace: namespaceName, labels: { [LABELS.tenant]: args.spec.name, ...PLATFORM_LABELS } },
          type,
          stringData: Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, pulumi.secret(v)])),
        },
        { parent: this, dependsOn: [this.namespace] },
      );
    this.secrets = Object.entries(secrets).map(([secretName, data]) => secret(`${namespaceName}-secret-${secretName}`, secretName, 'Opaque', data));
    this.configMaps = Object.entries(args.configMaps ?? {}).map(
      ([configMapName, data]) =>
        new k8s.core.v1.ConfigMap(
          `${namespaceName}-configmap-${configMapName}`,
          { metadata: { name: configMapName, namespace: namespaceName, labels: { [LABELS.tenant]: args.spec.name, ...PLATFORM_LABELS, [RESPONSE_BODY_LABEL]: 'true' } }, data },
          { parent: this, dependsOn: [this.namespace] },
        ),
    );
    if (args.dockerConfigJson !== undefined) {
      const pullSecret = args.spec.imagePullSecret;
      if (pullSecret === undefined) throw new Error(`TenantWorkloads: tenant "${args.spec.name}" has a docker config but no imagePullSecret to name its Secret`);
      this.pullSecret = secret(`${namespaceName}-pull-${pullSecret}`, pullSecret, 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': args.dockerConfigJson });
    }
    // Secrets belong to phase 2: the Deployment and TriggerAuthentications read them.
    const earlier: pulumi.Resource[] = [this.namespace, ...this.secrets, ...this.configMaps, ...(this.pullSecret ? [this.pullSecret] : [])];
    for (let phase = 2; phase <= LAST_PHASE; phase++) {
      const inPhase = manifests.filter((m) => m !== namespaceManifest && Math.min(APPLY_PHASES[m.kind] ?? LAST_PHASE, LAST_PHASE) === phase);
      const created = inPhase.map((m) => apply(m, [...earlier, ...(isCustomResource(m) ? crdProviders[apiGroup(m.apiVersion)] ?? [] : [])]));
      earlier.push(...created);
    }
    this.objects = objects;
    this.registerOutputs({ namespace: this.namespace.metadata.name });
  }
}

/** A Secret key a tenant reads, and what reads it (`env FOO`, `triggers[0] (kafka)`). */
export interface TenantSecretUse {
  readonly secret: string;
  readonly key: string;
  readonly use: string;
}

/**
 * The Secrets (name and key) a tenant reads: its env's `{secret, key}` values, and the keys its
 * queue triggers' TriggerAuthentications read (`credentialsSecret`, `passwordSecret`,
 * `hostSecret`: the same secretTargetRef the construct writes, constructs/triggers). KEDA reads a
 * trigger's Secret to poll the queue: without it the worker never wakes.
 */
export function secretReferences(spec: TenantSpec): TenantSecretUse[] {
  const env = Object.entries(spec.env).flatMap(([name, v]) => (typeof v === 'object' && v !== null ? [{ secret: v.secret, key: v.key, use: `env ${name}` }] : []));
  const triggers = tenantKind(spec) === 'queue' ? spec.triggers ?? [] : [];
  const auth = triggers.flatMap((t, i) => (queueTrigger(t, `${spec.name}-${i}`).auth?.secretTargetRef ?? []).map((r) => ({ secret: r.name, key: r.key, use: `triggers[${i}] (${t.type})` })));
  return [...env, ...auth];
}

/** Label the interceptor selects response-body ConfigMaps by (kedacore/http-add-on pkg/k8s ResponseBodyLabels). */
export const RESPONSE_BODY_LABEL = 'http.keda.sh/response-body';

/** The ConfigMaps a tenant references: the placeholder's body (`key` undefined: the interceptor derives it from the request path, `index.html` for `/`). */
export function configMapReferences(spec: TenantSpec): { configMap: string; key?: string; use: string }[] {
  const ref = spec.coldStart?.placeholder?.configMap;
  return ref ? [{ configMap: ref.name, ...(ref.key !== undefined ? { key: ref.key } : {}), use: 'coldStart.placeholder.configMap' }] : [];
}
