/**
 * Issue 22 item 10: plan and add-tenant say what happens and where, and nothing a reader cannot
 * find: the capacity warning names the consequence of the tenant's own kind, a wake that never
 * completed is not printed as "-1 s", and add-tenant never cites a line of a file it did not write.
 */
import { stringify } from 'yaml';
import { addTenantToText } from '../../cli/commands/add-tenant';
import { costLines, CostDelta, wakeText } from '../../cli/plan/cost';
import { computePlan, overloadConsequence } from '../../cli/plan/plan';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsText } from '../../tenants/validate';

const DEFAULTS = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { min: 0, max: 6, metric: { requestRate: { target: 10 } } },
};
const SERVICE = { name: 'embeddings', kind: 'service', scaling: { min: 2, max: 6 }, autoscaling: { cpu: 70 }, consumers: ['ahmed'] };
const AHMED = { name: 'ahmed', hosts: ['ahmed.example.com'], uses: ['embeddings'] };

function list(...tenants: Record<string, unknown>[]): TenantSpec[] {
  const r = validateTenantsText(stringify({ defaults: DEFAULTS, tenants }));
  if (r.problems.length > 0) throw new Error(JSON.stringify(r.problems));
  return r.tenants;
}

describe('plan: a lowered scaling.max', () => {
  test('a service tenant has no interceptor: its callers see slow responses', () => {
    const plan = computePlan(list(AHMED, SERVICE), list(AHMED, { ...SERVICE, scaling: { min: 2, max: 3 } }));
    const [w] = plan.warnings;
    expect(w).toMatchObject({ code: 'capacity-reduced', tenant: 'embeddings' });
    expect(w.message).toBe("scaling.max lowered 6 → 3 (capacity reduction of 50%): if current load needs more than 3 replicas, the service's pods run hot and its callers (ahmed) see slow responses and timeouts");
    expect(w.message).not.toContain('interceptor');
  });

  test('an http tenant keeps the interceptor consequence; queue and scheduled tenants get their own', () => {
    const plan = computePlan(list(AHMED, SERVICE), list({ ...AHMED, scaling: { min: 0, max: 2, metric: { requestRate: { target: 10 } } } }, SERVICE));
    expect(plan.warnings[0].message).toMatch(/requests queue at the interceptor and time out$/);
    const [queue, scheduled] = list(
      { name: 'q', kind: 'queue', scaling: { min: 0, max: 4 }, triggers: [{ type: 'kafka', bootstrapServers: 'kafka:9092', consumerGroup: 'g', topic: 't', partitions: 4 }] },
      { name: 's', kind: 'scheduled', scaling: { min: 0, max: 2, scaledownPeriod: 30 }, schedule: [{ start: '0 2 * * *', end: '0 4 * * *', timezone: 'UTC', replicas: 1 }] },
    );
    expect(overloadConsequence(queue)).toBe('the backlog (consumer lag) grows until load drops');
    expect(overloadConsequence(scheduled)).toBe('the scheduled window gets fewer replicas than it asks for');
  });
});

describe('plan cost: no sentinel values', () => {
  test('a wake that never completed reads "never ready", a tenant that never sleeps "no wakes"; real figures stay', () => {
    expect(wakeText({ wakesPerDay: 3, wakeP95Seconds: -1, wakesOverBudget: 3 })).toBe('3 wakes/day, p95 never ready (the pod fits no node), 3 over budget');
    expect(wakeText({ wakesPerDay: 0, wakeP95Seconds: 0, wakesOverBudget: 0 })).toBe('no wakes (never asleep)');
    expect(wakeText({ wakesPerDay: 2.5, wakeP95Seconds: 14.2, wakesOverBudget: 0 })).toBe('2.5 wakes/day, p95 14.2 s, 0 over budget');
    const side = { monthlyCost: { total: 10, nodes: 8, loadBalancer: 2, controlPlane: 0 }, wakesPerDay: 0, wakesOverBudget: 0, nodes: { min: 1, avg: 1, peak: 1 } } as unknown as CostDelta extends { before: infer S } ? S : never;
    const delta = {
      evaluated: true,
      stack: 'dev',
      profile: 'assistant',
      days: 7,
      seed: 1,
      before: side,
      after: side,
      tenants: [{ name: 'embeddings', status: 'changed', before: { monthlyCost: 5, wakesPerDay: 0, wakeP95Seconds: 0, wakesOverBudget: 0 }, after: { monthlyCost: 4, wakesPerDay: 1, wakeP95Seconds: -1, wakesOverBudget: 1 } }],
    } as unknown as CostDelta;
    const lines = costLines(delta).join('\n');
    expect(lines).toContain('embeddings (changed): $5.00, no wakes (never asleep) → $4.00, 1 wakes/day, p95 never ready (the pod fits no node), 1 over budget');
    expect(lines).not.toMatch(/-1 s/);
  });
});

describe('add-tenant: positions in the file on disk', () => {
  const FILE = ['defaults:', ...stringify(DEFAULTS).trimEnd().split('\n').map((l) => `  ${l}`), 'tenants:', '  - name: fatima', '    hosts: [fatima.example.com]', '# trailing comment', ''].join('\n');

  test("a problem in the new entry names tenant and field, no line of the file (the entry's line was never written)", () => {
    const r = addTenantToText(FILE, { name: 'carol', hosts: ['Carol.Example.com'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ tenant: 'carol', field: 'hosts.0', fix: 'write it in lowercase: "carol.example.com"' });
    expect(r.problems[0].line).toBeUndefined();
    expect(r.problems[0].column).toBeUndefined();
  });

  test('a problem in an existing entry keeps its line in the file on disk', () => {
    const broken = FILE.replace('  - name: fatima\n    hosts: [fatima.example.com]\n', '  - name: fatima\n    hosts: [fatima.example.com]\n    port: 0\n');
    const portLine = broken.split('\n').indexOf('    port: 0') + 1;
    const r = addTenantToText(broken, { name: 'carol', hosts: ['carol.example.com'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.tenant} ${p.field} line ${p.line}`)).toEqual([`fatima port line ${portLine}`]);
  });

  test('a valid entry is added', () => {
    const r = addTenantToText(FILE, { name: 'carol', hosts: ['carol.example.com'] });
    expect(r.ok).toBe(true);
  });
});
