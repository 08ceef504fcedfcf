import { scalersOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'resource-triggers-keep-a-replica',
  level: 'mandatory',
  description:
    "A ScaledObject whose only triggers are cpu and/or memory can never wake from zero (no pod, no utilization), so KEDA's admission webhook rejects it when minReplicaCount is 0 or unset (kedacore/keda@v2.20.2 apis/keda/v1alpha1/scaledobject_webhook.go:497-512): the apply fails.",
  pitfall: 'Decision tree: "HPA on CPU" is the branch for workloads that keep min: 1; scale to zero needs an event source (HTTP, queue, cron)',
};

/** A cpu/memory-only ScaledObject with minReplicaCount 0 or unset. */
export function resourceTriggersKeepAReplica(objects: readonly KubeObject[]): Violation[] {
  return scalersOf(objects).flatMap((s) => {
    if (s.object.kind !== 'ScaledObject' || s.metricCount === 0 || s.resourceMetrics.length !== s.metricCount || s.min > 0) return [];
    const resources = [...new Set(s.resourceMetrics.map((m) => m.resource))].join(' and ');
    return [
      violation(
        INFO,
        s.object,
        `scales only on ${resources} with minReplicaCount ${s.min === 0 && (s.object.spec as Record<string, unknown> | undefined)?.minReplicaCount === undefined ? 'unset (0)' : '0'}: at zero replicas there is no utilization to wake it, and KEDA's webhook rejects the object`,
        'set spec.minReplicaCount: 1 (or add an event trigger such as external-push, kafka or cron to scale from zero)',
      ),
    ];
  });
}

export const resourceTriggersKeepAReplicaRule: ManifestRule = { ...INFO, check: resourceTriggersKeepAReplica };
