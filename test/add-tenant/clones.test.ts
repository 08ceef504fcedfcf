/**
 * Issue 18, item 4: cloning an example tenant N times (docs/load-test.md) gives a list that
 * validates; a hand copy of a tenant that `uses` a service is still refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTenantsToText, runAddTenant } from '../../cli/commands/add-tenant';
import { validateTenantsText } from '../../tenants/validate';
import { captureOutput } from '../cli/capture-output';

/** A list of its own (not tenants/tenants.yaml): a caller of a shared service, and the service. */
const LIST = `defaults:
  image: ghcr.io/stefanprodan/podinfo:6.7.1
  port: 9898
  probes: { readiness: /readyz, liveness: /healthz }
  resources:
    requests: { cpu: 100m, memory: 128Mi }
    limits: { cpu: 500m, memory: 512Mi }
  scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } }
tenants:
  - name: caller
    hosts: [caller.tenants.example.com]
    labels: { plan: starter }
    uses: [vectors]
  - name: vectors
    kind: service
    scaling: { min: 1, max: 4 }
    autoscaling: { cpu: 70 }
    consumers: [caller]
`;

const clones = (n: number, withoutUses = false) =>
  Array.from({ length: n }, (_, i) => ({ name: `load-${i + 1}`, hosts: [`load-${i + 1}.tenants.example.com`], like: 'caller', withoutUses }));

describe('clones of a tenant that uses a shared service', () => {
  test('failing: a hand copy is refused (the service does not list it)', () => {
    const copy = `${LIST}  - name: load-1\n    hosts: [load-1.tenants.example.com]\n    uses: [vectors]\n`;
    const { problems } = validateTenantsText(copy);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ tenant: 'load-1', field: 'uses', value: 'vectors', line: 21, column: 12 });
  });

  test('passing: add-tenant --like adds each clone to the service\'s consumers, and the list validates', () => {
    const result = addTenantsToText(LIST, clones(50));
    if (!result.ok) throw new Error(JSON.stringify(result.problems[0]));
    expect(result.tenants).toHaveLength(50);
    expect(result.tenants[49]).toMatchObject({ name: 'load-50', uses: ['vectors'], labels: { plan: 'starter' } });
    const after = validateTenantsText(result.text);
    expect(after.problems).toEqual([]);
    expect(after.tenants.find((t) => t.name === 'vectors')?.consumers).toEqual(['caller', ...clones(50).map((c) => c.name)]);
    // Only the consumers line changed above the new entries.
    expect(result.text.startsWith(LIST.replace('consumers: [caller]', `consumers: [caller, ${clones(50).map((c) => c.name).join(', ')}]`))).toBe(true);
  });

  test('a block-style consumers list gets one line per clone', () => {
    const block = LIST.replace('    consumers: [caller]\n', '    consumers:\n      - caller\n');
    const result = addTenantsToText(block, clones(2));
    expect(result.ok && result.text).toContain('    consumers:\n      - caller\n      - load-1\n      - load-2\n');
  });

  test('more clones than a service admits are refused with the fix, --no-uses clones validate', () => {
    const refused = addTenantsToText(LIST, clones(1000));
    expect(refused.ok ? [] : refused.problems).toEqual([expect.objectContaining({ tenant: 'vectors', field: 'consumers', fix: expect.stringContaining('--no-uses') })]);
    const result = addTenantsToText(LIST, clones(1500, true));
    if (!result.ok) throw new Error(JSON.stringify(result.problems[0]));
    expect(validateTenantsText(result.text).problems).toEqual([]);
    expect(result.tenants[0].uses).toEqual([]);
  });
});

describe('the recipe of docs/load-test.md', () => {
  test('add-tenant load --like … --count N --host {name}… writes a list that validates', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'load-test.md'), 'utf8');
    const commands = [...doc.matchAll(/^npx tenantscale add-tenant (\S+) --like (\S+)( --no-uses)? --count (\d+) --host '([^']+)'$/gm)];
    expect(commands).toHaveLength(2);
    for (const [, name, like, noUses, count, host] of commands) {
      const file = join(mkdtempSync(join(tmpdir(), 'tenantscale-clones-')), 'tenants.yaml');
      // The example list's caller is ahmed; this list's is `caller`: the recipe's template renamed.
      writeFileSync(file, LIST);
      const out = captureOutput();
      const code = runAddTenant(name, { tenants: file, like: like === 'ahmed' ? 'caller' : like, uses: noUses ? false : undefined, count: Math.min(Number(count), 1200), host: [host] }, out);
      expect({ code, errors: out.stderr }).toEqual({ code: 0, errors: [] });
      const result = validateTenantsText(readFileSync(file, 'utf8'));
      expect(result.problems).toEqual([]);
      expect(result.tenants).toHaveLength(2 + Math.min(Number(count), 1200));
    }
  });
});
