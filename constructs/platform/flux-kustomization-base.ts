import { KustomizationSpec, KustomizationSpecSourceRefKind } from '../imports/kustomize.toolkit.fluxcd.io';
import { LABELS, MANAGER } from '../platform-settings';

/** What every Flux Kustomization tenantscale writes shares: source, path, timing, pruning. */
export interface FluxKustomizationBase {
  readonly name: string;
  readonly namespace: string;
  readonly sourceRef: { readonly kind: 'OCIRepository' | 'GitRepository'; readonly name: string };
  readonly path: string;
  readonly interval: string;
  readonly retryInterval: string;
  readonly timeout: string;
}

/**
 * Metadata and the common spec of a tenantscale Kustomization (the platform gate and every tenant
 * shard): labelled as tenantscale's, `prune: true` and `wait: false` (each construct documents why).
 */
export function fluxKustomizationBase(base: FluxKustomizationBase): {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: KustomizationSpec;
} {
  return {
    metadata: { name: base.name, namespace: base.namespace, labels: { [LABELS.managedBy]: MANAGER, [LABELS.partOf]: MANAGER } },
    spec: {
      interval: base.interval,
      retryInterval: base.retryInterval,
      timeout: base.timeout,
      sourceRef: { kind: base.sourceRef.kind as KustomizationSpecSourceRefKind, name: base.sourceRef.name },
      path: base.path,
      prune: true,
      wait: false,
    },
  };
}
