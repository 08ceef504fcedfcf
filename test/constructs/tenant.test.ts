import { parse, parseAllDocuments } from 'yaml';
import { Manifest, tenantManifests, toYaml } from '../../constructs/manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../../constructs/platform-settings';
import { tenantMaxPods } from '../../constructs/tenant';
import { BLOCKED_EGRESS_CIDRS } from '../../constructs/tenant-guardrails';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsDocument } from '../../tenants/validate';

function spec(overrides: Record<string, unknown> = {}): TenantSpec {
  const result = validateTenantsDocument({
    tenants: [
      {
        name: 'ahmed',
        hosts: ['ahmed.example.com', 'chat.ahmed.example.org'],
        image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
        port: 9898,
        probes: { readiness: '/readyz', liveness: '/healthz' },
        metrics: { path: '/metrics' },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '0.5', memory: '1G' } },
        scaling: { min: 0, max: 3, scaledownPeriod: 600, metric: { requestRate: { target: 10, window: '30s', granularity: '1s' } } },
        coldStartBudget: 45,
        responseTimeout: 20,
        env: { LOG_LEVEL: 'debug', WORKERS: '4', OPENAI_API_KEY: { secret: 'openai', key: 'api-key' } },
        labels: { plan: 'gold' },
        runAsUser: 10001,
        // Plain HTTP: one HTTPRoute on the HTTP listener (HTTPS: test/constructs/tenant-tls.test.ts).
        tls: false,
        ...overrides,
      },
    ],
  });
  expect(result.problems).toEqual([]);
  return result.tenants[0];
}

function byKind(objects: Manifest[], kind: string): any {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('Tenant construct', () => {
  const objects = tenantManifests(spec());
  const ns = byKind(objects, 'Namespace');
  const deployment = byKind(objects, 'Deployment');
  const container = deployment.spec.template.spec.containers[0];
  const service = byKind(objects, 'Service');
  const ir = byKind(objects, 'InterceptorRoute');
  const so = byKind(objects, 'ScaledObject');
  const route = byKind(objects, 'HTTPRoute');
  const grant = byKind(objects, 'ReferenceGrant');

  test('stamps exactly the per-tenant objects', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'Deployment',
      'Service',
      'InterceptorRoute',
      'HTTPRoute',
      'BackendTrafficPolicy',
      'ReferenceGrant',
      'ScaledObject',
      'VerticalPodAutoscaler',
      'ServiceMonitor',
    ]);
    for (const o of objects.filter((x) => x.kind !== 'Namespace' && x.kind !== 'ReferenceGrant')) {
      expect([o.kind, o.metadata.namespace]).toEqual([o.kind, 'tenant-ahmed']);
      expect([o.kind, o.metadata.name]).toEqual([o.kind, 'ahmed']);
    }
  });

  test('the pod template keeps the label cdk8s-plus wrote (a new value would roll every tenant)', () => {
    expect(deployment.spec.template.metadata.labels['cdk8s.io/metadata.addr']).toBe('ahmed-tenant-deployment-c8027cd4');
    expect(deployment.spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'ahmed', 'tenantscale.io/tenant': 'ahmed' },
    });
  });

  test('namespace: tenant-<name>, Pod Security restricted, the Gateway label, ownership and extra labels', () => {
    expect(ns.metadata.name).toBe('tenant-ahmed');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      [DEFAULT_PLATFORM_SETTINGS.tenantNamespaceLabel.key]: DEFAULT_PLATFORM_SETTINGS.tenantNamespaceLabel.value,
      'app.kubernetes.io/managed-by': 'tenantscale',
      'tenantscale.io/tenant': 'ahmed',
      plan: 'gold',
    });
  });

  test('deployment: no spec.replicas, the autoscaler owns it', () => {
    expect(deployment.spec).not.toHaveProperty('replicas');
  });

  test('deployment: image, pull policy, port, probes, env, resources exactly as written', () => {
    expect(container.image).toBe('ghcr.io/stefanprodan/podinfo:6.7.1');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.ports).toEqual([{ containerPort: 9898, name: 'http' }]);
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 9898 });
    expect(container.readinessProbe.periodSeconds).toBe(1);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 9898 });
    expect(container.startupProbe).toMatchObject({ tcpSocket: { port: 9898 }, periodSeconds: 1, failureThreshold: 45 });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '0.5', memory: '1G' } });
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'WORKERS', value: '4' },
      { name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'openai', key: 'api-key' } } },
    ]);
  });

  test('deployment: restricted security context, no service-account token', () => {
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(deployment.spec.strategy.type).toBe('RollingUpdate');
  });

  test('service selects the deployment pods', () => {
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 9898, targetPort: 9898 }]);
    expect(Object.keys(service.spec.selector).length).toBeGreaterThan(0);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
  });

  test('InterceptorRoute: the Service and port, the hosts, the metric with an explicit target, readiness = cold-start budget', () => {
    expect(ir.apiVersion).toBe('http.keda.sh/v1beta1');
    expect(ir.spec.target).toEqual({ service: service.metadata.name, port: service.spec.ports[0].port });
    expect(ir.spec.rules).toEqual([{ hosts: ['ahmed.example.com', 'chat.ahmed.example.org'] }]);
    expect(ir.spec.scalingMetric).toEqual({ requestRate: { targetValue: 10, window: '30s', granularity: '1s' } });
    // readiness 45 s (budget), response header 20 s, the whole request 65 s (inside the route's 70 s)
    expect(ir.spec.timeouts).toEqual({ readiness: '45s', responseHeader: '20s', request: '65s' });
    expect(ir.spec.coldStart).toBeUndefined();
  });

  test('ScaledObject: the Deployment, min/max, cooldown = scaledownPeriod, external-push naming the InterceptorRoute', () => {
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name },
      minReplicaCount: 0,
      maxReplicaCount: 3,
      cooldownPeriod: 600,
      triggers: [
        {
          type: 'external-push',
          metadata: { scalerAddress: 'keda-add-ons-http-external-scaler.keda:9090', interceptorRoute: ir.metadata.name },
        },
      ],
    });
    expect(objects.some((o) => o.kind === 'HTTPScaledObject')).toBe(false);
  });

  test('concurrency metric', () => {
    const o = tenantManifests(spec({ scaling: { max: 2, metric: { concurrency: { target: 7 } } } }));
    expect(byKind(o, 'InterceptorRoute').spec.scalingMetric).toEqual({ concurrency: { targetValue: 7 } });
  });

  test('coldStart: placeholder response and fallback Service; the fallback port is admitted for the interceptor', () => {
    const o = tenantManifests(
      spec({
        coldStart: {
          placeholder: { statusCode: 503, body: '<p>waking up</p>', headers: { 'Retry-After': '5' } },
          fallback: { service: 'static-page', port: 8081 },
        },
      }),
    );
    expect(byKind(o, 'InterceptorRoute').spec.coldStart).toEqual({
      placeholder: { response: { statusCode: 503, body: '<p>waking up</p>', headers: { 'Retry-After': '5' } } },
      fallback: { service: { name: 'static-page', port: 8081 } },
    });
    expect(byKind(o, 'NetworkPolicy').spec.ingress[0].ports).toEqual([
      { port: 9898, protocol: 'TCP' },
      { port: 8081, protocol: 'TCP' },
    ]);
  });

  test('warm windows: a cron trigger in the same ScaledObject, after the HTTP trigger', () => {
    const o = tenantManifests(spec({ warm: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:30', to: '18:00', timezone: 'Europe/Berlin', replicas: 1 }] }));
    expect(byKind(o, 'ScaledObject').spec.triggers).toEqual([
      expect.objectContaining({ type: 'external-push' }),
      { type: 'cron', metadata: { timezone: 'Europe/Berlin', start: '30 8 * * 1,2,3,4,5', end: '0 18 * * 1,2,3,4,5', desiredReplicas: '1' } },
    ]);
  });

  test('migration mode keeps the HTTPScaledObject for one deploy, annotated to orphan its ScaledObject', () => {
    const o = tenantManifests(spec(), { ...DEFAULT_PLATFORM_SETTINGS, httpScaledObjectMigration: true });
    const hso = byKind(o, 'HTTPScaledObject');
    expect(hso.metadata.annotations).toEqual({ 'httpscaledobject.keda.sh/orphan-scaledobject': 'true' });
    expect(hso.metadata.name).toBe(byKind(o, 'InterceptorRoute').metadata.name);
    expect(o.map((x) => x.kind).indexOf('HTTPScaledObject')).toBeLessThan(o.map((x) => x.kind).indexOf('ScaledObject'));
  });

  test('HTTPRoute: the shared Gateway, the hosts, the interceptor, a timeout covering the cold start', () => {
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'tenants', namespace: 'envoy-gateway-system', sectionName: 'http' },
    ]);
    expect(route.spec.hostnames).toEqual(ir.spec.rules[0].hosts);
    const rule = route.spec.rules[0];
    expect(rule.backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'keda-add-ons-http-interceptor-proxy', namespace: 'keda', port: 8080 },
    ]);
    // cold-start budget 45 s + response timeout 20 s + 5 s margin; never Envoy Gateway's 15 s default
    expect(rule.timeouts).toEqual({ request: '70s', backendRequest: '70s' });
  });

  test('ReferenceGrant admits exactly this tenant route to exactly the interceptor Service', () => {
    expect(grant.metadata.namespace).toBe(route.spec.rules[0].backendRefs[0].namespace);
    expect(grant.spec.from).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: route.metadata.namespace }]);
    expect(grant.spec.to).toEqual([{ group: '', kind: 'Service', name: route.spec.rules[0].backendRefs[0].name }]);
  });

  test('ResourceQuota: (max + rollout surge) × requests and limits, no load balancers', () => {
    const quota = byKind(objects, 'ResourceQuota');
    expect(tenantMaxPods(spec())).toBe(4);
    expect(quota.spec.hard).toEqual({
      pods: '4',
      'requests.cpu': '400m',
      'requests.memory': '512Mi',
      'limits.cpu': '2',
      'limits.memory': '4G',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
      // No volumes: no claim may be created by hand.
      persistentvolumeclaims: '0',
      'requests.storage': '0',
    });
  });

  test('stateful tenants: Recreate strategy, quota without surge', () => {
    const o = tenantManifests(spec({ stateful: true, scaling: { min: 1, max: 1, metric: { concurrency: { target: 5 } } } }));
    expect(byKind(o, 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
    for (const x of o) expect([x.kind, x.metadata.labels?.['tenantscale.io/stateful']]).toEqual([x.kind, 'true']);
    expect(byKind(o, 'Deployment').spec.template.metadata.labels['tenantscale.io/stateful']).toBe('true');
    expect(objects.some((x) => x.metadata.labels?.['tenantscale.io/stateful'] !== undefined)).toBe(false);
    expect(byKind(o, 'ResourceQuota').spec.hard.pods).toBe('1');
    expect(byKind(o, 'ScaledObject').spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 1 });
    // KEDA's webhook calls cooldownPeriod irrelevant when the workload never reaches zero
    expect(byKind(o, 'ScaledObject').spec.cooldownPeriod).toBeUndefined();
  });

  test('LimitRange defaults come from the tenant resources', () => {
    expect(byKind(objects, 'LimitRange').spec.limits).toEqual([
      { type: 'Container', default: { cpu: '0.5', memory: '1G' }, defaultRequest: { cpu: '100m', memory: '128Mi' } },
    ]);
  });

  test('NetworkPolicy: ingress only from the interceptor pods and monitoring; egress DNS and internet, not tenants', () => {
    const np = byKind(objects, 'NetworkPolicy');
    // every pod of the namespace, not only the app's: a pod added by hand is denied too
    expect(np.spec.podSelector).toEqual({});
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const from = np.spec.ingress.map((r: any) => r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
    expect(from).toEqual(['keda', 'monitoring']);
    // the interceptor dials the Service (routing.go:118-132): its pods, not all of the keda namespace
    expect(np.spec.ingress[0].from[0].podSelector).toEqual({
      matchLabels: { 'app.kubernetes.io/component': 'interceptor', 'app.kubernetes.io/name': 'http-add-on' },
    });
    expect(np.spec.ingress[0].ports).toEqual([{ port: 9898, protocol: 'TCP' }]);
    expect(np.spec.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    expect(np.spec.egress[1].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: BLOCKED_EGRESS_CIDRS } }]);
    expect(BLOCKED_EGRESS_CIDRS).toContain('10.0.0.0/8');
    expect(BLOCKED_EGRESS_CIDRS).toContain('169.254.0.0/16');
  });

  test('VPA in recommendation mode with the tenant bounds', () => {
    const vpa = byKind(objects, 'VerticalPodAutoscaler');
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Off' });
    expect(vpa.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ahmed' });
    expect(vpa.spec.resourcePolicy.containerPolicies[0]).toMatchObject({
      containerName: 'app',
      minAllowed: { cpu: '10m', memory: '32Mi' },
      maxAllowed: { cpu: '2', memory: '4Gi' },
    });
  });

  test('ServiceMonitor scrapes the metrics path of the service; none without metrics', () => {
    const sm = byKind(objects, 'ServiceMonitor');
    expect(sm.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    const withoutMetrics = tenantManifests(spec({ metrics: undefined }));
    expect(withoutMetrics.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
  });

  test('no ServiceMonitor or VPA where the cluster does not serve them', () => {
    const o = tenantManifests(spec(), { ...DEFAULT_PLATFORM_SETTINGS, serviceMonitors: false, verticalPodAutoscalers: false });
    expect(o.map((x) => x.kind)).not.toContain('ServiceMonitor');
    expect(o.map((x) => x.kind)).not.toContain('VerticalPodAutoscaler');
    expect(o).toHaveLength(objects.length - 2);
  });

  test('platform settings are read, not hard-coded', () => {
    const settings: PlatformSettings = {
      ...DEFAULT_PLATFORM_SETTINGS,
      gateway: { name: 'edge', namespace: 'gw', listener: 'web' },
      interceptor: { service: 'interceptor', namespace: 'http-addon', port: 9000 },
    };
    const o = tenantManifests(spec(), settings);
    const r = byKind(o, 'HTTPRoute');
    expect(r.spec.parentRefs[0]).toMatchObject({ name: 'edge', namespace: 'gw', sectionName: 'web' });
    expect(r.spec.rules[0].backendRefs[0]).toMatchObject({ name: 'interceptor', namespace: 'http-addon', port: 9000 });
    expect(byKind(o, 'ReferenceGrant').metadata.namespace).toBe('http-addon');
  });

  test('deterministic: the same spec gives the same bytes', () => {
    expect(toYaml(tenantManifests(spec()))).toBe(toYaml(tenantManifests(spec())));
  });
});

describe('YAML output', () => {
  test('YAML-1.1-ambiguous strings stay strings for kubectl and every GitOps tool', () => {
    const tricky = ['on', 'off', 'yes', 'no', 'y', 'n', 'true', 'null', '~', '0755', '1e3', '12:30', '0x1F', '.5', ''];
    const text = toYaml([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: Object.fromEntries(tricky.map((t, i) => [`k${i}`, t])) }]);
    for (const version of ['1.1', '1.2'] as const) {
      const back = parse(text, { version });
      expect(Object.values(back.data)).toEqual(tricky);
    }
  });

  test('multi-document stream, one object per document, round-trips', () => {
    const objects = tenantManifests(spec());
    const docs = parseAllDocuments(toYaml(objects), { version: '1.1' });
    expect(docs.map((d) => d.toJS())).toEqual(JSON.parse(JSON.stringify(objects)));
  });
});
