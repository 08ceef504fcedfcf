import { LABELS } from '../../constructs/platform-settings';
import {
  asArray, durationSeconds, formatSeconds, groupOf, httpScaledHosts, indexObjects, isHttpRoute, isHttpScaledObject, isInterceptor,
  namespaceOf, objectKey, ref, routeFinder, routeRules, settingsOf, specOf, violation,
} from '../model';
import type { KubeObject, ManifestRule, RuleInfo, RuleOptions, Violation } from '../types';

/** Envoy Gateway's route timeout when neither the HTTPRoute nor a BackendTrafficPolicy sets one. */
export const ENVOY_GATEWAY_DEFAULT_TIMEOUT_SECONDS = 15;
/** The interceptor's KEDA_CONDITION_WAIT_TIMEOUT default: how long it holds a request for a ready pod. */
export const INTERCEPTOR_CONDITION_WAIT_SECONDS = 20;
/** The interceptor's KEDA_RESPONSE_HEADER_TIMEOUT default. */
export const INTERCEPTOR_RESPONSE_HEADER_SECONDS = 0.5;

const INFO: RuleInfo = {
  name: 'cold-start-timeout-chain',
  level: 'mandatory',
  description:
    "Each hop must wait at least as long as the one behind it: the route's request timeout covers the interceptor's cold-start wait (conditionWait + responseHeader), and the interceptor's wait covers the workload's cold-start budget. Otherwise the first request after sleep gets a 504 or 502 although the pod comes up fine. An unset route timeout is Envoy Gateway's 15 s; an unset conditionWait is the interceptor's 20 s.",
  pitfall: 'Cold-start in detail ("Total: 10 to 30 seconds for the first request"); Safety Notes "Cold-start latency interacts with caller timeouts in non-obvious ways"; Common Pitfalls #4',
};

/** The request timeout (seconds) Envoy Gateway BackendTrafficPolicies give routes, by `namespace/route`. */
function policyTimeouts(objects: readonly KubeObject[]): Map<string, number> {
  const timeouts = new Map<string, number>();
  for (const o of objects) {
    if (o.kind !== 'BackendTrafficPolicy' || groupOf(o.apiVersion) !== 'gateway.envoyproxy.io') continue;
    const spec = specOf(o);
    const t = durationSeconds(spec.timeout?.http?.requestTimeout);
    if (t === undefined) continue;
    const refs = [...asArray<Record<string, any>>(spec.targetRefs), ...(spec.targetRef ? [spec.targetRef] : [])];
    for (const r of refs) {
      const key = `${namespaceOf(o)}/${r.name}`;
      if (r.kind === 'HTTPRoute' && !timeouts.has(key)) timeouts.set(key, t);
    }
  }
  return timeouts;
}

/** Rule 12: route timeout ≥ interceptor wait ≥ cold-start budget. */
export function coldStartTimeoutChain(objects: readonly KubeObject[], options?: RuleOptions): Violation[] {
  const settings = settingsOf(options);
  const index = indexObjects(objects);
  const routesFor = routeFinder(objects.filter(isHttpRoute));
  const policies = policyTimeouts(objects);
  const out: Violation[] = [];
  const reported = new Set<string>();
  for (const hso of objects.filter(isHttpScaledObject)) {
    const timeouts = specOf(hso).timeouts ?? {};
    const waitSet = durationSeconds(timeouts.conditionWait);
    const wait = waitSet ?? INTERCEPTOR_CONDITION_WAIT_SECONDS;
    const header = durationSeconds(timeouts.responseHeader) ?? INTERCEPTOR_RESPONSE_HEADER_SECONDS;
    const needed = wait + header;
    const waitText = waitSet === undefined ? `${formatSeconds(wait)} (interceptor default; timeouts.conditionWait unset)` : formatSeconds(wait);

    const targetName = specOf(hso).scaleTargetRef?.name;
    const workload = targetName ? index.get(objectKey(specOf(hso).scaleTargetRef?.kind ?? 'Deployment', namespaceOf(hso), targetName)) : undefined;
    const budgetText = workload?.metadata.annotations?.[LABELS.coldStartBudget];
    const budget = budgetText !== undefined ? Number(budgetText) : undefined;
    if (budget !== undefined && Number.isFinite(budget) && wait < budget) {
      out.push(
        violation(
          INFO,
          hso,
          `the interceptor waits ${waitText} for a ready pod, but ${ref(workload!)} may take ${budget}s to start (${LABELS.coldStartBudget}): slow cold starts end in a 502 from the interceptor`,
          `set spec.timeouts.conditionWait: "${budget}s"`,
        ),
      );
    }

    for (const host of httpScaledHosts(hso)) {
      for (const route of routesFor(host)) {
        for (const rule of routeRules(route)) {
          if (!rule.backendRefs.some((b) => isInterceptor(b, settings))) continue;
          const key = `${namespaceOf(route)}/${route.metadata.name}/${rule.index}`;
          if (reported.has(key)) continue;
          const request = durationSeconds(rule.timeouts.request);
          const backend = durationSeconds(rule.timeouts.backendRequest);
          const fromPolicy = request === undefined ? policies.get(`${namespaceOf(route)}/${route.metadata.name}`) : undefined;
          const base = request ?? fromPolicy ?? ENVOY_GATEWAY_DEFAULT_TIMEOUT_SECONDS;
          // "0s" disables a Gateway API timeout.
          const candidates = [base, backend].filter((t): t is number => t !== undefined && t > 0);
          const effective = candidates.length > 0 ? Math.min(...candidates) : Infinity;
          if (effective >= needed) continue;
          reported.add(key);
          const source =
            backend !== undefined && backend > 0 && backend === effective
              ? `timeouts.backendRequest ${formatSeconds(backend)}`
              : request !== undefined
                ? `timeouts.request ${formatSeconds(request)}`
                : fromPolicy !== undefined
                  ? `its BackendTrafficPolicy's requestTimeout ${formatSeconds(fromPolicy)}`
                  : `Envoy Gateway's default ${ENVOY_GATEWAY_DEFAULT_TIMEOUT_SECONDS}s (timeouts.request unset)`;
          out.push(
            violation(
              INFO,
              route,
              `rules[${rule.index}] gives up after ${source}, but for ${host} the interceptor may hold the first request ${waitText} + ${formatSeconds(header)} response header while ${ref(hso)} scales from zero: the caller gets a 504 although the pod starts`,
              `set rules[${rule.index}].timeouts.request (and backendRequest) to at least "${Math.ceil(needed)}s"`,
            ),
          );
        }
      }
    }
  }
  return out;
}

export const coldStartTimeoutChainRule: ManifestRule = { ...INFO, check: coldStartTimeoutChain };
