import { ref, scalersOf } from '../model';
import { kubeObjectsOf, nodePoolsOf } from '../resources';
import type { RegisteredResource, ResourceRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'scale-to-zero-needs-node-autoscaling',
  level: 'mandatory',
  description:
    'Scaling pods to zero frees capacity but not nodes: without the cluster autoscaler on every DOKS node pool (autoScale with minNodes < maxNodes) the nodes stay up and the bill does not drop.',
  pitfall: 'Common Pitfalls #5 "I scaled to zero but my cloud bill didn\'t drop" (Cluster Autoscaler not enabled); "Always enable Cluster Autoscaler … on a managed cloud"',
};

/** Rule 19 (Pulumi, stack level): when any workload can scale to zero, every DOKS node pool autoscales. */
export function scaleToZeroNeedsNodeAutoscaling(resources: readonly RegisteredResource[]): Violation[] {
  const zero = scalersOf(kubeObjectsOf(resources).map((k) => k.object)).filter((s) => s.idleMin === 0);
  if (zero.length === 0) return [];
  const example = `${zero[0].namespace}/${ref(zero[0].object)}${zero.length > 1 ? ` and ${zero.length - 1} more` : ''}`;
  return nodePoolsOf(resources).flatMap((pool) => {
    const where = pool.field ? `${pool.field} (${pool.name})` : `node pool ${pool.name}`;
    const base = { rule: INFO.name, level: INFO.level, namespace: '', kind: pool.resource.type, name: pool.resource.name };
    if (!pool.autoScale) {
      return [{ ...base, message: `${where} does not autoscale, yet ${example} can scale to zero: idle nodes stay up and the bill does not drop`, fix: `set ${pool.field ? `${pool.field}.` : ''}autoScale: true with minNodes: 1 and maxNodes above it` }];
    }
    if (pool.minNodes !== undefined && pool.maxNodes !== undefined && pool.maxNodes <= pool.minNodes) {
      return [{ ...base, message: `${where} autoscales between minNodes ${pool.minNodes} and maxNodes ${pool.maxNodes}, so it can never shrink when ${example} scales to zero`, fix: `lower ${pool.field ? `${pool.field}.` : ''}minNodes below maxNodes (0 lets an extra pool empty; the cluster's first pool keeps at least 1 for KEDA, the interceptor and Envoy)` }];
    }
    return [];
  });
}

export const scaleToZeroNeedsNodeAutoscalingRule: ResourceRule = { ...INFO, check: scaleToZeroNeedsNodeAutoscaling };
