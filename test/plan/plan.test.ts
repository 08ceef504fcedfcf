/**
 * computePlan, the pure core of `tenantscale plan`: which tenants are added, removed and changed,
 * which warnings a change earns (destructive vs caution), the policy results of the new state and
 * the exit code.
 */
import { diffObjects, KubeObjectLike } from '../../cli/plan/diff';
import { computePlan, looksRenamed, objectWarnings, planExitCode, PolicyRunner } from '../../cli/plan/plan';
import { policyRunner } from '../../cli/plan/policy';
import { renderHuman, renderMarkdown, PlanContext } from '../../cli/plan/render';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsText } from '../../tenants/validate';
import { edit, EXAMPLE } from './git-fixture';

function tenants(text: string): TenantSpec[] {
  const result = validateTenantsText(text);
  if (result.problems.length > 0) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.tenants;
}

const BASE = tenants(EXAMPLE);
const CONTEXT: PlanContext = { file: 'tenants/tenants.yaml', baseCommit: '0123456789abcdef', baseDescription: 'merge base of HEAD and main', baseMissing: false, head: 'working tree' };

const codes = (plan: ReturnType<typeof computePlan>) => plan.warnings.map((w) => `${w.severity} ${w.code} ${w.tenant}`);

describe('computePlan', () => {
  test('identical lists: no tenants, no warnings, exit 0; the policy sees nothing', () => {
    const plan = computePlan(BASE, tenants(EXAMPLE), { policy: policyRunner() });
    expect(plan.tenants).toEqual([]);
    expect(plan.summary).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 3 });
    expect(plan.policy).toMatchObject({ evaluated: true, scope: 'touched', objects: 0 });
    expect(planExitCode(plan)).toBe(0);
  });

  test('reordering tenants or map keys is no change (specs compared canonically)', () => {
    const reordered = EXAMPLE.replace('    labels:\n      plan: starter\n', '    labels:\n      plan: starter\n').replace(
      '    hosts: [openclaw.tenants.example.com]\n    stateful: true\n',
      '    stateful: true\n    hosts: [openclaw.tenants.example.com]\n',
    );
    expect(reordered).not.toBe(EXAMPLE);
    expect(computePlan(BASE, tenants(reordered)).tenants).toEqual([]);
    expect(computePlan(BASE, [...BASE].reverse()).tenants).toEqual([]);
  });

  test('a change to `defaults` changes every tenant that inherits it, and only those', () => {
    const plan = computePlan(BASE, tenants(EXAMPLE.replace('  port: 9898\n', '  port: 8080\n')));
    expect(plan.tenants.map((t) => `${t.status} ${t.name}`)).toEqual(['changed ahmed', 'changed fatima', 'changed openclaw']);
    const ahmed = plan.tenants[0];
    expect(ahmed.spec).toEqual([{ path: 'port', old: 9898, new: 8080 }]);
    const service = ahmed.objects.find((o) => o.object.kind === 'Service');
    expect(service?.changes).toEqual([
      { path: 'spec.ports[0].port', old: 9898, new: 8080 },
      { path: 'spec.ports[0].targetPort', old: 9898, new: 8080 },
    ]);
  });

  test('removal is destructive and names the namespace and the ReferenceGrant outside it', () => {
    const plan = computePlan(BASE, tenants(edit.removeOpenclaw(EXAMPLE)));
    expect(plan.destructive).toBe(true);
    expect(planExitCode(plan)).toBe(2);
    expect(codes(plan)).toEqual(['destructive tenant-removed openclaw']);
    expect(plan.warnings[0].message).toBe(
      'removing tenant "openclaw" deletes namespace tenant-openclaw and everything in it, including the Secret openclaw-whatsapp it reads (its value is not in the tenant list), volumes and anything else created by hand; also ReferenceGrant keda/tenant-openclaw',
    );
    expect(plan.tenants[0].objects.every((o) => o.action === 'delete')).toBe(true);
    expect(plan.summary.objects).toEqual({ create: 0, update: 0, replace: 0, delete: 14 });
  });

  test('a rename (same hosts, new name) is flagged as a rename that replaces the namespace', () => {
    const renamed = EXAMPLE.replace('  - name: ahmed\n', '  - name: ahmed-2\n');
    const plan = computePlan(BASE, tenants(renamed));
    expect(plan.tenants.map((t) => `${t.status} ${t.name}`)).toEqual(['added ahmed-2', 'removed ahmed']);
    expect(codes(plan)).toEqual(['destructive tenant-renamed ahmed']);
    expect(plan.warnings[0].message).toContain('tenant "ahmed" looks renamed to "ahmed-2"');
    expect(plan.warnings[0].message).toContain('deletes namespace tenant-ahmed and everything in it, including Secrets, volumes and anything else created by hand; also ReferenceGrant keda/tenant-ahmed;');
    expect(plan.warnings[0].message).toContain('creates tenant-ahmed-2 empty: nothing created by hand is carried over');
  });

  test('looksRenamed: a shared host (any case); an identical spec under other hosts is a removal plus an addition', () => {
    const [ahmed, fatima] = BASE;
    expect(looksRenamed(ahmed, { ...ahmed, name: 'x' })).toBe(true);
    expect(looksRenamed(ahmed, { ...fatima, name: 'x', hosts: ['other.example.com', 'AHMED.tenants.example.com'] })).toBe(true);
    expect(looksRenamed(ahmed, { ...ahmed, name: 'x', hosts: ['other.example.com'] })).toBe(false);
    const swapped = computePlan(BASE, tenants(edit.addCarol(edit.removeOpenclaw(EXAMPLE))));
    expect(codes(swapped)).toEqual(['destructive tenant-removed openclaw']);
  });

  test('lowering scaling.max is a capacity reduction (caution, exit 0); raising it is not', () => {
    const lowered = computePlan(BASE, tenants(edit.lowerFatimaMax(EXAMPLE)));
    expect(codes(lowered)).toEqual(['caution capacity-reduced fatima']);
    expect(lowered.warnings[0].message).toContain('scaling.max lowered 5 → 3 (capacity reduction of 40%)');
    expect(planExitCode(lowered)).toBe(0);
    const raised = computePlan(BASE, tenants(EXAMPLE.replace('      max: 5\n', '      max: 8\n')));
    expect(raised.warnings).toEqual([]);
  });

  test('removing the metrics block deletes the ServiceMonitor: destructive object deletion', () => {
    const plan = computePlan(BASE, tenants(EXAMPLE.replace('  metrics:\n    path: /metrics\n', '')));
    expect(plan.warnings.filter((w) => w.tenant === 'ahmed').map((w) => `${w.code}: ${w.message}`)).toEqual([
      'object-deleted: ServiceMonitor tenant-ahmed/ahmed is deleted',
    ]);
    expect(plan.destructive).toBe(true);
  });

  test('a stateful tenant made stateless and free to sleep: caution naming the lost state', () => {
    const text = EXAMPLE.replace('    stateful: true\n    scaling:\n      min: 1\n', '    scaling:\n      min: 0\n');
    const plan = computePlan(BASE, tenants(text));
    expect(codes(plan)).toEqual(['caution scale-to-zero-enabled openclaw']);
    expect(plan.warnings[0].message).toContain('in-memory state and paired sessions are lost when it sleeps');
  });

  test('hosts: removing one is a caution; moving one to another tenant names both', () => {
    const dropped = EXAMPLE.replace('hosts: [fatima.tenants.example.com, assistant.fatima.example.org]', 'hosts: [fatima.tenants.example.com]');
    expect(computePlan(BASE, tenants(dropped)).warnings.map((w) => w.message)).toEqual([
      // its own certificate and HTTPS listener go with it (the other host is under the wildcard)
      'Certificate tenant-fatima/fatima-tls is deleted',
      'ListenerSet tenant-fatima/fatima is deleted',
      'NetworkPolicy tenant-fatima/fatima-acme-http01-solver is deleted',
      'host assistant.fatima.example.org is no longer routed to tenant "fatima": requests to it get 404 from the Gateway',
    ]);
    const moved = dropped.replace('hosts: [ahmed.tenants.example.com]', 'hosts: [ahmed.tenants.example.com, assistant.fatima.example.org]');
    expect(computePlan(BASE, tenants(moved)).warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([
      'object-deleted: Certificate tenant-fatima/fatima-tls is deleted',
      'object-deleted: ListenerSet tenant-fatima/fatima is deleted',
      'object-deleted: NetworkPolicy tenant-fatima/fatima-acme-http01-solver is deleted',
      'host-moved: host assistant.fatima.example.org moves from tenant "fatima" to tenant "ahmed": its traffic goes to a different workload',
    ]);
  });

  test('policy: the real rules over the touched tenants find nothing in a valid list; scope all sees every object', () => {
    const next = tenants(edit.addCarol(EXAMPLE));
    const touched = computePlan(BASE, next, { policy: policyRunner() });
    expect(touched.policy).toMatchObject({ evaluated: true, scope: 'touched', objects: 14, mandatory: 0 });
    const all = computePlan(BASE, next, { policy: policyRunner(), policyScope: 'all' });
    expect(all.policy).toMatchObject({ evaluated: true, scope: 'all', objects: 59 });
  });

  test('policy findings are attributed to their tenant; a mandatory one makes the exit code 1', () => {
    const flagDeployments: PolicyRunner = (objects) =>
      objects
        .filter((o) => o.kind === 'Deployment')
        .map((o) => ({ rule: 'example-rule', level: o.metadata.name === 'carol' ? ('mandatory' as const) : ('advisory' as const), namespace: o.metadata.namespace ?? '', kind: o.kind, name: o.metadata.name, message: 'flagged', fix: 'unflag' }));
    const plan = computePlan(BASE, tenants(edit.addCarol(EXAMPLE)), { policy: flagDeployments, policyScope: 'all' });
    expect(plan.policy.violations.map((v) => `${v.level} ${v.tenant} touched=${v.touched}`)).toEqual([
      'mandatory carol touched=true',
      'advisory ahmed touched=false',
      'advisory fatima touched=false',
      'advisory openclaw touched=false',
    ]);
    expect(planExitCode(plan)).toBe(1);
    const human = renderHuman(plan, CONTEXT);
    expect(human).toContain('✗ carol: mandatory example-rule: Deployment tenant-carol/carol: flagged (fix: unflag)');
    expect(human).toContain('… 3 advisory findings in tenants this change does not touch');
    expect(human).toContain('✗ the new state breaks 1 mandatory policy rule (exit 1)');
  });

  test('without a policy runner the plan says the policy was not evaluated, and why', () => {
    const plan = computePlan(BASE, BASE, { policyUnavailable: 'engine missing' });
    expect(plan.policy).toMatchObject({ evaluated: false, reason: 'engine missing' });
    expect(renderHuman(plan, CONTEXT)).toContain('Policy: not evaluated (engine missing)');
  });

  test('deterministic: the same inputs render byte-identical human and Markdown output', () => {
    const next = tenants(edit.lowerFatimaMax(edit.addCarol(edit.bumpAhmedImage(EXAMPLE))));
    const a = computePlan(BASE, next, { policy: policyRunner() });
    const b = computePlan([...BASE].reverse(), [...next].reverse(), { policy: policyRunner() });
    expect(renderHuman(b, CONTEXT)).toBe(renderHuman(a, CONTEXT));
    expect(renderMarkdown(b, CONTEXT)).toBe(renderMarkdown(a, CONTEXT));
  });

  test('Markdown stays under the comment limit: details beyond it are summarized', () => {
    const many = tenants(EXAMPLE.replace('  port: 9898\n', '  port: 8080\n'));
    const full = renderMarkdown(computePlan(BASE, many), CONTEXT);
    const bounded = renderMarkdown(computePlan(BASE, many), CONTEXT, { maxLength: 3000 });
    expect(full).toContain('<code>openclaw</code>');
    expect(bounded.length).toBeLessThanOrEqual(3000);
    expect(bounded).toMatch(/… details of [1-3] tenants? left out to fit a comment/);
    expect(bounded).toContain('| ✏️ | `openclaw` | changed |');
  });

  test('object warnings: a rename pairs a deleted and a created object of one kind; an immutable change is a replacement', () => {
    const svc = (name: string, clusterIP?: string): KubeObjectLike => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'tenant-a' }, spec: clusterIP ? { clusterIP } : {} });
    const cm = (name: string): KubeObjectLike => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'tenant-a' } });
    const objects = diffObjects([svc('a', '10.0.0.1'), cm('old'), cm('gone')], [svc('a', '10.0.0.2'), cm('new')]);
    expect(objectWarnings({ name: 'a', status: 'changed', spec: [], objects }).map((w) => `${w.severity} ${w.code}: ${w.message}`)).toEqual([
      'destructive object-replaced: Service tenant-a/a is replaced (deleted and recreated): spec.clusterIP cannot change in place',
      'destructive object-renamed: ConfigMap tenant-a/old is replaced by ConfigMap tenant-a/new: a rename deletes the old object and creates a new one',
      'destructive object-deleted: ConfigMap tenant-a/gone is deleted',
    ]);
    expect(objectWarnings({ name: 'a', status: 'changed', spec: [], objects: diffObjects([cm('x')], [cm('x'), cm('y')]) })).toEqual([]);
  });
});
