import { durationSeconds, formatSeconds, groupOf, isHttpRoute, isInterceptor, namespaceOf, routeHostnames, routeRules, settingsOf, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, RuleOptions, Violation } from '../types';

/**
 * The KEDA HTTP add-on 0.15 interceptor defaults (kedacore/http-add-on@v0.15.0
 * interceptor/config/timeouts.go:14-24): readiness 0 = no limit of its own
 * (KEDA_HTTP_READINESS_TIMEOUT), response header 300 s (KEDA_HTTP_RESPONSE_HEADER_TIMEOUT),
 * request 0 = none (KEDA_HTTP_REQUEST_TIMEOUT). The chart (keda-add-ons-http 0.15.0) leaves them unset.
 */
export const INTERCEPTOR_DEFAULTS = { readinessSeconds: 0, responseHeaderSeconds: 300, requestSeconds: 0 } as const;

const INFO: RuleInfo = {
  name: 'interceptor-route-timeout-chain',
  level: 'mandatory',
  description:
    "The interceptor holds a request while an InterceptorRoute's target wakes (timeouts.readiness; unset it is KEDA_HTTP_READINESS_TIMEOUT, 0 = no limit of its own at add-on 0.15), then waits for response headers (timeouts.responseHeader, default 300 s). The HTTPRoute that sends the route's hosts to the interceptor must wait at least as long (or timeouts.request, when set): otherwise Envoy cuts the wake short with its own error, and with no readiness limit the caller's timeout is the only one.",
  pitfall: 'Seed 000 "Cold-start takes 60 seconds" (each phase is additive); Envoy Gateway\'s 15 s default route timeout against a 10-40 s cold start',
};

/** Every InterceptorRoute whose wake is unbounded or longer than the timeout of a route reaching it. */
export function interceptorRouteTimeoutChain(objects: readonly KubeObject[], options?: RuleOptions): Violation[] {
  const settings = settingsOf(options);
  const out: Violation[] = [];
  const routes = objects.filter(isHttpRoute);
  for (const ir of objects.filter((o) => o.kind === 'InterceptorRoute' && groupOf(o.apiVersion) === 'http.keda.sh')) {
    const spec = specOf(ir);
    const t = spec.timeouts ?? {};
    const readiness = t.readiness !== undefined ? durationSeconds(t.readiness) : INTERCEPTOR_DEFAULTS.readinessSeconds;
    const header = t.responseHeader !== undefined ? durationSeconds(t.responseHeader) : INTERCEPTOR_DEFAULTS.responseHeaderSeconds;
    const request = t.request !== undefined ? durationSeconds(t.request) : INTERCEPTOR_DEFAULTS.requestSeconds;
    const hasFallback = spec.coldStart?.fallback?.service !== undefined;
    if (readiness === 0 && !hasFallback) {
      out.push(
        violation(
          INFO,
          ir,
          `spec.timeouts.readiness is ${t.readiness === undefined ? 'unset, so the interceptor default applies: KEDA_HTTP_READINESS_TIMEOUT, 0 at add-on 0.15 (no limit)' : '0 (no limit)'}: a wake that never finishes holds the request until the caller gives up`,
          "set spec.timeouts.readiness to the tenant's cold-start budget, e.g. \"60s\"",
        ),
      );
    }
    if (readiness === undefined || header === undefined || request === undefined) continue;
    // What the interceptor may take before answering: its request timeout when set, else the wake plus the header wait.
    const needed = request > 0 ? request : readiness + header;
    const hosts: string[] = (Array.isArray(spec.rules) ? spec.rules : []).flatMap((r: Record<string, unknown>) => (Array.isArray(r.hosts) ? r.hosts : []));
    for (const route of routes) {
      if (!routeHostnames(route).some((h) => hosts.includes(h))) continue;
      for (const rule of routeRules(route)) {
        if (!rule.backendRefs.some((b) => isInterceptor(b, settings))) continue;
        const limit = durationSeconds(rule.timeouts.request) ?? durationSeconds(rule.timeouts.backendRequest);
        const routeLimit = limit ?? 15; // Envoy Gateway's default route timeout
        if (routeLimit === 0 || routeLimit >= needed) continue;
        out.push(
          violation(
            INFO,
            route,
            `rules[${rule.index}] gives up after ${formatSeconds(routeLimit)}${limit === undefined ? " (Envoy Gateway's default)" : ''} while InterceptorRoute ${namespaceOf(ir)}/${ir.metadata.name} may take ${formatSeconds(needed)} (${request > 0 ? 'timeouts.request' : `readiness ${formatSeconds(readiness)} + responseHeader ${formatSeconds(header)}`})`,
            `set spec.rules[${rule.index}].timeouts.request to at least ${formatSeconds(needed)} (tenantscale writes readiness + responseHeader + 5 s)`,
          ),
        );
      }
    }
  }
  return out;
}

export const interceptorRouteTimeoutChainRule: ManifestRule = { ...INFO, check: interceptorRouteTimeoutChain };
