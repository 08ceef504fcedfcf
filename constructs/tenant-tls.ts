import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { Certificate } from './imports/cert-manager.io';
import { HttpRoute, HttpRouteSpecParentRefs, HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType, ListenerSet, ListenerSetSpecListenersAllowedRoutesNamespacesFrom, ListenerSetSpecListenersTlsMode } from './imports/gateway.networking.k8s.io';
import { TlsSettings } from './platform-settings';
import { TenantContext } from './tenant-context';

/** Name of a tenant's redirect HTTPRoute (HTTP listener → https://). */
export const redirectRouteName = (tenant: string) => `${tenant}-https-redirect`;
/** Name of the NetworkPolicy admitting the Gateway to cert-manager's HTTP-01 solver pods. */
export const solverPolicyName = (tenant: string) => `${tenant}-acme-http01-solver`;
/**
 * cert-manager's HTTP-01 solver pods: their identifying label and port
 * (cert-manager/cert-manager@v1.21.1 pkg/apis/acme/v1/types.go:60, pkg/issuer/acme/http/http.go:49;
 * labels set in pkg/issuer/acme/http/pod.go:35-47).
 */
export const ACME_SOLVER = { label: 'acme.cert-manager.io/http01-solver', port: 8089 } as const;
/** Name of a tenant's Certificate and of the Secret cert-manager writes it to. */
export const certificateName = (tenant: string) => `${tenant}-tls`;

/**
 * True if the platform wildcard `*.<tenantDomain>` serves `host`: exactly one label under the
 * tenant domain. A TLS wildcard covers one label only (RFC 6125 §6.4.3), although a Gateway
 * listener hostname `*.` matches any depth, so deeper names get the tenant's own certificate. Pure.
 */
export function servedByWildcard(host: string, tenantDomain: string): boolean {
  const suffix = `.${tenantDomain.toLowerCase()}`;
  const h = host.toLowerCase();
  if (h.startsWith('*.') || !h.endsWith(suffix)) return false;
  const label = h.slice(0, -suffix.length);
  return label.length > 0 && !label.includes('.');
}

/** The tenant's hosts that need its own certificate and ListenerSet listener (all but the wildcard's). Pure. */
export function ownCertificateHosts(hosts: readonly string[], tls: TlsSettings): string[] {
  return hosts.filter((h) => !servedByWildcard(h, tls.tenantDomain));
}

/** Whether a tenant's routes go over HTTPS: the tenant asks for it and the platform serves it. */
export function tenantTls(ctx: TenantContext): TlsSettings | undefined {
  return ctx.spec.tls && ctx.spec.hosts.length > 0 ? ctx.settings.tls : undefined;
}

/**
 * Requests and limits of cert-manager's HTTP-01 solver pod, its controller defaults
 * (cert-manager/cert-manager@v1.21.1 internal/apis/config/controller/v1alpha1/defaults.go:95-98).
 * It runs one per challenge (pkg/issuer/acme/http/pod.go:74,164), i.e. per name being validated.
 */
export const ACME_HTTP01_SOLVER_POD = { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } } as const;

/**
 * How many solver pods may run in the tenant's namespace at once: one per host of its own
 * certificate (HTTP-01), none without one. The tenant's quota leaves room for them, so a tenant at
 * its max replicas still gets its certificate issued or renewed.
 */
export function acmeSolverPods(ctx: TenantContext): number {
  const tls = tenantTls(ctx);
  return tls ? ownCertificateHosts(ctx.spec.hosts, tls).length : 0;
}

/**
 * Where the tenant's HTTPRoute attaches. Without TLS: the Gateway's HTTP listener. With TLS: the
 * Gateway's wildcard HTTPS listener for hosts under the tenant domain, and the tenant's own
 * ListenerSet (every listener of it: no sectionName) for the others. Each parent ignores the
 * hostnames its listeners do not match (Gateway API HTTPRoute spec.hostnames).
 */
export function entryParentRefs(ctx: TenantContext): HttpRouteSpecParentRefs[] {
  const { settings, spec, name, namespace } = ctx;
  const gateway = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: settings.gateway.name, namespace: settings.gateway.namespace };
  const tls = tenantTls(ctx);
  if (!tls) return [{ ...gateway, sectionName: settings.gateway.listener }];
  const own = ownCertificateHosts(spec.hosts, tls);
  return [
    ...(own.length < spec.hosts.length ? [{ ...gateway, sectionName: tls.listener }] : []),
    ...(own.length > 0 ? [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name, namespace }] : []),
  ];
}

export interface TenantTlsProps {
  /** The tenant; its `tls` is on and the platform serves HTTPS (`tenantTls(ctx)` is defined). */
  readonly ctx: TenantContext;
  /** The platform's HTTPS settings. */
  readonly tls: TlsSettings;
}

/**
 * HTTPS for one tenant, beyond the platform wildcard:
 * - a redirect HTTPRoute on the Gateway's HTTP listener for the tenant's hosts (301 to https).
 *   The ACME HTTP-01 challenge stays on plain HTTP: cert-manager's solver HTTPRoute matches the
 *   exact hostname and the Exact path `/.well-known/acme-challenge/<token>`
 *   (cert-manager/cert-manager@v1.21.1 pkg/issuer/acme/http/httproute.go:145-166), which Gateway
 *   API ranks above this route's PathPrefix `/` for the same hostname (gateway-api@v1.6.1
 *   config/crd/standard/gateway.networking.k8s.io_httproutes.yaml, rules.matches: "Exact" path
 *   match first).
 * - for hosts outside the tenant domain (the customer's own domains): one Certificate for all of
 *   them (HTTP-01 through the Gateway) and a ListenerSet attached to the shared Gateway with one
 *   HTTPS listener per host, terminating with that Certificate's Secret in the tenant namespace
 *   (same namespace: no ReferenceGrant). A Gateway holds at most 64 listeners; the ListenerSets
 *   add theirs without touching it (docs/tls.md).
 */
export class TenantTls extends Construct {
  public readonly redirect: HttpRoute;
  /** Absent when every host is served by the platform wildcard. */
  public readonly certificate?: Certificate;
  /** Absent when every host is served by the platform wildcard. */
  public readonly listenerSet?: ListenerSet;
  /** Absent when every host is served by the platform wildcard. */
  public readonly solverPolicy?: kplus.k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: TenantTlsProps) {
    super(scope, id);
    const { ctx, tls } = props;
    const { settings, spec, name } = ctx;
    this.redirect = new HttpRoute(this, 'https-redirect', {
      metadata: ctx.meta(redirectRouteName(name)),
      spec: {
        parentRefs: [
          { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: settings.gateway.name, namespace: settings.gateway.namespace, sectionName: settings.gateway.listener },
        ],
        hostnames: [...spec.hosts],
        rules: [
          {
            filters: [
              {
                type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
                requestRedirect: {
                  scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
                  statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
                  ...(tls.port === 443 ? {} : { port: tls.port }),
                },
              },
            ],
          },
        ],
      },
    });

    const own = ownCertificateHosts(spec.hosts, tls);
    if (own.length === 0) return;
    const secretName = certificateName(name);
    this.certificate = new Certificate(this, 'certificate', {
      metadata: ctx.meta(secretName),
      spec: {
        secretName,
        dnsNames: own,
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: tls.issuer },
      },
    });
    this.listenerSet = new ListenerSet(this, 'listener-set', {
      metadata: ctx.meta(name),
      spec: {
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: settings.gateway.name, namespace: settings.gateway.namespace },
        listeners: own.map((host) => ({
          // A hostname is a valid listener (section) name.
          name: host,
          hostname: host,
          port: tls.port,
          protocol: 'HTTPS',
          tls: { mode: ListenerSetSpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: secretName }] },
          allowedRoutes: {
            kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
            namespaces: { from: ListenerSetSpecListenersAllowedRoutesNamespacesFrom.SAME },
          },
        })),
      },
    });
    this.listenerSet.addDependency(this.certificate);
    // cert-manager runs the HTTP-01 solver pod in this namespace (the Challenge's), where the
    // tenant's NetworkPolicy admits nobody but the interceptor and monitoring on the app port:
    // let the Envoy proxies (the Gateway's namespace) reach the solver's port, and only that.
    // NetworkPolicies add up, so the tenant's own policy is untouched.
    this.solverPolicy = new kplus.k8s.KubeNetworkPolicy(this, 'acme-solver', {
      metadata: ctx.meta(solverPolicyName(name)),
      spec: {
        podSelector: { matchLabels: { [ACME_SOLVER.label]: 'true' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': settings.gateway.namespace } } }],
            ports: [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(ACME_SOLVER.port) }],
          },
        ],
      },
    });
  }
}
