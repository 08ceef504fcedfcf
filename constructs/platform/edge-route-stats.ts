import { Construct } from 'constructs';
import { BackendTrafficPolicy } from '../imports/gateway.envoyproxy.io';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { TENANT_SERIES } from './monitoring/tenant-series';

export interface EdgeRouteStatsProps {
  /**
   * The shared Gateway the policy attaches to.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * Name of the BackendTrafficPolicy.
   * @default 'tenantscale-route-stats'
   */
  readonly name?: string;
}

/**
 * Per-route statistics at the edge. Envoy emits route-level stats (`vhost.<vhost>.route.<prefix>.*`:
 * upstream_rq_time histogram, upstream_rq counts) only for routes with a stat_prefix, which Envoy
 * Gateway sets from BackendTrafficPolicy `telemetry.metrics.routeStatName` (pinned CRD
 * gateway.envoyproxy.io_backendtrafficpolicies.yaml, envoyproxy/gateway@v1.9.0
 * internal/xds/translator/route.go:158). With `%ROUTE_NAMESPACE%/%ROUTE_NAME%` the Prometheus
 * series read `envoy_vhost_route_upstream_rq_time_bucket{envoy_route="tenant-a/a"}` (Envoy tags the
 * stat prefix as `envoy_route`; envoyproxy/gateway@v1.9.0 test/e2e/tests/stat_name.go:128). A
 * policy on the Gateway applies to every route attached to it; a route-level BackendTrafficPolicy
 * replaces it for that route (set routeStatName there too).
 */
export class EdgeRouteStats extends Construct {
  public readonly policy: BackendTrafficPolicy;

  constructor(scope: Construct, id: string, props: EdgeRouteStatsProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const name = props.name ?? 'tenantscale-route-stats';
    this.policy = new BackendTrafficPolicy(this, 'policy', {
      metadata: { name, namespace: settings.gateway.namespace, labels: { ...PLATFORM_LABELS } },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: settings.gateway.name }],
        telemetry: { metrics: { routeStatName: TENANT_SERIES.envoyRouteStatName } },
      },
    });
  }
}
