import { KustomizationSpec, KustomizationSpecSourceRefKind } from '../imports/kustomize.toolkit.fluxcd.io';
import { PLATFORM_LABELS } from '../platform-settings';

/** Where a tenantscale Kustomization lives and what it applies (the props its constructs share). */
export interface FluxKustomizationTarget {
  readonly name: string;
  readonly namespace: string;
  readonly sourceRef: { readonly kind: 'OCIRepository' | 'GitRepository'; readonly name: string };
  /** Path in the artifact. */
  readonly path: string;
}

/** What every Flux Kustomization tenantscale writes shares: source, path, timing, pruning. */
export interface FluxKustomizationBase extends FluxKustomizationTarget {
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
    metadata: { name: base.name, namespace: base.namespace, labels: { ...PLATFORM_LABELS } },
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
