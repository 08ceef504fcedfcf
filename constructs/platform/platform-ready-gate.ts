import { Construct } from 'constructs';
import { Kustomization } from '../imports/kustomize.toolkit.fluxcd.io';
import { fluxKustomizationBase, FluxKustomizationTarget } from './flux-kustomization-base';

/** One object the gate waits for (`spec.healthChecks[]`, a NamespacedObjectKindReference). */
export interface HealthCheckRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** @default none (cluster-scoped, e.g. a CustomResourceDefinition) */
  readonly namespace?: string;
}

/** `path`: an empty kustomization in the artifact (`synth` writes shards/ready/kustomization.yaml). */
export interface PlatformReadyGateProps extends FluxKustomizationTarget {
  /** The platform CRDs and controllers the tenants need. */
  readonly healthChecks: readonly HealthCheckRef[];
  /**
   * How often the health is re-assessed.
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * How long one health assessment may take.
   * @default '5m'
   */
  readonly timeout?: string;
}

/**
 * A Flux Kustomization that applies nothing and is Ready only while the platform the tenants
 * need is: the CRDs of their custom resources are Established and the controllers (KEDA, the
 * HTTP add-on's interceptor, Envoy Gateway) are rolled out. Every tenant shard `dependsOn` it,
 * so after a platform upgrade or on a new cluster no shard is applied against a missing CRD or
 * webhook. kustomize-controller skips applying an empty build and, with `wait: false`, checks
 * exactly `healthChecks` (fluxcd/kustomize-controller@v1.9.4
 * internal/controller/kustomization_controller.go:1018-1030 and :959 `if len(objects) > 0`).
 */
export class PlatformReadyGate extends Construct {
  constructor(scope: Construct, id: string, props: PlatformReadyGateProps) {
    super(scope, id);
    const base = fluxKustomizationBase({ ...props, interval: props.interval ?? '10m', retryInterval: '1m', timeout: props.timeout ?? '5m' });
    new Kustomization(this, 'gate', {
      metadata: base.metadata,
      spec: { ...base.spec, healthChecks: props.healthChecks.map((h) => ({ ...h })) },
    });
  }
}
