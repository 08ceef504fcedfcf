import { Construct } from 'constructs';
import { BackendTrafficPolicy, BackendTrafficPolicySpec, BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit, BackendTrafficPolicySpecRetryRetryOnTriggers } from './imports/gateway.envoyproxy.io';
import { TENANT_SERIES } from './platform/monitoring/tenant-series';
import { edgeRateLimit } from '../tenants/edge-rate-limit';
import { TenantContext } from './tenant-context';

/**
 * Active health check of the direct priority (direct-when-warm): a TCP connect to the tenant's
 * Service every 2 s, one failure marks it unhealthy, one success healthy again. With no ready pod
 * the ClusterIP has no endpoint and the connect is refused (kube-proxy/Cilium behaviour, not
 * shown by a cluster here), so about one interval after the last pod went all new requests take
 * the interceptor priority.
 */
export const DIRECT_HEALTH_CHECK = { interval: '2s', timeout: '1s', unhealthyThreshold: 1, healthyThreshold: 1 } as const;

export interface TenantEdgePolicyProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
  /** Name of the tenant's HTTPRoute the policy attaches to. */
  readonly routeName: string;
  /**
   * Add the health check and the next-priority retry the direct-when-warm fallback needs.
   * @default false
   */
  readonly direct?: boolean;
}

/**
 * The tenant's route-level BackendTrafficPolicy. A route-level policy replaces the Gateway-level
 * one for that route (edge-route-stats.ts), so it writes the route stat name again, and:
 * - an edge rate limit (noisy-neighbour protection for the shared interceptor and proxies): the
 *   first local rule without clientSelectors is the route's default bucket
 *   (envoyproxy/gateway@v1.9.0 internal/gatewayapi/backendtrafficpolicy.go:1823-1839), a token
 *   bucket of `requests` tokens refilled every `unit` (internal/xds/translator/local_ratelimit.go:153-160),
 *   kept per Envoy proxy instance (api/v1alpha1/ratelimit_types.go:41-42); Envoy answers 429 beyond it;
 * - direct-when-warm: DIRECT_HEALTH_CHECK on the cluster's hosts (the direct FQDN names a
 *   ClusterIP, which resolves with zero pods too, so only a check marks it down), and one retry on
 *   the next priority on a refused connection (`numAttemptsPerPriority` → Envoy's
 *   previous_priorities retry plugin, internal/xds/translator/route.go:850-862), so a request
 *   that meets the last pod gone before the check notices reaches the interceptor.
 */
export class TenantEdgePolicy extends Construct {
  public readonly policy: BackendTrafficPolicy;

  constructor(scope: Construct, id: string, props: TenantEdgePolicyProps) {
    super(scope, id);
    const { ctx, routeName } = props;
    const limit = edgeRateLimit(ctx.spec);
    const spec: BackendTrafficPolicySpec = {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName }],
      rateLimit: { local: { rules: [{ limit: { requests: limit.requests, unit: limit.unit as BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit } }] } },
      ...((props.direct ?? false)
        ? {
            healthCheck: { active: { type: 'TCP', tcp: {}, ...DIRECT_HEALTH_CHECK } },
            retry: {
              numRetries: 1,
              numAttemptsPerPriority: 1,
              retryOn: { triggers: [BackendTrafficPolicySpecRetryRetryOnTriggers.CONNECT_HYPHEN_FAILURE, BackendTrafficPolicySpecRetryRetryOnTriggers.REFUSED_HYPHEN_STREAM] },
            },
          }
        : {}),
      telemetry: { metrics: { routeStatName: TENANT_SERIES.envoyRouteStatName } },
    };
    this.policy = new BackendTrafficPolicy(this, 'policy', { metadata: ctx.meta(routeName), spec });
  }
}
