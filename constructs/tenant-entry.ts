import { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType, ReferenceGrantV1Beta1 } from './imports/gateway.networking.k8s.io';
import { LABELS } from './platform-settings';
import { TenantContext } from './tenant-context';

/** Seconds the route timeout adds on top of the interceptor's cold-start wait and response timeout. */
export const ROUTE_TIMEOUT_MARGIN_SECONDS = 5;

export interface TenantEntryProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
}

/**
 * How requests reach the tenant from outside: an HTTPRoute on the shared Gateway for the tenant's
 * hosts, sent to the interceptor proxy (never straight to the Service, which has no endpoints at
 * zero replicas), with a timeout covering the cold-start budget, and the ReferenceGrant in the
 * interceptor's namespace that lets this route (and only this tenant's) cross into it.
 */
export class TenantEntry extends Construct {
  public readonly httpRoute: HttpRoute;
  public readonly referenceGrant: ReferenceGrantV1Beta1;

  constructor(scope: Construct, id: string, props: TenantEntryProps) {
    super(scope, id);
    const { ctx } = props;
    const { spec, settings, name, namespace } = ctx;
    // The interceptor's own limits plus a margin, so that when they run out the client gets the
    // interceptor's answer rather than Envoy cutting the stream first.
    const routeTimeout = `${routeTimeoutSeconds(spec.coldStartBudget, spec.responseTimeout)}s`;
    this.httpRoute = new HttpRoute(this, 'http-route', {
      metadata: {
        ...ctx.meta(name),
        annotations: { [LABELS.coldStartBudget]: String(spec.coldStartBudget) },
      },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: settings.gateway.name,
            namespace: settings.gateway.namespace,
            sectionName: settings.gateway.listener,
          },
        ],
        hostnames: [...spec.hosts],
        rules: [
          {
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            // Through the interceptor, never straight to the Service: at zero replicas the
            // Service has no endpoints and the Gateway would answer 503.
            backendRefs: [
              {
                group: '',
                kind: 'Service',
                name: settings.interceptor.service,
                namespace: settings.interceptor.namespace,
                port: settings.interceptor.port,
              },
            ],
            // Envoy Gateway's default route timeout (15 s) would cut a 10-40 s cold start short.
            timeouts: { request: routeTimeout, backendRequest: routeTimeout },
          },
        ],
      },
    });

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

/** The HTTPRoute timeout: cold-start budget + response timeout + ROUTE_TIMEOUT_MARGIN_SECONDS. */
export function routeTimeoutSeconds(coldStartBudget: number, responseTimeout: number): number {
  return coldStartBudget + responseTimeout + ROUTE_TIMEOUT_MARGIN_SECONDS;
}
