import { Construct } from 'constructs';
import {
  EnvoyProxy,
  EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy as ExternalTrafficPolicy,
  EnvoyProxySpecProviderKubernetesEnvoyServiceType as EnvoyServiceType,
  EnvoyProxySpecProviderKubernetesEnvoyPdbMinAvailable as EnvoyPdbMinAvailable,
  EnvoyProxySpecProviderType,
} from '../imports/gateway.envoyproxy.io';
import {
  Gateway,
  GatewayClass,
  GatewaySpecAllowedListenersNamespacesFrom,
  GatewaySpecListeners,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
} from '../imports/gateway.networking.k8s.io';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { WILDCARD_SECRET } from './cert-manager-objects';
import { DoLoadBalancerSettings, doLoadBalancerAnnotations } from './do-load-balancer';

/** Envoy Gateway's controller name (api/v1alpha1 GatewayControllerName); the GatewayClass must carry it. */
export const ENVOY_GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';

/** Annotation that makes Pulumi wait for a condition on an object (pulumi-kubernetes ≥ 4.18). */
export const PULUMI_WAIT_FOR = 'pulumi.com/waitFor';

// Pure defaults live in platform-settings.ts, so commands read them without loading cdk8s.
export { DEFAULT_LISTENER_PORT, DEFAULT_PROXY_REPLICAS } from '../platform-settings';
import { DEFAULT_LISTENER_PORT, DEFAULT_PROXY_REPLICAS } from '../platform-settings';

export interface PlatformObjectsProps {
  /**
   * Shared names: the Gateway's name, namespace and listener, the tenant namespace label.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * Name of the cluster-scoped GatewayClass. Not `cilium`: DOKS 1.33+ ships its own Gateway API
   * controller and class, which this one sits next to.
   * @default 'tenantscale'
   */
  readonly gatewayClassName?: string;
  /**
   * Name of the EnvoyProxy the GatewayClass points at (in the Gateway's namespace).
   * @default 'tenantscale-proxy'
   */
  readonly envoyProxyName?: string;
  /**
   * How the Envoy proxies are exposed: `LoadBalancer` (a DigitalOcean load balancer) or
   * `ClusterIP` (local clusters without a cloud load balancer; reach it by port-forwarding).
   * @default 'LoadBalancer'
   */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP';
  /**
   * DigitalOcean load-balancer settings, written as annotations on the Envoy Service. Ignored for
   * `ClusterIP`.
   * @default {} (DigitalOcean defaults: one node, REGIONAL_NETWORK, external)
   */
  readonly loadBalancer?: DoLoadBalancerSettings;
  /**
   * Port of the HTTP listener.
   * @default 80
   */
  readonly listenerPort?: number;
  /**
   * Hostname (or `*.wildcard`) the listener accepts; routes with other hostnames do not attach.
   * @default none (every hostname)
   */
  readonly listenerHostname?: string;
  /**
   * Envoy proxy replicas. Two, with a PodDisruptionBudget of one, so a node the cluster
   * autoscaler drains never takes the only proxy with it.
   * @default 2
   */
  readonly proxyReplicas?: number;
  /**
   * Annotate the Gateway so that Pulumi waits until it is Programmed (its load balancer has an
   * address) before dependents are created and the address is read. Only meaningful with a
   * cloud load balancer.
   * @default true for `LoadBalancer`, false for `ClusterIP`
   */
  readonly awaitProgrammed?: boolean;
}

/**
 * The platform-level Kubernetes objects of the shared edge: the GatewayClass bound to Envoy
 * Gateway, the EnvoyProxy that shapes the proxies and their DigitalOcean load balancer, and the
 * one Gateway every tenant HTTPRoute attaches to. Its HTTP listener admits routes only from
 * namespaces carrying the tenant label, so a stray HTTPRoute elsewhere cannot claim a tenant host.
 */
export class PlatformObjects extends Construct {
  public readonly gatewayClass: GatewayClass;
  public readonly envoyProxy: EnvoyProxy;
  public readonly gateway: Gateway;

  constructor(scope: Construct, id: string, props: PlatformObjectsProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const gatewayClassName = props.gatewayClassName ?? 'tenantscale';
    const envoyProxyName = props.envoyProxyName ?? 'tenantscale-proxy';
    const serviceType = props.serviceType ?? 'LoadBalancer';
    const loadBalancer = props.loadBalancer ?? {};
    const listenerPort = props.listenerPort ?? DEFAULT_LISTENER_PORT;
    const proxyReplicas = props.proxyReplicas ?? DEFAULT_PROXY_REPLICAS;
    const awaitProgrammed = props.awaitProgrammed ?? serviceType === 'LoadBalancer';
    const labels = { ...PLATFORM_LABELS };
    const namespace = settings.gateway.namespace;

    this.envoyProxy = new EnvoyProxy(this, 'envoy-proxy', {
      metadata: { name: envoyProxyName, namespace, labels },
      spec: {
        provider: {
          type: EnvoyProxySpecProviderType.KUBERNETES,
          kubernetes: {
            envoyService:
              serviceType === 'LoadBalancer'
                ? {
                    type: EnvoyServiceType.LOAD_BALANCER,
                    // Local keeps the client IP and skips a second hop; the DigitalOcean CCM
                    // health-checks only nodes that run a proxy.
                    externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
                    annotations: doLoadBalancerAnnotations(loadBalancer),
                  }
                : { type: EnvoyServiceType.CLUSTER_IP },
            envoyDeployment: { replicas: proxyReplicas },
            envoyPdb: { minAvailable: EnvoyPdbMinAvailable.fromNumber(proxyReplicas > 1 ? 1 : 0) },
          },
        },
      },
    });

    this.gatewayClass = new GatewayClass(this, 'gateway-class', {
      metadata: { name: gatewayClassName, labels },
      spec: {
        controllerName: ENVOY_GATEWAY_CONTROLLER,
        parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: envoyProxyName, namespace },
      },
    });
    this.gatewayClass.addDependency(this.envoyProxy);

    const allowedRoutes = {
      kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
      namespaces: {
        from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchLabels: { [settings.tenantNamespaceLabel.key]: settings.tenantNamespaceLabel.value } },
      },
    };
    const tls = settings.tls;
    const listeners: GatewaySpecListeners[] = [
      {
        name: settings.gateway.listener,
        protocol: 'HTTP',
        port: listenerPort,
        ...(props.listenerHostname ? { hostname: props.listenerHostname } : {}),
        allowedRoutes,
      },
    ];
    if (tls) {
      // One HTTPS listener for every `<label>.<tenantDomain>` host, with the wildcard certificate
      // cert-manager writes (CertManagerObjects, DNS-01). Customers' own domains come as
      // ListenerSets from the tenant namespaces, so the 64-listener limit of a Gateway
      // (gateway-api@v1.6.1 gateways CRD, spec.listeners maxItems: 64) never grows with the
      // tenant count. Until the Secret exists only this listener is unresolved: Programmed
      // depends on the address and the proxies alone (envoyproxy/gateway@v1.9.0
      // internal/gatewayapi/status/gateway.go:189-240).
      listeners.push({
        name: tls.listener,
        protocol: 'HTTPS',
        port: tls.port,
        hostname: `*.${tls.tenantDomain}`,
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: WILDCARD_SECRET }] },
        allowedRoutes,
      });
    }

    this.gateway = new Gateway(this, 'gateway', {
      metadata: {
        name: settings.gateway.name,
        namespace,
        labels,
        ...(awaitProgrammed ? { annotations: { [PULUMI_WAIT_FOR]: 'condition=Programmed' } } : {}),
      },
      spec: {
        gatewayClassName,
        listeners,
        // Tenants' ListenerSets (their own domains) attach from tenant namespaces only. Envoy
        // Gateway v1.9.0 reads ListenerSet (gateway.networking.k8s.io/v1) and refuses it unless
        // allowedListeners admits its namespace (envoyproxy/gateway@v1.9.0
        // internal/gatewayapi/listenerset.go:195-216).
        ...(tls ? { allowedListeners: { namespaces: { from: GatewaySpecAllowedListenersNamespacesFrom.SELECTOR, selector: allowedRoutes.namespaces.selector } } } : {}),
      },
    });
    this.gateway.addDependency(this.gatewayClass);
  }
}
