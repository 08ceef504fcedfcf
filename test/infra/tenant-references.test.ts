/**
 * Objects a tenant references but does not synthesize, under the Pulumi mocks: the Secrets its
 * queue triggers' TriggerAuthentications read (managed like env Secrets through
 * tenantscale:tenantSecrets) and the ConfigMap its placeholder answers with
 * (tenantscale:tenantConfigMaps). Each is created from stack config, or warned about naming the key
 * to set; config no tenant references is refused.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Program from '../../infra/index';
import { byType, failWithMocks, MockedRun, runWithMocks } from '../platform/pulumi-mocks';

const loadProgram = () => require('../../infra/index') as typeof Program;

const COMMON = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
};

/** A worker reading Kafka with SASL credentials from Secret inbound-kafka, and a web tenant whose placeholder is a ConfigMap page. */
function tenantsFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantscale-refs-'));
  const file = join(dir, 'tenants.yaml');
  const worker = {
    ...COMMON,
    name: 'inbound',
    kind: 'queue',
    scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } },
    triggers: [{ type: 'kafka', bootstrapServers: 'kafka.example.com:9092', consumerGroup: 'inbound', topic: 'inbound', partitions: 3, sasl: 'scram_sha512', credentialsSecret: 'inbound-kafka' }],
  };
  const web = { ...COMMON, name: 'hooks', hosts: ['hooks.example.com'], scaling: { min: 0, max: 2, metric: { requestRate: { target: 10 } } }, coldStart: { placeholder: { statusCode: 503, configMap: { name: 'waking-page' } } } };
  writeFileSync(file, JSON.stringify({ tenants: [worker, web] }));
  return file;
}

function config(extra: Record<string, unknown> = {}): Record<string, string> {
  const merged: Record<string, unknown> = { 'tenantscale:clusterMode': 'kubeconfig', 'tenantscale:tenantsFile': tenantsFile(), ...extra };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

async function runCapturingWarnings(cfg: Record<string, string>): Promise<{ run: MockedRun<typeof Program>; warnings: string[] }> {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const run = await runWithMocks(loadProgram, cfg);
    return { run, warnings: warn.mock.calls.map((c) => String(c[0])) };
  } finally {
    warn.mockRestore();
  }
}

describe('without tenantSecrets or tenantConfigMaps', () => {
  let warnings: string[];
  beforeAll(async () => {
    ({ warnings } = await runCapturingWarnings(config()));
  });

  test('warns for each Kafka credential the trigger reads, saying the worker never wakes and naming the key to set', () => {
    const kafka = warnings.filter((w) => w.includes('Secret "inbound-kafka"'));
    expect(kafka).toHaveLength(2);
    expect(kafka[0]).toContain('tenant "inbound" reads Secret "inbound-kafka" key "username" (triggers[0] (kafka))');
    expect(kafka[0]).toContain('KEDA cannot authenticate to the queue, so it reads no lag and the worker never wakes');
    expect(kafka[1]).toContain("pulumi config set --secret --path 'tenantscale:tenantSecrets.inbound.inbound-kafka.password' <value>");
  });

  test('warns for the placeholder ConfigMap, naming the key to set', () => {
    const page = warnings.filter((w) => w.includes('ConfigMap "waking-page"'));
    expect(page).toHaveLength(1);
    expect(page[0]).toContain('tenant "hooks" serves its placeholder from ConfigMap "waking-page" (coldStart.placeholder.configMap)');
    expect(page[0]).toContain("pulumi config set --path 'tenantscale:tenantConfigMaps.hooks.waking-page.index.html' <text>");
  });
});

describe('with the trigger Secret and the page in stack config', () => {
  let run: MockedRun<typeof Program>;
  let warnings: string[];
  beforeAll(async () => {
    ({ run, warnings } = await runCapturingWarnings(
      config({
        'tenantscale:tenantSecrets': { inbound: { 'inbound-kafka': { username: 'worker', password: 'not-a-real-password' } } },
        'tenantscale:tenantConfigMaps': { hooks: { 'waking-page': { 'index.html': '<p>Waking up</p>' } } },
      }),
    ));
  });

  test('a Secret only a trigger uses is accepted and created in the tenant namespace; the TriggerAuthentication reads its keys', () => {
    const secret = byType(run.resources, 'kubernetes:core/v1:Secret').find((r) => r.inputs.metadata?.name === 'inbound-kafka')!;
    expect(secret.inputs.metadata.namespace).toBe('tenant-inbound');
    // The whole stringData is serialized as one secret value.
    expect(Object.keys(secret.inputs.stringData.value).sort()).toEqual(['password', 'username']);
    const auth = byType(run.resources, 'kubernetes:keda.sh/v1alpha1:TriggerAuthentication').find((r) => r.inputs.metadata?.namespace === 'tenant-inbound')!;
    expect(auth.inputs.spec.secretTargetRef.map((r: { name: string; key: string }) => `${r.name}/${r.key}`)).toEqual(['inbound-kafka/username', 'inbound-kafka/password']);
    expect(warnings.filter((w) => w.includes('inbound-kafka'))).toEqual([]);
  });

  test('the placeholder ConfigMap is created with the label the interceptor selects, and no warning', () => {
    const cm = byType(run.resources, 'kubernetes:core/v1:ConfigMap').find((r) => r.inputs.metadata?.name === 'waking-page')!;
    expect(cm.inputs.metadata.namespace).toBe('tenant-hooks');
    expect(cm.inputs.metadata.labels['http.keda.sh/response-body']).toBe('true');
    expect(cm.inputs.data).toEqual({ 'index.html': '<p>Waking up</p>' });
    expect(warnings.filter((w) => w.includes('waking-page'))).toEqual([]);
  });
});

describe('config no tenant references is refused before any resource is registered', () => {
  const registered = (resources: { type: string }[]) => resources.filter((r) => r.type !== 'pulumi:pulumi:Stack');

  test('a trigger Secret key the trigger does not read', async () => {
    const { error, resources } = await failWithMocks(loadProgram, config({ 'tenantscale:tenantSecrets': { inbound: { 'inbound-kafka': { ca: 'x' } } } }));
    expect(String(error)).toContain('tenantscale:tenantSecrets.inbound.inbound-kafka.ca = "<secret>": no env variable or queue trigger of tenant "inbound" references Secret "inbound-kafka" key "ca"');
    expect(String(error)).toContain('for tenant "inbound": inbound-kafka.username, inbound-kafka.password');
    expect(registered(resources)).toEqual([]);
  });

  test('a ConfigMap the tenant does not reference', async () => {
    const { error, resources } = await failWithMocks(loadProgram, config({ 'tenantscale:tenantConfigMaps': { hooks: { 'wakeup-page': { 'index.html': 'x' } } } }));
    expect(String(error)).toContain('tenantscale:tenantConfigMaps.hooks.wakeup-page: tenant "hooks" references no ConfigMap "wakeup-page"');
    expect(String(error)).toContain('for tenant "hooks": waking-page (coldStart.placeholder.configMap)');
    expect(registered(resources)).toEqual([]);
  });
});

describe('checkTenantConfigMaps', () => {
  const { checkTenantConfigMaps } = require('../../infra/tenant-references') as typeof import('../../infra/tenant-references');
  const ref = { tenant: 'hooks', configMap: 'waking-page', key: 'index.html', use: 'coldStart.placeholder.configMap' };

  test('a key the placeholder does not read is refused; the key it reads passes', () => {
    const bad = checkTenantConfigMaps({ hooks: { 'waking-page': { 'index.html': 'a', 'style.css': 'b' } } }, [ref]);
    expect(bad.problems.map((p) => p.key)).toEqual(['tenantscale:tenantConfigMaps.hooks.waking-page.style.css']);
    expect(bad.missing).toEqual([]);
    expect(checkTenantConfigMaps({ hooks: { 'waking-page': { 'index.html': 'a' } } }, [ref])).toEqual({ problems: [], missing: [] });
  });

  test('without a key every key is served (derived from the request path); a missing ConfigMap is missing, not a problem', () => {
    const pathKeyed = { ...ref, key: undefined };
    expect(checkTenantConfigMaps({ hooks: { 'waking-page': { 'index.html': 'a', 'style.css': 'b' } } }, [pathKeyed]).problems).toEqual([]);
    expect(checkTenantConfigMaps({}, [ref]).missing).toEqual([ref]);
  });
});
