import { DIRECT_BACKEND_LABEL, interceptorEndpoint } from '../../constructs/tenant-direct-routing';
import { routeClusterName } from '../../constructs/triggers/edge-request-rate';
import { TENANT_SERIES } from '../../constructs/platform/monitoring/tenant-series';
import { asArray, groupOf, isHttpRoute, labelsOf, namespaceOf, objectKey, ref, routeRules, scalersOf, settingsOf, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, RuleOptions, Violation } from '../types';
import type { PlatformSettings } from '../../constructs/platform-settings';

const INFO: RuleInfo = {
  name: 'direct-routing-chain',
  level: 'mandatory',
  description:
    "A route that sends straight to a tenant while it is warm (an Envoy Gateway Backend with `fallback: true` beside it) must keep the whole chain: every Backend is tenantscale's (label tenantscale.io/backend) and names either a Service of its own namespace or the interceptor proxy, the fallback is the interceptor; no Service backendRef shares the rule (Envoy Gateway v1.9.0 then splits by weight instead of failing over, and answers 503 for the Service's share at zero endpoints); a BackendTrafficPolicy on the route health-checks the direct priority and retries on the next priority; and the ScaledObject of the route's Service has a prometheus trigger on the route's Envoy series, without which warm requests are never counted and KEDA scales a busy tenant to zero.",
  pitfall: 'Issue 20 (warm traffic skips the interceptor); docs/routing-modes.md',
};

function isBackend(o: KubeObject): boolean {
  return o.kind === 'Backend' && groupOf(o.apiVersion) === 'gateway.envoyproxy.io';
}

/** The single FQDN endpoint of a Backend, if it has exactly one and nothing else. */
function fqdnOf(backend: KubeObject): { hostname: string; port: number } | undefined {
  const endpoints = asArray<Record<string, any>>(specOf(backend).endpoints);
  if (endpoints.length !== 1 || !endpoints[0].fqdn) return undefined;
  return { hostname: String(endpoints[0].fqdn.hostname).replace(/\.$/, ''), port: Number(endpoints[0].fqdn.port) };
}

/** The Service of the Backend's own namespace its FQDN names, if any. */
function ownService(backend: KubeObject): string | undefined {
  const ep = fqdnOf(backend);
  const ns = namespaceOf(backend);
  const m = ep ? new RegExp(`^([a-z0-9-]+)\\.${ns.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.svc\\.cluster\\.local$`).exec(ep.hostname) : null;
  return m ? m[1] : undefined;
}

function isInterceptorBackend(backend: KubeObject, settings: PlatformSettings): boolean {
  const ep = fqdnOf(backend);
  const want = interceptorEndpoint(settings);
  return ep !== undefined && ep.hostname === want.hostname && ep.port === want.port;
}

/**
 * Whether a route rule's backends are a direct-when-warm pair: some Backend with `fallback: true`
 * naming the interceptor proxy among them. Rule 9 (http-scaled-routes-through-interceptor) accepts
 * such a rule as reaching the interceptor; this rule checks the rest of the chain.
 */
export function hasInterceptorFallback(refs: readonly { kind: string; namespace: string; name: string }[], objects: readonly KubeObject[], settings: PlatformSettings): boolean {
  return refs.some((r) => {
    if (r.kind !== 'Backend') return false;
    const b = objects.find((o) => isBackend(o) && namespaceOf(o) === r.namespace && o.metadata.name === r.name);
    return b !== undefined && specOf(b).fallback === true && isInterceptorBackend(b, settings);
  });
}

/** Every Backend must be tenantscale's and name its own namespace's Service or the interceptor. */
function backendViolations(backends: readonly KubeObject[], settings: PlatformSettings): Violation[] {
  const out: Violation[] = [];
  const want = interceptorEndpoint(settings);
  for (const b of backends) {
    const fallback = specOf(b).fallback === true;
    if (!labelsOf(b)[DIRECT_BACKEND_LABEL]) {
      out.push(violation(INFO, b, `it lacks the label ${DIRECT_BACKEND_LABEL}: a Backend may name any address and no ReferenceGrant guards it, so only tenantscale's own Backends are allowed`, `remove it, or let tenantscale write it (routing: direct-when-warm)`));
    } else if (fallback ? !isInterceptorBackend(b, settings) : ownService(b) === undefined) {
      out.push(
        violation(
          INFO,
          b,
          fallback
            ? `its fallback endpoint is not the interceptor proxy ${want.hostname}:${want.port}: a cold tenant's requests would go elsewhere and never wake it`
            : `its endpoint is not a Service of ${namespaceOf(b)} (<service>.${namespaceOf(b)}.svc.cluster.local): a Backend could route a tenant's hosts into another namespace or out of the cluster`,
          fallback ? `set spec.endpoints to [{fqdn: {hostname: ${want.hostname}, port: ${want.port}}}]` : `set spec.endpoints to [{fqdn: {hostname: <service>.${namespaceOf(b)}.svc.cluster.local, port: <service port>}}]`,
        ),
      );
    }
  }
  return out;
}

/** The BackendTrafficPolicy targeting the route, if any. */
function policyFor(route: KubeObject, objects: readonly KubeObject[]): KubeObject | undefined {
  return objects.find(
    (o) =>
      o.kind === 'BackendTrafficPolicy' &&
      namespaceOf(o) === namespaceOf(route) &&
      asArray<Record<string, any>>(specOf(o).targetRefs).some((t) => t.kind === 'HTTPRoute' && t.name === route.metadata.name),
  );
}

/** The query a prometheus trigger must contain to count the route's requests. */
function routeSeries(route: KubeObject): string[] {
  const ns = namespaceOf(route);
  return [`${TENANT_SERIES.envoyRouteLabel}="${ns}/${route.metadata.name}"`, `envoy_cluster_name="${routeClusterName(ns, route.metadata.name)}"`];
}

/** Rule: the direct-when-warm chain (route → direct Backend + interceptor fallback, health check, Prometheus trigger). */
export function directRoutingChain(objects: readonly KubeObject[], options?: RuleOptions): Violation[] {
  const settings = settingsOf(options);
  const backends = objects.filter(isBackend);
  if (backends.length === 0) return [];
  const byKey = new Map(backends.map((b) => [objectKey('Backend', namespaceOf(b), b.metadata.name), b]));
  const out = backendViolations(backends, settings);
  const scalers = scalersOf(objects);
  for (const route of objects.filter(isHttpRoute)) {
    for (const rule of routeRules(route)) {
      const refs = rule.backendRefs.map((b) => ({ b, backend: b.kind === 'Backend' ? byKey.get(objectKey('Backend', b.namespace, b.name)) : undefined }));
      const fallbacks = refs.filter((r) => r.backend && specOf(r.backend).fallback === true);
      if (fallbacks.length === 0) continue;
      const where = `rules[${rule.index}]`;
      const services = refs.filter((r) => r.b.kind === 'Service');
      if (services.length > 0) {
        out.push(
          violation(
            INFO,
            route,
            `${where} mixes Service ${services.map((s) => s.b.name).join(', ')} with the fallback Backend: Envoy Gateway v1.9.0 then builds one cluster per backend split by weight (no failover; internal/ir/xds.go:2138-2163), and at zero endpoints answers 503 for the Service's share (internal/xds/translator/route.go:353-397)`,
            `replace the Service backendRef by an FQDN Backend naming it (<service>.${namespaceOf(route)}.svc.cluster.local)`,
          ),
        );
      }
      const active = refs.filter((r) => r.backend && specOf(r.backend).fallback !== true);
      if (active.length !== 1 || fallbacks.length !== 1 || !isInterceptorBackend(fallbacks[0].backend!, settings)) {
        out.push(violation(INFO, route, `${where} needs exactly one direct Backend and one fallback Backend naming the interceptor, has ${active.length} direct and ${fallbacks.length} fallback`, `send ${where} to [<name>-direct, <name>-interceptor] as tenantscale writes them`));
        continue;
      }
      const policy = policyFor(route, objects);
      const spec = policy ? specOf(policy) : {};
      if (!spec.healthCheck?.active && !spec.healthCheck?.passive) {
        out.push(violation(INFO, route, `no BackendTrafficPolicy health-checks ${where}'s backends: the direct Backend names a ClusterIP, which resolves with zero pods too, so nothing ever marks it unhealthy and the fallback never takes traffic`, `add a BackendTrafficPolicy targeting HTTPRoute ${route.metadata.name} with healthCheck.active (type TCP)`));
      }
      if (!(Number(spec.retry?.numAttemptsPerPriority) >= 1)) {
        out.push(violation(INFO, route, `no BackendTrafficPolicy retries ${where} on the next priority: a request sent to the direct Backend after the last pod went, before the health check notices, fails instead of reaching the interceptor`, `set retry: {numRetries: 1, numAttemptsPerPriority: 1, retryOn: {triggers: [connect-failure]}} on the route's BackendTrafficPolicy`));
      }
      const service = ownService(active[0].backend!);
      const scaler = scalers.find((s) => s.object.kind === 'ScaledObject' && s.namespace === namespaceOf(route) && s.target?.name === service);
      const series = routeSeries(route);
      const counted = scaler && asArray<Record<string, any>>(specOf(scaler.object).triggers).some((t) => t.type === 'prometheus' && series.some((s) => String(t.metadata?.query ?? '').includes(s)));
      if (scaler && !counted) {
        out.push(
          violation(
            INFO,
            scaler.object,
            `it scales ${service}, which ${ref(route)} reaches directly while warm, but no prometheus trigger reads the route's Envoy series (${series.join(' or ')}): warm requests never pass the interceptor, so KEDA sees no traffic and scales a busy tenant to zero`,
            `add a prometheus trigger whose query reads ${series[0]} (tenantscale writes it for routing: direct-when-warm)`,
          ),
        );
      }
    }
  }
  return out;
}

export const directRoutingChainRule: ManifestRule = { ...INFO, check: directRoutingChain };
