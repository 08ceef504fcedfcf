/**
 * Private images under the Pulumi mocks: the stack's registry credentials become a
 * `kubernetes.io/dockerconfigjson` Secret in each tenant namespace that names them (and in no
 * other), their value a secret output; DOCR credentials are read-only and replaced once per
 * rotation window.
 */
import type * as PlatformModule from '../../constructs/platform/platform';
import type * as RegistryModule from '../../constructs/platform/registry-credentials';
import type { TenantSpec } from '../../tenants/schema';
import { DOCR_CREDENTIALS, MOCK_KUBECONFIG, MockedRun, mockDockerConfig, registration, runWithMocks } from './pulumi-mocks';

const TENANTS = `
defaults:
  image: ghcr.io/stefanprodan/podinfo:6.7.1
  port: 9898
  probes: { readiness: /readyz, liveness: /healthz }
  resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 500m, memory: 512Mi } }
  scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } }
tenants:
  - name: ahmed
    hosts: [ahmed.example.com]
    image: registry.digitalocean.com/tenantscale/podinfo:6.7.1
    imagePullSecret: docr
  - name: fatima
    hosts: [fatima.example.com]
    image: ghcr.io/acme/assistant:1.2.0
    imagePullSecret: ghcr
  - name: bob
    hosts: [bob.example.com]
`;

const GHCR_CONFIG = JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('acme:ghp_test').toString('base64') } } });
const SECRET = 'kubernetes:core/v1:Secret';
/** The Pulumi SDK's marker of a secret value in serialized inputs. */
const SECRET_SIG = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270' };

function build(now: Date): Promise<MockedRun<unknown>> {
  return runWithMocks(() => {
    const k8s = require('@pulumi/kubernetes');
    const { Platform } = require('../../constructs/platform/platform') as typeof PlatformModule;
    const { RegistryCredentials } = require('../../constructs/platform/registry-credentials') as typeof RegistryModule;
    const { validateTenantsText } = require('../../tenants/validate');
    const tenants = validateTenantsText(TENANTS).tenants as TenantSpec[];
    const registry = new RegistryCredentials('registry', {
      now,
      sources: { docr: { digitalOceanRegistry: 'tenantscale', rotationDays: 7 }, ghcr: { dockerConfigJson: GHCR_CONFIG } },
    });
    const provider = new k8s.Provider('test-cluster', { kubeconfig: MOCK_KUBECONFIG });
    return new Platform(
      'tenantscale',
      { tenants, mode: 'kubeconfig', monitoring: { enabled: false }, verticalPodAutoscaler: { enabled: false }, registryCredentials: registry.dockerConfigJsons },
      { providers: { kubernetes: provider } },
    );
  });
}

describe('registry credentials under the Pulumi mocks', () => {
  let run: MockedRun<unknown>;
  beforeAll(async () => {
    run = await build(new Date('2026-12-01T10:00:00Z'));
  });

  const pullSecrets = () => run.resources.filter((r) => r.type === SECRET && r.inputs.type === 'kubernetes.io/dockerconfigjson');

  test('one kubernetes.io/dockerconfigjson Secret per tenant namespace that names credentials, named as the tenant names them', () => {
    expect(pullSecrets().map((r) => `${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`).sort()).toEqual(['tenant-ahmed/docr', 'tenant-fatima/ghcr']);
  });

  test('no pull Secret in a namespace whose tenant names none', () => {
    expect(run.resources.filter((r) => r.type === SECRET && r.inputs.metadata.namespace === 'tenant-bob')).toEqual([]);
  });

  test('the .dockerconfigjson values are secret outputs: the DOCR token and the config from secret config', () => {
    // The whole stringData is serialized as one secret value.
    const byNamespace = Object.fromEntries(pullSecrets().map((r) => [r.inputs.metadata.namespace, r.inputs.stringData]));
    expect(byNamespace['tenant-ahmed']).toEqual({ ...SECRET_SIG, value: { '.dockerconfigjson': mockDockerConfig('tenantscale') } });
    expect(byNamespace['tenant-fatima']).toEqual({ ...SECRET_SIG, value: { '.dockerconfigjson': GHCR_CONFIG } });
    for (const r of pullSecrets()) expect(r.inputs.data).toBeUndefined();
  });

  test('DOCR credentials: one read-only resource, valid two rotation windows, replaced when the window changes', () => {
    const docr = run.resources.filter((r) => r.type === DOCR_CREDENTIALS);
    expect(docr).toHaveLength(1);
    expect(docr[0].inputs).toEqual({ registryName: 'tenantscale', write: false, expirySeconds: 14 * 86_400 });
    expect(registration(run.registrations, DOCR_CREDENTIALS, 'registry-docr').opts.replacementTrigger).toBe('2026-11-26');
  });

  test('the Deployment waits for its pull Secret (created in the namespace, before the pods)', () => {
    const deployment = registration(run.registrations, 'kubernetes:apps/v1:Deployment', 'tenant-ahmed-deployment-ahmed');
    expect(deployment.dependsOn).toContain(`${SECRET}::tenant-ahmed-pull-docr`);
    expect(registration(run.registrations, SECRET, 'tenant-ahmed-pull-docr').dependsOn).toEqual(['kubernetes:core/v1:Namespace::cluster-namespace-tenant-ahmed']);
  });

  test('the Deployment references the Secret by name; the synthesized objects hold no Secret', () => {
    const deployment = run.resources.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.inputs.metadata.namespace === 'tenant-ahmed')!;
    expect(deployment.inputs.spec.template.spec.imagePullSecrets).toEqual([{ name: 'docr' }]);
    const bob = run.resources.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.inputs.metadata.namespace === 'tenant-bob')!;
    expect(bob.inputs.spec.template.spec.imagePullSecrets).toBeUndefined();
  });
});

describe('rotation windows', () => {
  const trigger = async (now: string) => {
    const run = await runWithMocks(() => {
      const { RegistryCredentials } = require('../../constructs/platform/registry-credentials') as typeof RegistryModule;
      return new RegistryCredentials('registry', { now: new Date(now), sources: { docr: { digitalOceanRegistry: 'tenantscale', rotationDays: 7 } } });
    });
    return registration(run.registrations, DOCR_CREDENTIALS, 'registry-docr').opts.replacementTrigger;
  };

  test('two runs in the same 7-day window keep the credentials; the first run of the next window replaces them', async () => {
    expect(await trigger('2026-12-02T23:59:59Z')).toBe('2026-11-26');
    expect(await trigger('2026-12-03T00:00:00Z')).toBe('2026-12-03');
  });

  test('rotationWindow is pure arithmetic from the Unix epoch', () => {
    const { rotationWindow } = require('../../constructs/platform/registry-credentials') as typeof RegistryModule;
    expect(rotationWindow(new Date('1970-01-01T00:00:00Z'), 7)).toBe('1970-01-01');
    expect(rotationWindow(new Date('1970-01-07T23:59:59Z'), 7)).toBe('1970-01-01');
    expect(rotationWindow(new Date('1970-01-08T00:00:00Z'), 7)).toBe('1970-01-08');
    expect(rotationWindow(new Date('2026-12-01T10:00:00Z'), 1)).toBe('2026-12-01');
  });
});
