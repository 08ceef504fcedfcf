import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import { platformNetworkPolicyManifests } from '../../constructs/platform/platform-manifests';
import { envoyContainerPort, PLATFORM_DEFAULT_DENY, platformPolicySpecs, POLICED_NAMESPACES } from '../../constructs/platform/platform-network-policies';
import type { Manifest } from '../../constructs/manifests';

const settings = DEFAULT_PLATFORM_SETTINGS;
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const PROXIES = { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' };

function policy(manifests: Manifest[], namespace: string, name: string): any {
  const found = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === namespace && m.metadata.name === name);
  if (!found) throw new Error(`no NetworkPolicy ${namespace}/${name}`);
  return found.spec;
}

describe('platform NetworkPolicies (default toggles, HTTP 80 + HTTPS 443)', () => {
  const manifests = platformNetworkPolicyManifests(settings, { listenerPorts: [80, 443] });

  test('every policed namespace gets an ingress default-deny for every pod, and nothing lands in kube-system', () => {
    for (const n of POLICED_NAMESPACES) {
      expect(policy(manifests, n, PLATFORM_DEFAULT_DENY)).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [] });
    }
    expect(manifests.filter((m) => m.metadata.namespace === 'kube-system')).toEqual([]);
    expect(manifests.every((m) => (m.spec as any).policyTypes.join() === 'Ingress')).toBe(true);
  });

  test('interceptor: proxy 8080 from the Envoy proxies only, admin 9090 from the external scaler, exporter 2223 from monitoring', () => {
    expect(policy(manifests, 'keda', 'tenantscale-keda-http-interceptor')).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/component': 'interceptor', 'app.kubernetes.io/name': 'http-add-on', 'app.kubernetes.io/instance': 'keda-add-ons-http' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ ...ns('envoy-gateway-system'), podSelector: { matchLabels: PROXIES } }], ports: tcp(8080) },
        { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'scaler', 'app.kubernetes.io/name': 'http-add-on', 'app.kubernetes.io/instance': 'keda-add-ons-http' } } }], ports: tcp(9090) },
        { from: [ns('monitoring')], ports: tcp(2223) },
      ],
    });
  });

  test('external scaler gRPC from the KEDA operator; operator 9666 from the metrics API server; API-server-facing ports from any source', () => {
    expect(policy(manifests, 'keda', 'tenantscale-keda-http-external-scaler').ingress[0]).toEqual({ from: [{ podSelector: { matchLabels: { app: 'keda-operator' } } }], ports: tcp(9090) });
    expect(policy(manifests, 'keda', 'tenantscale-keda-operator').ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'keda-operator-metrics-apiserver' } } }], ports: tcp(9666) },
      { from: [ns('monitoring')], ports: tcp(8080) },
    ]);
    expect(policy(manifests, 'keda', 'tenantscale-keda-metrics-apiserver').ingress[0]).toEqual({ ports: tcp(6443) });
    expect(policy(manifests, 'keda', 'tenantscale-keda-admission-webhooks')).toMatchObject({ podSelector: { matchLabels: { app: 'keda-admission-webhooks' } }, ingress: [{ ports: tcp(9443) }] });
    expect(policy(manifests, 'cert-manager', 'tenantscale-cert-manager-webhook').ingress).toEqual([{ ports: tcp(10250) }]);
    expect(policy(manifests, 'monitoring', 'tenantscale-prometheus-operator-webhook')).toMatchObject({
      podSelector: { matchLabels: { app: 'kube-prometheus-stack-operator', release: 'kube-prometheus-stack' } },
      ingress: [{ ports: tcp(10250) }],
    });
  });

  test('Envoy: listeners on their shifted container ports from anywhere, stats from monitoring; controller xDS from the proxies', () => {
    expect(policy(manifests, 'envoy-gateway-system', 'tenantscale-envoy-proxies')).toEqual({
      podSelector: { matchLabels: PROXIES },
      policyTypes: ['Ingress'],
      ingress: [{ ports: tcp(10080, 10443) }, { from: [ns('monitoring')], ports: tcp(19001) }],
    });
    expect(policy(manifests, 'envoy-gateway-system', 'tenantscale-envoy-gateway-controller').ingress).toEqual([
      { from: [{ podSelector: { matchLabels: PROXIES } }], ports: tcp(18000) },
      { ports: tcp(9443) },
    ]);
  });

  test('monitoring: every port from within the namespace only', () => {
    expect(policy(manifests, 'monitoring', 'tenantscale-monitoring-same-namespace').ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    // Tenants' prometheus triggers: the KEDA operator queries Prometheus, on 9090 only.
    expect(policy(manifests, 'monitoring', 'tenantscale-monitoring-keda-queries')).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ...ns('keda'), podSelector: { matchLabels: { app: 'keda-operator' } } }], ports: tcp(9090) }],
    });
  });

  test('VPA: default-deny only unless the admission controller runs (then its webhook port from any source)', () => {
    expect(manifests.filter((m) => m.metadata.namespace === 'vpa').map((m) => m.metadata.name)).toEqual([PLATFORM_DEFAULT_DENY]);
    const withAdmission = platformNetworkPolicyManifests(settings, { toggles: { vpaAdmissionController: true } });
    expect(policy(withAdmission, 'vpa', 'tenantscale-vpa-admission-controller')).toMatchObject({
      podSelector: { matchLabels: { 'app.kubernetes.io/component': 'admission-controller', 'app.kubernetes.io/instance': 'vpa' } },
      ingress: [{ ports: tcp(8000) }],
    });
  });
});

describe('platform NetworkPolicies follow what the stack installs', () => {
  test('a component off (or installed by someone else) leaves its namespace without policies', () => {
    const specs = platformPolicySpecs(settings, { keda: false, certManager: false, monitoring: false, verticalPodAutoscaler: false }, [80]);
    expect([...new Set(specs.map((s) => s.namespace))]).toEqual(['envoy-gateway-system']);
    // Scrapes are still admitted from the monitoring namespace (a Prometheus installed elsewhere).
    expect(specs.find((s) => s.name === 'tenantscale-envoy-proxies')!.ingress).toEqual([{ ports: [10080] }, { from: [ns('monitoring')], ports: [19001] }]);
  });

  test('the HTTP add-on off drops the interceptor and scaler allows, KEDA\'s stay', () => {
    const names = platformPolicySpecs(settings, { kedaHttpAddon: false }, [80]).filter((s) => s.namespace === 'keda').map((s) => s.name);
    expect(names).toEqual([PLATFORM_DEFAULT_DENY, 'tenantscale-keda-operator', 'tenantscale-keda-metrics-apiserver', 'tenantscale-keda-admission-webhooks']);
  });

  test('listener ports: privileged ports shift by 10000, others are used as they are', () => {
    expect([80, 443, 1023, 1024, 8443].map(envoyContainerPort)).toEqual([10080, 10443, 11023, 1024, 8443]);
  });
});
