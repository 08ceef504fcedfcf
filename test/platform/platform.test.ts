import { resolve } from 'node:path';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import type * as PlatformModule from '../../constructs/platform/platform';
import type { Manifest } from '../../constructs/manifests';
import type { TenantSpec } from '../../tenants/schema';
import { MOCK_GATEWAY_IP, MOCK_KUBECONFIG, MockedRun, RELEASE, byType, registration, release, runWithMocks, valueOf } from './pulumi-mocks';
import { EXAMPLE_TENANTS } from '../example-project';

const ROOT = resolve(__dirname, '../..');
const TENANTS_FILE = EXAMPLE_TENANTS;

interface Built {
  platform: PlatformModule.Platform;
  tenants: TenantSpec[];
  manifests: (spec: TenantSpec) => Manifest[];
  resourceName: (m: Manifest) => string;
}

/** Builds a Platform under mocks with a Kubernetes provider passed through opts. */
function build(args: Partial<PlatformModule.PlatformArgs>): Promise<MockedRun<Built>> {
  return runWithMocks(() => {
    const k8s = require('@pulumi/kubernetes');
    const { Platform } = require('../../constructs/platform/platform') as typeof PlatformModule;
    const { loadTenants } = require('../../tenants/validate');
    const { tenantManifests } = require('../../constructs/manifests');
    const { resourceName } = require('../../constructs/platform/kubernetes-resource');
    const tenants: TenantSpec[] = loadTenants(TENANTS_FILE);
    const provider = new k8s.Provider('test-cluster', { kubeconfig: MOCK_KUBECONFIG });
    const platform = new Platform('tenantscale', { tenants, ...args }, { providers: { kubernetes: provider } });
    return { platform, tenants, manifests: (s: TenantSpec) => tenantManifests(s), resourceName };
  });
}

/** The Pulumi type token of a manifest (`v1` kinds live in the `core` module). */
const typeOf = (m: Manifest) => `kubernetes:${m.apiVersion.includes('/') ? m.apiVersion : `core/${m.apiVersion}`}:${m.kind}`;

describe('Platform on DOKS (defaults)', () => {
  let run: MockedRun<Built>;
  beforeAll(async () => {
    run = await build({});
  });

  test('metrics-server: pinned chart from its repository in kube-system, kubelet TLS verified', () => {
    const r = release(run.resources, 'metrics-server');
    expect(r.inputs).toMatchObject({
      chart: 'metrics-server',
      version: '3.13.1',
      repositoryOpts: { repo: 'https://kubernetes-sigs.github.io/metrics-server/' },
      namespace: 'kube-system',
    });
    expect(r.inputs.values.args).toEqual([]);
  });

  test('KEDA: pinned chart in namespace keda, watching every namespace', () => {
    const r = release(run.resources, 'keda');
    expect(r.inputs).toMatchObject({ chart: 'keda', version: '2.20.2', repositoryOpts: { repo: 'https://kedacore.github.io/charts' }, namespace: 'keda' });
    expect(r.inputs.values).toMatchObject({ crds: { install: true }, watchNamespace: '' });
  });

  test('HTTP add-on: pinned chart in KEDA\'s namespace, installed after KEDA', () => {
    const r = release(run.resources, 'keda-add-ons-http');
    expect(r.inputs).toMatchObject({ chart: 'keda-add-ons-http', version: '0.15.0', repositoryOpts: { repo: 'https://kedacore.github.io/charts' } });
    expect(r.inputs.namespace).toBe(release(run.resources, 'keda').inputs.namespace);
    expect(r.inputs.values.interceptor.replicas).toEqual({ min: 2, max: 10 });
    expect(registration(run.registrations, RELEASE, 'keda-add-ons-http').dependsOn).toContain('tenantscale:platform:Keda::keda');
  });

  test('Envoy Gateway: OCI chart v1.9.0; on DOKS the cluster\'s Gateway API CRDs are used, EG\'s own CRDs come from gateway-crds-helm', () => {
    const eg = release(run.resources, 'eg');
    expect(eg.inputs).toMatchObject({ chart: 'oci://docker.io/envoyproxy/gateway-helm', version: 'v1.9.0', namespace: 'envoy-gateway-system', skipCrds: true });
    expect(eg.inputs.repositoryOpts).toBeUndefined();
    expect(eg.inputs.values.crds).toEqual({ enabled: false });
    const crds = release(run.resources, 'eg-crds');
    expect(crds.inputs).toMatchObject({ chart: 'oci://docker.io/envoyproxy/gateway-crds-helm', version: 'v1.9.0' });
    expect(crds.inputs.values).toEqual({ crds: { gatewayAPI: { enabled: false }, envoyGateway: { enabled: true } } });
    expect(registration(run.registrations, RELEASE, 'envoy-gateway').dependsOn).toEqual([`${RELEASE}::envoy-gateway-crds`]);
  });

  test('VPA: Fairwinds chart 5.0.0, recommender on, updater and admission controller off', () => {
    const r = release(run.resources, 'vpa');
    expect(r.inputs).toMatchObject({ chart: 'vpa', version: '5.0.0', repositoryOpts: { repo: 'https://charts.fairwinds.com/stable' }, namespace: 'vpa' });
    expect(r.inputs.values.recommender.enabled).toBe(true);
    expect(r.inputs.values.updater.enabled).toBe(false);
    expect(r.inputs.values.admissionController.enabled).toBe(false);
  });

  test('kube-prometheus-stack: Prometheus selects monitors and rules in all namespaces; Grafana dashboard sidecar on', () => {
    const r = release(run.resources, 'kube-prometheus-stack');
    expect(r.inputs).toMatchObject({
      chart: 'kube-prometheus-stack',
      version: '88.5.3',
      repositoryOpts: { repo: 'https://prometheus-community.github.io/helm-charts' },
      namespace: 'monitoring',
    });
    expect(r.inputs.values.prometheus.prometheusSpec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
      probeSelectorNilUsesHelmValues: false,
      scrapeConfigSelectorNilUsesHelmValues: false,
    });
    expect(r.inputs.values.grafana.sidecar.dashboards).toEqual({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' });
    // DOKS manages the control plane: nothing to scrape there.
    expect(r.inputs.values.kubeEtcd.enabled).toBe(false);
    expect(r.inputs.values.kubeScheduler.enabled).toBe(false);
  });

  test('the monitoring objects are applied as synthesized (with one budget per tenant), after the chart that installs their CRDs', () => {
    const { monitoringManifests } = require('../../constructs/platform/platform-manifests');
    const expected = (monitoringManifests(DEFAULT_PLATFORM_SETTINGS, { tenants: run.value.tenants }) as Manifest[]).map((m) => `${m.kind}/${m.metadata.name}`);
    const applied = [
      ...byType(run.resources, 'kubernetes:monitoring.coreos.com/v1:PrometheusRule'),
      ...byType(run.resources, 'kubernetes:monitoring.coreos.com/v1:PodMonitor'),
      ...byType(run.resources, 'kubernetes:core/v1:ConfigMap').filter((r) => r.inputs.metadata.labels?.grafana_dashboard === '1'),
    ].map((r) => `${r.inputs.kind}/${r.inputs.metadata.name}`);
    expect(applied.sort()).toEqual([...expected].sort());
    expect(applied).toContain('PrometheusRule/tenantscale-cold-start-budgets-0');
    const budgets = byType(run.resources, 'kubernetes:monitoring.coreos.com/v1:PrometheusRule').find(
      (r) => r.inputs.metadata.name === 'tenantscale-cold-start-budgets-0',
    )!;
    expect(budgets.inputs.spec.groups[0].rules).toHaveLength(run.value.tenants.length);
    for (const [type, name] of [
      ['kubernetes:monitoring.coreos.com/v1:PrometheusRule', 'monitoring-prometheusrule-tenantscale-autoscaling'],
      ['kubernetes:monitoring.coreos.com/v1:PodMonitor', 'monitoring-podmonitor-keda-http-interceptor'],
      ['kubernetes:core/v1:ConfigMap', 'monitoring-configmap-tenantscale-overview-dashboard'],
    ]) {
      expect(registration(run.registrations, type, name).dependsOn).toContain(`${RELEASE}::kube-prometheus-stack`);
    }
  });

  test('kube-state-metrics exports ScaledObject conditions, VPA recommendations, the DOKS node-pool label and the Droplet size', () => {
    const ksm = release(run.resources, 'kube-prometheus-stack').inputs.values['kube-state-metrics'];
    expect(ksm.metricLabelsAllowlist).toEqual(['nodes=[doks.digitalocean.com/node-pool,node.kubernetes.io/instance-type]']);
    expect(ksm.rbac.extraRules).toEqual([
      { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['list', 'watch'] },
      { apiGroups: ['autoscaling.k8s.io'], resources: ['verticalpodautoscalers'], verbs: ['list', 'watch'] },
    ]);
    expect(ksm.customResourceState.config.spec.resources[1].metrics.map((m: any) => [m.name, m.each.gauge.valueFrom])).toEqual([
      ['target_cpu_cores', ['target', 'cpu']],
      ['target_memory_bytes', ['target', 'memory']],
    ]);
    expect(ksm.customResourceState.config.spec.resources[0]).toMatchObject({
      groupVersionKind: { group: 'keda.sh', version: 'v1alpha1', kind: 'ScaledObject' },
      metricNamePrefix: 'tenantscale_scaledobject',
    });
  });

  test('KEDA exposes its metrics with ServiceMonitors, installed after kube-prometheus-stack (their CRD)', () => {
    const r = release(run.resources, 'keda');
    expect(r.inputs.values.prometheus).toEqual({
      operator: { enabled: true, serviceMonitor: { enabled: true } },
      metricServer: { enabled: true, serviceMonitor: { enabled: true } },
    });
    expect(registration(run.registrations, 'tenantscale:platform:Keda', 'keda').dependsOn).toContain(
      'tenantscale:platform:KubePrometheusStack::kube-prometheus-stack',
    );
  });

  test('charts with Helm hooks (EG certgen, kps webhook patch, VPA certgen) are installed with helm.v3.Release', () => {
    const names = byType(run.resources, RELEASE).map((r) => r.inputs.name).sort();
    expect(names).toEqual(['cert-manager', 'eg', 'eg-crds', 'keda', 'keda-add-ons-http', 'kube-prometheus-stack', 'metrics-server', 'vpa']);
    expect(run.resources.filter((r) => r.type === 'kubernetes:helm.sh/v4:Chart')).toEqual([]);
  });

  test('every Kubernetes resource uses the provider passed through opts', () => {
    const k8sResources = run.resources.filter((r) => r.type.startsWith('kubernetes:'));
    expect(k8sResources.length).toBeGreaterThan(40);
    for (const r of k8sResources) expect(r.provider).toMatch(/\$pulumi:providers:kubernetes::test-cluster::test-cluster_id$/);
  });

  test('the Gateway is applied as synthesized: HTTP and wildcard HTTPS listeners, routes only from tenant namespaces, waits until programmed', () => {
    const gw = run.resources.find((r) => r.type === 'kubernetes:gateway.networking.k8s.io/v1:Gateway')!;
    expect(gw.inputs.metadata).toMatchObject({ name: 'tenants', namespace: 'envoy-gateway-system', annotations: { 'pulumi.com/waitFor': 'condition=Programmed' } });
    expect(gw.inputs.spec.listeners).toEqual([
      {
        name: 'http',
        protocol: 'HTTP',
        port: 80,
        allowedRoutes: {
          kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
          namespaces: { from: 'Selector', selector: { matchLabels: { 'tenantscale.io/gateway-access': 'tenant' } } },
        },
      },
      {
        name: 'https',
        protocol: 'HTTPS',
        port: 443,
        hostname: '*.tenants.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'tenant-wildcard-tls' }] },
        allowedRoutes: {
          kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
          namespaces: { from: 'Selector', selector: { matchLabels: { 'tenantscale.io/gateway-access': 'tenant' } } },
        },
      },
    ]);
    const ep = run.resources.find((r) => r.type === 'kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy')!;
    expect(ep.inputs.spec.provider.kubernetes.envoyService.type).toBe('LoadBalancer');
  });

  test('platform objects come after the Envoy Gateway chart and after what they reference', () => {
    const gw = registration(run.registrations, 'kubernetes:gateway.networking.k8s.io/v1:Gateway', 'envoy-gateway-system-gateway-tenants');
    expect(gw.dependsOn).toEqual([
      `${RELEASE}::envoy-gateway`,
      'kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy::envoy-gateway-system-envoyproxy-tenantscale-proxy',
      'kubernetes:gateway.networking.k8s.io/v1:GatewayClass::cluster-gatewayclass-tenantscale',
    ]);
  });

  test('the per-route stats policy is applied as synthesized, after the Envoy Gateway chart (its CRD)', () => {
    const btp = run.resources.find((r) => r.type === 'kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy')!;
    expect(btp.inputs.spec.telemetry).toEqual({ metrics: { routeStatName: '%ROUTE_NAMESPACE%/%ROUTE_NAME%' } });
    const reg = registration(
      run.registrations,
      'kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy',
      'envoy-gateway-system-backendtrafficpolicy-tenantscale-route-stats',
    );
    expect(reg.dependsOn).toContain(`${RELEASE}::envoy-gateway`);
  });

  test('one resource per synthesized tenant object, with exactly the synthesized content', () => {
    const { tenants, manifests, resourceName } = run.value;
    expect(tenants.map((t) => t.name)).toEqual(['ahmed', 'fatima', 'openclaw', 'invoices', 'nightly-report', 'embeddings']);
    for (const spec of tenants) {
      const objects = manifests(spec);
      const children = run.registrations.filter((r) => r.parent === `tenantscale:platform:TenantWorkloads::tenant-${spec.name}`);
      expect(children).toHaveLength(objects.length);
      for (const m of objects) {
        const applied = run.resources.filter((r) => r.type === typeOf(m) && r.name === resourceName(m));
        expect(applied).toHaveLength(1);
        expect(applied[0].inputs).toEqual(m);
      }
    }
  });

  test('Deployments ignore spec.replicas (KEDA owns it); nothing else ignores changes', () => {
    const deployments = run.registrations.filter((r) => r.type === 'kubernetes:apps/v1:Deployment');
    expect(deployments.map((d) => d.name).sort()).toEqual([
      'tenant-ahmed-deployment-ahmed',
      'tenant-embeddings-deployment-embeddings',
      'tenant-fatima-deployment-fatima',
      'tenant-invoices-deployment-invoices',
      'tenant-nightly-report-deployment-nightly-report',
      'tenant-openclaw-deployment-openclaw',
    ]);
    for (const d of deployments) expect(d.opts.ignoreChanges).toEqual(['spec.replicas']);
    const others = run.registrations.filter((r) => r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:apps/v1:Deployment');
    for (const o of others) expect(o.opts.ignoreChanges).toBeUndefined();
  });

  test('custom resources depend on the components installing their CRDs and on the tenant\'s Deployment and Service', () => {
    const deps = (type: string, name: string) => registration(run.registrations, type, name).dependsOn;
    const ir = deps('kubernetes:http.keda.sh/v1beta1:InterceptorRoute', 'tenant-ahmed-interceptorroute-ahmed');
    expect(ir).toEqual(expect.arrayContaining([
      'tenantscale:platform:KedaHttpAddon::keda-add-ons-http',
      'kubernetes:apps/v1:Deployment::tenant-ahmed-deployment-ahmed',
      'kubernetes:core/v1:Service::tenant-ahmed-service-ahmed',
      'kubernetes:core/v1:Namespace::cluster-namespace-tenant-ahmed',
    ]));
    expect(deps('kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler', 'tenant-ahmed-verticalpodautoscaler-ahmed')).toContain('tenantscale:platform:VerticalPodAutoscaler::vpa');
    expect(deps('kubernetes:monitoring.coreos.com/v1:ServiceMonitor', 'tenant-ahmed-servicemonitor-ahmed')).toContain('tenantscale:platform:KubePrometheusStack::kube-prometheus-stack');
    const route = deps('kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'tenant-ahmed-httproute-ahmed');
    expect(route).toEqual(expect.arrayContaining([
      'tenantscale:platform:EnvoyGateway::envoy-gateway',
      'tenantscale:platform:KedaHttpAddon::keda-add-ons-http',
      'kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant::keda-referencegrant-tenant-ahmed',
      // the interceptor knows the hosts before the Gateway sends them (it answers 404 otherwise)
      'kubernetes:http.keda.sh/v1beta1:InterceptorRoute::tenant-ahmed-interceptorroute-ahmed',
    ]));
    // the ScaledObject after the InterceptorRoute it names (else KEDA's HPA falls back to CPU)
    expect(deps('kubernetes:keda.sh/v1alpha1:ScaledObject', 'tenant-ahmed-scaledobject-ahmed')).toEqual(expect.arrayContaining([
      'tenantscale:platform:Keda::keda',
      'kubernetes:http.keda.sh/v1beta1:InterceptorRoute::tenant-ahmed-interceptorroute-ahmed',
    ]));
    expect(run.registrations.some((r) => r.type === 'kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject')).toBe(false);
  });

  test('every kind of tenant is registered, each custom resource after the chart installing its CRD', () => {
    const deps = (type: string, name: string) => registration(run.registrations, type, name).dependsOn;
    // queue: a ScaledObject with a Kafka trigger and its TriggerAuthentication, both after KEDA
    expect(deps('kubernetes:keda.sh/v1alpha1:TriggerAuthentication', 'tenant-invoices-triggerauthentication-invoices-0')).toContain('tenantscale:platform:Keda::keda');
    expect(deps('kubernetes:keda.sh/v1alpha1:ScaledObject', 'tenant-invoices-scaledobject-invoices')).toEqual(expect.arrayContaining([
      'tenantscale:platform:Keda::keda',
      'kubernetes:keda.sh/v1alpha1:TriggerAuthentication::tenant-invoices-triggerauthentication-invoices-0',
    ]));
    // scheduled: a cron ScaledObject
    expect(deps('kubernetes:keda.sh/v1alpha1:ScaledObject', 'tenant-nightly-report-scaledobject-nightly-report')).toContain('tenantscale:platform:Keda::keda');
    // service: an HPA and a PDB (built-in kinds) after the Deployment
    expect(deps('kubernetes:autoscaling/v2:HorizontalPodAutoscaler', 'tenant-embeddings-horizontalpodautoscaler-embeddings')).toContain(
      'kubernetes:apps/v1:Deployment::tenant-embeddings-deployment-embeddings',
    );
    expect(deps('kubernetes:policy/v1:PodDisruptionBudget', 'tenant-embeddings-poddisruptionbudget-embeddings')).toContain(
      'kubernetes:apps/v1:Deployment::tenant-embeddings-deployment-embeddings',
    );
    // stateful: the ScaledObject after its InterceptorRoute, which comes after the add-on
    expect(deps('kubernetes:keda.sh/v1alpha1:ScaledObject', 'tenant-openclaw-scaledobject-openclaw')).toContain(
      'kubernetes:http.keda.sh/v1beta1:InterceptorRoute::tenant-openclaw-interceptorroute-openclaw',
    );
    // no route or InterceptorRoute for queue and scheduled tenants
    for (const t of ['invoices', 'nightly-report']) {
      expect(run.registrations.filter((r) => r.name.startsWith(`tenant-${t}-`) && /Route/.test(r.type))).toEqual([]);
    }
  });

  test('removal order: namespace last, workloads before it, autoscaling objects before the workloads', () => {
    const ns = registration(run.registrations, 'kubernetes:core/v1:Namespace', 'cluster-namespace-tenant-fatima');
    expect(ns.dependsOn).toEqual([]);
    const tenantChildren = run.registrations.filter((r) => r.parent === 'tenantscale:platform:TenantWorkloads::tenant-fatima' && r !== ns);
    for (const child of tenantChildren) expect(child.dependsOn).toContain('kubernetes:core/v1:Namespace::cluster-namespace-tenant-fatima');
    const deployment = registration(run.registrations, 'kubernetes:apps/v1:Deployment', 'tenant-fatima-deployment-fatima');
    expect(deployment.dependsOn).toEqual(expect.arrayContaining([
      'kubernetes:core/v1:ResourceQuota::tenant-fatima-resourcequota-fatima',
      'kubernetes:networking.k8s.io/v1:NetworkPolicy::tenant-fatima-networkpolicy-fatima',
    ]));
  });

  test('outputs: the Gateway address and each tenant\'s URLs', async () => {
    expect(await valueOf(run.value.platform.gatewayAddress)).toBe(MOCK_GATEWAY_IP);
    expect(run.value.platform.tenantUrls).toEqual({
      ahmed: ['https://ahmed.tenants.example.com/'],
      fatima: ['https://fatima.tenants.example.com/', 'https://assistant.fatima.example.org/'],
      openclaw: ['https://openclaw.tenants.example.com/'],
      invoices: [],
      'nightly-report': [],
      embeddings: [],
    });
  });
});

describe('Platform on a local cluster (kubeconfig mode)', () => {
  let run: MockedRun<Built>;
  beforeAll(async () => {
    run = await build({ mode: 'kubeconfig' });
  });

  test('metrics-server skips kubelet TLS verification', () => {
    expect(release(run.resources, 'metrics-server').inputs.values.args).toEqual(['--kubelet-insecure-tls']);
  });

  test('no cloud load balancer: the proxies are a ClusterIP Service and the Gateway is not awaited', () => {
    const ep = run.resources.find((r) => r.type === 'kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy')!;
    expect(ep.inputs.spec.provider.kubernetes.envoyService).toEqual({ type: 'ClusterIP' });
    const gw = run.resources.find((r) => r.type === 'kubernetes:gateway.networking.k8s.io/v1:Gateway')!;
    expect(gw.inputs.metadata.annotations).toBeUndefined();
  });

  test('the Envoy Gateway chart installs the Gateway API CRDs itself; no separate CRD release', () => {
    const eg = release(run.resources, 'eg');
    expect(eg.inputs.values.crds).toEqual({ enabled: true });
    expect(eg.inputs.skipCrds).toBe(false);
    expect(byType(run.resources, RELEASE).map((r) => r.inputs.name)).not.toContain('eg-crds');
  });

  test('the control plane is scraped (it is not managed)', () => {
    expect(release(run.resources, 'kube-prometheus-stack').inputs.values.kubeEtcd.enabled).toBe(true);
  });
});

describe('Platform toggles', () => {
  test('monitoring off: no kube-prometheus-stack, no alerts, and no tenant ServiceMonitor (its CRD would be missing)', async () => {
    const run = await build({ monitoring: { enabled: false } });
    expect(byType(run.resources, RELEASE).map((r) => r.inputs.name)).not.toContain('kube-prometheus-stack');
    expect(byType(run.resources, 'kubernetes:monitoring.coreos.com/v1:ServiceMonitor')).toEqual([]);
    expect(byType(run.resources, 'kubernetes:monitoring.coreos.com/v1:PrometheusRule')).toEqual([]);
    expect(release(run.resources, 'keda').inputs.values.prometheus.operator.serviceMonitor).toEqual({ enabled: false });
    // everything else of the tenant is still applied
    expect(byType(run.resources, 'kubernetes:http.keda.sh/v1beta1:InterceptorRoute')).toHaveLength(3);
  });

  test('VPA off: no VPA chart and no tenant VerticalPodAutoscaler', async () => {
    const run = await build({ verticalPodAutoscaler: { enabled: false } });
    expect(byType(run.resources, RELEASE).map((r) => r.inputs.name)).not.toContain('vpa');
    expect(byType(run.resources, 'kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler')).toEqual([]);
    expect(byType(run.resources, 'kubernetes:monitoring.coreos.com/v1:ServiceMonitor')).toHaveLength(6);
  });

  test('the VPA updater and admission controller run only when configured', async () => {
    const run = await build({ verticalPodAutoscaler: { updater: true, admissionController: true } });
    const values = release(run.resources, 'vpa').inputs.values;
    expect(values.updater.enabled).toBe(true);
    expect(values.admissionController).toEqual({ enabled: true, generateCertificate: true });
  });

  test('a chart version override reaches the release', async () => {
    const run = await build({ keda: { version: '2.20.1' } });
    expect(release(run.resources, 'keda').inputs.version).toBe('2.20.1');
  });

  test('the HTTP add-on without KEDA is refused before anything is registered', async () => {
    await expect(build({ keda: { enabled: false } })).rejects.toThrow(/kedaHttpAddon\.enabled = true requires keda\.enabled = true/);
  });

  test('the HTTP add-on with KEDA installed elsewhere is accepted when the add-on is off too', async () => {
    const run = await build({ keda: { enabled: false }, kedaHttpAddon: { enabled: false } });
    expect(byType(run.resources, RELEASE).map((r) => r.inputs.name)).not.toContain('keda');
  });
});

describe('tenant Secrets from Pulumi secret config', () => {
  let run: MockedRun<Built>;
  beforeAll(async () => {
    run = await build({ tenantSecrets: { openclaw: { 'openclaw-whatsapp': { token: 'not-a-real-token' } } } });
  });

  test('the referenced Secret is created in the tenant namespace, its value kept secret', () => {
    const secrets = run.resources.filter((r) => r.type === 'kubernetes:core/v1:Secret');
    expect(secrets).toHaveLength(1);
    expect(secrets[0].name).toBe('tenant-openclaw-secret-openclaw-whatsapp');
    expect(secrets[0].inputs.metadata).toMatchObject({ name: 'openclaw-whatsapp', namespace: 'tenant-openclaw' });
    expect(secrets[0].inputs.type).toBe('Opaque');
    // Serialized as a secret (Pulumi's secret signature), so it is encrypted in the state.
    expect(secrets[0].inputs.stringData).toEqual({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: { token: 'not-a-real-token' } });
  });

  test('the Deployment starts after its Secret exists; the Secret after the namespace', () => {
    const dep = registration(run.registrations, 'kubernetes:apps/v1:Deployment', 'tenant-openclaw-deployment-openclaw');
    expect(dep.dependsOn).toContain('kubernetes:core/v1:Secret::tenant-openclaw-secret-openclaw-whatsapp');
    const secret = registration(run.registrations, 'kubernetes:core/v1:Secret', 'tenant-openclaw-secret-openclaw-whatsapp');
    expect(secret.dependsOn).toEqual(['kubernetes:core/v1:Namespace::cluster-namespace-tenant-openclaw']);
  });

  test('secretReferences lists what a tenant\'s env reads', () => {
    const { secretReferences } = require('../../constructs/platform/tenant-workloads');
    const openclaw = run.value.tenants.find((t) => t.name === 'openclaw')!;
    expect(secretReferences(openclaw)).toEqual([{ secret: 'openclaw-whatsapp', key: 'token', use: 'env WHATSAPP_TOKEN' }]);
    expect(secretReferences(run.value.tenants[0])).toEqual([]);
  });
});

describe('platformArgsProblems', () => {
  const { platformArgsProblems } = require('../../constructs/platform/platform') as typeof PlatformModule;
  const { loadTenants } = require('../../tenants/validate');
  const tenants: TenantSpec[] = loadTenants(TENANTS_FILE);

  test('accepts the defaults and a consistent set of toggles', () => {
    expect(platformArgsProblems({ tenants })).toEqual([]);
    expect(platformArgsProblems({ tenants, keda: { enabled: false }, kedaHttpAddon: { enabled: false } })).toEqual([]);
  });

  test('refuses the HTTP add-on without KEDA, naming both keys and the fix', () => {
    const [problem] = platformArgsProblems({ tenants, keda: { enabled: false } });
    expect(problem).toMatch(/^kedaHttpAddon\.enabled = true requires keda\.enabled = true .*fix: enable keda/);
  });

  test('refuses a tenant listed twice', () => {
    expect(platformArgsProblems({ tenants: [tenants[0], tenants[0]] })).toEqual([
      'tenants: "ahmed" appears twice; allowed: each tenant once; fix: remove the duplicate',
    ]);
  });
});
