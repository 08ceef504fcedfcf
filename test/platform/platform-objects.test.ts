import { platformManifests } from '../../constructs/platform/platform-manifests';
import { doLoadBalancerAnnotations, DO_LB_ANNOTATION_PREFIX } from '../../constructs/platform/do-load-balancer';
import { ENVOY_GATEWAY_CONTROLLER, PULUMI_WAIT_FOR } from '../../constructs/platform/platform-objects';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../../constructs/platform-settings';
import { Manifest } from '../../constructs/manifests';

const find = (objects: Manifest[], kind: string) => {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found as any;
};

describe('platformManifests', () => {
  const objects = platformManifests(DEFAULT_PLATFORM_SETTINGS, {
    loadBalancer: { name: 'tenantscale-gateway', sizeUnit: 2, httpIdleTimeoutSeconds: 120 },
  });

  test('synthesizes EnvoyProxy, GatewayClass and Gateway, each after what it references', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'gateway.envoyproxy.io/v1alpha1 EnvoyProxy',
      'gateway.networking.k8s.io/v1 GatewayClass',
      'gateway.networking.k8s.io/v1 Gateway',
      'gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy',
    ]);
  });

  test('the GatewayClass is Envoy Gateway\'s and points at the EnvoyProxy', () => {
    const gc = find(objects, 'GatewayClass');
    expect(gc.metadata.name).toBe('tenantscale');
    expect(gc.spec.controllerName).toBe(ENVOY_GATEWAY_CONTROLLER);
    expect(gc.spec.controllerName).toBe('gateway.envoyproxy.io/gatewayclass-controller');
    expect(gc.spec.parametersRef).toEqual({
      group: 'gateway.envoyproxy.io',
      kind: 'EnvoyProxy',
      name: 'tenantscale-proxy',
      namespace: 'envoy-gateway-system',
    });
  });

  test('the EnvoyProxy carries the DigitalOcean load-balancer annotations and keeps client IPs', () => {
    const ep = find(objects, 'EnvoyProxy');
    expect(ep.metadata).toMatchObject({ name: 'tenantscale-proxy', namespace: 'envoy-gateway-system' });
    const service = ep.spec.provider.kubernetes.envoyService;
    expect(service.type).toBe('LoadBalancer');
    expect(service.externalTrafficPolicy).toBe('Local');
    expect(service.annotations).toEqual({
      'service.beta.kubernetes.io/do-loadbalancer-name': 'tenantscale-gateway',
      'service.beta.kubernetes.io/do-loadbalancer-size-unit': '2',
      'service.beta.kubernetes.io/do-loadbalancer-http-idle-timeout-seconds': '120',
    });
    expect(ep.spec.provider.kubernetes.envoyDeployment.replicas).toBe(2);
    expect(ep.spec.provider.kubernetes.envoyPDB.minAvailable).toBe(1);
  });

  test('the shared Gateway is named and namespaced per the settings, with an HTTP listener and the wildcard HTTPS listener', () => {
    const gw = find(objects, 'Gateway');
    expect(gw.metadata).toMatchObject({ name: 'tenants', namespace: 'envoy-gateway-system' });
    expect(gw.spec.gatewayClassName).toBe('tenantscale');
    expect(gw.spec.listeners).toHaveLength(2);
    expect(gw.spec.listeners[0]).toMatchObject({ name: 'http', protocol: 'HTTP', port: 80 });
    expect(gw.spec.listeners[0].hostname).toBeUndefined();
    expect(gw.spec.listeners[1]).toEqual({
      name: 'https',
      protocol: 'HTTPS',
      port: 443,
      hostname: '*.tenants.example.com',
      tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'tenant-wildcard-tls' }] },
      allowedRoutes: gw.spec.listeners[0].allowedRoutes,
    });
    // Tenants' ListenerSets (their own domains) attach from tenant namespaces only.
    expect(gw.spec.allowedListeners).toEqual({ namespaces: { from: 'Selector', selector: { matchLabels: { 'tenantscale.io/gateway-access': 'tenant' } } } });
  });

  test('without tls settings the Gateway has the HTTP listener alone and admits no ListenerSet', () => {
    const gw = find(platformManifests({ ...DEFAULT_PLATFORM_SETTINGS, tls: undefined }), 'Gateway');
    expect(gw.spec.listeners.map((l: any) => l.name)).toEqual(['http']);
    expect(gw.spec.allowedListeners).toBeUndefined();
  });

  test('allowedRoutes admits HTTPRoutes only from namespaces with the tenant label, never from All', () => {
    const allowed = find(objects, 'Gateway').spec.listeners[0].allowedRoutes;
    expect(allowed.namespaces.from).toBe('Selector');
    expect(allowed.namespaces.from).not.toBe('All');
    expect(allowed.namespaces.selector).toEqual({ matchLabels: { 'tenantscale.io/gateway-access': 'tenant' } });
    expect(allowed.kinds).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }]);
  });

  test('names come from the settings it is given', () => {
    const settings: PlatformSettings = {
      ...DEFAULT_PLATFORM_SETTINGS,
      gateway: { name: 'edge', namespace: 'edge-system', listener: 'web' },
      tenantNamespaceLabel: { key: 'example.com/tenant', value: 'yes' },
    };
    const gw = find(platformManifests(settings, { listenerPort: 8080, listenerHostname: '*.tenants.example.com' }), 'Gateway');
    expect(gw.metadata).toMatchObject({ name: 'edge', namespace: 'edge-system' });
    expect(gw.spec.listeners[0]).toMatchObject({ name: 'web', port: 8080, hostname: '*.tenants.example.com' });
    expect(gw.spec.listeners[0].allowedRoutes.namespaces.selector.matchLabels).toEqual({ 'example.com/tenant': 'yes' });
  });

  test('with a load balancer Pulumi waits for the Gateway to be Programmed (it has an address); not for ClusterIP', () => {
    expect(find(objects, 'Gateway').metadata.annotations).toEqual({ [PULUMI_WAIT_FOR]: 'condition=Programmed' });
    expect(find(platformManifests(DEFAULT_PLATFORM_SETTINGS, { serviceType: 'ClusterIP' }), 'Gateway').metadata.annotations).toBeUndefined();
    expect(find(platformManifests(DEFAULT_PLATFORM_SETTINGS, { awaitProgrammed: false }), 'Gateway').metadata.annotations).toBeUndefined();
  });

  test('ClusterIP (local clusters) asks for no cloud load balancer and sends no DO annotations', () => {
    const ep = find(platformManifests(DEFAULT_PLATFORM_SETTINGS, { serviceType: 'ClusterIP', loadBalancer: { name: 'x' } }), 'EnvoyProxy');
    expect(ep.spec.provider.kubernetes.envoyService).toEqual({ type: 'ClusterIP' });
  });
});

describe('doLoadBalancerAnnotations', () => {
  test('maps every setting to its service.beta.kubernetes.io/do-loadbalancer-* annotation', () => {
    expect(
      doLoadBalancerAnnotations({
        name: 'lb',
        sizeUnit: 3,
        type: 'REGIONAL',
        network: 'INTERNAL',
        algorithm: 'least_connections',
        enableProxyProtocol: true,
        httpIdleTimeoutSeconds: 300,
        hostname: 'lb.example.com',
      }),
    ).toEqual({
      [`${DO_LB_ANNOTATION_PREFIX}name`]: 'lb',
      [`${DO_LB_ANNOTATION_PREFIX}size-unit`]: '3',
      [`${DO_LB_ANNOTATION_PREFIX}type`]: 'REGIONAL',
      [`${DO_LB_ANNOTATION_PREFIX}network`]: 'INTERNAL',
      [`${DO_LB_ANNOTATION_PREFIX}algorithm`]: 'least_connections',
      [`${DO_LB_ANNOTATION_PREFIX}enable-proxy-protocol`]: 'true',
      [`${DO_LB_ANNOTATION_PREFIX}http-idle-timeout-seconds`]: '300',
      [`${DO_LB_ANNOTATION_PREFIX}hostname`]: 'lb.example.com',
    });
  });

  test('unset settings produce no annotation (DigitalOcean defaults apply)', () => {
    expect(doLoadBalancerAnnotations({})).toEqual({});
  });
});

describe('synth writes the platform objects Pulumi applies', () => {
  test('synthesize({platform}) writes platform/platform.yaml with exactly platformManifests()', () => {
    const { synthesize } = require('../../cli/commands/synth');
    const { parseAllDocuments } = require('yaml');
    const platform = platformManifests(DEFAULT_PLATFORM_SETTINGS);
    const result = synthesize({ tenants: [], platform });
    const text: string = result.files.get('platform/platform.yaml');
    expect(parseAllDocuments(text).map((d: any) => d.toJS())).toEqual(platform);
    expect(result.kinds).toMatchObject({ EnvoyProxy: 1, GatewayClass: 1, Gateway: 1 });
  });
});

describe('EdgeRouteStats', () => {
  test('one BackendTrafficPolicy on the shared Gateway names route stats <namespace>/<route>', () => {
    const btp = platformManifests(DEFAULT_PLATFORM_SETTINGS).find((o: any) => o.kind === 'BackendTrafficPolicy') as any;
    expect(btp.metadata).toMatchObject({ name: 'tenantscale-route-stats', namespace: DEFAULT_PLATFORM_SETTINGS.gateway.namespace });
    expect(btp.spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: DEFAULT_PLATFORM_SETTINGS.gateway.name }],
      telemetry: { metrics: { routeStatName: '%ROUTE_NAMESPACE%/%ROUTE_NAME%' } },
    });
  });
});
