import { asArray, GATEWAY_GROUP, groupOf, isRoute, namespaceOf, pushTo, routeRules, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'cross-namespace-ref-granted',
  level: 'mandatory',
  description:
    "A route's backendRef into another namespace is refused (ResolvedRefs=False, RefNotPermitted) unless a ReferenceGrant in the target namespace admits it; the Gateway then answers 500 for every request, which looks like the tenant is down.",
  pitfall: 'Routing traffic to the KEDA HTTP interceptor: the lesson\'s chatbot-route (namespace default) points at the interceptor in keda with no ReferenceGrant',
};

/** A ReferenceGrant `to` entry: what may be referenced (every object of the kind when name is unset). */
interface GrantTarget {
  group?: string;
  kind?: string;
  name?: string;
}

/** The `to` entries of ReferenceGrants, by `grant namespace/from kind/from namespace`. */
function grantIndex(objects: readonly KubeObject[]): Map<string, GrantTarget[]> {
  const index = new Map<string, GrantTarget[]>();
  for (const o of objects) {
    if (o.kind !== 'ReferenceGrant' || groupOf(o.apiVersion) !== GATEWAY_GROUP) continue;
    const to = asArray<GrantTarget>(specOf(o).to);
    for (const f of asArray<{ group?: string; kind?: string; namespace?: string }>(specOf(o).from)) {
      if (f.group === GATEWAY_GROUP) for (const t of to) pushTo(index, `${namespaceOf(o)}/${f.kind}/${f.namespace}`, t);
    }
  }
  return index;
}

/** Rule 10: every cross-namespace backendRef is admitted by a ReferenceGrant in the target namespace. */
export function crossNamespaceRefGranted(objects: readonly KubeObject[]): Violation[] {
  const grants = grantIndex(objects);
  const out: Violation[] = [];
  for (const route of objects.filter(isRoute)) {
    const routeNs = namespaceOf(route);
    for (const rule of routeRules(route)) {
      for (const b of rule.backendRefs) {
        if (b.namespace === routeNs) continue;
        const admitted = (grants.get(`${b.namespace}/${route.kind}/${routeNs}`) ?? []).some(
          (t) => (t.group ?? '') === b.group && t.kind === b.kind && (t.name === undefined || t.name === '' || t.name === b.name),
        );
        if (admitted) continue;
        out.push(
          violation(
            INFO,
            route,
            `rules[${rule.index}] references ${b.kind} ${b.namespace}/${b.name} across namespaces and no ReferenceGrant in ${b.namespace} admits ${route.kind}s from ${routeNs}: the backend is refused (RefNotPermitted) and every request gets a 500`,
            `add a ReferenceGrant in namespace ${b.namespace}: from [{group: ${GATEWAY_GROUP}, kind: ${route.kind}, namespace: ${routeNs}}], to [{group: "${b.group}", kind: ${b.kind}, name: ${b.name}}]`,
          ),
        );
      }
    }
  }
  return out;
}

export const crossNamespaceRefGrantedRule: ManifestRule = { ...INFO, check: crossNamespaceRefGranted };
