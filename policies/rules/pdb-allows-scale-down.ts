import { groupOf, isNumber, namespaceOf, objectKey, podTemplate, pushTo, ref, SCALABLE_KINDS, scalersOf, selectorMatches, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'pdb-allows-scale-down',
  level: 'mandatory',
  description:
    'A PodDisruptionBudget that allows no eviction of a workload running a single pod (every scale-to-zero tenant after it wakes) blocks node drain: the cluster autoscaler can never remove that node and the bill does not drop.',
  pitfall: 'Level 4 Cluster Autoscaler ("Check if their pods can fit on other nodes; if yes, drain and delete"); Common Pitfalls #5 "I scaled to zero but my cloud bill didn\'t drop"',
};

/** Evictions a PDB allows when `pods` healthy pods exist (percentages round up, as the disruption controller does). */
export function allowedDisruptions(spec: Record<string, any>, pods: number): number | undefined {
  const scaled = (v: unknown): number | undefined => {
    if (isNumber(v)) return v;
    const m = typeof v === 'string' ? /^(\d+)%$/.exec(v) : null;
    return m ? Math.ceil((Number(m[1]) * pods) / 100) : undefined;
  };
  if (spec.minAvailable !== undefined) {
    const min = scaled(spec.minAvailable);
    return min === undefined ? undefined : Math.max(0, pods - min);
  }
  if (spec.maxUnavailable !== undefined) return scaled(spec.maxUnavailable);
  return undefined;
}

/** Rule 15: no PDB blocks evicting a workload that runs at 0–1 replicas. */
export function pdbAllowsScaleDown(objects: readonly KubeObject[]): Violation[] {
  const floor = new Map<string, number>();
  for (const s of scalersOf(objects)) {
    if (!s.target) continue;
    const key = objectKey(s.target.kind, s.namespace, s.target.name);
    floor.set(key, Math.min(floor.get(key) ?? Infinity, s.idleMin));
  }
  const out: Violation[] = [];
  const workloads = new Map<string, KubeObject[]>();
  for (const w of objects) if (SCALABLE_KINDS.has(w.kind)) pushTo(workloads, namespaceOf(w), w);
  for (const pdb of objects) {
    if (pdb.kind !== 'PodDisruptionBudget' || groupOf(pdb.apiVersion) !== 'policy') continue;
    const spec = specOf(pdb);
    const allowed = allowedDisruptions(spec, 1);
    if (allowed === undefined || allowed > 0) continue;
    for (const w of workloads.get(namespaceOf(pdb)) ?? []) {
      const template = podTemplate(w);
      if (!template || !selectorMatches(spec.selector, template.labels)) continue;
      const min = floor.get(objectKey(w.kind, namespaceOf(w), w.metadata.name)) ?? (isNumber(specOf(w).replicas) ? specOf(w).replicas : 1);
      if (min > 1) continue;
      const setting = spec.minAvailable !== undefined ? `minAvailable: ${JSON.stringify(spec.minAvailable)}` : `maxUnavailable: ${JSON.stringify(spec.maxUnavailable)}`;
      out.push(
        violation(
          INFO,
          pdb,
          `${setting} allows no eviction while ${ref(w)} runs a single pod (${min === 0 ? 'as it does after waking from zero' : 'at its floor of 1 replica'}): node drain blocks, so the cluster autoscaler cannot remove the node`,
          'use maxUnavailable: 1 (or delete the PDB) for workloads that run at 0–1 replicas',
        ),
      );
    }
  }
  return out;
}

export const pdbAllowsScaleDownRule: ManifestRule = { ...INFO, check: pdbAllowsScaleDown };
