/**
 * HTTPS for a tenant: which listener each host attaches to, the redirect route, the tenant's own
 * Certificate and ListenerSet for hosts outside the platform's tenant domain.
 */
import { Manifest, tenantManifests } from '../../constructs/manifests';
import { certManagerManifests, platformManifests } from '../../constructs/platform/platform-manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../../constructs/platform-settings';
import { ownCertificateHosts, servedByWildcard } from '../../constructs/tenant-tls';
import { runRules } from '../../policies/engine';
import type { KubeObject } from '../../policies/types';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsDocument } from '../../tenants/validate';

function spec(overrides: Record<string, unknown> = {}): TenantSpec {
  const result = validateTenantsDocument({
    tenants: [
      {
        name: 'fatima',
        hosts: ['fatima.tenants.example.com', 'assistant.fatima.example.org'],
        domains: ['fatima.example.org'],
        image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
        port: 9898,
        probes: { readiness: '/readyz', liveness: '/healthz' },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        scaling: { max: 3, metric: { concurrency: { target: 20 } } },
        ...overrides,
      },
    ],
  });
  expect(result.problems).toEqual([]);
  return result.tenants[0];
}

const named = (objects: Manifest[], kind: string, name: string): any => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('servedByWildcard: one label under the tenant domain, as a TLS wildcard covers', () => {
  test.each([
    ['fatima.tenants.example.com', true],
    ['FATIMA.tenants.example.com', true],
    ['a.b.tenants.example.com', false],
    ['tenants.example.com', false],
    ['*.x.tenants.example.com', false],
    ['assistant.fatima.example.org', false],
    ['xtenants.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(servedByWildcard(host, 'tenants.example.com')).toBe(expected);
  });

  test('ownCertificateHosts keeps the others, in order', () => {
    expect(ownCertificateHosts(['a.tenants.example.com', 'shop.acme.com', 'a.b.tenants.example.com'], DEFAULT_PLATFORM_SETTINGS.tls!)).toEqual(['shop.acme.com', 'a.b.tenants.example.com']);
  });
});

describe('a tls tenant with a platform host and a custom domain', () => {
  const objects = tenantManifests(spec());
  const route = named(objects, 'HTTPRoute', 'fatima');
  const redirect = named(objects, 'HTTPRoute', 'fatima-https-redirect');
  const certificate = named(objects, 'Certificate', 'fatima-tls');
  const listenerSet = named(objects, 'ListenerSet', 'fatima');

  test('the route attaches to the wildcard HTTPS listener and to its own ListenerSet, not to the HTTP listener', () => {
    expect(route.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'tenants', namespace: 'envoy-gateway-system', sectionName: 'https' },
      { group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'fatima', namespace: 'tenant-fatima' },
    ]);
    expect(route.spec.hostnames).toEqual(['fatima.tenants.example.com', 'assistant.fatima.example.org']);
  });

  test('HTTP redirects to HTTPS with a 301 for every host, on the HTTP listener', () => {
    expect(redirect.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'tenants', namespace: 'envoy-gateway-system', sectionName: 'http' }],
      hostnames: ['fatima.tenants.example.com', 'assistant.fatima.example.org'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
    // No match = PathPrefix "/": the ACME solver's Exact /.well-known/acme-challenge/<token> route
    // for the same hostname takes precedence, so challenges stay on plain HTTP.
    expect(redirect.spec.rules[0].matches).toBeUndefined();
  });

  test('one Certificate for the custom domain only (the wildcard covers the platform host), from the platform issuer', () => {
    expect(certificate.metadata.namespace).toBe('tenant-fatima');
    expect(certificate.spec).toEqual({
      secretName: 'fatima-tls',
      dnsNames: ['assistant.fatima.example.org'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-production' },
    });
  });

  test('the ListenerSet: one HTTPS listener per custom host on the shared Gateway, terminating with the Certificate\'s Secret', () => {
    expect(listenerSet.spec.parentRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'tenants', namespace: 'envoy-gateway-system' });
    expect(listenerSet.spec.listeners).toEqual([
      {
        name: 'assistant.fatima.example.org',
        hostname: 'assistant.fatima.example.org',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'fatima-tls' }] },
        allowedRoutes: { kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], namespaces: { from: 'Same' } },
      },
    ]);
  });

  test('the Envoy proxies may reach cert-manager\'s HTTP-01 solver pod in the tenant namespace, on its port only', () => {
    const policy = named(objects, 'NetworkPolicy', 'fatima-acme-http01-solver');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } }], ports: [{ protocol: 'TCP', port: 8089 }] }],
    });
    // The tenant's own policy is unchanged: still every pod, ingress and egress.
    expect(named(objects, 'NetworkPolicy', 'fatima').spec.podSelector).toEqual({});
  });

  test('Certificate and ListenerSet come before the route that attaches to them', () => {
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds.indexOf('Certificate/fatima-tls')).toBeLessThan(kinds.indexOf('ListenerSet/fatima'));
    expect(kinds.indexOf('ListenerSet/fatima')).toBeLessThan(kinds.indexOf('HTTPRoute/fatima'));
  });

  test('with the platform objects, the policy rules find nothing mandatory (routes admitted, no host tie)', () => {
    const all = [...certManagerManifests(), ...platformManifests(), ...objects] as KubeObject[];
    expect(runRules(all).filter((v) => v.level === 'mandatory')).toEqual([]);
  });
});

describe('other combinations', () => {
  test('only platform hosts: the HTTPS listener and the redirect, no Certificate or ListenerSet', () => {
    const o = tenantManifests(spec({ hosts: ['fatima.tenants.example.com'], domains: [] }));
    expect(o.map((m) => m.kind)).not.toContain('Certificate');
    expect(o.map((m) => m.kind)).not.toContain('ListenerSet');
    expect(o.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name)).toEqual(['fatima']);
    expect(named(o, 'HTTPRoute', 'fatima').spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['https']);
  });

  test('tls: false stays on the HTTP listener with no redirect', () => {
    const o = tenantManifests(spec({ tls: false }));
    expect(o.filter((m) => m.kind === 'HTTPRoute').map((m) => m.metadata.name)).toEqual(['fatima']);
    expect(named(o, 'HTTPRoute', 'fatima').spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['http']);
  });

  test('a platform without tls settings serves HTTP whatever the tenant says', () => {
    const o = tenantManifests(spec(), { ...DEFAULT_PLATFORM_SETTINGS, tls: undefined });
    expect(o.map((m) => m.kind)).not.toContain('Certificate');
    expect(named(o, 'HTTPRoute', 'fatima').spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['http']);
  });

  test('the settings are read: domain, listener, port and issuer', () => {
    const settings: PlatformSettings = { ...DEFAULT_PLATFORM_SETTINGS, tls: { tenantDomain: 'apps.acme.io', listener: 'websecure', port: 8443, issuer: 'tenantscale-ca' } };
    const o = tenantManifests(spec({ hosts: ['fatima.apps.acme.io', 'assistant.fatima.example.org'] }), settings);
    expect(named(o, 'HTTPRoute', 'fatima').spec.parentRefs[0].sectionName).toBe('websecure');
    expect(named(o, 'Certificate', 'fatima-tls').spec.issuerRef.name).toBe('tenantscale-ca');
    expect(named(o, 'ListenerSet', 'fatima').spec.listeners[0].port).toBe(8443);
    expect(named(o, 'HTTPRoute', 'fatima-https-redirect').spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', statusCode: 301, port: 8443 });
  });
});

describe("the tenant's quota leaves room for cert-manager's HTTP-01 solver pods", () => {
  const quota = (s: TenantSpec) => named(tenantManifests(s), 'ResourceQuota', 'fatima').spec.hard;

  test('two hosts on its own certificate: two solver pods (10m/64Mi requests, 100m/64Mi limits each) on top of max pods', () => {
    const base = quota(spec({ tls: false }));
    const two = quota(spec({ hosts: ['fatima.tenants.example.com', 'assistant.fatima.example.org', 'chat.fatima.example.org'] }));
    expect(base).toMatchObject({ pods: '4', 'requests.cpu': '400m', 'requests.memory': '512Mi', 'limits.cpu': '2', 'limits.memory': '2Gi' });
    expect(two).toMatchObject({ pods: '6', 'requests.cpu': '420m', 'requests.memory': '640Mi', 'limits.cpu': '2200m', 'limits.memory': '2176Mi' });
  });

  test('hosts served by the platform wildcard (DNS-01, no solver pod): no headroom', () => {
    expect(quota(spec({ hosts: ['fatima.tenants.example.com'], domains: [] }))).toMatchObject({ pods: '4', 'requests.cpu': '400m' });
  });
});
