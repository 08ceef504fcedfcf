import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkStackSelections, parseStackSelection, readStackSelections, selectionProblems, StackSelection, StackSelectionError } from '../../infra/stack-selection';
import { selects, tenantSelectorSchema } from '../../infra/tenant-selector';
import { loadTenants } from '../../tenants/validate';
import type { TenantSpec } from '../../tenants/schema';

const ROOT = resolve(__dirname, '../..');
const selector = (s: unknown) => tenantSelectorSchema.parse(s);
const tenant = (name: string, labels: Record<string, string>, hosts = [`${name}.example.com`]) => ({ name, labels, hosts }) as unknown as TenantSpec;

describe('tenantSelector (metav1.LabelSelector semantics)', () => {
  const eu = { region: 'eu', tier: 'pro' };
  test('matchLabels: every pair must match; an empty or absent selector selects everything', () => {
    expect(selects(selector({ matchLabels: { region: 'eu' } }), eu)).toBe(true);
    expect(selects(selector({ matchLabels: { region: 'us' } }), eu)).toBe(false);
    expect(selects(selector({}), eu)).toBe(true);
    expect(selects(undefined, {})).toBe(true);
  });
  test('In / NotIn / Exists / DoesNotExist; NotIn also matches a tenant without the key', () => {
    expect(selects(selector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['pro', 'team'] }] }), eu)).toBe(true);
    expect(selects(selector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['free'] }] }), eu)).toBe(false);
    expect(selects(selector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['free'] }] }), {})).toBe(true);
    expect(selects(selector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['pro'] }] }), eu)).toBe(false);
    expect(selects(selector({ matchExpressions: [{ key: 'region', operator: 'Exists' }] }), eu)).toBe(true);
    expect(selects(selector({ matchExpressions: [{ key: 'region', operator: 'DoesNotExist' }] }), eu)).toBe(false);
  });
  test('refuses In without values and Exists with values', () => {
    expect(tenantSelectorSchema.safeParse({ matchExpressions: [{ key: 'tier', operator: 'In' }] }).success).toBe(false);
    expect(tenantSelectorSchema.safeParse({ matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['x'] }] }).success).toBe(false);
  });
});

describe('selection across the stacks of a repository', () => {
  const list = [tenant('a', { region: 'eu' }), tenant('b', { region: 'us' }), tenant('c', { region: 'eu', tier: 'free' })];
  const stack = (name: string, sel?: unknown, file = '/repo/tenants.yaml'): StackSelection => ({ stack: name, tenantsFile: file, selector: sel ? selector(sel) : undefined });
  const lists = (file: string) => (file === '/repo/tenants.yaml' ? list : [tenant('a2', {}, ['a.example.com'])]);

  test('two stacks splitting the list by region: every tenant served once, no problem', () => {
    expect(selectionProblems([stack('eu', { matchLabels: { region: 'eu' } }), stack('us', { matchLabels: { region: 'us' } })], lists)).toEqual([]);
  });

  test('a tenant selected by two stacks is refused, naming both stacks', () => {
    const problems = selectionProblems([stack('eu', { matchLabels: { region: 'eu' } }), stack('all')], lists);
    expect(problems.map((p) => [p.tenant, p.stacks])).toEqual([
      ['a', ['eu', 'all']],
      ['c', ['eu', 'all']],
    ]);
    expect(problems[0].message).toBe('served by 2 stacks of environment "default"; each tenant must live on exactly one cluster of an environment');
  });

  test('a tenant no stack selects is refused, with its labels and every selector', () => {
    const problems = selectionProblems([stack('eu', { matchLabels: { region: 'eu' } })], lists);
    expect(problems).toHaveLength(1);
    expect(problems[0].tenant).toBe('b');
    expect(problems[0].message).toBe('no stack serves it (labels {"region":"us"}; selectors: eu: region=eu)');
  });

  test('the same host served by tenants of two stacks reading different lists is refused', () => {
    const problems = selectionProblems([stack('main'), stack('other', undefined, '/repo/other.yaml')], lists);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ tenant: 'a2', stacks: ['main', 'other'] });
    expect(problems[0].message).toContain('host a.example.com is also served by tenant "a" (stack main)');
  });

  test('Pulumi.<stack>.yaml files of a directory: selectors read, a bad selector named with its file and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-stacks-'));
    try {
      writeFileSync(join(dir, 'Pulumi.yaml'), 'name: tenantscale\n');
      writeFileSync(join(dir, 'Pulumi.eu.yaml'), 'config:\n  tenantscale:tenantSelector:\n    matchLabels: { region: eu }\n');
      writeFileSync(join(dir, 'Pulumi.us.yaml'), 'config:\n  tenantscale:tenantSelector:\n    matchLabels: { region: us }\n  tenantscale:tenantsFile: t.yaml\n');
      const stacks = readStackSelections(dir);
      expect(stacks.map((s) => [s.stack, s.tenantsFile, s.selector?.matchLabels])).toEqual([
        ['eu', join(dir, 'tenants/tenants.yaml'), { region: 'eu' }],
        ['us', join(dir, 't.yaml'), { region: 'us' }],
      ]);
      expect(() => parseStackSelection('bad', 'config:\n  tenantscale:tenantSelector:\n    matchExpressions: [{ key: tier, operator: Near }]\n', dir)).toThrow(
        /^Pulumi\.bad\.yaml: tenantscale:tenantSelector\.matchExpressions\.0\.operator: /,
      );
      expect(() => parseStackSelection('alias', 'x: &a 1\nconfig:\n  y: *a\n', dir)).toThrow(/^Pulumi\.alias\.yaml: .*allowed: plain YAML without aliases/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the example project\'s stacks partition its tenant list (the check the program runs)', () => {
    const stacks = checkStackSelections(resolve(ROOT, 'test/fixtures/example'), loadTenants);
    expect(stacks.map((s) => s.stack)).toContain('dev');
  });

  test('checkStackSelections throws StackSelectionError listing every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-stacks-'));
    try {
      writeFileSync(join(dir, 'Pulumi.a.yaml'), 'config: {}\n');
      writeFileSync(join(dir, 'Pulumi.b.yaml'), 'config: {}\n');
      expect(() => checkStackSelections(dir, () => list)).toThrow(StackSelectionError);
      expect(() => checkStackSelections(dir, () => list)).toThrow('tenant "a" (stacks: a, b): served by 2 stacks');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
