import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Manifest } from '../manifests';
import { PLATFORM_LABELS } from '../platform-settings';
import { releaseArgs } from './helm-release';
import { kubernetesResource } from './kubernetes-resource';
import { HealthCheckRef } from './platform-ready-gate';
import { TenantArtifact } from './tenant-artifact-source';
import { PULL_SECRET_NAME, tenantDeliveryManifests } from './tenant-delivery-objects';
import { fluxInstanceManifest } from './flux-instance';
import { CHARTS, FLUX_VERSION } from './versions';


export interface FluxTenantDeliveryArgs {
  /** Where the deploy workflow publishes the synthesized tenants. */
  readonly artifact: TenantArtifact;
  /** Number of shard Kustomizations. */
  readonly shards: number;
  /** The platform objects the gate Kustomization waits for (see PlatformReadyGate). */
  readonly healthChecks: readonly HealthCheckRef[];
  /**
   * What must exist before the delivery objects are created, and be deleted only after them:
   * the charts of KEDA, the HTTP add-on and Envoy Gateway.
   * @default []
   */
  readonly platform?: readonly pulumi.Resource[];
  /**
   * `.dockerconfigjson` of the registry the artifact is pulled from (a read-only DigitalOcean
   * Container Registry credential in doks mode); stored as the source's pull Secret.
   * @default none (public artifact, or a Secret created outside Pulumi and named by `secretName`)
   */
  readonly dockerConfigJson?: pulumi.Input<string>;
  /**
   * Pull Secret in flux-system created outside this stack (Git credentials, for example).
   * @default PULL_SECRET_NAME when dockerConfigJson is set, else none
   */
  readonly secretName?: string;
  /**
   * Source poll interval.
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * The FluxInstance's vertical scaling profile for kustomize-controller: concurrency 5 / 10 / 20
   * and memory limit 512Mi / 1Gi / 3Gi (controlplaneio-fluxcd/flux-operator@v0.58.1
   * docs/api/v1/fluxinstance.md "Cluster size"). `large` for several thousand tenants: a shard
   * of 600 tenants is about 6,600 objects to build and diff.
   * @default 'medium'
   */
  readonly size?: 'small' | 'medium' | 'large';
  /**
   * Flux Operator chart version.
   * @default CHARTS.fluxOperator.version
   */
  readonly operatorVersion?: string;
  /**
   * Flux distribution version the FluxInstance installs.
   * @default FLUX_VERSION
   */
  readonly fluxVersion?: string;
}

/**
 * Flux, installed the way the Flux project points Helm and operator users to (the Flux Operator
 * chart, then one FluxInstance with the source and kustomize controllers), and the objects that
 * make it deliver the tenants: the artifact source, the platform gate and one Kustomization per
 * shard (tenantDeliveryManifests). The resource count is fixed by the shard count: adding a tenant
 * changes the published artifact, not this component.
 */
export class FluxTenantDelivery extends pulumi.ComponentResource {
  public readonly operator: k8s.helm.v3.Release;
  public readonly instance: k8s.apiextensions.CustomResource;
  public readonly pullSecret?: k8s.core.v1.Secret;
  public readonly manifests: readonly Manifest[];
  public readonly objects: readonly pulumi.CustomResource[];

  constructor(name: string, args: FluxTenantDeliveryArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:FluxTenantDelivery', name, {}, opts);
    const namespace = CHARTS.fluxOperator.namespace;
    const platform = [...(args.platform ?? [])];
    const operatorVersion = args.operatorVersion ?? CHARTS.fluxOperator.version;
    const fluxVersion = args.fluxVersion ?? FLUX_VERSION;
    const size = args.size ?? 'medium';
    const secretName = args.secretName ?? (args.dockerConfigJson !== undefined ? PULL_SECRET_NAME : undefined);

    this.operator = new k8s.helm.v3.Release('flux-operator', releaseArgs(CHARTS.fluxOperator, operatorVersion, {}), { parent: this });
    // The FluxInstance API (fluxcd.controlplane.io/v1) is the operator's; its CRD is installed by
    // the chart above (it is not among the pinned upstream CRDs, so it has no imported class;
    // `validate` checks the object against the project's own schema of it,
    // cli/conformance/flux-instance-crd.ts, in flux/delivery.yaml). The operator installs the Flux CRDs and controllers when it reconciles this object, so Pulumi
    // waits for its Ready condition before creating any Flux object.
    this.instance = new k8s.apiextensions.CustomResource('flux-instance', fluxInstanceManifest({ size, fluxVersion, namespace }) as k8s.apiextensions.CustomResourceArgs, {
      parent: this,
      dependsOn: [this.operator],
    });
    if (args.dockerConfigJson !== undefined) {
      this.pullSecret = new k8s.core.v1.Secret(
        'flux-artifact-pull',
        {
          metadata: { name: PULL_SECRET_NAME, namespace, labels: { ...PLATFORM_LABELS } },
          type: 'kubernetes.io/dockerconfigjson',
          stringData: { '.dockerconfigjson': pulumi.secret(args.dockerConfigJson) },
        },
        { parent: this, dependsOn: [this.operator] },
      );
    }
    this.manifests = tenantDeliveryManifests({
      artifact: args.artifact,
      shards: args.shards,
      healthChecks: args.healthChecks,
      namespace,
      interval: args.interval,
      secretName,
    });
    const before = [this.instance, ...(this.pullSecret ? [this.pullSecret] : []), ...platform];
    this.objects = this.manifests.map((m) => kubernetesResource(m, { parent: this, dependsOn: before }));
    this.registerOutputs({});
  }
}
