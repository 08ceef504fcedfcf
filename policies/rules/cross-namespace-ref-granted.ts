import { asArray, GATEWAY_GROUP, groupOf, isRoute, namespaceOf, routeRules, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'cross-namespace-ref-granted',
  level: 'mandatory',
  description:
    "A route's backendRef into another namespace is refused (ResolvedRefs=False, RefNotPermitted) unless a ReferenceGrant in the target namespace admits it; the Gateway then answers 500 for every request, which looks like the tenant is down.",
  pitfall: 'Routing traffic to the KEDA HTTP interceptor: the lesson\'s chatbot-route (namespace default) points at the interceptor in keda with no ReferenceGrant',
};

interface Grant {
  from: { group?: string; kind?: string; namespace?: string }[];
  to: { group?: string; kind?: string; name?: string }[];
}

function grantsIn(objects: readonly KubeObject[], namespace: string): Grant[] {
  return objects
    .filter((o) => o.kind === 'ReferenceGrant' && groupOf(o.apiVersion) === GATEWAY_GROUP && namespaceOf(o) === namespace)
    .map((o) => ({ from: asArray(specOf(o).from), to: asArray(specOf(o).to) }));
}

/** Rule 10: every cross-namespace backendRef is admitted by a ReferenceGrant in the target namespace. */
export function crossNamespaceRefGranted(objects: readonly KubeObject[]): Violation[] {
  const out: Violation[] = [];
  for (const route of objects.filter(isRoute)) {
    const routeNs = namespaceOf(route);
    for (const rule of routeRules(route)) {
      for (const b of rule.backendRefs) {
        if (b.namespace === routeNs) continue;
        const admitted = grantsIn(objects, b.namespace).some(
          (g) =>
            g.from.some((f) => f.group === GATEWAY_GROUP && f.kind === route.kind && f.namespace === routeNs) &&
            g.to.some((t) => (t.group ?? '') === b.group && t.kind === b.kind && (t.name === undefined || t.name === '' || t.name === b.name)),
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
