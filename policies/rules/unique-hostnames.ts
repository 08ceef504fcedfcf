import { asArray, httpScaledHosts, isHttpRoute, isHttpScaledObject, namespaceOf, ref, routeHostnames, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'unique-hostnames',
  level: 'mandatory',
  description:
    "A hostname claimed by two HTTPRoutes on the same Gateway, or by two HTTPScaledObjects, sends one tenant's traffic to another (the Gateway and the interceptor each pick one claimant) and wakes the wrong workload.",
  pitfall: 'The Per-Tenant Pattern ("Their own routing, so traffic for customer A doesn\'t reach customer B")',
};

/** The Gateways a route attaches to, as `namespace/name`. */
function parentsOf(route: KubeObject): string[] {
  return asArray<Record<string, any>>(specOf(route).parentRefs)
    .filter((p) => (p.kind ?? 'Gateway') === 'Gateway')
    .map((p) => `${p.namespace ?? namespaceOf(route)}/${p.name}`);
}

function duplicates(claims: Map<string, KubeObject[]>, describe: string, fix: string): Violation[] {
  const out: Violation[] = [];
  for (const [host, owners] of claims) {
    if (owners.length < 2) continue;
    for (const o of owners) {
      const others = owners.filter((x) => x !== o).map((x) => `${namespaceOf(x)}/${ref(x)}`).join(', ');
      out.push(violation(INFO, o, `hostname ${host} is also claimed by ${others}: ${describe}`, fix));
    }
  }
  return out;
}

/** Rule 11: no hostname is claimed by two routes (on one Gateway) or by two HTTPScaledObjects. */
export function uniqueHostnames(objects: readonly KubeObject[]): Violation[] {
  const routeClaims = new Map<string, KubeObject[]>();
  for (const route of objects.filter(isHttpRoute)) {
    for (const parent of new Set(parentsOf(route))) {
      for (const host of new Set(routeHostnames(route).map((h) => h.toLowerCase()))) {
        const key = `${host} on Gateway ${parent}`;
        routeClaims.set(key, [...(routeClaims.get(key) ?? []), route]);
      }
    }
  }
  const hsoClaims = new Map<string, KubeObject[]>();
  for (const hso of objects.filter(isHttpScaledObject)) {
    for (const host of new Set(httpScaledHosts(hso).map((h) => h.toLowerCase()))) hsoClaims.set(host, [...(hsoClaims.get(host) ?? []), hso]);
  }
  return [
    ...duplicates(routeClaims, 'the Gateway sends its traffic to only one of them, possibly the wrong tenant', 'give each tenant its own hostname; merge path rules for one host into one HTTPRoute'),
    ...duplicates(hsoClaims, 'the interceptor routes and counts its requests for only one of them, so the other never wakes or the wrong one does', 'give each HTTPScaledObject distinct hosts'),
  ];
}

export const uniqueHostnamesRule: ManifestRule = { ...INFO, check: uniqueHostnames };
