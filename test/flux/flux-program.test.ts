import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type * as Program from '../../infra/index';
import { failWithMocks, MockedRun, RELEASE, runWithMocks } from '../platform/pulumi-mocks';
import { EXAMPLE_DIR } from '../example-project';

// The program reads ./Pulumi.*.yaml and the stack's tenant list from its project directory: the example fixture's (issue 21).
const REPO_CWD = process.cwd();
beforeAll(() => process.chdir(EXAMPLE_DIR));
afterAll(() => process.chdir(REPO_CWD));

const ROOT = EXAMPLE_DIR;
const loadProgram = () => require('../../infra/index') as typeof Program;

/** Pulumi.dev.yaml as the runtime hands it over, with overrides. */
function devConfig(overrides: Record<string, unknown>): Record<string, string> {
  const doc = parse(readFileSync(resolve(ROOT, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, unknown> };
  const all = { ...doc.config, 'digitalocean:token': 'dop_v1_test_only', ...overrides };
  // An override of undefined removes the key.
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

describe('the program in flux mode (Pulumi.dev.yaml + tenantDelivery: flux)', () => {
  let run: MockedRun<typeof Program>;
  beforeAll(async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    run = await runWithMocks(
      loadProgram,
      // Flux creates the tenant namespaces: the pull Secret for ahmed comes from elsewhere (a warning), not registryCredentials.
      devConfig({ 'tenantscale:tenantDelivery': 'flux', 'tenantscale:flux': { url: 'oci://registry.digitalocean.com/acme/tenants', shards: 8 }, 'tenantscale:registryCredentials': undefined }),
    );
    warn.mockRestore();
  });

  test('registers no tenant, installs Flux, and creates read-only DOCR pull credentials for the artifact', () => {
    expect(run.resources.filter((r) => r.type === 'tenantscale:platform:TenantWorkloads')).toEqual([]);
    expect(run.resources.some((r) => r.type === RELEASE && r.inputs.name === 'flux-operator')).toBe(true);
    const creds = run.resources.filter((r) => r.type === 'digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials');
    expect(creds.map((c) => c.inputs)).toEqual([{ registryName: 'acme', write: false }]);
    expect(run.resources.filter((r) => r.type === 'kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization')).toHaveLength(1 + 8);
  });

  test('the stack outputs still list every tenant\'s URL', () => {
    const urls = run.value.tenantUrls as Record<string, string[]>;
    expect(urls.ahmed).toEqual(['https://ahmed.tenants.example.com/']);
    expect(Object.keys(urls).sort()).toEqual(['ahmed', 'embeddings', 'fatima', 'invoices', 'nightly-report', 'openclaw']);
  });
});

describe('the program: tenant selection and refusals', () => {
  test('the stack serves only the tenants its tenantSelector picks (here none)', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const run = await runWithMocks(loadProgram, devConfig({ 'tenantscale:tenantSelector': { matchLabels: { 'tenantscale.io/none': 'x' } } }));
    warn.mockRestore();
    expect(run.resources.filter((r) => r.type === 'tenantscale:platform:TenantWorkloads')).toEqual([]);
  });

  test('flux mode without flux.url: a StackConfigError, nothing registered', async () => {
    const { error, resources } = await failWithMocks(loadProgram, devConfig({ 'tenantscale:tenantDelivery': 'flux' }));
    expect(String(error)).toContain('tenantscale:flux.url: required when tenantDelivery is flux');
    expect(resources.filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });
});
