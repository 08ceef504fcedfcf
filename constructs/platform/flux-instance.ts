/**
 * The one FluxInstance of flux mode: the Flux Operator installs Flux from it. Written by one pure
 * function, used by FluxTenantDelivery (the Pulumi resource) and by `synth --stack` (flux/delivery.yaml,
 * which `validate` checks against the project's FluxInstance schema, cli/conformance/flux-instance-crd.ts).
 * Fields: controlplaneio-fluxcd/flux-operator@v0.58.1 api/v1/fluxinstance_types.go.
 */
import { Manifest } from '../manifests';
import { PLATFORM_LABELS } from '../platform-settings';
import { CHARTS, FLUX_VERSION } from './versions';

/** The only name the operator accepts (fluxinstance_types.go:17 DefaultInstanceName, :519 the CEL rule). */
export const FLUX_INSTANCE_NAME = 'flux';

/** The vertical scaling profiles (fluxinstance_types.go:209 `Enum:=small;medium;large`). */
export type FluxInstanceSize = 'small' | 'medium' | 'large';

export interface FluxInstanceProps {
  /**
   * kustomize-controller's profile (see FluxTenantDeliveryArgs.size).
   * @default 'medium'
   */
  readonly size?: FluxInstanceSize;
  /**
   * The Flux distribution, exact.
   * @default FLUX_VERSION
   */
  readonly fluxVersion?: string;
  /**
   * Namespace of the operator (it reconciles a FluxInstance in its own namespace only).
   * @default CHARTS.fluxOperator.namespace
   */
  readonly namespace?: string;
}

/** The FluxInstance object as the API server receives it. */
export function fluxInstanceManifest(props: FluxInstanceProps = {}): Manifest {
  return {
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxInstance',
    metadata: {
      name: FLUX_INSTANCE_NAME,
      namespace: props.namespace ?? CHARTS.fluxOperator.namespace,
      labels: { ...PLATFORM_LABELS },
      annotations: { 'pulumi.com/waitFor': 'condition=Ready' },
    },
    spec: {
      // An exact version and no `artifact`: the operator installs the manifests embedded in its
      // pinned image, never a newer patch on its own (fluxinstance_types.go:86-93, :106-111).
      distribution: { version: props.fluxVersion ?? FLUX_VERSION, registry: 'ghcr.io/fluxcd' },
      components: ['source-controller', 'kustomize-controller'],
      cluster: { type: 'kubernetes', size: props.size ?? 'medium', multitenant: false, networkPolicy: true, domain: 'cluster.local' },
    },
  };
}
