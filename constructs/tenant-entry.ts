import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType, ReferenceGrantV1Beta1 } from './imports/gateway.networking.k8s.io';
import { HttpScaledObject, InterceptorRoute, InterceptorRouteSpec } from './imports/http.keda.sh';
import { LABELS } from './platform-settings';
import type { TenantSpec } from '../tenants/schema';
import { TenantContext } from './tenant-context';
import { EntryBackend, entryRouteTimeoutSeconds } from '../tenants/entry-route';
import { entryParentRefs, tenantTls, TenantTls } from './tenant-tls';
import { directBackendNames, TenantDirectRouting } from './tenant-direct-routing';
import { TenantEdgePolicy } from './tenant-edge-policy';

/** Annotation that makes the add-on drop its owner reference from the ScaledObject of the same name (http-add-on@v0.15.0 operator/controllers/http/app.go:21, 41-46). */
export const ORPHAN_SCALED_OBJECT_ANNOTATION = 'httpscaledobject.keda.sh/orphan-scaledobject';

export { entryRouteTimeoutSeconds, ROUTE_TIMEOUT_MARGIN_SECONDS, routeTimeoutSeconds } from '../tenants/entry-route';

export interface TenantEntryProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
  /**
   * `interceptor`: a 0..N tenant, reached through the HTTP add-on's interceptor (InterceptorRoute,
   * HTTPRoute to the interceptor proxy, ReferenceGrant). `service`: an always-on service, routed
   * straight to its own Service.
   * @default 'interceptor'
   */
  readonly backend?: EntryBackend;
}

/**
 * How requests reach the tenant from outside. Through the interceptor: an InterceptorRoute for
 * the tenant's hosts (target Service and port, scaling metric, readiness = the cold-start budget,
 * optional placeholder and fallback), an HTTPRoute on the shared Gateway sent to the interceptor
 * proxy (never straight to the Service, which has no endpoints at zero replicas) with a timeout
 * covering the cold-start budget, and the ReferenceGrant in the interceptor's namespace that lets
 * this route (and only this tenant's) cross into it. The HTTPRoute and InterceptorRoute share one
 * host list, so they cannot disagree.
 */
export class TenantEntry extends Construct {
  public readonly httpRoute: HttpRoute;
  /** Absent for backend `service`. */
  public readonly interceptorRoute?: ApiObject;
  /** Only for backend `interceptor` (the other backends are in the tenant's namespace). */
  public readonly referenceGrant?: ReferenceGrantV1Beta1;
  /** The direct and fallback Backends: only for backend `direct-when-warm`. */
  public readonly direct?: TenantDirectRouting;
  /** The route's BackendTrafficPolicy: edge rate limit (and, direct-when-warm, health check and retry). */
  public readonly edgePolicy: TenantEdgePolicy;
  /** HTTPS beyond the platform wildcard (redirect, own certificate, ListenerSet); absent without TLS. */
  public readonly tls?: TenantTls;

  constructor(scope: Construct, id: string, props: TenantEntryProps) {
    super(scope, id);
    const { ctx } = props;
    const backend = props.backend ?? 'interceptor';
    const { spec, settings, name, namespace } = ctx;
    // Both 0..N modes keep the InterceptorRoute: the interceptor still wakes the tenant.
    const viaInterceptor = backend !== 'service';
    // Through the interceptor: its own limits plus a margin, so that when they run out the client
    // gets the interceptor's answer rather than Envoy cutting the stream first. Straight to an
    // always-on Service: the response timeout plus the margin (no cold start).
    const routeTimeout = `${entryRouteTimeoutSeconds(spec, backend)}s`;
    if (viaInterceptor) {
      // A plain ApiObject with the typed spec: the generated class's serializer costs more than the
      // object itself, for the same bytes (synth builds this for every tenant).
      this.interceptorRoute = new ApiObject(this, 'interceptor-route', { ...InterceptorRoute.GVK, metadata: ctx.meta(name), spec: interceptorRouteSpec(ctx) });
      if (settings.httpScaledObjectMigration) legacyHttpScaledObject(this, ctx);
    }
    // Certificate and ListenerSet before the route that attaches to the ListenerSet.
    const tls = tenantTls(ctx);
    if (tls) this.tls = new TenantTls(this, 'tls', { ctx, tls });
    this.httpRoute = new HttpRoute(this, 'http-route', {
      metadata: {
        ...ctx.meta(name),
        annotations: { [LABELS.coldStartBudget]: String(spec.coldStartBudget) },
      },
      spec: {
        parentRefs: entryParentRefs(ctx),
        hostnames: [...spec.hosts],
        rules: [
          {
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            // Through the interceptor, never straight to the Service: at zero replicas the
            // Service has no endpoints and the Gateway would answer 503.
            backendRefs: entryBackendRefs(ctx, backend),
            // Envoy Gateway's default route timeout (15 s) would cut a 10-40 s cold start short.
            timeouts: { request: routeTimeout, backendRequest: routeTimeout },
          },
        ],
      },
    });

    if (backend === 'direct-when-warm') this.direct = new TenantDirectRouting(this, 'direct', { ctx });
    this.edgePolicy = new TenantEdgePolicy(this, 'edge-policy', { ctx, routeName: name, direct: backend === 'direct-when-warm' });
    if (backend !== 'interceptor') return;
    // Lets this tenant's HTTPRoutes (and only this tenant's namespace) reference the interceptor
    // Service across namespaces; without it Envoy Gateway refuses the backend (RefNotPermitted).
    this.referenceGrant = new ReferenceGrantV1Beta1(this, 'reference-grant', {
      metadata: ctx.meta(namespace, settings.interceptor.namespace),
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace }],
        to: [{ group: '', kind: 'Service', name: settings.interceptor.service }],
      },
    });
  }
}

/**
 * The backendRefs of the tenant's HTTPRoute rule: the interceptor Service; the tenant's direct
 * Backend and the interceptor fallback Backend (same namespace, so no ReferenceGrant); or the
 * always-on Service.
 */
export function entryBackendRefs(ctx: TenantContext, backend: EntryBackend) {
  const { settings, spec, name } = ctx;
  if (backend === 'interceptor') {
    return [{ group: '', kind: 'Service', name: settings.interceptor.service, namespace: settings.interceptor.namespace, port: settings.interceptor.port }];
  }
  if (backend === 'direct-when-warm') {
    const names = directBackendNames(name);
    return [
      { group: 'gateway.envoyproxy.io', kind: 'Backend', name: names.direct },
      { group: 'gateway.envoyproxy.io', kind: 'Backend', name: names.interceptor },
    ];
  }
  return [{ group: '', kind: 'Service', name, port: spec.port }];
}

/**
 * The InterceptorRoute's timeouts in seconds: how long the interceptor holds a request while the
 * tenant wakes (the cold-start budget), waits for response headers, and the whole request (wake
 * plus response). interceptorRouteSpec writes them; `explain` shows them.
 */
export function interceptorTimeoutSeconds(spec: Pick<TenantSpec, 'coldStartBudget' | 'responseTimeout'>): { readiness: number; responseHeader: number; request: number } {
  return { readiness: spec.coldStartBudget, responseHeader: spec.responseTimeout, request: spec.coldStartBudget + spec.responseTimeout };
}

/**
 * The InterceptorRoute of a 0..N tenant (http.keda.sh/v1beta1; fields as in
 * kedacore/http-add-on@v0.15.0 operator/apis/http/v1beta1/interceptorroute_types.go). The
 * interceptor matches the Host header (port stripped), then the longest path prefix; rules
 * without paths match every path (pkg/routing/key.go:71-80, tablememory.go:59-82). It forwards to
 * `<target.service>.<namespace>:<port>` (interceptor/middleware/routing.go:118-132) once the
 * Service has a ready endpoint, waiting at most `timeouts.readiness` (endpoint_resolver.go:47-67).
 */
export function interceptorRouteSpec(ctx: TenantContext): InterceptorRouteSpec {
  const timeouts = interceptorTimeoutSeconds(ctx.spec);
  const { spec, name } = ctx;
  const metric = spec.scaling.metric;
  const coldStart = spec.coldStart;
  const placeholder = coldStart?.placeholder;
  return {
    target: { service: name, port: spec.port },
    rules: [{ hosts: [...spec.hosts] }],
    // targetValue is required on InterceptorRoute (no default of 100 as on HTTPScaledObject).
    scalingMetric: metric.requestRate
      ? { requestRate: { targetValue: metric.requestRate.target, window: metric.requestRate.window, granularity: metric.requestRate.granularity } }
      : { concurrency: { targetValue: metric.concurrency!.target } },
    timeouts: {
      // How long the interceptor holds a request while the tenant wakes. Unset, the 0.15 default
      // is 0 = no limit of its own (interceptor/config/timeouts.go:24), bounded only by the caller.
      readiness: `${timeouts.readiness}s`,
      // Unset, 300 s (timeouts.go:18).
      responseHeader: `${timeouts.responseHeader}s`,
      // The whole request: wake plus response, inside the HTTPRoute's timeout.
      request: `${timeouts.request}s`,
    },
    ...(coldStart
      ? {
          coldStart: {
            ...(placeholder
              ? {
                  placeholder: {
                    response: {
                      statusCode: placeholder.statusCode,
                      ...(placeholder.body !== undefined ? { body: placeholder.body } : {}),
                      ...(placeholder.configMap
                        ? { bodyFromConfigMap: { name: placeholder.configMap.name, ...(placeholder.configMap.key ? { key: placeholder.configMap.key } : {}) } }
                        : {}),
                      ...(placeholder.headers ? { headers: { ...placeholder.headers } } : {}),
                    },
                  },
                }
              : {}),
            ...(coldStart.fallback ? { fallback: { service: { name: coldStart.fallback.service, port: coldStart.fallback.port } } } : {}),
          },
        }
      : {}),
  };
}

/**
 * The tenant's HTTPScaledObject as written before InterceptorRoute, kept for the one migration
 * deploy with the orphan annotation: the add-on then removes its owner reference from the
 * ScaledObject of the same name instead of managing it (app.go:41-46), so deleting the
 * HTTPScaledObject on the next deploy leaves tenantscale's ScaledObject in place. While both
 * exist the interceptor routes by the InterceptorRoute: same namespace and name take precedence
 * (pkg/routing/table.go:80-84).
 */
function legacyHttpScaledObject(scope: Construct, ctx: TenantContext): HttpScaledObject {
  const { spec, name } = ctx;
  const metric = spec.scaling.metric;
  return new HttpScaledObject(scope, 'http-scaled-object', {
    metadata: { ...ctx.meta(name), annotations: { [ORPHAN_SCALED_OBJECT_ANNOTATION]: 'true' } },
    spec: {
      hosts: [...spec.hosts],
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name, service: name, port: spec.port },
      replicas: { min: spec.scaling.min, max: spec.scaling.max },
      scaledownPeriod: spec.scaling.scaledownPeriod,
      scalingMetric: metric.requestRate
        ? { requestRate: { targetValue: metric.requestRate.target, window: metric.requestRate.window, granularity: metric.requestRate.granularity } }
        : { concurrency: { targetValue: metric.concurrency!.target } },
      timeouts: { conditionWait: `${spec.coldStartBudget}s`, responseHeader: `${spec.responseTimeout}s` },
    },
  });
}
