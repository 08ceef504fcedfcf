import { Construct } from 'constructs';
import { Backend, BackendTrafficPolicy, BackendTrafficPolicySpecRetryRetryOnTriggers } from './imports/gateway.envoyproxy.io';
import { TENANT_SERIES } from './platform/monitoring/tenant-series';
import { PlatformSettings } from './platform-settings';
import { TenantContext } from './tenant-context';

/** Label on the Backends tenantscale writes; the policy rule `direct-routing-chain` accepts no other Backend. */
export const DIRECT_BACKEND_LABEL = 'tenantscale.io/backend';

/**
 * Active health check of the direct priority: a TCP connect to the tenant's Service every 2 s,
 * one failure marks it unhealthy, one success healthy again. With no ready pod the ClusterIP
 * has no endpoint and the connect is refused (kube-proxy/Cilium behaviour, not shown by a cluster
 * here), so within about one interval of the last pod going away all new requests move to the
 * interceptor priority.
 */
export const DIRECT_HEALTH_CHECK = { interval: '2s', timeout: '1s', unhealthyThreshold: 1, healthyThreshold: 1 } as const;

/** Names of the two Backends of a direct-when-warm tenant. */
export function directBackendNames(name: string): { direct: string; interceptor: string } {
  return { direct: `${name}-direct`, interceptor: `${name}-interceptor` };
}

/** The cluster DNS name of a Service. */
export function serviceFqdn(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** The interceptor proxy's cluster DNS name and port: the only target a fallback Backend may have. */
export function interceptorEndpoint(settings: PlatformSettings): { hostname: string; port: number } {
  return { hostname: serviceFqdn(settings.interceptor.service, settings.interceptor.namespace), port: settings.interceptor.port };
}

export interface TenantDirectRoutingProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
  /** Name of the tenant's HTTPRoute the BackendTrafficPolicy attaches to. */
  readonly routeName: string;
}

/**
 * direct-when-warm (docs/routing-modes.md): two Envoy Gateway Backends the tenant's HTTPRoute
 * sends to, and the BackendTrafficPolicy that makes the switch between them work.
 *
 * Both Backends are FQDN Backends, on purpose. Envoy Gateway v1.9.0 keeps a rule's backends in one
 * Envoy cluster, where `fallback: true` becomes locality priority 1 (internal/gatewayapi/route.go:3566-3571,
 * internal/xds/translator/cluster.go:1057), only while the backends have one address type: a
 * Service backendRef (EDS, IP) beside an FQDN Backend is "mixed" (internal/ir/xds.go:2138-2163)
 * and gets one cluster per backend, split by weight (internal/xds/translator/translator.go:690-712,
 * route.go:334), i.e. half the warm traffic through the interceptor and no failover. A Service
 * backendRef with zero endpoints also turns its weight into the `invalid-backend-cluster` share
 * (ir/xds.go:1117, xds/translator/route.go:353-397): 503s at exactly the moment the fallback
 * exists for. An FQDN Backend always has its one endpoint (ir/xds.go:765-769), so neither happens.
 *
 * The direct Backend names the tenant's ClusterIP Service, which always resolves; whether it can
 * be reached is decided by the active health check (DIRECT_HEALTH_CHECK). A request that still
 * meets a refused connection before the check notices is retried once on the next priority
 * (`numAttemptsPerPriority: 1`, Envoy's previous_priorities retry plugin,
 * xds/translator/route.go:850-862), so it reaches the interceptor instead of failing.
 * A route-level BackendTrafficPolicy replaces the Gateway-level one (edge-route-stats.ts), so the
 * route stat name is written here again.
 */
export class TenantDirectRouting extends Construct {
  public readonly direct: Backend;
  public readonly interceptor: Backend;
  public readonly policy: BackendTrafficPolicy;

  constructor(scope: Construct, id: string, props: TenantDirectRoutingProps) {
    super(scope, id);
    const { ctx, routeName } = props;
    const { name, namespace, spec, settings } = ctx;
    const names = directBackendNames(name);
    const labelled = (backendName: string, role: string) => {
      const meta = ctx.meta(backendName);
      return { ...meta, labels: { ...meta.labels, [DIRECT_BACKEND_LABEL]: role } };
    };
    this.direct = new Backend(this, 'direct', {
      metadata: labelled(names.direct, 'direct'),
      spec: { endpoints: [{ fqdn: { hostname: serviceFqdn(name, namespace), port: spec.port } }] },
    });
    this.interceptor = new Backend(this, 'interceptor', {
      metadata: labelled(names.interceptor, 'interceptor'),
      spec: { fallback: true, endpoints: [{ fqdn: interceptorEndpoint(settings) }] },
    });
    this.policy = new BackendTrafficPolicy(this, 'policy', {
      metadata: ctx.meta(routeName),
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName }],
        healthCheck: {
          active: {
            type: 'TCP',
            tcp: {},
            interval: DIRECT_HEALTH_CHECK.interval,
            timeout: DIRECT_HEALTH_CHECK.timeout,
            unhealthyThreshold: DIRECT_HEALTH_CHECK.unhealthyThreshold,
            healthyThreshold: DIRECT_HEALTH_CHECK.healthyThreshold,
          },
        },
        retry: {
          numRetries: 1,
          numAttemptsPerPriority: 1,
          retryOn: { triggers: [BackendTrafficPolicySpecRetryRetryOnTriggers.CONNECT_HYPHEN_FAILURE, BackendTrafficPolicySpecRetryRetryOnTriggers.REFUSED_HYPHEN_STREAM] },
        },
        telemetry: { metrics: { routeStatName: TENANT_SERIES.envoyRouteStatName } },
      },
    });
  }
}
