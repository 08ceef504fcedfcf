import { decodeConfigValue, parseStackConfig, StackConfigError } from '../../infra/config';
import { checkTenantSecrets } from '../../infra/tenant-references';

const BASE = { region: 'fra1' };

/** The problems parseStackConfig reports for `raw` (merged over a valid base). */
function problemsOf(raw: Record<string, unknown>, hasToken = true) {
  try {
    parseStackConfig({ ...BASE, ...raw }, hasToken);
  } catch (err) {
    if (err instanceof StackConfigError) return err.problems;
    throw err;
  }
  return [];
}

const pool = (over: Record<string, unknown> = {}) => ({ name: 'default', size: 's-2vcpu-4gb', min: 1, max: 5, ...over });

// [what, bad raw config, key named in the error, good raw config, how the good value reads back]
const CASES: [string, Record<string, unknown>, string, Record<string, unknown>, (c: any) => unknown, unknown][] = [
  ['clusterMode', { clusterMode: 'eks' }, 'tenantscale:clusterMode', { clusterMode: 'kubeconfig' }, (c) => c.clusterMode, 'kubeconfig'],
  ['limits.maxTenants', { limits: { maxTenants: 0 } }, 'tenantscale:limits.maxTenants', { limits: { maxTenants: 120_000 } }, (c) => c.limits.maxTenants, 120_000],
  ['tls.tenantDomain', { tls: { tenantDomain: 'https://tenants.example.com' } }, 'tenantscale:tls.tenantDomain', { tls: { tenantDomain: 'apps.acme.io' } }, (c) => c.tls.tenantDomain, 'apps.acme.io'],
  ['tls.email', { tls: { email: 'ops at example' } }, 'tenantscale:tls.email', { tls: { email: 'ops@acme.io' } }, (c) => c.tls, { enabled: true, tenantDomain: 'tenants.example.com', email: 'ops@acme.io', environment: 'production' }],
  ['tls.environment', { tls: { environment: 'prod' } }, 'tenantscale:tls.environment', { tls: { environment: 'staging' } }, (c) => c.tls.environment, 'staging'],
  ['components.certManager.version', { components: { certManager: { version: '1.21' } } }, 'tenantscale:components.certManager.version', { components: { certManager: { enabled: false } } }, (c) => c.components.certManager, { enabled: false, version: 'v1.21.1' }],
  ['clusterName', { clusterName: 'Tenant_Scale' }, 'tenantscale:clusterName', { clusterName: 'tenantscale-prod' }, (c) => c.clusterName, 'tenantscale-prod'],
  ['region', { region: 'us-east-1' }, 'tenantscale:region', { region: 'nyc3' }, (c) => c.region, 'nyc3'],
  ['region required in doks mode', { region: undefined }, 'tenantscale:region', { region: 'sgp1' }, (c) => c.region, 'sgp1'],
  ['kubernetesVersionPrefix format', { kubernetesVersionPrefix: '1.35' }, 'tenantscale:kubernetesVersionPrefix', { kubernetesVersionPrefix: '1.34.' }, (c) => c.kubernetesVersionPrefix, '1.34.'],
  ['kubernetesVersionPrefix range', { kubernetesVersionPrefix: '1.31.' }, 'tenantscale:kubernetesVersionPrefix', { kubernetesVersionPrefix: '1.36.' }, (c) => c.kubernetesVersionPrefix, '1.36.'],
  ['ha', { ha: 'no' }, 'tenantscale:ha', { ha: true }, (c) => c.ha, true],
  ['autoUpgrade', { autoUpgrade: 1 }, 'tenantscale:autoUpgrade', { autoUpgrade: false }, (c) => c.autoUpgrade, false],
  ['maintenanceWindow.day', { maintenanceWindow: { day: 'Sunday' } }, 'tenantscale:maintenanceWindow.day', { maintenanceWindow: { day: 'any' } }, (c) => c.maintenanceWindow, { day: 'any', startTime: '04:00' }],
  ['maintenanceWindow.startTime', { maintenanceWindow: { startTime: '4am' } }, 'tenantscale:maintenanceWindow.startTime', { maintenanceWindow: { startTime: '23:30' } }, (c) => c.maintenanceWindow.startTime, '23:30'],
  ['clusterAutoscaler.scaleDownUtilizationThreshold', { clusterAutoscaler: { scaleDownUtilizationThreshold: 1.5 } }, 'tenantscale:clusterAutoscaler.scaleDownUtilizationThreshold', { clusterAutoscaler: { scaleDownUtilizationThreshold: 0.65 } }, (c) => c.clusterAutoscaler.scaleDownUtilizationThreshold, 0.65],
  ['clusterAutoscaler.scaleDownUnneededTime', { clusterAutoscaler: { scaleDownUnneededTime: '10 minutes' } }, 'tenantscale:clusterAutoscaler.scaleDownUnneededTime', { clusterAutoscaler: { scaleDownUnneededTime: '5m' } }, (c) => c.clusterAutoscaler.scaleDownUnneededTime, '5m'],
  ['clusterAutoscaler.expanders', { clusterAutoscaler: { expanders: ['cheapest'] } }, 'tenantscale:clusterAutoscaler.expanders[0]', { clusterAutoscaler: { expanders: ['least-waste', 'random'] } }, (c) => c.clusterAutoscaler.expanders, ['least-waste', 'random']],
  ['nodePools non-empty', { nodePools: [] }, 'tenantscale:nodePools', { nodePools: [pool()] }, (c) => c.nodePools.length, 1],
  ['nodePools[].name', { nodePools: [pool({ name: 'Default Pool' })] }, 'tenantscale:nodePools[0].name', { nodePools: [pool({ name: 'general' })] }, (c) => c.nodePools[0].name, 'general'],
  ['nodePools[].size', { nodePools: [pool({ size: '2 vCPU' })] }, 'tenantscale:nodePools[0].size', { nodePools: [pool({ size: 's-4vcpu-8gb' })] }, (c) => c.nodePools[0].size, 's-4vcpu-8gb'],
  ['nodePools[].min', { nodePools: [pool({ min: 0 })] }, 'tenantscale:nodePools[0].min', { nodePools: [pool({ min: 2 })] }, (c) => c.nodePools[0].min, 2],
  ['an extra pool may be empty (min 0), not below', { nodePools: [pool(), pool({ name: 'memory', min: -1 })] }, 'tenantscale:nodePools[1].min', { nodePools: [pool(), pool({ name: 'memory', min: 0 })] }, (c) => c.nodePools[1].min, 0],
  ['nodePools[].max ≥ min', { nodePools: [pool({ min: 3, max: 2 })] }, 'tenantscale:nodePools[0].max', { nodePools: [pool({ min: 3, max: 3 })] }, (c) => c.nodePools[0].max, 3],
  ['nodePools[].max ≤ 100', { nodePools: [pool({ max: 500 })] }, 'tenantscale:nodePools[0].max', { nodePools: [pool({ max: 100 })] }, (c) => c.nodePools[0].max, 100],
  ['nodePools[].labels', { nodePools: [pool({ labels: { 'bad key!': 'x' } })] }, 'tenantscale:nodePools[0].labels.bad key!', { nodePools: [pool({ labels: { workload: 'general' } })] }, (c) => c.nodePools[0].labels, { workload: 'general' }],
  ['nodePools[].taints[].effect', { nodePools: [pool(), pool({ name: 'gpu', taints: [{ key: 'gpu', effect: 'Never' }] })] }, 'tenantscale:nodePools[1].taints[0].effect', { nodePools: [pool(), pool({ name: 'gpu', taints: [{ key: 'gpu', effect: 'NoSchedule' }] })] }, (c) => c.nodePools[1].taints, [{ key: 'gpu', value: '', effect: 'NoSchedule' }]],
  ['unique pool names', { nodePools: [pool(), pool()] }, 'tenantscale:nodePools[1].name', { nodePools: [pool(), pool({ name: 'memory' })] }, (c) => c.nodePools.map((p: any) => p.name), ['default', 'memory']],
  ['default pool untainted', { nodePools: [pool({ taints: [{ key: 'x', effect: 'NoSchedule' }] })] }, 'tenantscale:nodePools[0].taints', { nodePools: [pool({ taints: [{ key: 'x', effect: 'PreferNoSchedule' }] })] }, (c) => c.nodePools[0].taints[0].effect, 'PreferNoSchedule'],
  ['tags', { tags: ['has space'] }, 'tenantscale:tags[0]', { tags: ['env:dev'] }, (c) => c.tags, ['env:dev']],
  ['kubeconfig only in kubeconfig mode', { kubeconfig: '/home/me/.kube/config' }, 'tenantscale:kubeconfig', { clusterMode: 'kubeconfig', kubeconfig: '/home/me/.kube/config' }, (c) => c.kubeconfig, '/home/me/.kube/config'],
  ['kubeContext only in kubeconfig mode', { kubeContext: 'kind-kind' }, 'tenantscale:kubeContext', { clusterMode: 'kubeconfig', kubeContext: 'kind-kind' }, (c) => c.kubeContext, 'kind-kind'],
  ['gatewayApiCrds', { gatewayApiCrds: 'helm' }, 'tenantscale:gatewayApiCrds', { gatewayApiCrds: 'envoy-gateway' }, (c) => c.gatewayApiCrds, 'envoy-gateway'],
  ['gateway.port', { gateway: { port: 70000 } }, 'tenantscale:gateway.port', { gateway: { port: 8080 } }, (c) => c.gateway.port, 8080],
  ['gateway.hostname', { gateway: { hostname: 'http://x.example.com' } }, 'tenantscale:gateway.hostname', { gateway: { hostname: '*.tenants.example.com' } }, (c) => c.gateway.hostname, '*.tenants.example.com'],
  ['gateway.proxyReplicas', { gateway: { proxyReplicas: 0 } }, 'tenantscale:gateway.proxyReplicas', { gateway: { proxyReplicas: 3 } }, (c) => c.gateway.proxyReplicas, 3],
  ['gateway.loadBalancer.sizeUnit', { gateway: { loadBalancer: { sizeUnit: 0 } } }, 'tenantscale:gateway.loadBalancer.sizeUnit', { gateway: { loadBalancer: { sizeUnit: 2 } } }, (c) => c.gateway.loadBalancer.sizeUnit, 2],
  ['gateway.loadBalancer.type', { gateway: { loadBalancer: { type: 'GLOBAL' } } }, 'tenantscale:gateway.loadBalancer.type', { gateway: { loadBalancer: { type: 'REGIONAL' } } }, (c) => c.gateway.loadBalancer.type, 'REGIONAL'],
  ['gateway.loadBalancer.network', { gateway: { loadBalancer: { network: 'PUBLIC' } } }, 'tenantscale:gateway.loadBalancer.network', { gateway: { loadBalancer: { network: 'INTERNAL' } } }, (c) => c.gateway.loadBalancer.network, 'INTERNAL'],
  ['gateway.loadBalancer.algorithm', { gateway: { loadBalancer: { algorithm: 'random' } } }, 'tenantscale:gateway.loadBalancer.algorithm', { gateway: { loadBalancer: { algorithm: 'least_connections' } } }, (c) => c.gateway.loadBalancer.algorithm, 'least_connections'],
  ['gateway.loadBalancer.httpIdleTimeoutSeconds', { gateway: { loadBalancer: { httpIdleTimeoutSeconds: 5 } } }, 'tenantscale:gateway.loadBalancer.httpIdleTimeoutSeconds', { gateway: { loadBalancer: { httpIdleTimeoutSeconds: 120 } } }, (c) => c.gateway.loadBalancer.httpIdleTimeoutSeconds, 120],
  ['gateway.loadBalancer.name', { gateway: { loadBalancer: { name: 'My LB' } } }, 'tenantscale:gateway.loadBalancer.name', { gateway: { loadBalancer: { name: 'tenantscale-gw' } } }, (c) => c.gateway.loadBalancer.name, 'tenantscale-gw'],
  ['gateway.loadBalancer.hostname', { gateway: { loadBalancer: { hostname: 'localhost' } } }, 'tenantscale:gateway.loadBalancer.hostname', { gateway: { loadBalancer: { hostname: 'lb.example.com' } } }, (c) => c.gateway.loadBalancer.hostname, 'lb.example.com'],
  ['gateway.loadBalancer.enableProxyProtocol', { gateway: { loadBalancer: { enableProxyProtocol: 'yes' } } }, 'tenantscale:gateway.loadBalancer.enableProxyProtocol', { gateway: { loadBalancer: { enableProxyProtocol: false } } }, (c) => c.gateway.loadBalancer.enableProxyProtocol, false],
  ['components.*.version', { components: { keda: { version: 'latest' } } }, 'tenantscale:components.keda.version', { components: { keda: { version: '2.20.1' } } }, (c) => c.components.keda.version, '2.20.1'],
  ['Envoy Gateway versions carry a v', { components: { envoyGateway: { version: '1.9.0' } } }, 'tenantscale:components.envoyGateway.version', { components: { envoyGateway: { version: 'v1.8.3' } } }, (c) => c.components.envoyGateway.version, 'v1.8.3'],
  ['components.*.enabled', { components: { metricsServer: { enabled: 'off' } } }, 'tenantscale:components.metricsServer.enabled', { components: { metricsServer: { enabled: false } } }, (c) => c.components.metricsServer.enabled, false],
  ['interceptorMinReplicas', { components: { kedaHttpAddon: { interceptorMinReplicas: 0 } } }, 'tenantscale:components.kedaHttpAddon.interceptorMinReplicas', { components: { kedaHttpAddon: { interceptorMinReplicas: 1 } } }, (c) => c.components.kedaHttpAddon.interceptorMinReplicas, 1],
  ['interceptorMaxReplicas ≥ min', { components: { kedaHttpAddon: { interceptorMinReplicas: 5, interceptorMaxReplicas: 3 } } }, 'tenantscale:components.kedaHttpAddon.interceptorMaxReplicas', { components: { kedaHttpAddon: { interceptorMinReplicas: 5, interceptorMaxReplicas: 5 } } }, (c) => c.components.kedaHttpAddon.interceptorMaxReplicas, 5],
  ['verticalPodAutoscaler.updater', { components: { verticalPodAutoscaler: { updater: 'Auto' } } }, 'tenantscale:components.verticalPodAutoscaler.updater', { components: { verticalPodAutoscaler: { updater: true } } }, (c) => c.components.verticalPodAutoscaler.updater, true],
  ['monitoring.enabled', { monitoring: { enabled: 'no' } }, 'tenantscale:monitoring.enabled', { monitoring: { enabled: false } }, (c) => c.monitoring.enabled, false],
  ['monitoring.version', { monitoring: { version: '88' } }, 'tenantscale:monitoring.version', { monitoring: { version: '88.5.2' } }, (c) => c.monitoring.version, '88.5.2'],
  ['monitoring.retention', { monitoring: { retention: '7 days' } }, 'tenantscale:monitoring.retention', { monitoring: { retention: '15d' } }, (c) => c.monitoring.retention, '15d'],
  ['tenantSecrets Secret name', { tenantSecrets: { openclaw: { Bad_Name: { token: 'x' } } } }, 'tenantscale:tenantSecrets.openclaw.Bad_Name', { tenantSecrets: { openclaw: { 'openclaw-whatsapp': { token: 'x' } } } }, (c) => Object.keys(c.tenantSecrets.openclaw), ['openclaw-whatsapp']],
  ['tenantSecrets value', { tenantSecrets: { openclaw: { 'openclaw-whatsapp': { token: 42 } } } }, 'tenantscale:tenantSecrets.openclaw.openclaw-whatsapp.token', { tenantSecrets: { openclaw: { 'openclaw-whatsapp': { token: '42' } } } }, (c) => c.tenantSecrets.openclaw['openclaw-whatsapp'].token, '42'],
  ['tenantsFile', { tenantsFile: '' }, 'tenantscale:tenantsFile', { tenantsFile: 'tenants/prod.yaml' }, (c) => c.tenantsFile, 'tenants/prod.yaml'],
  ['unknown top-level key', { regoin: 'fra1' }, 'tenantscale:regoin', {}, (c) => c.region, 'fra1'],
  ['unknown nested key', { gateway: { loadbalancer: {} } }, 'tenantscale:gateway.loadbalancer', { gateway: { loadBalancer: {} } }, (c) => c.gateway.loadBalancer, {}],
];

describe('parseStackConfig: every validation names its key', () => {
  test.each(CASES)('%s: a bad value is refused, naming the key', (_what, bad, key) => {
    const problems = problemsOf(bad);
    expect(problems.map((p) => p.key)).toContain(key);
    const problem = problems.find((p) => p.key === key)!;
    expect(problem.allowed.length).toBeGreaterThan(0);
    expect(problem.fix.length).toBeGreaterThan(0);
    expect(problem.allowed).not.toMatch(/^Invalid/);
  });

  test.each(CASES)('%s: a good value is accepted', (_what, _bad, _key, good, read, expected) => {
    const config = parseStackConfig({ ...BASE, ...good }, true);
    expect(read(config)).toEqual(expected);
  });
});

describe('parseStackConfig: the DigitalOcean token', () => {
  test('doks mode without a token fails, naming digitalocean:token and how to set it as a secret', () => {
    const problems = problemsOf({}, false);
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe('digitalocean:token');
    expect(problems[0].fix).toContain('pulumi config set --secret digitalocean:token');
  });

  test('kubeconfig mode needs no DigitalOcean token', () => {
    expect(parseStackConfig({ clusterMode: 'kubeconfig' }, false).clusterMode).toBe('kubeconfig');
  });
});

describe('parseStackConfig: defaults', () => {
  const c = parseStackConfig(BASE, true);

  test('reproduce the lesson: one autoscaled s-2vcpu-4gb pool from 1 to 5 nodes, HA off', () => {
    expect(c.nodePools).toEqual([{ name: 'default', size: 's-2vcpu-4gb', min: 1, max: 5, labels: {}, taints: [] }]);
    expect(c.ha).toBe(false);
    expect(c.protectCluster).toBe(true);
  });

  test('every component is installed at its pinned version; VPA recommends only', () => {
    expect(c.components.metricsServer).toEqual({ enabled: true, version: '3.13.1' });
    expect(c.components.keda).toEqual({ enabled: true, version: '2.20.2' });
    expect(c.components.kedaHttpAddon).toMatchObject({ enabled: true, version: '0.15.0' });
    expect(c.components.envoyGateway).toEqual({ enabled: true, version: 'v1.9.0' });
    expect(c.components.verticalPodAutoscaler).toEqual({ enabled: true, version: '5.0.0', updater: false, admissionController: false });
    expect(c.monitoring).toMatchObject({ enabled: true, version: '88.5.3' });
  });

  test('Gateway API CRDs: the cluster\'s on DOKS, Envoy Gateway\'s on other clusters', () => {
    expect(c.gatewayApiCrds).toBe('cluster');
    expect(parseStackConfig({ clusterMode: 'kubeconfig' }, false).gatewayApiCrds).toBe('envoy-gateway');
  });

  test('several problems are reported together', () => {
    const problems = problemsOf({ region: 'mars1', ha: 'maybe', nodePools: [pool({ min: -1 })] });
    expect(problems.map((p) => p.key).sort()).toEqual(['tenantscale:ha', 'tenantscale:nodePools[0].min', 'tenantscale:region']);
  });

  test('the error message lists each key with its value, what is allowed and the fix', () => {
    expect(() => parseStackConfig({ region: 'mars1' }, true)).toThrow(
      /tenantscale:region = "mars1": .*\(allowed: one of nyc1, .*; fix: pulumi config set tenantscale:region fra1/,
    );
  });
});

describe('decodeConfigValue', () => {
  test('decodes JSON (structured values, numbers, booleans) and keeps plain strings', () => {
    expect(decodeConfigValue('{"day":"sunday"}')).toEqual({ day: 'sunday' });
    expect(decodeConfigValue('5')).toBe(5);
    expect(decodeConfigValue('false')).toBe(false);
    expect(decodeConfigValue('fra1')).toBe('fra1');
    expect(decodeConfigValue('1.35.')).toBe('1.35.');
  });
});

describe('tenant secrets', () => {
  test('a secret value is never echoed in an error', () => {
    const [problem] = problemsOf({ tenantSecrets: { openclaw: { 'openclaw-whatsapp': { token: 12345 } } } });
    expect(problem.value).toBe('<secret>');
    expect(() => parseStackConfig({ ...BASE, tenantSecrets: { openclaw: { 'openclaw-whatsapp': { token: 12345 } } } }, true)).not.toThrow(/12345/);
  });

  const refs = [{ tenant: 'openclaw', secret: 'openclaw-whatsapp', key: 'token' }];

  test('checkTenantSecrets: a value for every reference leaves nothing missing', () => {
    expect(checkTenantSecrets({ openclaw: { 'openclaw-whatsapp': { token: 't' } } }, refs)).toEqual({ problems: [], missing: [] });
  });

  test('checkTenantSecrets: a reference without a value is reported as missing, not as an error', () => {
    expect(checkTenantSecrets({}, refs)).toEqual({ problems: [], missing: refs });
  });

  test('checkTenantSecrets: a value nothing references is an error naming its key and what is referenced', () => {
    const { problems } = checkTenantSecrets({ openclaw: { 'openclaw-whatsap': { token: 't' } } }, refs);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      key: 'tenantscale:tenantSecrets.openclaw.openclaw-whatsap.token',
      value: '<secret>',
      allowed: 'for tenant "openclaw": openclaw-whatsapp.token',
    });
  });

  test('checkTenantSecrets: a value for a tenant that references no Secret is an error', () => {
    const { problems } = checkTenantSecrets({ ahmed: { api: { key: 'k' } } }, refs);
    expect(problems.map((p) => p.key)).toEqual(['tenantscale:tenantSecrets.ahmed.api.key']);
  });
});

describe('dnsToken (DNS-01)', () => {
  test('a refused token is never echoed; a set one reads back', () => {
    const [p] = problemsOf({ dnsToken: '' });
    expect(p).toMatchObject({ key: 'tenantscale:dnsToken', value: '<secret>', fix: 'pulumi config set --secret tenantscale:dnsToken <token>' });
    expect(parseStackConfig({ ...BASE, dnsToken: 'dop_v1_x' }, true).dnsToken).toBe('dop_v1_x');
  });
});
