import { indexObjects, isVpa, objectKey, pushTo, ref, Scaler, scalersOf, targetOf, vpaControlled, vpaOf } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'no-vpa-acting-on-hpa-resource',
  level: 'mandatory',
  description:
    'A VPA in an acting mode (Initial, Recreate, Auto, InPlaceOrRecreate) rewrites the requests an HPA divides by. Scaling on the same resource, the two chase each other: the VPA raises the request, utilization drops, the HPA removes pods, usage per pod rises, and the loop oscillates.',
  pitfall: 'Decision tree "Never run HPA + VPA in Auto mode on the same resource"; Common Pitfalls #7 "audit for HPA+VPA on the same resource"',
};

/** Rule 4: no acting VPA controls a resource an HPA or ScaledObject scales the same workload on. */
export function noVpaActingOnHpaResource(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const scalers = new Map<string, Scaler[]>();
  for (const s of scalersOf(objects)) {
    if (s.target && s.resourceMetrics.length > 0) pushTo(scalers, objectKey(s.target.kind, s.namespace, s.target.name), s);
  }
  const out: Violation[] = [];
  for (const o of objects) {
    if (!isVpa(o)) continue;
    const vpa = vpaOf(o);
    if (vpa.mode === 'Off' || !vpa.target) continue;
    const workload = index.get(objectKey(vpa.target.kind, vpa.namespace, vpa.target.name));
    const controlled = vpaControlled(vpa, workload);
    for (const scaler of scalers.get(objectKey(vpa.target.kind, vpa.namespace, vpa.target.name)) ?? []) {
      const clash = new Set<string>();
      for (const metric of scaler.resourceMetrics) {
        for (const [container, resources] of controlled) {
          const sameContainer = !metric.container || container === '*' || container === metric.container;
          if (sameContainer && resources.has(metric.resource)) clash.add(metric.resource);
        }
      }
      if (clash.size === 0) continue;
      const resources = [...clash].sort().join(' and ');
      const target = targetOf(scaler, index);
      out.push({
        rule: INFO.name,
        level: INFO.level,
        namespace: vpa.namespace,
        kind: o.kind,
        name: o.metadata.name,
        message: `updateMode ${vpa.mode} resizes ${resources} of ${target ? ref(target) : `${vpa.target.kind}/${vpa.target.name}`} while ${ref(scaler.object)} scales it on ${resources}: the two autoscalers chase each other`,
        fix: `set spec.updatePolicy.updateMode: "Off" (apply recommendations by hand), or drop ${resources} from controlledResources`,
      });
    }
  }
  return out;
}

export const noVpaActingOnHpaResourceRule: ManifestRule = { ...INFO, check: noVpaActingOnHpaResource };
