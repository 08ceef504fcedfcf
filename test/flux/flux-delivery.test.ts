import type * as PlatformModule from '../../constructs/platform/platform';
import { tenantDeliveryManifests } from '../../constructs/platform/tenant-delivery-objects';
import { platformHealthChecks } from '../../constructs/platform/platform-health-checks';
import { platformArgsProblems } from '../../constructs/platform/platform';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import { tenantManifests } from '../../constructs/manifests';
import { validateTenantsText } from '../../tenants/validate';
import { generateTenantList } from '../../bench/bench';
import type { TenantSpec } from '../../tenants/schema';
import { MOCK_KUBECONFIG, MockedRun, RELEASE, registration, runWithMocks } from '../platform/pulumi-mocks';

const KUSTOMIZATION = 'kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization';
const OCI = 'kubernetes:source.toolkit.fluxcd.io/v1:OCIRepository';
const FLUX_INSTANCE = 'kubernetes:fluxcd.controlplane.io/v1:FluxInstance';
const artifact = { kind: 'oci', url: 'oci://registry.digitalocean.com/acme/tenants', tag: 'latest' } as const;
const installed = { keda: true, kedaHttpAddon: true, envoyGateway: true };
const tenants = (n: number): TenantSpec[] => validateTenantsText(generateTenantList(n)).tenants;

describe('the Flux delivery objects (tenantDeliveryManifests)', () => {
  const objects = tenantDeliveryManifests({ artifact, shards: 3, healthChecks: platformHealthChecks(DEFAULT_PLATFORM_SETTINGS, installed) });
  const [source, gate, ...shards] = objects;

  test('in apply order: the source, the platform gate, then one Kustomization per shard; all in flux-system', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'OCIRepository/tenantscale-tenants',
      'Kustomization/tenantscale-platform-ready',
      'Kustomization/tenantscale-shard-000',
      'Kustomization/tenantscale-shard-001',
      'Kustomization/tenantscale-shard-002',
    ]);
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['flux-system']));
    expect(source).toMatchObject({ apiVersion: 'source.toolkit.fluxcd.io/v1', spec: { url: artifact.url, ref: { tag: 'latest' }, provider: 'generic', interval: '1m' } });
  });

  test('the gate applies the empty shards/ready and waits for the platform CRDs and controllers, nothing else', () => {
    expect(gate.spec).toMatchObject({ path: './shards/ready', wait: false, prune: true, sourceRef: { kind: 'OCIRepository', name: 'tenantscale-tenants' } });
    expect((gate.spec as any).healthChecks.map((h: any) => `${h.kind}/${h.namespace ? `${h.namespace}/` : ''}${h.name}`)).toEqual([
      'CustomResourceDefinition/interceptorroutes.http.keda.sh',
      'CustomResourceDefinition/scaledobjects.keda.sh',
      'CustomResourceDefinition/triggerauthentications.keda.sh',
      'CustomResourceDefinition/httproutes.gateway.networking.k8s.io',
      'CustomResourceDefinition/referencegrants.gateway.networking.k8s.io',
      'CustomResourceDefinition/servicemonitors.monitoring.coreos.com',
      'CustomResourceDefinition/verticalpodautoscalers.autoscaling.k8s.io',
      'CustomResourceDefinition/certificates.cert-manager.io',
      'Deployment/keda/keda-operator',
      'Deployment/keda/keda-add-ons-http-interceptor',
      'Deployment/envoy-gateway-system/envoy-gateway',
    ]);
  });

  test('each shard: after the gate, prune, no wait on (possibly zero-replica) workloads, ordered deletion that waits for termination', () => {
    shards.forEach((s, i) => {
      expect(s.spec).toEqual({
        interval: '30m',
        retryInterval: '2m',
        timeout: '10m',
        sourceRef: { kind: 'OCIRepository', name: 'tenantscale-tenants' },
        path: `./shards/00${i}`,
        prune: true,
        wait: false,
        deletionPolicy: 'WaitForTermination',
        dependsOn: [{ name: 'tenantscale-platform-ready' }],
      });
      expect(s.spec).not.toHaveProperty('healthChecks');
    });
  });

  test('without monitoring, VPA or the charts of this stack: the gate checks only what the tenants use and the stack installs', () => {
    const checks = platformHealthChecks({ ...DEFAULT_PLATFORM_SETTINGS, serviceMonitors: false, verticalPodAutoscalers: false, tls: undefined }, { keda: false, kedaHttpAddon: false, envoyGateway: false });
    expect(checks.map((c) => c.name)).toEqual(['interceptorroutes.http.keda.sh', 'scaledobjects.keda.sh', 'triggerauthentications.keda.sh', 'httproutes.gateway.networking.k8s.io', 'referencegrants.gateway.networking.k8s.io']);
  });

  test('with HTTPS, tenants hold Certificates: the gate waits for their CRD and, when the stack installs cert-manager, its webhook; without HTTPS for neither', () => {
    const names = (checks: ReturnType<typeof platformHealthChecks>) => checks.map((c) => `${c.kind}/${c.namespace ? `${c.namespace}/` : ''}${c.name}`);
    const withChart = names(platformHealthChecks(DEFAULT_PLATFORM_SETTINGS, { ...installed, certManager: true }));
    expect(withChart).toContain('CustomResourceDefinition/certificates.cert-manager.io');
    expect(withChart[withChart.length - 1]).toBe('Deployment/cert-manager/cert-manager-webhook');
    expect(names(platformHealthChecks(DEFAULT_PLATFORM_SETTINGS, installed))).not.toContain('Deployment/cert-manager/cert-manager-webhook');
    const httpOnly = names(platformHealthChecks({ ...DEFAULT_PLATFORM_SETTINGS, tls: undefined }, { ...installed, certManager: true }));
    expect(httpOnly.filter((n) => n.includes('cert-manager'))).toEqual([]);
  });

  test('a Git source: GitRepository on a branch, and the Kustomizations refer to it', () => {
    const git = tenantDeliveryManifests({ artifact: { kind: 'git', url: 'https://github.com/acme/tenants.git', branch: 'tenantscale-dist' }, shards: 1, healthChecks: [], secretName: 'git-auth' });
    expect(git[0]).toMatchObject({ kind: 'GitRepository', spec: { url: 'https://github.com/acme/tenants.git', ref: { branch: 'tenantscale-dist' }, secretRef: { name: 'git-auth' } } });
    expect(git.slice(1).map((k) => (k.spec as any).sourceRef)).toEqual([
      { kind: 'GitRepository', name: 'tenantscale-tenants' },
      { kind: 'GitRepository', name: 'tenantscale-tenants' },
    ]);
  });

  test('Flux never owns spec.replicas: no synthesized workload sets it (KEDA does)', () => {
    for (const spec of tenants(8)) {
      for (const m of tenantManifests(spec).filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
        expect({ tenant: spec.name, replicas: (m.spec as any).replicas }).toEqual({ tenant: spec.name, replicas: undefined });
      }
    }
  });
});

/** Builds a Platform in flux mode under mocks. */
function build(list: TenantSpec[], args: Partial<PlatformModule.PlatformArgs> = {}): Promise<MockedRun<PlatformModule.Platform>> {
  return runWithMocks(() => {
    const k8s = require('@pulumi/kubernetes');
    const { Platform } = require('../../constructs/platform/platform') as typeof PlatformModule;
    const provider = new k8s.Provider('test-cluster', { kubeconfig: MOCK_KUBECONFIG });
    return new Platform(
      'tenantscale',
      { tenants: list, tenantDelivery: 'flux', flux: { artifact, shards: 4, dockerConfigJson: '{"auths":{}}' }, ...args },
      { providers: { kubernetes: provider } },
    );
  });
}

describe('Platform with tenantDelivery: flux (under mocks)', () => {
  let small: MockedRun<PlatformModule.Platform>;
  let large: MockedRun<PlatformModule.Platform>;
  beforeAll(async () => {
    small = await build(tenants(3));
    large = await build(tenants(300));
  }, 120_000);

  test('no per-tenant registration: 3 and 300 tenants register the same resources', () => {
    const names = (run: MockedRun<unknown>) => run.registrations.map((r) => `${r.type}::${r.name}`).sort();
    expect(names(large)).toEqual(names(small));
    expect(small.registrations.filter((r) => r.type === 'tenantscale:platform:TenantWorkloads')).toEqual([]);
    expect(small.resources.some((r) => r.type === 'kubernetes:core/v1:Namespace')).toBe(false);
    // The outputs still list every tenant's URL.
    expect(Object.keys(large.value.tenantUrls)).toHaveLength(300);
  });

  test('Flux Operator chart pinned in flux-system, then a FluxInstance with Flux 2.9.4 that Pulumi waits on', () => {
    const op = small.resources.find((r) => r.type === RELEASE && r.inputs.name === 'flux-operator')!;
    expect(op.inputs).toMatchObject({ chart: 'oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator', version: '0.58.1', namespace: 'flux-system' });
    const inst = small.resources.find((r) => r.type === FLUX_INSTANCE)!;
    expect(inst.inputs).toMatchObject({
      metadata: { name: 'flux', namespace: 'flux-system', annotations: { 'pulumi.com/waitFor': 'condition=Ready' } },
      spec: { distribution: { version: '2.9.4', registry: 'ghcr.io/fluxcd' }, components: ['source-controller', 'kustomize-controller'] },
    });
    expect(inst.inputs.spec.distribution).not.toHaveProperty('artifact');
    expect(registration(small.registrations, FLUX_INSTANCE, 'flux-instance').dependsOn).toEqual([`${RELEASE}::flux-operator`]);
  });

  test('ordering: every Flux object after the FluxInstance, the pull Secret and the KEDA, add-on and Envoy Gateway components (so deleted before them)', () => {
    const flux = small.registrations.filter((r) => r.type === KUSTOMIZATION || r.type === OCI);
    expect(flux).toHaveLength(1 + 1 + 4);
    for (const r of flux) {
      expect(r.dependsOn).toEqual(
        expect.arrayContaining([
          `${FLUX_INSTANCE}::flux-instance`,
          'kubernetes:core/v1:Secret::flux-artifact-pull',
          'tenantscale:platform:Keda::keda',
          'tenantscale:platform:KedaHttpAddon::keda-add-ons-http',
          'tenantscale:platform:EnvoyGateway::envoy-gateway',
        ]),
      );
    }
    const secret = small.resources.find((r) => r.type === 'kubernetes:core/v1:Secret')!;
    expect(secret.inputs).toMatchObject({ metadata: { name: 'tenantscale-artifact-pull', namespace: 'flux-system' }, type: 'kubernetes.io/dockerconfigjson' });
    const oci = small.resources.find((r) => r.type === OCI)!;
    expect(oci.inputs.spec.secretRef).toEqual({ name: 'tenantscale-artifact-pull' });
  });

  test('flux mode refuses tenantSecrets (Flux creates the namespaces) and a missing flux block; pulumi mode accepts them', () => {
    const list = tenants(1);
    expect(platformArgsProblems({ tenants: list, tenantDelivery: 'flux', flux: { artifact, shards: 1 }, tenantSecrets: { [list[0].name]: { s: { k: 'v' } } } })[0]).toMatch(
      /^tenantSecrets has values for "tenant-0" but tenantDelivery = flux/,
    );
    expect(platformArgsProblems({ tenants: list, tenantDelivery: 'flux' })).toEqual([expect.stringMatching(/^tenantDelivery = flux requires the flux settings/)]);
    expect(platformArgsProblems({ tenants: list, tenantSecrets: { [list[0].name]: { s: { k: 'v' } } } })).toEqual([]);
  });
});
