import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type * as Program from '../../infra/index';
import { failWithMocks, MOCK_GATEWAY_IP, MOCK_KUBECONFIG, MockedRun, RELEASE, release, runWithMocks, valueOf } from '../platform/pulumi-mocks';
import { EXAMPLE_DIR } from '../example-project';

// The program reads ./Pulumi.*.yaml and the stack's tenant list from its project directory: the example fixture's (issue 21).
const REPO_CWD = process.cwd();
beforeAll(() => process.chdir(EXAMPLE_DIR));
afterAll(() => process.chdir(REPO_CWD));

const ROOT = EXAMPLE_DIR;
const loadProgram = () => require('../../infra/index') as typeof Program;
const PROVIDER = 'pulumi:providers:kubernetes';

/** A stack file's `config:` block as the Pulumi runtime hands it to the program: strings, structured values as JSON. */
function stackConfig(file: string): Record<string, string> {
  const doc = parse(readFileSync(resolve(ROOT, file), 'utf8')) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

describe('the program in doks mode (Pulumi.dev.yaml)', () => {
  let run: MockedRun<typeof Program>;
  let warnings: string[];
  beforeAll(async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    run = await runWithMocks(loadProgram, { ...stackConfig('Pulumi.dev.yaml'), 'digitalocean:token': 'dop_v1_test_only' });
    warnings = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
  });

  test('warns, naming the config key to set, when a tenant reads a Secret the stack does not create, when a ListenerSet needs the cluster\'s CRD, and when the DNS-01 token is missing', () => {
    // openclaw's env Secret, invoices' Kafka credentials (username, password), the DNS token, fatima's ListenerSet.
    expect(warnings).toHaveLength(5);
    expect(warnings[4]).toContain('tenant "fatima" serves hosts outside *.tenants.example.com through a ListenerSet');
    expect(warnings[4]).toContain('kubectl get crd listenersets.gateway.networking.k8s.io');
    expect(warnings[3]).toContain('tenantscale:dnsToken is not set: the wildcard certificate *.tenants.example.com (DNS-01) waits until Secret digitalocean-dns');
    expect(warnings[3]).toContain('pulumi config set --secret tenantscale:dnsToken <DigitalOcean token>');
    expect(warnings[0]).toContain('tenant "openclaw" reads Secret "openclaw-whatsapp" key "token" (env WHATSAPP_TOKEN), which this stack does not create');
    expect(warnings[0]).toContain("pulumi config set --secret --path 'tenantscale:tenantSecrets.openclaw.openclaw-whatsapp.token' <value>");
    expect(warnings.slice(1, 3).map((w) => /key "(\w+)" \(triggers\[0\] \(kafka\)\)/.exec(w)?.[1])).toEqual(['username', 'password']);
  });

  test('creates the DOKS cluster of the lesson: one region, autoscaled s-2vcpu-4gb pool 1–5, HA off', () => {
    const clusters = run.resources.filter((r) => r.type === 'digitalocean:index/kubernetesCluster:KubernetesCluster');
    expect(clusters).toHaveLength(1);
    expect(clusters[0].inputs).toMatchObject({
      name: 'tenantscale-dev',
      region: 'fra1',
      ha: false,
      version: '1.35.4-do.0',
      nodePool: { name: 'default', size: 's-2vcpu-4gb', autoScale: true, minNodes: 1, maxNodes: 5 },
    });
  });

  test('the Kubernetes provider uses the kubeconfig read fresh from DigitalOcean, server-side apply, and the cluster id as identity', () => {
    const provider = run.resources.find((r) => r.type === PROVIDER)!;
    expect(provider.name).toBe('doks');
    expect(provider.inputs).toMatchObject({ enableServerSideApply: 'true', clusterIdentifier: 'cluster_id' });
    // Serialized as a secret.
    expect(provider.inputs.kubeconfig).toMatchObject({ value: MOCK_KUBECONFIG, '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270' });
    expect(run.calls.map((c) => c.token)).toContain('digitalocean:index/getKubernetesCluster:getKubernetesCluster');
  });

  test('installs every component and the three example tenants', () => {
    expect(run.resources.filter((r) => r.type === RELEASE).map((r) => r.inputs.name).sort()).toEqual([
      'cert-manager',
      'eg',
      'eg-crds',
      'keda',
      'keda-add-ons-http',
      'kube-prometheus-stack',
      'metrics-server',
      'vpa',
    ]);
    expect(run.resources.filter((r) => r.type === 'tenantscale:platform:TenantWorkloads').map((r) => r.name)).toEqual([
      'tenant-ahmed',
      'tenant-fatima',
      'tenant-openclaw',
      'tenant-invoices',
      'tenant-nightly-report',
      'tenant-embeddings',
    ]);
  });

  test('the stack file\'s load-balancer settings reach the EnvoyProxy', () => {
    const ep = run.resources.find((r) => r.type === 'kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy')!;
    expect(ep.inputs.spec.provider.kubernetes.envoyService.annotations).toEqual({
      'service.beta.kubernetes.io/do-loadbalancer-name': 'tenantscale-dev-gateway',
      'service.beta.kubernetes.io/do-loadbalancer-size-unit': '1',
      'service.beta.kubernetes.io/do-loadbalancer-http-idle-timeout-seconds': '95',
    });
  });

  test('`synth --stack dev` writes the EnvoyProxy and Gateway the program applies (load balancer and its idle timeout included)', () => {
    const { readSynthStack } = require('../../cli/synth-stack') as typeof import('../../cli/synth-stack');
    const { platformManifests } = require('../../constructs/platform/platform-manifests') as typeof import('../../constructs/platform/platform-manifests');
    const stack = readSynthStack(resolve(ROOT, 'Pulumi.dev.yaml'), ROOT);
    const synthesized = platformManifests({ ...stack.settings }, stack.platformObjects);
    for (const kind of ['EnvoyProxy', 'Gateway']) {
      const applied = run.resources.find((r) => r.type.endsWith(`:${kind}`) && r.type.startsWith('kubernetes:'))!;
      expect({ kind, spec: synthesized.find((m) => m.kind === kind)!.spec }).toEqual({ kind, spec: applied.inputs.spec });
    }
  });

  test('`synth --stack dev` writes the platform NetworkPolicies the program applies, and no others', () => {
    const { readSynthStack } = require('../../cli/synth-stack') as typeof import('../../cli/synth-stack');
    const { platformNetworkPolicyManifests } = require('../../constructs/platform/platform-manifests') as typeof import('../../constructs/platform/platform-manifests');
    const stack = readSynthStack(resolve(ROOT, 'Pulumi.dev.yaml'), ROOT);
    const { platformTlsSettings } = require('../../constructs/platform/platform') as typeof import('../../constructs/platform/platform');
    const tls = platformTlsSettings(stack.settings, stack.config.tls, false);
    const key = (m: { metadata: { namespace?: string; name: string }; spec?: unknown }) => ({ at: `${m.metadata.namespace}/${m.metadata.name}`, spec: m.spec });
    const synthesized = platformNetworkPolicyManifests(tls, stack.platformPolicies).map(key);
    const applied = run.resources.filter((r) => r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy' && r.inputs.metadata.name.startsWith('tenantscale-')).map((r) => key(r.inputs));
    expect(synthesized.length).toBeGreaterThan(10);
    expect(applied.sort((a, b) => a.at.localeCompare(b.at))).toEqual(synthesized.sort((a, b) => a.at.localeCompare(b.at)));
  });

  test('the running-cost rules price what simulate prices for this stack: the Gateway load balancer (1 unit), no HA', () => {
    const cost = run.resources.find((r) => r.type === 'kubernetes:monitoring.coreos.com/v1:PrometheusRule' && r.inputs.metadata.name === 'tenantscale-running-cost')!;
    const fixed = cost.inputs.spec.groups[0].rules.filter((r: any) => r.record === 'tenantscale:fixed_cost_per_hour:usd');
    expect(fixed).toEqual([{ record: 'tenantscale:fixed_cost_per_hour:usd', expr: `vector(${12 / 672})`, labels: { item: 'load_balancer' } }]);
  });

  test('stack outputs: cluster name and id, Gateway address, tenant URLs, kubeconfig as a secret', async () => {
    const out = run.value;
    expect(await valueOf(out.clusterName as any)).toBe('tenantscale-dev');
    expect(await valueOf(out.clusterId as any)).toBe('cluster_id');
    expect(await valueOf(out.gatewayAddress)).toBe(MOCK_GATEWAY_IP);
    expect(out.tenantUrls.fatima).toEqual(['https://fatima.tenants.example.com/', 'https://assistant.fatima.example.org/']);
    expect(await valueOf(out.kubeconfig!)).toBe(MOCK_KUBECONFIG);
    expect(await out.kubeconfig!.isSecret).toBe(true);
    expect(out.localAccess).toBeUndefined();
  });
});

describe('the program in kubeconfig mode', () => {
  let run: MockedRun<typeof Program>;
  beforeAll(async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); // openclaw's Secret, asserted above
    run = await runWithMocks(loadProgram, { 'tenantscale:clusterMode': 'kubeconfig', 'tenantscale:kubeContext': 'kind-tenantscale' });
    warn.mockRestore();
  });

  test('creates no DigitalOcean resources and calls no DigitalOcean API', () => {
    expect(run.resources.filter((r) => r.type.startsWith('digitalocean:'))).toEqual([]);
    expect(run.calls.filter((c) => c.token.startsWith('digitalocean:'))).toEqual([]);
  });

  test('targets the existing cluster through the given context, with server-side apply', () => {
    const provider = run.resources.find((r) => r.type === PROVIDER)!;
    expect(provider.inputs).toMatchObject({ context: 'kind-tenantscale', enableServerSideApply: 'true' });
    expect(provider.inputs.kubeconfig).toBeUndefined();
  });

  test('applies what local clusters need: insecure kubelet TLS, no cloud load balancer', () => {
    expect(release(run.resources, 'metrics-server').inputs.values.args).toEqual(['--kubelet-insecure-tls']);
    const ep = run.resources.find((r) => r.type === 'kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy')!;
    expect(ep.inputs.spec.provider.kubernetes.envoyService).toEqual({ type: 'ClusterIP' });
  });

  test('no DigitalOcean prices for fixed items: the running cost counts nodes only', () => {
    const cost = run.resources.find((r) => r.type === 'kubernetes:monitoring.coreos.com/v1:PrometheusRule' && r.inputs.metadata.name === 'tenantscale-running-cost')!;
    expect(cost.inputs.spec.groups[0].rules.filter((r: any) => r.record === 'tenantscale:fixed_cost_per_hour:usd')).toEqual([]);
  });

  test('outputs how to reach tenants through the interceptor', () => {
    expect(run.value.localAccess).toBe(
      'kubectl port-forward -n keda svc/keda-add-ons-http-interceptor-proxy 8080:8080; curl -H "Host: <tenant host>" http://localhost:8080/',
    );
    expect(run.value.kubeconfig).toBeUndefined();
    expect(run.value.clusterName).toBe('kind-tenantscale');
  });
});

describe('invalid configuration fails before any resource is registered', () => {
  test('a bad value names its key', async () => {
    const { error, resources } = await failWithMocks(loadProgram, {
      'tenantscale:region': 'fra1',
      'digitalocean:token': 'dop_v1_test_only',
      'tenantscale:nodePools': JSON.stringify([{ name: 'default', size: 's-2vcpu-4gb', min: 3, max: 2 }]),
    });
    expect(String(error)).toMatch(/tenantscale:nodePools\[0\]\.max = 2: max is below min \(3\)/);
    expect(resources.filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });

  test('a tenant secret nothing references is refused, naming its key', async () => {
    const { error, resources } = await failWithMocks(loadProgram, {
      'tenantscale:clusterMode': 'kubeconfig',
      'tenantscale:tenantSecrets': JSON.stringify({ ahmed: { openai: { 'api-key': 'sk-test' } } }),
    });
    expect(String(error)).toMatch(/tenantscale:tenantSecrets\.ahmed\.openai\.api-key = "<secret>": no env variable or queue trigger of tenant "ahmed" references Secret "openai"/);
    expect(String(error)).not.toContain('sk-test');
    expect(resources.filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });

  test('a broken tenants file is reported under tenantscale:tenantsFile', async () => {
    const { error, resources } = await failWithMocks(loadProgram, {
      'tenantscale:clusterMode': 'kubeconfig',
      'tenantscale:tenantsFile': 'tenants/does-not-exist.yaml',
    });
    expect(String(error)).toMatch(/tenantscale:tenantsFile = "tenants\/does-not-exist.yaml": file: the tenants file does not exist/);
    expect(resources.filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });
});

describe('tenantscale:platformNetworkPolicies', () => {
  test('false: the program applies no platform NetworkPolicy and `synth --stack` writes none', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const run = await runWithMocks(loadProgram, { 'tenantscale:clusterMode': 'kubeconfig', 'tenantscale:kubeContext': 'kind-tenantscale', 'tenantscale:platformNetworkPolicies': 'false' });
    warn.mockRestore();
    expect(run.resources.filter((r) => r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy' && r.inputs.metadata.name.startsWith('tenantscale-'))).toEqual([]);
    const { parseStackConfig } = require('../../infra/config') as typeof import('../../infra/config');
    const { stackPlatformPolicies } = require('../../cli/synth-stack') as typeof import('../../cli/synth-stack');
    const local = { clusterMode: 'kubeconfig', kubeContext: 'kind-tenantscale' };
    expect(stackPlatformPolicies(parseStackConfig({ ...local, platformNetworkPolicies: false }, false))).toBeUndefined();
    expect(stackPlatformPolicies(parseStackConfig(local, false))).toMatchObject({ listenerPorts: [80, 443], toggles: { keda: true, certManager: true, vpaAdmissionController: false } });
  });

  test('a value that is not a boolean is refused with the key and the fix', () => {
    const { parseStackConfig } = require('../../infra/config') as typeof import('../../infra/config');
    expect(() => parseStackConfig({ clusterMode: 'kubeconfig', kubeContext: 'kind-tenantscale', platformNetworkPolicies: 'no' }, false)).toThrow(/platformNetworkPolicies[\s\S]*true or false/);
  });
});
