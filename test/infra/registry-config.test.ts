/**
 * `tenantscale:registryCredentials` and the tenants' `imagePullSecret`: one failing and one passing
 * case per rule, and the Pulumi program reporting a name the stack does not provide before any
 * resource is registered. Secret values never appear in an error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ENCRYPTED_VALUE, parseStackConfig, StackConfigError } from '../../infra/config';
import { dockerConfigJsonReason } from '../../infra/docker-config-json';
import { checkPullSecrets } from '../../infra/pull-secrets';
import { stackConfigValues } from '../../cli/synth-stack';
import { pullSecretNotes } from '../../cli/pull-secret-notes';
import type * as Program from '../../infra/index';
import { validateTenantsText } from '../../tenants/validate';
import { DOCR_CREDENTIALS, failWithMocks, MockedRun, runWithMocks } from '../platform/pulumi-mocks';
import { EXAMPLE_DIR } from '../example-project';

// The program reads ./Pulumi.*.yaml and the stack's tenant list from its project directory: the example fixture's (issue 21).
const REPO_CWD = process.cwd();
beforeAll(() => process.chdir(EXAMPLE_DIR));
afterAll(() => process.chdir(REPO_CWD));

const BASE = { region: 'fra1' };
const GOOD_JSON = JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('acme:ghp_abc').toString('base64') } } });

function problemsOf(raw: Record<string, unknown>, hasToken = true) {
  try {
    parseStackConfig({ ...BASE, ...raw }, hasToken);
  } catch (err) {
    if (err instanceof StackConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('registryCredentials in the stack config', () => {
  test('a DOCR entry passes with the default rotation of 7 days; a docker config entry passes', () => {
    const c = parseStackConfig({ ...BASE, registryCredentials: { docr: { digitalOceanRegistry: 'tenantscale' }, ghcr: { dockerConfigJson: GOOD_JSON } } }, true);
    expect(c.registryCredentials).toEqual({ docr: { digitalOceanRegistry: 'tenantscale', rotationDays: 7 }, ghcr: { dockerConfigJson: GOOD_JSON, rotationDays: 7 } });
  });

  test('an entry with neither or both sources is refused', () => {
    expect(problemsOf({ registryCredentials: { docr: {} } })).toMatchObject([{ key: 'tenantscale:registryCredentials.docr', message: 'no source for the pull Secret' }]);
    const both = problemsOf({ registryCredentials: { docr: { digitalOceanRegistry: 'x', dockerConfigJson: GOOD_JSON } } });
    expect(both).toMatchObject([{ key: 'tenantscale:registryCredentials.docr', value: '<both set>' }]);
    expect(JSON.stringify(both)).not.toContain('ghp_');
  });

  test('a pull Secret name that is not a Secret name is refused', () => {
    expect(problemsOf({ registryCredentials: { DOCR: { digitalOceanRegistry: 'tenantscale' } } })).toMatchObject([{ key: 'tenantscale:registryCredentials.DOCR' }]);
  });

  test('a registry name with uppercase letters is refused; rotationDays outside 1-90 is refused', () => {
    expect(problemsOf({ registryCredentials: { docr: { digitalOceanRegistry: 'TenantScale' } } })).toMatchObject([{ key: 'tenantscale:registryCredentials.docr.digitalOceanRegistry' }]);
    expect(problemsOf({ registryCredentials: { docr: { digitalOceanRegistry: 'tenantscale', rotationDays: 0 } } })).toMatchObject([{ key: 'tenantscale:registryCredentials.docr.rotationDays' }]);
    expect(problemsOf({ registryCredentials: { docr: { digitalOceanRegistry: 'tenantscale', rotationDays: 30 } } })).toEqual([]);
  });

  test('a docker config that is not usable is refused without quoting it', () => {
    const ps = problemsOf({ registryCredentials: { ghcr: { dockerConfigJson: '{"credsStore":"desktop","auths":{}}' } } });
    expect(ps).toMatchObject([{ key: 'tenantscale:registryCredentials.ghcr.dockerConfigJson', value: '<secret>' }]);
    expect(ps[0].message).toMatch(/no "auths" object/);
    expect(JSON.stringify(ps)).not.toContain('desktop');
  });

  test('DOCR credentials in kubeconfig mode need a DigitalOcean token; a docker config does not', () => {
    const docr = { clusterMode: 'kubeconfig', registryCredentials: { docr: { digitalOceanRegistry: 'tenantscale' } } };
    expect(problemsOf(docr, false)).toMatchObject([{ key: 'digitalocean:token' }]);
    expect(problemsOf(docr, true)).toEqual([]);
    expect(problemsOf({ clusterMode: 'kubeconfig', registryCredentials: { ghcr: { dockerConfigJson: GOOD_JSON } } }, false)).toEqual([]);
  });

  test('flux delivery refuses registryCredentials (Flux creates the namespaces)', () => {
    const flux = { tenantDelivery: 'flux', flux: { url: 'oci://registry.digitalocean.com/tenantscale/tenants' } };
    expect(problemsOf({ ...flux, registryCredentials: { docr: { digitalOceanRegistry: 'tenantscale' } } })).toMatchObject([{ key: 'tenantscale:registryCredentials', value: 'docr' }]);
    expect(problemsOf(flux)).toEqual([]);
  });

  test('an encrypted value read offline is not checked (synth --stack)', () => {
    const raw = stackConfigValues('config:\n  tenantscale:region: fra1\n  tenantscale:registryCredentials:\n    ghcr:\n      dockerConfigJson:\n        secure: AAABAJx0\n', 'Pulumi.x.yaml');
    expect(raw.registryCredentials).toEqual({ ghcr: { dockerConfigJson: ENCRYPTED_VALUE } });
    expect(parseStackConfig(raw, true).registryCredentials.ghcr.dockerConfigJson).toBe(ENCRYPTED_VALUE);
  });
});

describe('dockerConfigJsonReason', () => {
  test.each([
    ['not json', 'it is not JSON'],
    ['[]', 'it is not a JSON object'],
    ['{"auths":{"ghcr.io":{}}}', 'the entry for "ghcr.io" has neither "auth" nor "username" and "password"'],
    ['{"auths":{"ghcr.io":{"auth":"bm9jb2xvbg=="}}}', 'the "auth" of "ghcr.io" is not base64 of "user:password"'],
  ])('%s is refused', (text, reason) => expect(dockerConfigJsonReason(text)).toBe(reason));

  test('auth or username/password entries pass', () => {
    expect(dockerConfigJsonReason(GOOD_JSON)).toBeUndefined();
    expect(dockerConfigJsonReason('{"auths":{"registry.example.com":{"username":"u","password":"p"}}}')).toBeUndefined();
  });
});

describe('checkPullSecrets', () => {
  const config = (registryCredentials: Record<string, any>, tenantDelivery: 'pulumi' | 'flux' = 'pulumi') => ({ registryCredentials, tenantDelivery });
  const docr = { digitalOceanRegistry: 'tenantscale', rotationDays: 7 };
  const use = { tenant: 'ahmed', secret: 'dcor', image: 'registry.digitalocean.com/tenantscale/podinfo:6.7.1' };

  test('a name the stack does not define is a problem when it defines others', () => {
    const { problems } = checkPullSecrets(config({ docr }), [use]);
    expect(problems).toMatchObject([{ key: 'tenantscale:registryCredentials.dcor', allowed: 'one of docr' }]);
    expect(problems[0].message).toMatch(/tenant "ahmed" pulls its image with imagePullSecret "dcor", which this stack does not define; its pods would fail with ImagePullBackOff/);
  });

  test('a defined name passes; an undefined one is only missing when the stack defines none or delivers with Flux', () => {
    expect(checkPullSecrets(config({ dcor: docr }), [use])).toEqual({ problems: [], missing: [], unused: [], otherRegistry: [] });
    expect(checkPullSecrets(config({}), [use]).missing).toEqual([use]);
    expect(checkPullSecrets(config({ docr }, 'flux'), [use]).missing).toEqual([use]);
  });

  test('an image outside the DOCR registry its credentials open is reported; unused credentials are listed', () => {
    const out = checkPullSecrets(config({ dcor: docr, spare: docr }), [{ ...use, image: 'ghcr.io/acme/app:1.0.0' }]);
    expect(out.otherRegistry).toMatchObject([{ tenant: 'ahmed', registry: 'tenantscale' }]);
    expect(out.unused).toEqual(['spare']);
  });
});

describe('what synth says', () => {
  const tenants = validateTenantsText(readFileSync(resolve(EXAMPLE_DIR, 'tenants/tenants.yaml'), 'utf8')).tenants;
  test('offline: the names, and that they were not checked', () => {
    expect(pullSecretNotes(tenants)).toEqual([expect.stringMatching(/^ {2}image pull Secrets \(not checked offline\): docr \(ahmed\)\. dist\/ holds only the references/)]);
  });
  test('with a stack: checked by name against it', () => {
    const config = parseStackConfig({ ...BASE, registryCredentials: { ecr: { digitalOceanRegistry: 'other' } } }, true);
    const lines = pullSecretNotes(tenants, { stack: 'prod', config });
    expect(lines[0]).toBe('  image pull Secrets, checked against stack prod (names only; the credentials are checked by pulumi up): docr');
    expect(lines[1]).toMatch(/^ {2}! tenant "ahmed" pulls its image with imagePullSecret "docr", which this stack does not define.*pulumi up will refuse it/);
  });
  test('no tenant names one: nothing to say', () => {
    expect(pullSecretNotes(tenants.filter((t) => t.imagePullSecret === undefined))).toEqual([]);
  });
});

describe('the Pulumi program', () => {
  const ROOT = EXAMPLE_DIR;
  const loadProgram = () => require('../../infra/index') as typeof Program;
  const devConfig = () => {
    const doc = parse(readFileSync(resolve(ROOT, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  };

  test('Pulumi.dev.yaml: read-only DOCR credentials and a pull Secret in tenant-ahmed only', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    let run: MockedRun<typeof Program>;
    try {
      run = await runWithMocks(loadProgram, { ...devConfig(), 'digitalocean:token': 'dop_v1_test_only' });
    } finally {
      warn.mockRestore();
    }
    const docr = run.resources.filter((r) => r.type === DOCR_CREDENTIALS && r.name === 'registry-docr');
    expect(docr).toMatchObject([{ inputs: { registryName: 'tenantscale', write: false, expirySeconds: 14 * 86_400 } }]);
    const pull = run.resources.filter((r) => r.type === 'kubernetes:core/v1:Secret' && r.inputs.type === 'kubernetes.io/dockerconfigjson');
    expect(pull.map((r) => `${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`)).toEqual(['tenant-ahmed/docr']);
    expect(await new Promise((ok) => run.value.registryCredentialsExpireAt!.docr.apply(ok))).toBe('2026-12-15T10:00:00Z');
  });

  test('kubeconfig mode: the docker config comes from secret config; no DigitalOcean resource', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    let run: MockedRun<typeof Program>;
    try {
      run = await runWithMocks(loadProgram, {
        'tenantscale:clusterMode': 'kubeconfig',
        'tenantscale:registryCredentials': JSON.stringify({ docr: { dockerConfigJson: GOOD_JSON } }),
      });
    } finally {
      warn.mockRestore();
    }
    expect(run.resources.filter((r) => r.type.startsWith('digitalocean:'))).toEqual([]);
    const pull = run.resources.filter((r) => r.type === 'kubernetes:core/v1:Secret' && r.inputs.type === 'kubernetes.io/dockerconfigjson');
    expect(pull).toHaveLength(1);
    expect(pull[0].inputs.metadata).toMatchObject({ name: 'docr', namespace: 'tenant-ahmed' });
    expect(pull[0].inputs.stringData.value).toEqual({ '.dockerconfigjson': GOOD_JSON });
  });

  test('a tenant naming credentials the stack does not define fails before any resource is registered', async () => {
    const { error, resources } = await failWithMocks(loadProgram, {
      'tenantscale:clusterMode': 'kubeconfig',
      'tenantscale:registryCredentials': JSON.stringify({ ghcr: { dockerConfigJson: GOOD_JSON } }),
    });
    expect(String(error)).toMatch(/tenantscale:registryCredentials\.docr: tenant "ahmed" pulls its image with imagePullSecret "docr", which this stack does not define/);
    expect(String(error)).not.toContain('ghp_');
    expect(resources.filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });

  test('a stack defining no credentials warns, naming the config to set', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await runWithMocks(loadProgram, { 'tenantscale:clusterMode': 'kubeconfig' });
      const lines = warn.mock.calls.map((c) => String(c[0]));
      expect(lines.filter((l) => l.includes('imagePullSecret'))).toEqual([
        expect.stringContaining(`tenant "ahmed" pulls its image with imagePullSecret "docr", which this stack does not create; its pods cannot pull a private image until it exists. Set it with: pulumi config set --secret --path 'tenantscale:registryCredentials.docr.dockerConfigJson' <docker config JSON>`),
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  test('kubeconfig mode: a tenant placed on a node pool gets a warning that its pods need a node labelled by hand', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await runWithMocks(loadProgram, { 'tenantscale:clusterMode': 'kubeconfig' });
      const lines = warn.mock.calls.map((c) => String(c[0]));
      expect(lines.filter((l) => l.includes('doks.digitalocean.com/node-pool'))).toEqual([
        expect.stringContaining('tenant "embeddings" (nodePool: large) selects nodes labelled doks.digitalocean.com/node-pool=large, which on this cluster (kubeconfig mode) only a node labelled by hand carries'),
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});
