import { isVpa, vpaOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'vpa-acting-mode',
  level: 'advisory',
  description:
    'A VPA in any mode but Off evicts or resizes pods on its own schedule: mid-request evictions break the app, and on a scale-to-zero workload every cold start gets whatever request the VPA last chose. Off still records recommendations.',
  pitfall: 'Common Pitfalls #6 "VPA changed my pod size and broke my app"; "Never run VPA in Auto mode on workloads anyone depends on"',
};

/** Rule 5: a VPA in any mode but Off (an unset updateMode means Auto). */
export function vpaActingMode(objects: readonly KubeObject[]): Violation[] {
  return objects.filter(isVpa).flatMap((o) => {
    const vpa = vpaOf(o);
    if (vpa.mode === 'Off') return [];
    const how = (o.spec as Record<string, any> | undefined)?.updatePolicy?.updateMode === undefined ? 'has no updateMode, so it runs in Auto mode' : `runs in updateMode ${vpa.mode}`;
    return [violation(INFO, o, `${how} and will evict or resize pods by itself`, 'set spec.updatePolicy.updateMode: "Off" and apply its recommendations in the manifest')];
  });
}

export const vpaActingModeRule: ManifestRule = { ...INFO, check: vpaActingMode };
