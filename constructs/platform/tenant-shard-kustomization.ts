import { Construct } from 'constructs';
import { Kustomization, KustomizationSpecDeletionPolicy } from '../imports/kustomize.toolkit.fluxcd.io';
import { fluxKustomizationBase, FluxKustomizationTarget } from './flux-kustomization-base';

/** `path`: the shard's directory in the artifact (`./shards/007`). */
export interface TenantShardKustomizationProps extends FluxKustomizationTarget {
  /** Kustomizations (same namespace) that must be Ready first: the platform gate. */
  readonly dependsOn: readonly string[];
  /**
   * How often Flux re-applies the shard (drift correction) besides on every new artifact.
   * @default '30m'
   */
  readonly interval?: string;
  /**
   * Apply (and, on deletion, termination) timeout.
   * @default '10m'
   */
  readonly timeout?: string;
}

/**
 * One shard of tenants, applied by kustomize-controller (kustomize.toolkit.fluxcd.io/v1, v1.9.4).
 * Its spec never names a tenant, so adding or removing a tenant changes the artifact only, never
 * this object (and never the Pulumi stack).
 *
 * - `prune: true`: a tenant removed from the list is deleted. kustomize-controller deletes stale
 *   objects in the reverse of its apply order, custom resources (HTTPScaledObject, ScaledObject,
 *   HTTPRoute, VPA) before Deployments and the Namespace last (fluxcd/pkg@ssa/v0.76.1
 *   ssa/manager_delete.go:100-101 `sort.Sort(sort.Reverse(...))`, ssa/sort.go ReconcileOrder), so
 *   the autoscaling objects go while their controllers still process their finalizers.
 * - `deletionPolicy: WaitForTermination`: when the Kustomization itself is deleted (`pulumi
 *   destroy`, fewer shards), the same ordered deletion runs and the controller waits until the
 *   objects are gone before releasing it (kustomization_controller.go:1184-1249). Pulumi waits for
 *   the Kustomization to disappear and only then uninstalls KEDA, the add-on and Flux, which it
 *   created first: no namespace is left Terminating on a finalizer nobody serves.
 * - `wait: false` and no `healthChecks`: with `wait: true` kustomize-controller would assess every
 *   applied object with kstatus (kustomization_controller.go:1018-1030), including each tenant
 *   Deployment, which the API server creates with the default of 1 replica (synth omits
 *   spec.replicas) and whose pod may need a new node: a shard of idle tenants would start every
 *   pod and time out on the slowest. Ready here means "applied by server-side apply and accepted by
 *   the API server"; a tenant at zero replicas is healthy by design. The platform readiness is the
 *   gate's job (`dependsOn`).
 * - spec.replicas: the manifests do not set it, so kustomize-controller's server-side apply never
 *   owns the field and KEDA's scale writes stand; its field-manager cleanup removes only kubectl's,
 *   before-first-apply's and its own pre-SSA managers (kustomization_controller.go:893-943), not
 *   KEDA's.
 */
export class TenantShardKustomization extends Construct {
  constructor(scope: Construct, id: string, props: TenantShardKustomizationProps) {
    super(scope, id);
    const base = fluxKustomizationBase({ ...props, interval: props.interval ?? '30m', retryInterval: '2m', timeout: props.timeout ?? '10m' });
    new Kustomization(this, 'shard', {
      metadata: base.metadata,
      spec: {
        ...base.spec,
        deletionPolicy: KustomizationSpecDeletionPolicy.WAIT_FOR_TERMINATION,
        dependsOn: props.dependsOn.map((name) => ({ name })),
      },
    });
  }
}
