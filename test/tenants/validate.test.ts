import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadTenants,
  parseTenantsYaml,
  mergeDefaults,
  unpinnedImageReason,
  validateTenantsDocument,
  validateTenantsText,
} from '../../tenants/validate';
import { Problem, TenantListError, formatProblem } from '../../tenants/problem';
import { EXAMPLE_TENANTS } from '../example-project';

/** A valid document: every test changes one thing. */
function doc(tenant: Record<string, unknown> = {}, defaults: Record<string, unknown> = {}, extra: Record<string, unknown>[] = []) {
  return {
    defaults: {
      image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
      port: 9898,
      probes: { readiness: '/readyz', liveness: '/healthz' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } },
      ...defaults,
    },
    tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'], ...tenant }, ...extra],
  };
}

function problems(d: unknown): Problem[] {
  return validateTenantsDocument(d).problems;
}

function only(d: unknown): Problem {
  const ps = problems(d);
  expect(ps.map(formatProblem)).toHaveLength(1);
  return ps[0];
}

describe('a valid list', () => {
  test('resolves defaults and built-in defaults', () => {
    const result = validateTenantsDocument(doc());
    expect(result.problems).toEqual([]);
    const [t] = result.tenants;
    expect(t.name).toBe('ahmed');
    expect(t.coldStartBudget).toBe(60);
    expect(t.responseTimeout).toBe(30);
    expect(t.scaling.scaledownPeriod).toBe(300);
    expect(t.scaling.metric.requestRate).toEqual({ target: 10, window: '1m', granularity: '1s' });
    expect(t.stateful).toBe(false);
    expect(t.env).toEqual({});
  });

  test('the example list (test/fixtures/example) is valid', () => {
    const tenants = loadTenants(EXAMPLE_TENANTS);
    expect(tenants.map((t) => t.name)).toEqual(['ahmed', 'fatima', 'openclaw', 'invoices', 'nightly-report', 'embeddings']);
    const openclaw = tenants[2];
    expect(openclaw.kind).toBe('stateful');
    expect(openclaw.scaling.min).toBe(1);
    expect(openclaw.image).toBe('ghcr.io/stefanprodan/podinfo:6.7.1');
  });
});

describe('defaults merge', () => {
  test('tenant values win and mappings merge key by key', () => {
    const merged = mergeDefaults(
      { scaling: { min: 0, max: 3 }, labels: { plan: 'starter', team: 'a' } },
      { scaling: { max: 5 }, labels: { plan: 'gold' } },
    );
    expect(merged).toEqual({ scaling: { min: 0, max: 5 }, labels: { plan: 'gold', team: 'a' } });
  });

  test('scaling.metric replaces the default metric instead of merging into both kinds', () => {
    const result = validateTenantsDocument(doc({ scaling: { metric: { concurrency: { target: 20 } } } }));
    expect(result.problems).toEqual([]);
    expect(result.tenants[0].scaling.metric).toEqual({ concurrency: { target: 20 } });
    expect(result.tenants[0].scaling.max).toBe(3);
  });
});

describe('each rule: failing and passing case', () => {
  test('duplicate names', () => {
    const p = only(doc({}, {}, [{ name: 'ahmed', hosts: ['other.example.com'] }]));
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'name', value: 'ahmed' });
    expect(p.message).toContain('duplicate tenant name');
    expect(problems(doc({}, {}, [{ name: 'fatima', hosts: ['other.example.com'] }]))).toEqual([]);
  });

  test('names that are not DNS labels', () => {
    const p = only(doc({ name: 'Ahmed_Corp' }));
    expect(p).toMatchObject({ tenant: 'Ahmed_Corp', field: 'name', value: 'Ahmed_Corp' });
    expect(p.allowed).toContain('lowercase letters');
    expect(only(doc({ name: '1st' })).field).toBe('name');
    expect(problems(doc({ name: 'acme-corp' }))).toEqual([]);
  });

  test('names too long for tenant-<name> (63 characters with the prefix)', () => {
    const long = 'a'.repeat(57);
    const p = only(doc({ name: long }));
    expect(p.field).toBe('name');
    expect(p.message).toBe('too long');
    expect(p.allowed).toContain('at most 56 characters');
    expect(problems(doc({ name: 'a'.repeat(56) }))).toEqual([]);
  });

  test('the same host claimed by two tenants', () => {
    const p = only(doc({}, {}, [{ name: 'fatima', hosts: ['AHMED.example.com'.toLowerCase()] }]));
    expect(p).toMatchObject({ tenant: 'fatima', field: 'hosts.0', value: 'ahmed.example.com' });
    expect(p.message).toContain('already claimed by tenant "ahmed"');
    expect(problems(doc({}, {}, [{ name: 'fatima', hosts: ['fatima.example.com'] }]))).toEqual([]);
  });

  test('invalid hostnames', () => {
    for (const bad of ['https://ahmed.example.com', 'ahmed.example.com:8080', 'Ahmed.Example.com', 'ahmed..example.com']) {
      const p = only(doc({ hosts: [bad] }));
      expect(p).toMatchObject({ tenant: 'ahmed', field: 'hosts.0', value: bad, message: 'malformed value' });
      // An uppercase host is fixed by lowercasing it (issue 22 item 10); the others by writing the bare name.
      expect(p.fix).toContain(bad === 'Ahmed.Example.com' ? 'write it in lowercase: "ahmed.example.com"' : 'bare hostname');
    }
    expect(problems(doc({ hosts: ['*.ahmed.example.com', 'ahmed-2.example.org'], tls: false }))).toEqual([]);
  });

  test('no hosts', () => {
    expect(only(doc({ hosts: [] }))).toMatchObject({ field: 'hosts', message: 'an http tenant is reached through the Gateway and needs at least one hostname' });
  });

  test('min > max', () => {
    const p = only(doc({ scaling: { min: 4, max: 2 } }));
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'scaling.min', value: 4 });
    expect(p.message).toBe('min is greater than max (2)');
    expect(problems(doc({ scaling: { min: 2, max: 2 } }))).toEqual([]);
  });

  test('max = 0', () => {
    const p = only(doc({ scaling: { max: 0 } }));
    expect(p).toMatchObject({ field: 'scaling.max', value: 0, message: 'too small' });
    expect(p.fix).toContain('at least 1');
    expect(problems(doc({ scaling: { max: 1 } }))).toEqual([]);
  });

  test('stateful with min 0', () => {
    const p = only(doc({ stateful: true }));
    expect(p).toMatchObject({ field: 'scaling.min', value: 0 });
    expect(p.message).toContain('stateful tenant would scale to zero');
    expect(problems(doc({ stateful: true, scaling: { min: 1 } }))).toEqual([]);
  });

  test.each([
    ['ghcr.io/stefanprodan/podinfo:latest', '"latest"'],
    ['ghcr.io/stefanprodan/podinfo', 'no tag'],
    ['localhost:5000/podinfo', 'no tag'],
    ['ghcr.io/stefanprodan/podinfo@sha256:abc', 'digest'],
  ])('unpinned image %s', (image, why) => {
    const p = only(doc({ image }));
    expect(p).toMatchObject({ field: 'image', value: image });
    expect(p.message).toContain(why);
  });

  test('pinned images pass', () => {
    expect(unpinnedImageReason('ghcr.io/stefanprodan/podinfo:6.7.1')).toBeUndefined();
    expect(unpinnedImageReason('localhost:5000/podinfo:1.0')).toBeUndefined();
    expect(unpinnedImageReason(`podinfo@sha256:${'a'.repeat(64)}`)).toBeUndefined();
  });

  test('missing cpu or memory request', () => {
    const d = doc();
    d.defaults.resources = { requests: { memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } as never;
    const p = only(d);
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'resources.requests.cpu', message: 'required field is missing' });
    expect(p.fix).toContain('resources.requests.cpu');
    const d2 = doc();
    d2.defaults.resources = { requests: { cpu: '100m' }, limits: { cpu: '500m', memory: '512Mi' } } as never;
    expect(only(d2).field).toBe('resources.requests.memory');
  });

  test('limits below requests', () => {
    const p = only(doc({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } } }));
    expect(p).toMatchObject({ field: 'resources.limits.cpu', value: '500m' });
    expect(p.message).toContain('below the request (1)');
    expect(problems(doc({ resources: { requests: { cpu: '0.5', memory: '1Gi' }, limits: { cpu: '500m', memory: '1024Mi' } } }))).toEqual([]);
  });

  test.each([
    ['memory', '128MiBB'],
    ['memory', '-1'],
    ['memory', '128m'],
    ['cpu', '-1'],
    ['cpu', '100mm'],
    ['cpu', '1.5555'],
  ])('malformed or negative %s quantity %s', (resource, value) => {
    const p = only(doc({ resources: { requests: { [resource]: value } } }));
    expect(p).toMatchObject({ field: `resources.requests.${resource}`, value, message: 'malformed value' });
    expect(p.allowed).toContain('non-negative');
  });

  test('quantities written as YAML numbers are read as Kubernetes reads them', () => {
    const result = validateTenantsDocument(doc({ resources: { requests: { cpu: 0.5, memory: 134217728 }, limits: { cpu: 1, memory: '512Mi' } } }));
    expect(result.problems).toEqual([]);
    expect(result.tenants[0].resources).toEqual({ requests: { cpu: '0.5', memory: '134217728' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(only(doc({ resources: { requests: { cpu: -1 } } }))).toMatchObject({ field: 'resources.requests.cpu', value: '-1', message: 'malformed value' });
    expect(only(doc({ resources: { limits: { cpu: 1.5555 } } }))).toMatchObject({ field: 'resources.limits.cpu', message: 'malformed value' });
  });

  test('zero requests are refused', () => {
    const p = only(doc({ resources: { requests: { cpu: '0m' } } }));
    expect(p).toMatchObject({ field: 'resources.requests.cpu', value: '0m' });
    expect(p.message).toContain('zero');
  });

  test('ports out of range', () => {
    for (const port of [0, 65536, 80.5]) expect(only(doc({ port })).field).toBe('port');
    expect(problems(doc({ port: 65535 }))).toEqual([]);
  });

  test('out-of-range periods and budgets', () => {
    expect(only(doc({ scaling: { scaledownPeriod: 5 } }))).toMatchObject({ field: 'scaling.scaledownPeriod', value: 5 });
    expect(only(doc({ coldStartBudget: 2 }))).toMatchObject({ field: 'coldStartBudget', value: 2 });
    expect(only(doc({ coldStartBudget: 3600 })).allowed).toBe('an integer number of seconds from 5 to 900');
    expect(only(doc({ responseTimeout: 0 })).field).toBe('responseTimeout');
    expect(problems(doc({ scaling: { scaledownPeriod: 900 }, coldStartBudget: 120 }))).toEqual([]);
  });

  test('request-rate window shorter than granularity', () => {
    const p = only(doc({ scaling: { metric: { requestRate: { target: 5, window: '1s', granularity: '10s' } } } }));
    expect(p.field).toBe('scaling.metric.requestRate.window');
  });

  test('both or neither scaling metric', () => {
    expect(only(doc({ scaling: { metric: { requestRate: { target: 5 }, concurrency: { target: 5 } } } })).message).toContain('both');
    expect(only(doc({ scaling: { metric: {} } })).message).toBe('no scaling metric is set');
  });

  test('unknown fields are reported with a suggestion, in tenants and in defaults', () => {
    const p = only(doc({ scalling: { max: 2 } }));
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'scalling' });
    expect(p.message).toContain('unknown field');
    expect(p.fix).toBe('did you mean "scaling"? rename it');
    const nested = only(doc({ scaling: { maxReplicas: 2 } }));
    expect(nested.field).toBe('scaling.maxReplicas');
    const d = doc({}, { coldStartBuget: 30 });
    expect(only(d)).toMatchObject({ tenant: 'defaults', field: 'coldStartBuget', fix: 'did you mean "coldStartBudget"? rename it' });
    expect(only({ ...doc(), tenant: [] })).toMatchObject({ tenant: 'file', field: 'tenant' });
  });

  test('secret values written in plain text', () => {
    const p = only(doc({ env: { OPENAI_API_KEY: 'sk-123' } }));
    expect(p).toMatchObject({ field: 'env.OPENAI_API_KEY', value: '<redacted>' });
    expect(JSON.stringify(p)).not.toContain('sk-123');
    expect(problems(doc({ env: { OPENAI_API_KEY: { secret: 'openai', key: 'api-key' }, LOG_LEVEL: 'info', WORKERS: '2' } }))).toEqual([]);
  });

  test('reserved label prefixes', () => {
    expect(only(doc({ labels: { 'tenantscale.io/tenant': 'x' } })).field).toBe('labels.tenantscale.io/tenant');
    expect(problems(doc({ labels: { 'example.com/plan': 'gold' } }))).toEqual([]);
  });

  test('every problem is reported at once, naming its tenant', () => {
    const d = doc({ scaling: { max: 0 }, image: 'podinfo:latest' }, {}, [{ name: 'Bad', hosts: ['x.example.com'] }]);
    const ps = problems(d);
    expect(ps.map((p) => `${p.tenant}:${p.field}`).sort()).toEqual(['Bad:name', 'ahmed:image', 'ahmed:scaling.max']);
  });

  test('cross-field rules still run on an entry whose other fields are malformed', () => {
    const ps = problems(doc({ resources: { requests: { memory: '128MiBB', cpu: '-1' } }, scaling: { min: 2, max: 1 } }));
    expect(ps.map((p) => p.field).sort()).toEqual(['resources.requests.cpu', 'resources.requests.memory', 'scaling.min']);
    expect(ps.find((p) => p.field === 'scaling.min')!.message).toBe('min is greater than max (1)');
  });

  test('a broken defaults block does not hide the tenants\' own problems', () => {
    const ps = problems(doc({ stateful: true }, { port: 0 }));
    expect(ps.map((p) => `${p.tenant}:${p.field}`).sort()).toEqual(['ahmed:scaling.min', 'defaults:port']);
  });

  test('two entries with one name: both are checked', () => {
    const ps = problems(doc({ port: 0 }, {}, [{ name: 'ahmed', hosts: ['b.example.com'], image: 'nginx' }]));
    expect(ps.map((p) => `${p.tenant}:${p.field}`).sort()).toEqual(['ahmed:image', 'ahmed:name', 'ahmed:port']);
  });
});

describe('the file itself', () => {
  test('missing file', () => {
    const err = catchError(() => loadTenants('/nonexistent/tenants.yaml'));
    expect(err.problems[0]).toMatchObject({ tenant: 'file', message: 'the tenants file does not exist' });
    expect(err.message).toContain('nothing was written');
  });

  test('empty file', () => {
    expect(validateTenantsText('').problems[0].message).toBe('the tenants file is empty');
    expect(validateTenantsText('# only a comment\n').problems[0].message).toBe('the tenants file is empty');
  });

  test('not YAML', () => {
    const p = validateTenantsText('tenants:\n  - name: a\n   hosts: [x\n').problems[0];
    expect(p.message).toMatch(/^the tenants file is not valid YAML \(line \d+, column \d+\)/);
  });

  test('not a mapping', () => {
    expect(validateTenantsText('- a\n- b\n').problems[0].message).toBe('the tenants file must be a mapping, not a list');
  });

  test('duplicate keys are YAML errors, not silently overwritten', () => {
    expect(validateTenantsText('tenants: []\ntenants: []\n').problems[0].message).toContain('not valid YAML');
  });

  test('loadTenants reads a valid file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-'));
    const file = join(dir, 'tenants.yaml');
    writeFileSync(file, JSON.stringify(doc()));
    expect(loadTenants(file).map((t) => t.name)).toEqual(['ahmed']);
  });
});

function catchError(fn: () => unknown): TenantListError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TenantListError) return err;
    throw err;
  }
  throw new Error('expected a TenantListError');
}

describe('the YAML reader', () => {
  const { parse } = require('yaml');
  test.each([
    ['the example list', readFileSync(EXAMPLE_TENANTS, 'utf8')],
    ['YAML 1.1 words stay strings (1.2 core schema)', 'tenants:\n  - name: a\n    labels: { x: on, y: yes, z: no, w: off }\n'],
    ['numbers, nulls, booleans, octal-looking strings', 'a: 0755\nb: 0o17\nc: ~\nd: true\ne: 1e3\nf: "007"\ng: .5\nh: 2024-01-01\n'],
    ['flow and block styles, anchors', 'x: &v [1, 2]\ny: *v\nz: |\n  multi\n  line\n'],
  ])('js-yaml and yaml read %s identically', (_name, text) => {
    const read = parseTenantsYaml(text);
    expect('data' in read && read.data).toEqual(parse(text));
  });

  test('what js-yaml refuses is reported with its position', () => {
    expect(parseTenantsYaml('a: 1\na: 2\n')).toEqual({ problem: expect.objectContaining({ message: expect.stringMatching(/^the tenants file is not valid YAML \(line 2, column 1\)/) }) });
    expect(parseTenantsYaml('a: [1\n')).toEqual({ problem: expect.objectContaining({ tenant: 'file', field: '' }) });
  });
});
