import { indexObjects, objectKey, ref, scalersOf, Scaler } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'one-horizontal-autoscaler',
  level: 'mandatory',
  description:
    'Each HPA, ScaledObject and HTTPScaledObject (unless it skips its own ScaledObject) ends up as an HPA writing spec.replicas. Two on one workload fight: replicas oscillate and scale-to-zero never settles.',
  pitfall: 'Before You Apply Any ScaledObject: Clean Up the HPA; Lab Errors "Two HPAs visible on one Deployment, replicas oscillate"',
};

/** Rule 3: at most one HPA-producing object per workload. */
export function oneHorizontalAutoscaler(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const byTarget = new Map<string, Scaler[]>();
  for (const scaler of scalersOf(objects)) {
    if (!scaler.producesHpa || !scaler.target) continue;
    const key = objectKey(scaler.target.kind, scaler.namespace, scaler.target.name);
    byTarget.set(key, [...(byTarget.get(key) ?? []), scaler]);
  }
  const out: Violation[] = [];
  for (const [key, scalers] of byTarget) {
    if (scalers.length < 2) continue;
    const first = scalers[0];
    const target = index.get(key);
    const targetName = `${first.target!.kind}/${first.target!.name}`;
    const names = scalers.map((s) => ref(s.object)).join(', ');
    for (const s of scalers) {
      const others = scalers.filter((o) => o !== s).map((o) => ref(o.object)).join(', ');
      const collision =
        s.object.kind === 'ScaledObject' && scalers.some((o) => o.object.kind === 'HTTPScaledObject' && o.object.metadata.name === s.object.metadata.name)
          ? ' (the HTTPScaledObject creates a ScaledObject of this very name, so the two overwrite each other)'
          : '';
      out.push({
        rule: INFO.name,
        level: INFO.level,
        namespace: s.namespace,
        kind: s.object.kind,
        name: s.object.metadata.name,
        message: `${names} all scale ${targetName}${target ? '' : ' (not in these manifests)'}: ${ref(s.object)} fights ${others} over spec.replicas${collision}`,
        fix:
          s.object.kind === 'HorizontalPodAutoscaler'
            ? 'delete this HPA; let the ScaledObject/HTTPScaledObject own scaling (or adopt it with scaledobject.keda.sh/transfer-hpa-ownership)'
            : 'keep one autoscaler per workload; to combine HTTP with other triggers annotate the HTTPScaledObject httpscaledobject.keda.sh/skip-scaledobject-creation: "true" and write one ScaledObject with a different name',
      });
    }
  }
  return out;
}

export const oneHorizontalAutoscalerRule: ManifestRule = { ...INFO, check: oneHorizontalAutoscaler };
