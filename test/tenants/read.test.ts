/**
 * Hostile and malformed YAML: each limit of tenants/read.ts refuses its input with one short
 * problem (and a position where there is one), and accepts what is just inside the limit.
 * Speed and memory are measured by bench/read-bench.ts, not here.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem, formatValue, PROBLEMS_SHOWN_MAX, Problem, problemJson, TenantListError } from '../../tenants/problem';
import { parseEvents } from 'js-yaml';
import { DEFAULT_MAX_TENANTS, MAX_DEPTH, MAX_VALUE_BYTES, parseTenantsYaml, readLimits, readTenantsFile, tenantEntries } from '../../tenants/read';
import { loadTenants, MAX_PROBLEMS, validateTenantsText } from '../../tenants/validate';

const HEAD = 'defaults:\n  image: ghcr.io/stefanprodan/podinfo:6.7.1\n  port: 9898\n  probes: { readiness: /readyz, liveness: /healthz }\n  resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 500m, memory: 512Mi } }\n  scaling: { max: 3, metric: { requestRate: { target: 10 } } }\ntenants:\n';

/** `levels` anchors, each a list of `fanout` aliases of the previous one: fanout^levels nodes once expanded. */
function aliasBomb(levels: number, fanout = 9): string {
  const lines = ['bomb:', '  x0: &a0 [lol]'];
  for (let i = 1; i < levels; i++) lines.push(`  x${i}: &a${i} [${Array(fanout).fill(`*a${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\ntenants:\n  - name: bomb\n    hosts: [bomb.example.com]\n    env: *a${levels - 1}\n`;
}

function problemOf(text: string): Problem {
  const result = validateTenantsText(text);
  expect(result.problems).toHaveLength(1);
  return result.problems[0];
}

describe('aliases', () => {
  test('an alias bomb of ~520 bytes is refused with one short problem at the alias that overflows', () => {
    const text = aliasBomb(10);
    expect(text.length).toBeLessThan(600);
    const p = problemOf(text);
    expect(p).toMatchObject({ tenant: 'file', line: 9 });
    expect(p.message).toMatch(/^with its aliases \(\*name\) expanded the document is larger than the 26\.4 MiB tenantscale reads for 50,000 tenants \(limits\.maxTenants\)/);
    expect(p.fix).toMatch(/--max-tenants N or the stack setting tenantscale:limits\.maxTenants/);
    expect(formatProblem(p).length).toBeLessThan(700);
  });

  test('one level less (the former 2 MB error) is refused the same way', () => {
    expect(problemOf(aliasBomb(9)).message).toMatch(/alias bomb/);
  });

  test('aliases that expand modestly are read (a shared resources block)', () => {
    const shared = `${HEAD}  - name: a\n    hosts: [a.example.com]\n    resources: { requests: &r { cpu: 50m, memory: 64Mi }, limits: *r }\n  - name: b\n    hosts: [b.example.com]\n    resources: { requests: *r, limits: *r }\n`;
    const result = validateTenantsText(shared);
    expect(result.problems).toEqual([]);
    expect(result.tenants.map((t) => t.resources.limits.memory)).toEqual(['64Mi', '64Mi']);
  });

  test('more aliases than the tenant limit allows are refused while parsing, naming the limit; a higher limit reads them', () => {
    const { aliases } = readLimits({ maxTenants: 100 });
    expect(aliases).toBe(1_200);
    const many = `x: &a 1\ny: [${Array(aliases + 1).fill('*a').join(',')}]\n`;
    const p = validateTenantsText(many, { maxTenants: 100 }).problems[0];
    expect(p.message).toBe('the document uses more than 1,200 aliases (*name), the most tenantscale reads for 100 tenants (limits.maxTenants)');
    expect(p.allowed).toBe('at most 1,200 aliases (1,000 plus 2 per tenant of the limit)');
    expect('data' in parseTenantsYaml(many, readLimits({ maxTenants: 101 }))).toBe(true);
    const enough = `x: &a 1\ny: [${Array(100).fill('*a').join(',')}]\n`;
    expect('data' in parseTenantsYaml(enough)).toBe(true);
  });

  test('an alias of a node that contains it (which js-yaml builds as a cycle) is refused; an alias of a closed node is read', () => {
    const loop = problemOf('tenants: &t\n  - name: a\n    hosts: *t\n');
    expect(loop).toMatchObject({ message: 'the alias *t refers to the node that contains it (a recursive document)', line: 3, column: 12 });
    expect('data' in parseTenantsYaml('x: &v [1, 2]\ny: [*v, *v]\n')).toBe(true);
  });

  test('aliases followed deeper than the depth limit are refused', () => {
    const lines = ['x0: &a0 [1]', ...Array.from({ length: 40 }, (_, i) => `x${i + 1}: &a${i + 1} [*a${i}]`)];
    expect(problemOf(`${lines.join('\n')}\n`).message).toBe('with its aliases followed the document nests deeper than 32 levels');
  });
});

describe('sizes and depth', () => {
  test('a 10 MB env value is refused naming the limits of the API path, at its line', () => {
    const text = `${HEAD}  - name: big\n    hosts: [big.example.com]\n    env:\n      BLOB: ${'x'.repeat(10_000_000)}\n`;
    const p = problemOf(text);
    expect(p).toMatchObject({ tenant: 'file', line: 11, column: 13 });
    expect(p.message).toBe('a value of 10,000,000 characters is longer than the 256 KiB any tenant field can hold (kubectl apply keeps the whole object in a 256 KiB annotation; etcd refuses objects over 1.5 MiB)');
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-read-'));
    writeFileSync(join(dir, 'tenants.yaml'), text);
    expect(() => loadTenants(join(dir, 'tenants.yaml'))).toThrow(/line 11, column 13\) = .*|a value of 10,000,000 characters/);
  });

  test('a 1 MB value inside the file limit is refused by the value limit, at its position', () => {
    const p = problemOf(`${HEAD}  - name: big\n    hosts: [big.example.com]\n    env: { BLOB: "${'x'.repeat(1_000_000)}" }\n`);
    expect(p).toMatchObject({ tenant: 'file', line: 10, column: 19 });
    expect(p.message).toMatch(/^a value of 1,000,000 characters is longer than the 256 KiB/);
  });

  test(`a value of ${MAX_VALUE_BYTES / 1024} KiB is read; the object-size rule then judges the tenant`, () => {
    const text = `${HEAD}  - name: big\n    hosts: [big.example.com]\n    env:\n      BLOB: ${'x'.repeat(MAX_VALUE_BYTES)}\n`;
    const p = problemOf(text);
    expect(p).toMatchObject({ tenant: 'big', field: 'env', line: 11 });
    expect(p.message).toMatch(/Deployment would be about 261 KiB; objects over 256 KiB fail `kubectl apply`/);
  });

  test('the file backstop is derived from the tenant limit: over it is refused naming the limit and the override; under is parsed', () => {
    const { fileBytes } = readLimits({ maxTenants: 1_000 });
    expect(fileBytes).toBe(1024 * 1024 + 1_000 * 1024);
    const over = `# ${'x'.repeat(fileBytes)}\ntenants: []\n`;
    const p = validateTenantsText(over, { maxTenants: 1_000 }).problems[0];
    expect(p.message).toBe('the tenants file is 2.0 MiB, more than the 2.0 MiB tenantscale reads for 1,000 tenants (limits.maxTenants)');
    expect(p.fix).toMatch(/; or raise the tenant limit with --max-tenants N or the stack setting tenantscale:limits\.maxTenants/);
    const multibyte = `# ${'é'.repeat(fileBytes / 2)}\ntenants: []\n`;
    expect(validateTenantsText(multibyte, { maxTenants: 1_000 }).problems[0].message).toMatch(/more than the 2\.0 MiB/);
    const under = `# ${'x'.repeat(fileBytes - 100)}\ntenants: []\n`;
    expect(validateTenantsText(under, { maxTenants: 1_000 }).problems[0].message).toBe('the tenants list is empty');
    expect(validateTenantsText(over, { maxTenants: 1_001 }).problems[0].message).toBe('the tenants list is empty');
  });

  test('a file over the backstop on disk is refused from its size, before it is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-read-'));
    const file = join(dir, 'tenants.yaml');
    const limits = readLimits({ maxTenants: 10 });
    writeFileSync(file, Buffer.alloc(limits.fileBytes + 1, 0x20));
    const read = readTenantsFile(file, limits);
    expect('problem' in read && read.problem.message).toMatch(/more than the 1\.0 MiB tenantscale reads for 10 tenants \(limits\.maxTenants\)/);
    expect('text' in readTenantsFile(file, readLimits({ maxTenants: 11 }))).toBe(true);
  });

  test(`nesting deeper than ${MAX_DEPTH} levels is refused at the position where it overflows`, () => {
    const deep = `tenants: ${'['.repeat(MAX_DEPTH + 5)}${']'.repeat(MAX_DEPTH + 5)}\n`;
    const p = problemOf(deep);
    expect(p.message).toBe('the document nests deeper than 32 levels');
    expect(p.line).toBe(1);
    const fine = `x: ${'['.repeat(MAX_DEPTH - 2)}${']'.repeat(MAX_DEPTH - 2)}\n`;
    expect('data' in parseTenantsYaml(fine)).toBe(true);
  });
});

describe('messages', () => {
  test('a multi-document file says so in tenantscale\'s words, at the second document', () => {
    const p = problemOf(`${HEAD}  - name: a\n    hosts: [a.example.com]\n---\ntenants: []\n`);
    expect(p.message).toBe('the file holds 2 YAML documents (separated by `---`); the tenant list is one document');
    expect(p.line).toBe(11);
    expect(formatProblem(p)).not.toMatch(/parseAllDocuments|loadAll/);
    expect(validateTenantsText(`---\n${HEAD}  - name: a\n    hosts: [a.example.com]\n---\n`).problems).toEqual([]);
  });

  test('a directory given as the list is named as a directory, not "create <path>"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-read-'));
    mkdirSync(join(dir, 'tenants'));
    const read = readTenantsFile(join(dir, 'tenants'));
    expect('problem' in read && read.problem).toMatchObject({ message: `${join(dir, 'tenants')} is a directory, not a tenants file`, fix: `pass the file itself, e.g. --tenants ${join(dir, 'tenants')}/tenants.yaml` });
    expect(() => loadTenants(join(dir, 'tenants'))).toThrow(/is a directory/);
    const missing = readTenantsFile(join(dir, 'nope.yaml'));
    expect('problem' in missing && missing.problem.fix).toMatch(/^create /);
  });

  test('schema errors carry line and column, like syntax errors', () => {
    const p = problemOf(`${HEAD}  - name: a\n    hosts: [a.example.com]\n    port: 70000\n`);
    expect(p).toMatchObject({ tenant: 'a', field: 'port', value: 70000, line: 10, column: 11 });
    expect(formatProblem(p)).toContain('tenant "a", field port (line 10, column 11) = 70000: too large');
    const unknown = problemOf(`${HEAD}  - name: a\n    hosts: [a.example.com]\n    prot: 80\n`);
    expect(unknown).toMatchObject({ field: 'prot', line: 10, column: 5 });
    const fromDefaults = problemOf(`${HEAD.replace('limits: { cpu: 500m', 'limits: { cpu: 50m')}  - name: a\n    hosts: [a.example.com]\n`);
    expect(fromDefaults).toMatchObject({ tenant: 'a', field: 'resources.limits.cpu', line: 5 });
    const duplicate = problemOf(`${HEAD}  - name: a\n    hosts: [a.example.com]\n  - name: a\n    hosts: [b.example.com]\n`);
    expect(duplicate).toMatchObject({ field: 'name', line: 10, column: 11 });
    const syntax = problemOf('tenants:\n  - name: a\n   hosts: [x\n');
    expect(syntax.line).toBe(3);
  });

  test('.inf is shown as .inf, not null, in text and JSON', () => {
    const p = problemOf(`${HEAD}  - name: a\n    hosts: [a.example.com]\n    port: .inf\n`);
    expect(formatProblem(p)).toContain('= .inf');
    expect(p.value).toBe(Infinity);
    expect(JSON.parse(JSON.stringify(problemJson(p))).value).toBe('.inf');
    expect(formatValue(-Infinity)).toBe('-.inf');
    expect(formatValue(NaN)).toBe('.nan');
    expect(formatValue(8080)).toBe('8080');
  });

  test('types are named in YAML words with the right article ("a mapping", never "a object")', () => {
    const p = problemOf(`${HEAD}  - name: a\n    hosts: [a.example.com]\n    probes: yes\n`);
    expect(p.message).toBe('wrong type: expected a mapping');
    expect(formatProblem(p)).not.toMatch(/\ba object\b/);
  });

  test('a missing hosts is not told to go in defaults (which refuses hosts); a missing image is', () => {
    const ps = validateTenantsText('tenants:\n  - name: a\n').problems;
    expect(ps.find((p) => p.field === 'image')?.fix).toMatch(/or once in `defaults`/);
    // hosts is optional in the schema (queue and scheduled tenants have none); an http tenant without it:
    const hosts = validateTenantsText(`${HEAD}  - name: a\n`).problems.find((p) => p.field === 'hosts');
    expect(hosts).toMatchObject({ tenant: 'a', message: expect.stringContaining('needs at least one hostname') });
    expect(hosts?.fix).not.toMatch(/defaults/);
    expect(problemOf('defaults: { port: 80 }\n')).toMatchObject({ tenant: 'file', field: 'tenants', fix: 'write tenants: followed by "- name: …" entries' });
  });

  test('validation stops after 1,000 problems and says so first', () => {
    const entries = Array.from({ length: 1200 }, (_, i) => `  - name: t${i}\n    hosts: [t${i}.example.com]\n    port: 0\n`).join('');
    const result = validateTenantsText(`${HEAD}${entries}`);
    expect(result.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(result.problems[0]).toMatchObject({ tenant: 'file', message: 'validation stopped after 1,000 problems (the list may have more)' });
    expect(result.problems[MAX_PROBLEMS]).toMatchObject({ tenant: 't999', field: 'port' });
    expect(validateTenantsText(`${HEAD}${entries.split('  - name: t999\n')[0]}`).problems).toHaveLength(999);
  });

  test('long values are cut in messages, and at most 20 problems are listed', () => {
    expect(formatValue('y'.repeat(5000))).toMatch(/… \(5,002 characters\)$/);
    const entries = Array.from({ length: 50 }, (_, i) => `  - name: t${i}\n    hosts: [t${i}.example.com]\n    port: 0\n`).join('');
    const result = validateTenantsText(`${HEAD}${entries}`);
    expect(result.problems).toHaveLength(50);
    const message = new TenantListError('tenants.yaml', result.problems).message;
    expect(message.split('\n')).toHaveLength(1 + PROBLEMS_SHOWN_MAX + 1);
    expect(message).toMatch(/… and 30 more problems \(fix these first\)$/);
  });
});

describe('limits that scale with the tenant limit (issue 19)', () => {
  const tenantsList = (n: number) => HEAD + Array.from({ length: n }, (_, i) => `  - name: t${i}\n    hosts: [t${i}.example.com]\n`).join('');

  test('a valid 9.6 MiB list (a large comment block) is read by default: comments do not count as content', () => {
    const comment = `# ${'notes about the platform '.repeat(40)}\n`;
    const text = `${comment.repeat(Math.ceil((9.6 * 1024 * 1024) / comment.length))}${tenantsList(3)}`;
    expect(Buffer.byteLength(text) / 1024 / 1024).toBeGreaterThan(9.6);
    const result = validateTenantsText(text);
    expect(result.problems).toEqual([]);
    expect(result.tenants.map((t) => t.name)).toEqual(['t0', 't1', 't2']);
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-read-'));
    writeFileSync(join(dir, 'tenants.yaml'), text);
    expect(loadTenants(join(dir, 'tenants.yaml'))).toHaveLength(3);
  });

  test('the default limits: 50,000 tenants, and sizes derived from it', () => {
    expect(DEFAULT_MAX_TENANTS).toBe(50_000);
    expect(readLimits()).toEqual({
      maxTenants: 50_000,
      fileBytes: 1024 * 1024 + 50_000 * 1024,
      contentBytes: 1024 * 1024 + 50_000 * 256,
      expandedBytes: 2 * (1024 * 1024 + 50_000 * 256),
      aliases: 101_000,
      nodesBase: 20_000,
      nodesPerTenant: 200,
    });
  });

  test('a list over the tenant limit is refused naming the limit and both overrides; with the override it is read', () => {
    const text = tenantsList(4);
    const p = validateTenantsText(text, { maxTenants: 3 }).problems;
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({
      tenant: 'file',
      message: 'the list has 4 tenants, more than the 3 tenantscale reads (limits.maxTenants)',
      allowed: 'at most 3 tenants (limits.maxTenants, default 50,000)',
      fix: 'raise the limit: --max-tenants 4 (synth, plan) or `pulumi config set --path tenantscale:limits.maxTenants 4` (synth --stack, pulumi up); or split the list across stacks',
    });
    expect(validateTenantsText(text, { maxTenants: 4 })).toMatchObject({ problems: [] });
    expect(validateTenantsText(text, { maxTenants: 4 }).tenants).toHaveLength(4);
  });

  test('YAML content over the content limit is refused before parsing, naming the limit; comments of the same size are not', () => {
    const { contentBytes } = readLimits({ maxTenants: 10 });
    const filler = `x: [${'1,'.repeat(contentBytes / 2)}1]\n`;
    const p = validateTenantsText(`${filler}${tenantsList(1)}`, { maxTenants: 10 }).problems[0];
    expect(p.message).toMatch(/^the tenants file holds 1\.0 MiB of YAML \(comments and blank lines not counted\), more than the 1\.0 MiB tenantscale reads for 10 tenants \(limits\.maxTenants\)$/);
    expect(p.allowed).toMatch(/1 MiB plus 256 bytes per tenant of the limit/);
    expect(p.fix).toMatch(/--max-tenants N or the stack setting tenantscale:limits\.maxTenants/);
    expect(validateTenantsText(`${filler.replace(/^x:/, '#')}${tenantsList(1)}`, { maxTenants: 10 }).problems).toEqual([]);
  });

  test('tenants are counted on the parser events, before any object is built (block and flow lists, nested lists not counted)', () => {
    const entries = (text: string) => tenantEntries(text, parseEvents(text, {}));
    expect(entries(tenantsList(5))).toBe(5);
    expect(entries('defaults: { tenants: [1, 2, 3] }\ntenants: [{ name: a, hosts: [a.example.com, b.example.com] }, { name: b }]\n')).toBe(2);
    expect(entries('- tenants: [1, 2]\n')).toBe(0);
    expect(entries('tenants: x\n')).toBe(0);
    expect(entries('tenants: [a]\n---\ntenants: [a, b, c]\n')).toBe(1);
    // An aliased list is counted once built, and held to the limit all the same.
    const aliased = 'x: &all [{ name: a }, { name: b }, { name: c }]\ntenants: *all\n';
    expect(entries(aliased)).toBe(0);
    expect(validateTenantsText(aliased, { maxTenants: 2 }).problems[0].message).toBe('the list has 3 tenants, more than the 2 tenantscale reads (limits.maxTenants)');
  });

  test('more YAML nodes than the tenants of the list need are refused before the schema; a few thousand are not', () => {
    const junk = (n: number) => `junk: [${Array(n).fill('1').join(',')}]\n`;
    const p = validateTenantsText(`${junk(30_000)}${tenantsList(2)}`).problems[0];
    expect(p.message).toMatch(/^the document has 30,\d{3} YAML nodes, more than the 20,400 read for its 2 tenants$/);
    expect(p.allowed).toBe('at most 20,000 nodes plus 200 per tenant of the list');
    // Under the node limit the schema reads the file and names the unknown key.
    expect(validateTenantsText(`${junk(5_000)}${tenantsList(2)}`).problems[0].message).not.toMatch(/YAML nodes/);
  });
});
