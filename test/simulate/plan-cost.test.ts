import { join } from 'node:path';
import { costDelta, costLines } from '../../cli/plan/cost';
import { loadTenants } from '../../tenants/validate';
import { EXAMPLE_DIR, EXAMPLE_TENANTS } from '../example-project';

const ROOT = join(__dirname, '..', '..');

describe('plan: cost and wake delta', () => {
  const base = loadTenants(EXAMPLE_TENANTS);
  const head = base.map((t) => (t.name === 'ahmed' ? { ...t, scaling: { ...t.scaling, min: 1 } } : t));

  it('a tenant kept warm stops waking and costs more; the others are unchanged', () => {
    const d = costDelta(base, head, [{ name: 'ahmed', status: 'changed' }], { root: EXAMPLE_DIR });
    if (!d.evaluated) throw new Error(d.reason);
    const ahmed = d.tenants[0];
    expect(ahmed.before!.wakesPerDay).toBeGreaterThan(0);
    expect(ahmed.after!.wakesPerDay).toBe(0);
    expect(ahmed.after!.monthlyCost).toBeGreaterThan(ahmed.before!.monthlyCost);
    expect(d.after.wakesPerDay).toBeLessThan(d.before.wakesPerDay);
    expect(costLines(d)[2]).toMatch(/^ {2}ahmed \(changed\): \$[\d.]+, [\d.]+ wakes\/day/);
  });

  it('no change, no delta', () => {
    const d = costDelta(base, base, [], { root: EXAMPLE_DIR });
    if (!d.evaluated) throw new Error(d.reason);
    expect(d.after).toEqual(d.before);
  });

  it('a broken stack is reported, not thrown', () => {
    const d = costDelta(base, head, [], { root: ROOT, stack: 'test/simulate/fixtures/Pulumi.bad.yaml' });
    expect(d.evaluated).toBe(false);
    expect(costLines(d)[0]).toMatch(/^not evaluated: .*nodePools\[0\]\.min/);
  });
});
