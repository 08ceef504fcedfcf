import { Construct } from 'constructs';
import { Backend } from './imports/gateway.envoyproxy.io';
import { PlatformSettings } from './platform-settings';
import { TenantContext } from './tenant-context';

/** Label on the Backends tenantscale writes; the policy rule `direct-routing-chain` accepts no other Backend. */
export const DIRECT_BACKEND_LABEL = 'tenantscale.io/backend';

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
}

/**
 * direct-when-warm (docs/routing-modes.md): the two Envoy Gateway Backends the tenant's HTTPRoute
 * sends to (the health check and retry that make the switch work: TenantEdgePolicy).
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
 * be reached is decided by the route's active health check (tenant-edge-policy.ts).
 */
export class TenantDirectRouting extends Construct {
  public readonly direct: Backend;
  public readonly interceptor: Backend;

  constructor(scope: Construct, id: string, props: TenantDirectRoutingProps) {
    super(scope, id);
    const { ctx } = props;
    const { name, namespace, spec, settings } = ctx;
    const names = directBackendNames(name);
    const labelled = (backendName: string, role: string) => {
      const meta = ctx.meta(backendName);
      return { ...meta, labels: { ...meta.labels, [DIRECT_BACKEND_LABEL]: role } };
    };
    // http and stateful tenants always have a port (tenants/kind-rules.ts requires it where the interceptor routes).
    if (spec.port === undefined) throw new Error(`tenant ${name}: routing direct-when-warm needs a port`);
    this.direct = new Backend(this, 'direct', {
      metadata: labelled(names.direct, 'direct'),
      spec: { endpoints: [{ fqdn: { hostname: serviceFqdn(name, namespace), port: spec.port } }] },
    });
    this.interceptor = new Backend(this, 'interceptor', {
      metadata: labelled(names.interceptor, 'interceptor'),
      spec: { fallback: true, endpoints: [{ fqdn: interceptorEndpoint(settings) }] },
    });
  }
}
