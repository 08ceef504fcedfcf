import { asArray, GATEWAY_GROUP, groupOf, hostnameMatches, indexObjects, isHttpRoute, namespaceOf, namespacesByName, objectKey, ref, routeHostnames, selectorMatches, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'route-admitted-by-gateway',
  level: 'mandatory',
  description:
    "An HTTPRoute attaches only to a Gateway listener that admits it: allowedRoutes.namespaces defaults to Same (routes from the Gateway's own namespace only), a Selector must match the route's Namespace labels, allowedRoutes.kinds and the listener protocol must allow HTTPRoute, and a listener hostname must intersect the route's. Otherwise the route is silently not Accepted and the tenant's host answers 404.",
  pitfall: 'Gateway API: "HTTPRoutes can live in different namespaces from the Gateway" only because the lesson\'s Gateway sets allowedRoutes.namespaces.from: All',
};

/** Why a listener refuses the route, or undefined when it admits it. */
function refusal(listener: Record<string, any>, gateway: KubeObject, route: KubeObject, routeNamespace: KubeObject | undefined): string | undefined {
  const name = `listener ${listener.name ?? '?'}`;
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  const routeNs = namespaceOf(route);
  if (from === 'Same' && routeNs !== namespaceOf(gateway)) {
    return `${name} admits routes from its own namespace only (allowedRoutes.namespaces.from: ${listener.allowedRoutes?.namespaces?.from ? 'Same' : 'Same by default'}) and the route is in ${routeNs}`;
  }
  if (from === 'Selector') {
    if (routeNamespace) {
      const labels = { ...(routeNamespace.metadata.labels ?? {}), 'kubernetes.io/metadata.name': routeNs };
      if (!selectorMatches(listener.allowedRoutes?.namespaces?.selector ?? {}, labels)) {
        return `${name} admits namespaces matching ${JSON.stringify(listener.allowedRoutes?.namespaces?.selector ?? {})} and Namespace ${routeNs} does not carry those labels`;
      }
    }
  }
  const kinds = asArray<Record<string, any>>(listener.allowedRoutes?.kinds);
  if (kinds.length > 0) {
    if (!kinds.some((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && k.kind === 'HTTPRoute')) return `${name} allows only ${kinds.map((k) => k.kind).join(', ')}`;
  } else if (listener.protocol !== 'HTTP' && listener.protocol !== 'HTTPS') {
    return `${name} speaks ${listener.protocol}, which takes no HTTPRoutes`;
  }
  const hostname = listener.hostname as string | undefined;
  const hosts = routeHostnames(route);
  if (hostname && hosts.length > 0 && !hosts.some((h) => hostnameMatches(hostname, h) || hostnameMatches(h, hostname))) {
    return `${name} serves only ${hostname}, which none of the route's hostnames (${hosts.join(', ')}) matches`;
  }
  return undefined;
}

/** Added rule: every HTTPRoute parentRef names a Gateway listener that admits it (when that Gateway is among the objects). */
export function routeAdmittedByGateway(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const namespaces = namespacesByName(objects);
  const out: Violation[] = [];
  for (const route of objects.filter(isHttpRoute)) {
    asArray<Record<string, any>>(specOf(route).parentRefs).forEach((p, i) => {
      if ((p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP) return;
      const gateway = index.get(objectKey('Gateway', p.namespace ?? namespaceOf(route), p.name));
      if (!gateway || groupOf(gateway.apiVersion) !== GATEWAY_GROUP) return;
      let listeners = asArray<Record<string, any>>(specOf(gateway).listeners);
      if (p.sectionName !== undefined) listeners = listeners.filter((l) => l.name === p.sectionName);
      if (p.port !== undefined) listeners = listeners.filter((l) => l.port === p.port);
      if (listeners.length === 0) {
        out.push(
          violation(
            INFO,
            route,
            `parentRefs[${i}] names ${p.sectionName !== undefined ? `listener "${p.sectionName}"` : `port ${p.port}`} of ${ref(gateway)}, which has no such listener: the route is never attached and its hosts answer 404`,
            `use one of the listeners of ${namespaceOf(gateway)}/${gateway.metadata.name}: ${asArray<Record<string, any>>(specOf(gateway).listeners).map((l) => l.name).join(', ')}`,
          ),
        );
        return;
      }
      const reasons = listeners.map((l) => refusal(l, gateway, route, namespaces.get(namespaceOf(route))));
      if (reasons.some((r) => r === undefined)) return;
      out.push(
        violation(
          INFO,
          route,
          `parentRefs[${i}]: ${ref(gateway)} does not admit this route (${reasons.join('; ')}): the route is not Accepted and its hosts answer 404`,
          `set the listener's allowedRoutes.namespaces to from: All, or from: Selector matching a label of Namespace ${namespaceOf(route)}`,
        ),
      );
    });
  }
  return out;
}

export const routeAdmittedByGatewayRule: ManifestRule = { ...INFO, check: routeAdmittedByGateway };
