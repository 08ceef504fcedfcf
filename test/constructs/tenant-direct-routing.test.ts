/** routing: direct-when-warm — what the tenant's entry and scaler become, against interceptor mode. */
import { Manifest, tenantManifests } from '../../constructs/manifests';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsDocument } from '../../tenants/validate';

function spec(overrides: Record<string, unknown> = {}): TenantSpec {
  const result = validateTenantsDocument({
    tenants: [
      {
        name: 'shop',
        hosts: ['shop.example.com'],
        image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
        port: 8080,
        probes: { readiness: '/readyz', liveness: '/healthz' },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        scaling: { min: 0, max: 4, scaledownPeriod: 600, metric: { requestRate: { target: 25, window: '2m', granularity: '1s' } } },
        tls: false,
        routing: 'direct-when-warm',
        ...overrides,
      },
    ],
  });
  expect(result.problems).toEqual([]);
  return result.tenants[0];
}

const of = (objects: Manifest[], kind: string, name?: string): any => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};

test('the default is interceptor: the route sends to the interceptor Service, no Backend is written', () => {
  const objects = tenantManifests(spec({ routing: undefined }));
  expect(of(objects, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'keda-add-ons-http-interceptor-proxy', namespace: 'keda', port: 8080 }]);
  expect(objects.filter((o) => o.kind === 'Backend')).toEqual([]);
  expect(of(objects, 'ScaledObject').spec.triggers.map((t: any) => t.type)).toEqual(['external-push']);
});

test('direct-when-warm: the route sends to two FQDN Backends in the tenant namespace, the interceptor one as fallback', () => {
  const objects = tenantManifests(spec());
  expect(of(objects, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([
    { group: 'gateway.envoyproxy.io', kind: 'Backend', name: 'shop-direct' },
    { group: 'gateway.envoyproxy.io', kind: 'Backend', name: 'shop-interceptor' },
  ]);
  const direct = of(objects, 'Backend', 'shop-direct');
  expect(direct.metadata).toMatchObject({ namespace: 'tenant-shop', labels: { 'tenantscale.io/backend': 'direct' } });
  expect(direct.spec).toEqual({ endpoints: [{ fqdn: { hostname: 'shop.tenant-shop.svc.cluster.local', port: 8080 } }] });
  expect(of(objects, 'Backend', 'shop-interceptor').spec).toEqual({
    fallback: true,
    endpoints: [{ fqdn: { hostname: 'keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local', port: 8080 } }],
  });
  // Same-namespace Backends: no ReferenceGrant into keda; the InterceptorRoute stays (it wakes the tenant).
  expect(objects.filter((o) => o.kind === 'ReferenceGrant')).toEqual([]);
  expect(of(objects, 'InterceptorRoute').spec.rules).toEqual([{ hosts: ['shop.example.com'] }]);
});

test('direct-when-warm: the route keeps the cold-start timeout, and its BackendTrafficPolicy checks, retries and names the stats', () => {
  const objects = tenantManifests(spec({ coldStartBudget: 40, responseTimeout: 20 }));
  expect(of(objects, 'HTTPRoute').spec.rules[0].timeouts).toEqual({ request: '65s', backendRequest: '65s' });
  expect(of(objects, 'BackendTrafficPolicy').spec).toEqual({
    targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'shop' }],
    // Default limit: 2 × max 4 × requestRate target 25 per second.
    rateLimit: { local: { rules: [{ limit: { requests: 200, unit: 'Second' } }] } },
    healthCheck: { active: { type: 'TCP', tcp: {}, interval: '2s', timeout: '1s', unhealthyThreshold: 1, healthyThreshold: 1 } },
    retry: { numRetries: 1, numAttemptsPerPriority: 1, retryOn: { triggers: ['connect-failure', 'refused-stream'] } },
    telemetry: { metrics: { routeStatName: '%ROUTE_NAMESPACE%/%ROUTE_NAME%' } },
  });
});

test('direct-when-warm: a prometheus trigger on the route\'s Envoy request rate beside external-push, cooldown unchanged', () => {
  const so = of(tenantManifests(spec()), 'ScaledObject');
  expect(so.spec.cooldownPeriod).toBe(600);
  expect(so.spec.triggers).toEqual([
    { type: 'external-push', metadata: { scalerAddress: 'keda-add-ons-http-external-scaler.keda:9090', interceptorRoute: 'shop' } },
    {
      type: 'prometheus',
      metadata: {
        serverAddress: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
        query: 'sum(rate(envoy_vhost_route_upstream_rq{envoy_response_code!="",envoy_route="tenant-shop/shop"}[120s]))',
        threshold: '25',
        activationThreshold: '0',
      },
    },
  ]);
});

test('direct-when-warm with concurrency: requests in flight in the route cluster; a short window is raised to 60 s for requestRate', () => {
  const c = of(tenantManifests(spec({ scaling: { min: 0, max: 4, metric: { concurrency: { target: 8 } } } })), 'ScaledObject');
  expect(c.spec.triggers[1].metadata).toMatchObject({ query: 'sum(envoy_cluster_upstream_rq_active{envoy_cluster_name="httproute/tenant-shop/shop/rule/0"})', threshold: '8' });
  const r = of(tenantManifests(spec({ scaling: { min: 0, max: 4, metric: { requestRate: { target: 5, window: '10s' } } } })), 'ScaledObject');
  expect(r.spec.triggers[1].metadata.query).toContain('[60s]');
});

test('direct-when-warm: the NetworkPolicy also admits the Envoy proxies (gateway namespace) on the app port', () => {
  const np = tenantManifests(spec()).filter((o) => o.kind === 'NetworkPolicy');
  const text = JSON.stringify(np);
  expect(text).toContain('envoy-gateway-system');
  expect(JSON.stringify(tenantManifests(spec({ routing: 'interceptor' })).filter((o) => o.kind === 'NetworkPolicy'))).not.toContain('envoy-gateway-system');
});

test('routing outside the allowed values is refused with the field and the fix', () => {
  const result = validateTenantsDocument({ tenants: [{ ...spec(), routing: 'direct' }] });
  expect(result.problems).toEqual([expect.objectContaining({ tenant: 'shop', field: 'routing', fix: expect.stringContaining('direct-when-warm') })]);
});

test('edge rate limit: the tenant own value, else twice what it serves at scaling.max, within 10..10000 per second', () => {
  const limitOf = (o: Record<string, unknown>) => of(tenantManifests(spec(o)), 'BackendTrafficPolicy').spec.rateLimit.local.rules[0].limit;
  expect(limitOf({ rateLimit: { requests: 300, unit: 'Minute' } })).toEqual({ requests: 300, unit: 'Minute' });
  expect(limitOf({ routing: 'interceptor', scaling: { min: 0, max: 2, metric: { concurrency: { target: 3 } } } })).toEqual({ requests: 120, unit: 'Second' });
  expect(limitOf({ scaling: { min: 0, max: 1, metric: { requestRate: { target: 1 } } } })).toEqual({ requests: 10, unit: 'Second' });
  expect(limitOf({ scaling: { min: 0, max: 50, metric: { requestRate: { target: 1000 } } } })).toEqual({ requests: 10000, unit: 'Second' });
});

test('edge rate limit: out-of-bounds requests and unknown units are refused naming the field', () => {
  for (const rateLimit of [{ requests: 0, unit: 'Second' }, { requests: 2_000_000, unit: 'Second' }, { requests: 10, unit: 'Day' }]) {
    const result = validateTenantsDocument({ tenants: [{ ...spec(), rateLimit }] });
    expect(result.problems).toEqual([expect.objectContaining({ tenant: 'shop', field: expect.stringMatching(/^rateLimit\./) })]);
  }
});

test('direct-when-warm refuses a scaledownPeriod within the Prometheus lag (90 s); interceptor mode keeps accepting it', () => {
  const base = { ...spec(), scaling: { min: 0, max: 4, scaledownPeriod: 60, metric: { requestRate: { target: 25 } } } };
  expect(validateTenantsDocument({ tenants: [base] }).problems).toEqual([
    expect.objectContaining({ tenant: 'shop', field: 'scaling.scaledownPeriod', value: 60, allowed: 'scaledownPeriod > 90 with routing direct-when-warm' }),
  ]);
  expect(validateTenantsDocument({ tenants: [{ ...base, routing: 'interceptor' }] }).problems).toEqual([]);
  expect(validateTenantsDocument({ tenants: [{ ...base, scaling: { ...base.scaling, scaledownPeriod: 120 } }] }).problems).toEqual([]);
});

test('routing is ignored by kinds without an HTTP entry: a scheduled tenant with a short cooldown is accepted', () => {
  const result = validateTenantsDocument({
    defaults: { routing: 'direct-when-warm' },
    tenants: [
      {
        name: 'report',
        kind: 'scheduled',
        image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
        port: 8080,
        probes: { readiness: '/readyz', liveness: '/healthz' },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        scaling: { max: 1, scaledownPeriod: 30, metric: { requestRate: { target: 1 } } },
        schedule: [{ start: '0 2 * * *', end: '0 4 * * *', timezone: 'UTC', replicas: 1 }],
      },
    ],
  });
  expect(result.problems).toEqual([]);
});
