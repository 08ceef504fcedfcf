/**
 * The cold-start timeout chain, for both add-on models (HTTPScaledObject and InterceptorRoute +
 * ScaledObject, see ../http-entry.ts): cold-start budget ≤ the interceptor's readiness wait ≤ its
 * request deadline; HTTPRoute timeout ≥ what the interceptor may take; load-balancer idle timeout ≥
 * the same. This one rule owns the whole chain (it absorbed `interceptor-route-timeout-chain`).
 */
import { LABELS } from '../../constructs/platform-settings';
import { DO_LB_ANNOTATION_PREFIX } from '../../constructs/platform/do-load-balancer';
import { HttpEntry, INTERCEPTOR_DEFAULTS, httpEntries } from '../http-entry';
import {
  asArray, durationSeconds, formatSeconds, groupOf, indexObjects, isHttpRoute, isInterceptor, namespaceOf, objectKey, ref, routeFinder,
  routeRules, settingsOf, specOf, violation,
} from '../model';
import type { KubeObject, ManifestRule, RuleInfo, RuleOptions, Violation } from '../types';

/** Envoy Gateway's route timeout when neither the HTTPRoute nor a BackendTrafficPolicy sets one. */
export const ENVOY_GATEWAY_DEFAULT_TIMEOUT_SECONDS = 15;
export { INTERCEPTOR_DEFAULTS };

/** The DigitalOcean load-balancer annotation on the Envoy Service (constructs/platform/do-load-balancer.ts). */
const LB_IDLE_ANNOTATION = `${DO_LB_ANNOTATION_PREFIX}http-idle-timeout-seconds`;

const INFO: RuleInfo = {
  name: 'cold-start-timeout-chain',
  level: 'mandatory',
  description:
    "Each hop must wait at least as long as the one behind it. The interceptor holds the first request after sleep until the target Service has a ready endpoint (InterceptorRoute timeouts.readiness, HTTPScaledObject timeouts.conditionWait; unset it is KEDA_HTTP_READINESS_TIMEOUT, 0 = no deadline of its own at add-on 0.15), then waits for response headers (timeouts.responseHeader, default 300 s); an InterceptorRoute's timeouts.request caps both. That wait must cover the workload's cold-start budget, and the HTTPRoute that sends the hosts to the interceptor (unset: Envoy Gateway's 15 s, or a BackendTrafficPolicy's requestTimeout) and the load balancer's idle timeout (when the Gateway's EnvoyProxy sets it) must cover the wait. Otherwise the first request after sleep gets a 504 or 502 although the pod comes up fine; with no readiness deadline at all, the caller's timeout is the only one.",
  pitfall: 'Cold-start in detail ("Total: 10 to 30 seconds for the first request"); Safety Notes "Cold-start latency interacts with caller timeouts in non-obvious ways"; Common Pitfalls #4; seed 000 "Cold-start takes 60 seconds" (each phase is additive)',
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

/**
 * The load-balancer idle timeout of a Gateway, when its EnvoyProxy sets the DigitalOcean annotation
 * on the Envoy Service: the EnvoyProxy the Gateway's own `infrastructure.parametersRef` names (same
 * namespace), else its GatewayClass's `parametersRef` (Envoy Gateway docs, "Customize EnvoyProxy":
 * the Gateway-level one takes precedence). Unset, DigitalOcean's default applies, which this rule
 * does not assume.
 */
interface LbIdle {
  seconds: number;
  proxy: KubeObject;
}

function lbIdleFinder(objects: readonly KubeObject[], index: Map<string, KubeObject>): (gateway: string) => LbIdle | undefined {
  const proxyIdle = (namespace: string, ref: Record<string, any> | undefined): LbIdle | undefined => {
    if (!ref || ref.kind !== 'EnvoyProxy' || typeof ref.name !== 'string') return undefined;
    const proxy = index.get(objectKey('EnvoyProxy', ref.namespace ?? namespace, ref.name));
    const value = proxy ? specOf(proxy).provider?.kubernetes?.envoyService?.annotations?.[LB_IDLE_ANNOTATION] : undefined;
    const seconds = value === undefined ? NaN : Number(value);
    return proxy && Number.isFinite(seconds) && seconds > 0 ? { seconds, proxy } : undefined;
  };
  return (gateway) => {
    const [namespace, name] = gateway.split('/');
    const gw = index.get(objectKey('Gateway', namespace, name));
    if (!gw) return undefined;
    const own = specOf(gw).infrastructure?.parametersRef;
    if (own) return proxyIdle(namespace, { ...own, namespace });
    const cls = index.get(objectKey('GatewayClass', '', String(specOf(gw).gatewayClassName)));
    return cls ? proxyIdle('', specOf(cls).parametersRef) : undefined;
  };
}

function gatewaysOf(route: KubeObject): string[] {
  return asArray<Record<string, any>>(specOf(route).parentRefs)
    .filter((p) => (p.kind ?? 'Gateway') === 'Gateway')
    .map((p) => `${p.namespace ?? namespaceOf(route)}/${p.name}`);
}

/** The wake limit: the shortest positive of readiness (30 s with a fallback at 0) and request; undefined = unbounded. */
function wakeLimit(entry: HttpEntry): { seconds: number; field: string } | undefined {
  const t = entry.timeouts;
  const readiness = t.readiness! > 0 ? t.readiness! : t.hasFallback ? INTERCEPTOR_DEFAULTS.fallbackReadinessSeconds : 0;
  const candidates = [
    ...(readiness > 0 ? [{ seconds: readiness, field: t.readiness! > 0 ? `${t.readinessField} ${formatSeconds(readiness)}` : `the fallback's readiness default ${formatSeconds(readiness)}` }] : []),
    ...(t.request! > 0 ? [{ seconds: t.request!, field: `timeouts.request ${formatSeconds(t.request!)}` }] : []),
  ];
  return candidates.sort((a, b) => a.seconds - b.seconds)[0];
}

function budgetOf(entry: HttpEntry, index: Map<string, KubeObject>): { seconds: number; workload: KubeObject } | undefined {
  const workload = entry.workload ? index.get(objectKey(entry.workload.kind, entry.namespace, entry.workload.name)) : undefined;
  const text = workload?.metadata.annotations?.[LABELS.coldStartBudget];
  const seconds = text === undefined ? NaN : Number(text);
  return workload && Number.isFinite(seconds) ? { seconds, workload } : undefined;
}

/** The interceptor's own hops: an unbounded wake, a wake shorter than the budget. */
function interceptorViolations(entry: HttpEntry, budget: { seconds: number; workload: KubeObject } | undefined): Violation[] {
  const t = entry.timeouts;
  const limit = wakeLimit(entry);
  const fixValue = budget ? `"${budget.seconds}s"` : 'the workload\'s cold-start budget, e.g. "60s"';
  if (!limit) {
    const why = t.readinessSet ? `${t.readinessField} is 0 (no limit)` : `${t.readinessField} is unset, so the interceptor default applies: KEDA_HTTP_READINESS_TIMEOUT, 0 at add-on 0.15 (no limit)`;
    return [violation(INFO, entry.owner, `${why}, and no request deadline or fallback bounds it: a wake that never finishes holds the request until the caller gives up`, `set spec.${t.readinessField} to ${fixValue}`)];
  }
  if (budget && limit.seconds < budget.seconds) {
    return [
      violation(
        INFO,
        entry.owner,
        `the interceptor waits at most ${limit.field} for a ready pod, but ${ref(budget.workload)} may take ${budget.seconds}s to start (${LABELS.coldStartBudget}): slow cold starts end in a 504 from the interceptor`,
        limit.field.startsWith('timeouts.request') ? `set spec.timeouts.request to at least "${budget.seconds + (t.responseHeader ?? 0)}s"` : `set spec.${t.readinessField} to "${budget.seconds}s"`,
      ),
    ];
  }
  return [];
}

/** What the interceptor may take before answering: its request deadline, else the wake (its limit, or the budget) plus the header wait. */
function neededSeconds(entry: HttpEntry, budget: number | undefined): { seconds: number; text: string } {
  const t = entry.timeouts;
  if (t.request! > 0) return { seconds: t.request!, text: `timeouts.request ${formatSeconds(t.request!)}` };
  const limit = wakeLimit(entry);
  const wake = limit?.seconds ?? budget ?? 0;
  const wakeText = limit ? limit.field : budget !== undefined ? `the ${budget}s cold-start budget (no readiness limit)` : 'readiness (no limit)';
  return { seconds: wake + t.responseHeader!, text: `${wakeText} + ${t.responseHeaderField} ${formatSeconds(t.responseHeader!)}${t.responseHeader === INTERCEPTOR_DEFAULTS.responseHeaderSeconds ? ' (0.15 default when unset)' : ''}` };
}

/** Rule 12: budget ≤ interceptor wait; route timeout and load-balancer idle timeout ≥ what the interceptor may take. */
export function coldStartTimeoutChain(objects: readonly KubeObject[], options?: RuleOptions): Violation[] {
  const settings = settingsOf(options);
  const index = indexObjects(objects);
  const routesFor = routeFinder(objects.filter(isHttpRoute));
  const policies = policyTimeouts(objects);
  const lbIdleOf = lbIdleFinder(objects, index);
  const out: Violation[] = [];
  const reported = new Set<string>();
  for (const entry of httpEntries(objects)) {
    const t = entry.timeouts;
    if (t.readiness === undefined || t.responseHeader === undefined || t.request === undefined) continue; // malformed: the CRD rejects it
    const budget = budgetOf(entry, index);
    out.push(...interceptorViolations(entry, budget));
    const needed = neededSeconds(entry, budget?.seconds);
    for (const host of entry.hosts) {
      if (host === '' || host === '*') continue;
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
          const candidates = [base, backend].filter((x): x is number => x !== undefined && x > 0);
          const effective = candidates.length > 0 ? Math.min(...candidates) : Infinity;
          if (effective < needed.seconds) {
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
                `rules[${rule.index}] gives up after ${source}, but for ${host} the interceptor may hold the first request ${formatSeconds(needed.seconds)} (${needed.text}) while ${ref(entry.owner)} wakes from zero: the caller gets a 504 although the pod starts`,
                `set rules[${rule.index}].timeouts.request (and backendRequest) to at least "${Math.ceil(needed.seconds)}s"`,
              ),
            );
            continue;
          }
          for (const gateway of gatewaysOf(route)) {
            const lb = lbIdleOf(gateway);
            if (!lb || lb.seconds >= needed.seconds) continue;
            reported.add(key);
            out.push(
              violation(
                INFO,
                route,
                `the load balancer in front of Gateway ${gateway} closes a connection idle for ${lb.seconds}s (${LB_IDLE_ANNOTATION} on EnvoyProxy ${namespaceOf(lb.proxy)}/${lb.proxy.metadata.name}), but for ${host} no byte flows for up to ${formatSeconds(needed.seconds)} (${needed.text}) while ${ref(entry.owner)} wakes: the caller's connection is cut`,
                `raise ${LB_IDLE_ANNOTATION} to at least ${Math.ceil(needed.seconds)} (600 at most), or shorten the interceptor's wait`,
              ),
            );
            break;
          }
        }
      }
    }
  }
  return out;
}

export const coldStartTimeoutChainRule: ManifestRule = { ...INFO, check: coldStartTimeoutChain };
