import { HttpEntry, httpEntries, orphanedInterceptorScalers } from '../http-entry';
import {
  indexObjects, isHttpRoute, isInterceptor, namespaceOf, objectKey, podTemplate, ref, routeFinder, routeRules, selectorMatches, settingsOf, specOf, violation,
} from '../model';
import type { KubeObject, ManifestRule, RuleInfo, RuleOptions, Violation } from '../types';
import type { PlatformSettings } from '../../constructs/platform-settings';
import { ingressEntriesFor, isIngress, reachesInterceptor, servicesByName } from './ingress-entry';
import { hasInterceptorFallback } from './direct-routing-chain';

const INFO: RuleInfo = {
  name: 'http-scaled-routes-through-interceptor',
  level: 'mandatory',
  description:
    "Every host of an HTTPScaledObject or an InterceptorRoute needs an entry path to the KEDA interceptor proxy: an HTTPRoute with that hostname whose backend is the interceptor, or an Ingress whose backend is the interceptor or an ExternalName Service naming it (the HTTP add-on's own example). Routed straight to the app's Service, a request at zero replicas finds no endpoints: the Gateway answers 503 and nothing ever wakes the app, because only the interceptor counts requests. The app's Services are the route's target Service and every Service selecting the pods of the workload its ScaledObject (the one whose external-push trigger names the InterceptorRoute) or HTTPScaledObject scales. A ScaledObject naming an InterceptorRoute that does not exist never gets a metric: the scaler fails to look the route up.",
  pitfall: 'The HTTP Problem / Cold-start in detail ("Without HTTP add-on: … an Ingress/Gateway returns 503"); Routing traffic to the KEDA HTTP interceptor ("not directly to the chatbot service")',
};

/**
 * The app's own Services for an entry: its target Service, and every Service in its namespace whose
 * selector picks the pods of the workload its scaler scales (a second Service in front of the same
 * pods has no endpoints at zero either).
 */
function appServices(entry: HttpEntry, services: readonly KubeObject[], index: Map<string, KubeObject>): Set<string> {
  const names = new Set<string>(entry.service ? [entry.service] : []);
  const workload = entry.workload ? index.get(objectKey(entry.workload.kind, entry.namespace, entry.workload.name)) : undefined;
  const labels = workload ? podTemplate(workload)?.labels : undefined;
  if (!labels) return names;
  for (const svc of services) {
    const selector = specOf(svc).selector;
    if (namespaceOf(svc) !== entry.namespace || !selector || Object.keys(selector).length === 0) continue;
    if (selectorMatches({ matchLabels: selector }, labels)) names.add(svc.metadata.name);
  }
  return names;
}

/** Rule 9: every host of an HTTPScaledObject or InterceptorRoute is routed to the interceptor proxy, never to the app directly. */
export function httpScaledRoutesThroughInterceptor(objects: readonly KubeObject[], options?: RuleOptions): Violation[] {
  const settings = settingsOf(options);
  const routesFor = routeFinder(objects.filter(isHttpRoute));
  const ingresses = objects.filter(isIngress);
  const services = ingresses.length > 0 ? servicesByName(objects) : new Map<string, KubeObject>();
  const index = indexObjects(objects);
  const allServices = objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1');
  const out: Violation[] = [];
  const reported = new Set<string>();
  for (const entry of httpEntries(objects)) {
    const owner = entry.owner;
    const mine = appServices(entry, allServices, index);
    const waker = entry.scaler && entry.scaler !== owner ? `${ref(entry.scaler)} (woken through ${ref(owner)})` : ref(owner);
    for (const host of entry.hosts) {
      if (host === '*' || host === '') continue;
      const serving = routesFor(host);
      const entries = ingressEntriesFor(ingresses, host);
      out.push(...ingressViolations(owner, host, entries, services, settings, reported));
      if (serving.length === 0) {
        if (entries.length > 0) continue;
        out.push(
          violation(
            INFO,
            owner,
            `no HTTPRoute or Ingress has hostname ${host}: requests for it never reach the interceptor, so the app is unreachable and never wakes`,
            `add an HTTPRoute with hostnames [${host}] and backendRefs [{name: ${settings.interceptor.service}, namespace: ${settings.interceptor.namespace}, port: ${settings.interceptor.port}}]`,
          ),
        );
        continue;
      }
      for (const route of serving) {
        for (const rule of routeRules(route)) {
          // direct-when-warm: Backends with the interceptor as the fallback priority reach it
          // whenever the tenant is down; direct-routing-chain checks the rest of that chain.
          if (hasInterceptorFallback(rule.backendRefs, objects, settings) && rule.backendRefs.every((b) => b.kind === 'Backend')) continue;
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
            const direct = b.group === '' && b.kind === 'Service' && b.namespace === entry.namespace && mine.has(b.name);
            out.push(
              violation(
                INFO,
                route,
                direct
                  ? `rules[${rule.index}] sends ${host} straight to Service ${b.name}, whose pods ${waker} scales to zero: at zero replicas it has no endpoints, the Gateway answers 503 and the app never wakes`
                  : `rules[${rule.index}] sends ${host} (a host of ${ref(owner)}) to ${b.kind} ${b.namespace}/${b.name}, not to the interceptor: nothing counts these requests, so the app never wakes from zero`,
                `point rules[${rule.index}].backendRefs at {name: ${settings.interceptor.service}, namespace: ${settings.interceptor.namespace}, port: ${settings.interceptor.port}} (plus a ReferenceGrant in ${settings.interceptor.namespace})`,
              ),
            );
          }
        }
      }
    }
  }
  out.push(...orphanViolations(objects, index));
  return out;
}

/**
 * ScaledObjects naming an InterceptorRoute that is missing next to their workload: the external
 * scaler's GetMetricSpec fails on the lookup (kedacore/http-add-on@v0.15.0 scaler/handlers.go:111-117),
 * so KEDA never scales the workload from zero. Only reported when the workload is among the objects,
 * so a directory holding part of a tenant does not fire.
 */
function orphanViolations(objects: readonly KubeObject[], index: Map<string, KubeObject>): Violation[] {
  return orphanedInterceptorScalers(objects)
    .filter(({ scaler }) => {
      const target = specOf(scaler).scaleTargetRef ?? {};
      return target.name !== undefined && index.has(objectKey(target.kind ?? 'Deployment', namespaceOf(scaler), target.name));
    })
    .map(({ scaler, route }) =>
      violation(
        INFO,
        scaler,
        `its external-push trigger names InterceptorRoute ${route}, which does not exist in ${namespaceOf(scaler)}: the HTTP add-on's scaler cannot look it up, so no request ever wakes ${specOf(scaler).scaleTargetRef.name}`,
        `create InterceptorRoute ${route} in ${namespaceOf(scaler)} or fix triggers[].metadata.interceptorRoute`,
      ),
    );
}

/** Ingress backends for a host of an HTTPScaledObject or InterceptorRoute that do not reach the interceptor. */
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
