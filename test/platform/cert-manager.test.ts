/**
 * cert-manager: the synthesized ClusterIssuers and wildcard Certificate, and, under the Pulumi
 * mocks, the order a first `pulumi up` needs — Gateway API CRDs → chart (its CRDs) → DNS token
 * Secret → ClusterIssuers → Certificates (the wildcard, then every tenant's) — and the DNS token
 * kept secret.
 */
import { resolve } from 'node:path';
import { certManagerManifests } from '../../constructs/platform/platform-manifests';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import type * as PlatformModule from '../../constructs/platform/platform';
import type { TenantSpec } from '../../tenants/schema';
import { MOCK_KUBECONFIG, MockedRun, RELEASE, byType, registration, release, runWithMocks } from './pulumi-mocks';
import { EXAMPLE_TENANTS } from '../example-project';

const TENANTS_FILE = EXAMPLE_TENANTS;
const ISSUER = 'kubernetes:cert-manager.io/v1:ClusterIssuer';
const CERTIFICATE = 'kubernetes:cert-manager.io/v1:Certificate';
const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('certManagerManifests', () => {
  test('acme: Let\'s Encrypt staging and production, DNS-01 (DigitalOcean) for the tenant domain, HTTP-01 through the Gateway for the rest', () => {
    const objects = certManagerManifests(DEFAULT_PLATFORM_SETTINGS, { email: 'ops@example.com' });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ClusterIssuer/letsencrypt-staging',
      'ClusterIssuer/letsencrypt-production',
      'Certificate/tenant-wildcard',
    ]);
    const prod = find(objects, 'ClusterIssuer', 'letsencrypt-production');
    expect(prod.spec.acme).toEqual({
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      email: 'ops@example.com',
      privateKeySecretRef: { name: 'letsencrypt-production-account-key' },
      solvers: [
        { selector: { dnsZones: ['tenants.example.com'] }, dns01: { digitalocean: { tokenSecretRef: { name: 'digitalocean-dns', key: 'access-token' } } } },
        {
          http01: {
            gatewayHTTPRoute: {
              parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'tenants', namespace: 'envoy-gateway-system', sectionName: 'http' }],
            },
          },
        },
      ],
    });
    expect(find(objects, 'ClusterIssuer', 'letsencrypt-staging').spec.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
  });

  test('the wildcard Certificate: *.<tenant domain> in the Gateway namespace, into the Secret the HTTPS listener reads; Pulumi waits until Ready', () => {
    const wildcard = find(certManagerManifests(), 'Certificate', 'tenant-wildcard');
    expect(wildcard.metadata).toMatchObject({ namespace: 'envoy-gateway-system', annotations: { 'pulumi.com/waitFor': 'condition=Ready' } });
    expect(wildcard.spec).toEqual({
      secretName: 'tenant-wildcard-tls',
      dnsNames: ['*.tenants.example.com'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-production' },
    });
  });

  test('no e-mail: the ACME account has none (optional in RFC 8555)', () => {
    expect(find(certManagerManifests(), 'ClusterIssuer', 'letsencrypt-production').spec.acme).not.toHaveProperty('email');
  });

  test('local-ca: a self-signed root CA in cert-manager\'s namespace and the CA issuer signing with it, then the wildcard', () => {
    const settings = { ...DEFAULT_PLATFORM_SETTINGS, tls: { ...DEFAULT_PLATFORM_SETTINGS.tls!, issuer: 'tenantscale-ca' } };
    const objects = certManagerManifests(settings, { issuers: 'local-ca' });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ClusterIssuer/tenantscale-selfsigned',
      'Certificate/tenantscale-root-ca',
      'ClusterIssuer/tenantscale-ca',
      'Certificate/tenant-wildcard',
    ]);
    expect(find(objects, 'ClusterIssuer', 'tenantscale-selfsigned').spec).toEqual({ selfSigned: {} });
    expect(find(objects, 'Certificate', 'tenantscale-root-ca')).toMatchObject({
      metadata: { namespace: 'cert-manager' },
      spec: { isCA: true, secretName: 'tenantscale-root-ca', issuerRef: { kind: 'ClusterIssuer', name: 'tenantscale-selfsigned' } },
    });
    expect(find(objects, 'ClusterIssuer', 'tenantscale-ca').spec).toEqual({ ca: { secretName: 'tenantscale-root-ca' } });
    expect(find(objects, 'Certificate', 'tenant-wildcard').spec.issuerRef.name).toBe('tenantscale-ca');
  });

  test('without tls settings: the issuers, no wildcard', () => {
    expect(certManagerManifests({ ...DEFAULT_PLATFORM_SETTINGS, tls: undefined }).map((o) => o.kind)).toEqual(['ClusterIssuer', 'ClusterIssuer']);
  });
});

function build(args: Partial<PlatformModule.PlatformArgs>): Promise<MockedRun<{ tenants: TenantSpec[] }>> {
  return runWithMocks(() => {
    const k8s = require('@pulumi/kubernetes');
    const { Platform } = require('../../constructs/platform/platform') as typeof PlatformModule;
    const { loadTenants } = require('../../tenants/validate');
    const tenants: TenantSpec[] = loadTenants(TENANTS_FILE);
    const provider = new k8s.Provider('test-cluster', { kubeconfig: MOCK_KUBECONFIG });
    new Platform('tenantscale', { tenants, ...args }, { providers: { kubernetes: provider } });
    return { tenants };
  });
}

describe('CertManager under the Pulumi mocks (doks mode)', () => {
  let run: MockedRun<{ tenants: TenantSpec[] }>;
  beforeAll(async () => {
    run = await build({ tls: { email: 'ops@example.com', tenantDomain: 'tenants.example.com', dnsToken: 'dop_v1_dns_test_only' } });
  });
  const deps = (type: string, name: string) => registration(run.registrations, type, name).dependsOn;

  test('the pinned jetstack chart v1.21.1 with its CRDs and Gateway API support, in namespace cert-manager', () => {
    const r = release(run.resources, 'cert-manager');
    expect(r.inputs).toMatchObject({ chart: 'cert-manager', version: 'v1.21.1', repositoryOpts: { repo: 'https://charts.jetstack.io' }, namespace: 'cert-manager' });
    expect(r.inputs.values).toEqual({
      crds: { enabled: true, keep: true },
      config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', gatewayAPI: { enabled: true } },
      // the stack monitors: the chart's ServiceMonitor feeds CertificateNotReady / CertificateExpiringSoon
      prometheus: { enabled: true, servicemonitor: { enabled: true } },
    });
  });

  test('order: Gateway API CRDs (Envoy Gateway) and the monitoring CRDs (its ServiceMonitor) → chart → DNS token Secret → ClusterIssuers → wildcard Certificate', () => {
    expect(deps(RELEASE, 'cert-manager')).toEqual([
      `${RELEASE}::envoy-gateway-crds`,
      `${RELEASE}::envoy-gateway`,
      'tenantscale:platform:KubePrometheusStack::kube-prometheus-stack',
    ]);
    expect(deps('kubernetes:core/v1:Secret', 'cert-manager-digitalocean-dns')).toEqual([`${RELEASE}::cert-manager`]);
    const secret = 'kubernetes:core/v1:Secret::cert-manager-digitalocean-dns';
    expect(deps(ISSUER, 'cluster-clusterissuer-letsencrypt-staging')).toEqual([`${RELEASE}::cert-manager`, secret]);
    expect(deps(ISSUER, 'cluster-clusterissuer-letsencrypt-production')).toEqual([
      `${RELEASE}::cert-manager`,
      secret,
      `${ISSUER}::cluster-clusterissuer-letsencrypt-staging`,
    ]);
    expect(deps(CERTIFICATE, 'envoy-gateway-system-certificate-tenant-wildcard')).toEqual(
      expect.arrayContaining([`${RELEASE}::cert-manager`, `${ISSUER}::cluster-clusterissuer-letsencrypt-production`]),
    );
  });

  test('a tenant\'s Certificate comes after cert-manager (chart and issuers); its ListenerSet after Envoy Gateway, its route after both', () => {
    const cert = deps(CERTIFICATE, 'tenant-fatima-certificate-fatima-tls');
    expect(cert).toContain('tenantscale:platform:CertManager::cert-manager');
    expect(cert).toContain('kubernetes:core/v1:Namespace::cluster-namespace-tenant-fatima');
    const listenerSet = deps('kubernetes:gateway.networking.k8s.io/v1:ListenerSet', 'tenant-fatima-listenerset-fatima');
    expect(listenerSet).toContain('tenantscale:platform:EnvoyGateway::envoy-gateway');
    const route = deps('kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'tenant-fatima-httproute-fatima');
    expect(route).toEqual(expect.arrayContaining([`${CERTIFICATE}::tenant-fatima-certificate-fatima-tls`, 'kubernetes:gateway.networking.k8s.io/v1:ListenerSet::tenant-fatima-listenerset-fatima']));
  });

  test('the DNS token becomes a Secret in cert-manager\'s namespace, as a Pulumi secret', () => {
    const secret = byType(run.resources, 'kubernetes:core/v1:Secret').find((r) => r.name === 'cert-manager-digitalocean-dns')!;
    expect(secret.inputs.metadata).toMatchObject({ name: 'digitalocean-dns', namespace: 'cert-manager' });
    // Serialized as a secret (the mock monitor's secret signature), never as plain text.
    expect(secret.inputs.stringData).toEqual({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: { 'access-token': 'dop_v1_dns_test_only' } });
  });

  test('issuers and wildcard are exactly the synthesized ones (e-mail from the stack, production issuer)', () => {
    const prod = byType(run.resources, ISSUER).find((r) => r.name === 'cluster-clusterissuer-letsencrypt-production')!;
    expect(prod.inputs.spec.acme.email).toBe('ops@example.com');
    const wildcard = byType(run.resources, CERTIFICATE).find((r) => r.name === 'envoy-gateway-system-certificate-tenant-wildcard')!;
    expect(wildcard.inputs.spec.issuerRef.name).toBe('letsencrypt-production');
  });
});

describe('CertManager under the Pulumi mocks: staging, kubeconfig mode, off', () => {
  test('environment staging: every Certificate names the staging issuer', async () => {
    const run = await build({ tls: { environment: 'staging' } });
    const certs = byType(run.resources, CERTIFICATE);
    expect(certs.map((c) => c.inputs.spec.issuerRef.name)).toEqual(certs.map(() => 'letsencrypt-staging'));
    expect(certs.length).toBeGreaterThanOrEqual(2);
  });

  test('kubeconfig mode: the local CA chain, no DNS token Secret, every Certificate from tenantscale-ca', async () => {
    const run = await build({ mode: 'kubeconfig' });
    expect(byType(run.resources, ISSUER).map((r) => r.inputs.metadata.name)).toEqual(['tenantscale-selfsigned', 'tenantscale-ca']);
    expect(byType(run.resources, 'kubernetes:core/v1:Secret').filter((r) => r.inputs.metadata.namespace === 'cert-manager')).toEqual([]);
    const tenantCerts = byType(run.resources, CERTIFICATE).filter((c) => c.inputs.metadata.name !== 'tenantscale-root-ca');
    expect(tenantCerts.map((c) => c.inputs.spec.issuerRef.name)).toEqual(tenantCerts.map(() => 'tenantscale-ca'));
  });

  test('monitoring off: no ServiceMonitor from the chart (its CRD would be missing), no wait for the monitoring stack', async () => {
    const run = await build({ monitoring: { enabled: false } });
    const chart = release(run.resources, 'cert-manager');
    expect(chart.inputs.values.prometheus).toEqual({ enabled: true, servicemonitor: { enabled: false } });
    expect(registration(run.registrations, RELEASE, 'cert-manager').dependsOn).not.toContain('tenantscale:platform:KubePrometheusStack::kube-prometheus-stack');
  });

  test('tls.enabled false: no cert-manager, no HTTPS listener, HTTP URLs', async () => {
    const run = await build({ tls: { enabled: false } });
    expect(byType(run.resources, RELEASE).map((r) => r.inputs.name)).not.toContain('cert-manager');
    expect(byType(run.resources, CERTIFICATE)).toEqual([]);
    const gw = run.resources.find((r) => r.type === 'kubernetes:gateway.networking.k8s.io/v1:Gateway')!;
    expect(gw.inputs.spec.listeners.map((l: any) => l.name)).toEqual(['http']);
  });
});
