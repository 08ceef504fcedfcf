import { scalersOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'memory-only-hpa',
  level: 'advisory',
  description:
    'Memory rarely falls after load ends (caches, heaps and allocators keep it), so an autoscaler that scales on memory alone scales up and then stalls: replicas stay at the peak and the bill with them.',
  pitfall: 'Common Pitfalls #2 "My pods scale up but never scale down" (memory metric: memory-based scaling is one-way)',
};

/** Rule 8: an HPA or ScaledObject whose only metrics are memory. */
export function memoryOnlyHpa(objects: readonly KubeObject[]): Violation[] {
  return scalersOf(objects).flatMap((s) => {
    const memory = s.resourceMetrics.filter((m) => m.resource === 'memory').length;
    if (memory === 0 || memory !== s.metricCount) return [];
    return [
      violation(
        INFO,
        s.object,
        `scales on memory alone; memory rarely drops after load, so scale-down stalls and replicas stay at the peak`,
        'add a metric that decays with load (cpu, request rate or queue length); memory may stay as a second metric',
      ),
    ];
  });
}

export const memoryOnlyHpaRule: ManifestRule = { ...INFO, check: memoryOnlyHpa };
