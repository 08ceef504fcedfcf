import {
  httpScaledHosts, isHttpRoute, isHttpScaledObject, isInterceptor, namespaceOf, ref, routeFinder, routeRules, settingsOf, specOf, violation,
} from '../model';
import type { KubeObject, ManifestRule, RuleInfo, RuleOptions, Violation } from '../types';
import type { PlatformSettings } from '../../constructs/platform-settings';
import { ingressEntriesFor, isIngress, reachesInterceptor, servicesByName } from './ingress-entry';

const INFO: RuleInfo = {
  name: 'http-scaled-routes-through-interceptor',
  level: 'mandatory',
  description:
    "Every host of an HTTPScaledObject needs an entry path to the KEDA interceptor proxy: an HTTPRoute with that hostname whose backend is the interceptor, or an Ingress whose backend is the interceptor or an ExternalName Service naming it (the HTTP add-on's own example). Routed straight to the app's Service, a request at zero replicas finds no endpoints: the Gateway answers 503 and nothing ever wakes the app, because only the interceptor counts requests.",
  pitfall: 'The HTTP Problem / Cold-start in detail ("Without HTTP add-on: … an Ingress/Gateway returns 503"); Routing traffic to the KEDA HTTP interceptor ("not directly to the chatbot service")',
};

/** Rule 9: every HTTPScaledObject host is routed to the interceptor proxy, never to the app directly. */
export function httpScaledRoutesThroughInterceptor(objects: readonly KubeObject[], options?: RuleOptions): Violation[] {
  const settings = settingsOf(options);
  const routesFor = routeFinder(objects.filter(isHttpRoute));
  const ingresses = objects.filter(isIngress);
  const services = ingresses.length > 0 ? servicesByName(objects) : new Map<string, KubeObject>();
  const out: Violation[] = [];
  const reported = new Set<string>();
  for (const hso of objects.filter(isHttpScaledObject)) {
    const appService = specOf(hso).scaleTargetRef?.service as string | undefined;
    for (const host of httpScaledHosts(hso)) {
      const serving = routesFor(host);
      const entries = ingressEntriesFor(ingresses, host);
      out.push(...ingressViolations(hso, host, entries, services, settings, reported));
      if (serving.length === 0) {
        if (entries.length > 0) continue;
        out.push(
          violation(
            INFO,
            hso,
            `no HTTPRoute or Ingress has hostname ${host}: requests for it never reach the interceptor, so the app is unreachable and never wakes`,
            `add an HTTPRoute with hostnames [${host}] and backendRefs [{name: ${settings.interceptor.service}, namespace: ${settings.interceptor.namespace}, port: ${settings.interceptor.port}}]`,
          ),
        );
        continue;
      }
      for (const route of serving) {
        for (const rule of routeRules(route)) {
          for (const b of rule.backendRefs) {
            const key = `${namespaceOf(route)}/${route.metadata.name}/${rule.index}/${b.namespace}/${b.name}`;
            if (reported.has(key)) continue;
            if (isInterceptor(b, settings)) {
              if (b.port !== undefined && b.port !== settings.interceptor.port) {
                reported.add(key);
                out.push(
                  violation(
                    INFO,
                    route,
                    `rules[${rule.index}] sends ${host} to the interceptor on port ${b.port}, but the interceptor proxy listens on ${settings.interceptor.port}: every request fails`,
                    `set rules[${rule.index}].backendRefs port: ${settings.interceptor.port}`,
                  ),
                );
              }
              continue;
            }
            reported.add(key);
            const direct = b.kind === 'Service' && b.name === appService && b.namespace === namespaceOf(hso);
            out.push(
              violation(
                INFO,
                route,
                direct
                  ? `rules[${rule.index}] sends ${host} straight to Service ${b.name}, which ${ref(hso)} scales to zero: at zero replicas it has no endpoints, the Gateway answers 503 and the app never wakes`
                  : `rules[${rule.index}] sends ${host} (a host of ${ref(hso)}) to ${b.kind} ${b.namespace}/${b.name}, not to the interceptor: nothing counts these requests, so the app never wakes from zero`,
                `point rules[${rule.index}].backendRefs at {name: ${settings.interceptor.service}, namespace: ${settings.interceptor.namespace}, port: ${settings.interceptor.port}} (plus a ReferenceGrant in ${settings.interceptor.namespace})`,
              ),
            );
          }
        }
      }
    }
  }
  return out;
}

/** Ingress backends for an HTTPScaledObject host that do not reach the interceptor. */
function ingressViolations(
  hso: KubeObject,
  host: string,
  entries: ReturnType<typeof ingressEntriesFor>,
  services: ReadonlyMap<string, KubeObject>,
  settings: PlatformSettings,
  reported: Set<string>,
): Violation[] {
  const out: Violation[] = [];
  for (const entry of entries) {
    const problem = reachesInterceptor(entry, services, settings);
    if (problem === undefined) continue;
    const key = `${namespaceOf(entry.ingress)}/Ingress/${entry.ingress.metadata.name}/${entry.where}`;
    if (reported.has(key)) continue;
    reported.add(key);
    out.push(
      violation(
        INFO,
        entry.ingress,
        `${entry.where} sends ${host} (a host of ${ref(hso)}) to Service ${entry.service}${entry.port === undefined ? '' : ` port ${entry.port}`}, ${problem}: nothing counts these requests, so the app never wakes from zero`,
        `point ${entry.where} at an ExternalName Service with externalName: ${settings.interceptor.service}.${settings.interceptor.namespace} and port ${settings.interceptor.port} (the HTTP add-on's example), or route ${host} with an HTTPRoute to the interceptor`,
      ),
    );
  }
  return out;
}

export const httpScaledRoutesThroughInterceptorRule: ManifestRule = { ...INFO, check: httpScaledRoutesThroughInterceptor };
