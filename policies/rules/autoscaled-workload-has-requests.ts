import { asArray, containersOf, indexObjects, namespaceOf, objectKey, ref, scalersOf, specOf, targetOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'autoscaled-workload-has-requests',
  level: 'mandatory',
  description:
    'An HPA or ScaledObject that scales on cpu or memory computes utilization as usage ÷ request. A container without that request leaves the HPA at `<unknown>` forever and the workload never scales.',
  pitfall: 'Common Pitfalls #1 "HPA isn\'t working" and Lab Errors "HPA shows cpu: <unknown>/70%"',
};

/** `namespace/resource` pairs for which a LimitRange gives every container a default request (or limit, copied into the request). */
function limitRangeDefaults(objects: readonly KubeObject[]): Set<string> {
  const defaults = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'LimitRange') continue;
    for (const l of asArray<Record<string, any>>(specOf(o).limits)) {
      if (l.type !== 'Container') continue;
      for (const resource of ['cpu', 'memory']) {
        if (l.defaultRequest?.[resource] !== undefined || l.default?.[resource] !== undefined) defaults.add(`${namespaceOf(o)}/${resource}`);
      }
    }
  }
  return defaults;
}

/** Rule 1: a workload scaled on cpu or memory requests that resource in every container it is scaled on. */
export function autoscaledWorkloadHasRequests(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const defaults = limitRangeDefaults(objects);
  const out: Violation[] = [];
  for (const scaler of scalersOf(objects)) {
    const workload = targetOf(scaler, index);
    if (!workload) continue;
    const seen = new Set<string>();
    for (const metric of scaler.resourceMetrics) {
      for (const c of containersOf(workload)) {
        if (metric.container && c.name !== metric.container) continue;
        const k = objectKey(metric.resource, c.name, '');
        if (seen.has(k)) continue;
        seen.add(k);
        if (c.resources?.requests?.[metric.resource] !== undefined) continue;
        if (defaults.has(`${namespaceOf(workload)}/${metric.resource}`)) continue;
        const limitOnly = c.resources?.limits?.[metric.resource] !== undefined;
        out.push(
          violation(
            INFO,
            workload,
            `container "${c.name}" has no ${metric.resource} request but ${ref(scaler.object)} scales ${ref(workload)} on ${metric.resource}: ` +
              (limitOnly
                ? `Kubernetes copies the limit into the request, so utilization is measured against the limit and the HPA scales far too late`
                : `utilization is usage ÷ request, so the HPA shows <unknown> and never scales`),
            `set spec.template.spec.containers[${c.name}].resources.requests.${metric.resource} to the container's steady-state usage`,
          ),
        );
      }
    }
  }
  return out;
}

export const autoscaledWorkloadHasRequestsRule: ManifestRule = { ...INFO, check: autoscaledWorkloadHasRequests };
