import type * as PlatformModule from '../../constructs/platform/platform';
import { MOCK_KUBECONFIG, MockedRun, failWithMocks, runWithMocks } from './pulumi-mocks';

const NP = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';

/** A Platform without tenants under mocks (tenants are not what these tests are about). */
function build(args: Partial<PlatformModule.PlatformArgs>): Promise<MockedRun<PlatformModule.Platform>> {
  return runWithMocks(() => {
    const k8s = require('@pulumi/kubernetes');
    const { Platform } = require('../../constructs/platform/platform') as typeof PlatformModule;
    const provider = new k8s.Provider('test-cluster', { kubeconfig: MOCK_KUBECONFIG });
    return new Platform('tenantscale', { tenants: [], ...args }, { providers: { kubernetes: provider } });
  });
}

describe('platform NetworkPolicies under the Pulumi mocks', () => {
  let run: MockedRun<PlatformModule.Platform>;
  beforeAll(async () => {
    run = await build({});
  });

  test('exactly the synthesized policies are applied, one resource each', () => {
    const { platformNetworkPolicyManifests } = require('../../constructs/platform/platform-manifests');
    const { platformTlsSettings } = require('../../constructs/platform/platform');
    const { DEFAULT_PLATFORM_SETTINGS } = require('../../constructs/platform-settings');
    const expected = platformNetworkPolicyManifests(platformTlsSettings(DEFAULT_PLATFORM_SETTINGS, {}, false), { toggles: {}, listenerPorts: [80, 443] });
    const applied = run.resources.filter((r) => r.type === NP).map((r) => `${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`);
    expect(applied.sort()).toEqual(expected.map((m: any) => `${m.metadata.namespace}/${m.metadata.name}`).sort());
    const proxies = run.resources.find((r) => r.type === NP && r.inputs.metadata.name === 'tenantscale-envoy-proxies')!;
    expect(proxies.inputs.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 10080 }, { protocol: 'TCP', port: 10443 }]);
  });

  test('each policy after the chart that creates its namespace; the default-deny after the namespace\'s allows', () => {
    const np = run.registrations.filter((r) => r.type === NP);
    const dep = (ns: string, name: string) => np.find((r) => r.name === `${ns}-networkpolicy-${name}`)!.dependsOn;
    expect(dep('keda', 'tenantscale-keda-http-interceptor')).toEqual(['tenantscale:platform:Keda::keda', 'tenantscale:platform:KedaHttpAddon::keda-add-ons-http']);
    expect(dep('envoy-gateway-system', 'tenantscale-envoy-proxies')).toEqual(['tenantscale:platform:EnvoyGateway::envoy-gateway']);
    expect(dep('cert-manager', 'tenantscale-cert-manager-webhook')).toEqual(['tenantscale:platform:CertManager::cert-manager']);
    expect(dep('monitoring', 'tenantscale-monitoring-same-namespace')).toEqual(['tenantscale:platform:KubePrometheusStack::kube-prometheus-stack']);
    expect(dep('vpa', 'tenantscale-default-deny-ingress')).toEqual(['tenantscale:platform:VerticalPodAutoscaler::vpa']);
    const deny = dep('keda', 'tenantscale-default-deny-ingress');
    expect(deny.slice(0, 2)).toEqual(['tenantscale:platform:Keda::keda', 'tenantscale:platform:KedaHttpAddon::keda-add-ons-http']);
    expect(deny.slice(2).sort()).toEqual(
      ['tenantscale-keda-admission-webhooks', 'tenantscale-keda-http-external-scaler', 'tenantscale-keda-http-interceptor', 'tenantscale-keda-metrics-apiserver', 'tenantscale-keda-operator'].map((n) => `${NP}::keda-networkpolicy-${n}`),
    );
  });

  test('platformNetworkPolicies: false applies none', async () => {
    const off = await build({ platformNetworkPolicies: false });
    expect(off.resources.filter((r) => r.type === NP)).toEqual([]);
  });

  test('components installed elsewhere (enabled: false) get no policies in their namespaces', async () => {
    const some = await build({ keda: { enabled: false }, kedaHttpAddon: { enabled: false }, certManager: { enabled: false }, monitoring: { enabled: false } });
    const namespaces = new Set(some.resources.filter((r) => r.type === NP).map((r) => r.inputs.metadata.namespace));
    expect([...namespaces].sort()).toEqual(['envoy-gateway-system', 'vpa']);
  });
});

describe('PlatformNetworkPolicyResources', () => {
  test('refuses a policy in a namespace no installed chart creates', async () => {
    const { error, resources } = await failWithMocks(() => {
      const { PlatformNetworkPolicyResources } = require('../../constructs/platform/platform-network-policy-resources');
      const { platformNetworkPolicyManifests } = require('../../constructs/platform/platform-manifests');
      return new PlatformNetworkPolicyResources('p', { manifests: platformNetworkPolicyManifests(), after: {} });
    });
    expect(String(error)).toMatch(/namespace "keda", which no installed chart creates/);
    expect(resources.filter((r) => r.type === NP)).toEqual([]);
  });
});
