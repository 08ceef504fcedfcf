/** `plan` on tenants with disks: removing the tenant or a volume is destructive and names the claims. */
import { computePlan, planExitCode } from '../../cli/plan/plan';
import { TenantSpec } from '../../tenants/schema';
import { validateTenantsDocument } from '../../tenants/validate';

function list(volumes: unknown[] | undefined, extra: Record<string, unknown>[] = []): TenantSpec[] {
  const claw = {
    name: 'claw',
    hosts: ['claw.example.com'],
    kind: 'stateful',
    image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
    port: 9898,
    probes: { readiness: '/readyz', liveness: '/healthz' },
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    scaling: { min: 1, max: 1, metric: { requestRate: { target: 10 } } },
    ...(volumes ? { volumes } : {}),
  };
  const result = validateTenantsDocument({ tenants: [claw, ...extra] });
  if (result.problems.length > 0) throw new Error(JSON.stringify(result.problems));
  return result.tenants;
}

const SESSIONS = { name: 'sessions', mountPath: '/data', size: '10Gi' };

describe('plan: disks', () => {
  test('removing a tenant with a volume names its claim and says the DigitalOcean volume is deleted', () => {
    const plan = computePlan(list([SESSIONS]), []);
    expect(planExitCode(plan)).toBe(2);
    expect(plan.warnings.map((w) => w.code)).toEqual(['tenant-removed']);
    expect(plan.warnings[0].message).toContain(
      'its disk: PersistentVolumeClaim tenant-claw/claw-sessions (10Gi, do-block-storage) is deleted: a storage class with reclaim policy Delete (do-block-storage) deletes the DigitalOcean volume and its data with the claim',
    );
  });

  test('with do-block-storage-retain the warning says the volume stays, still billed', () => {
    const plan = computePlan(list([{ ...SESSIONS, storageClass: 'do-block-storage-retain' }]), []);
    expect(plan.warnings[0].message).toContain('their storage class retains the DigitalOcean volumes (Released PersistentVolumes, still billed');
  });

  test('removing one volume is destructive (volume-removed), once, naming the claim', () => {
    const plan = computePlan(list([SESSIONS, { name: 'cache', mountPath: '/cache', size: '1Gi' }]), list([SESSIONS]));
    expect(plan.destructive).toBe(true);
    expect(plan.warnings.map((w) => `${w.severity} ${w.code} ${w.tenant}`)).toEqual(['destructive volume-removed claw']);
    expect(plan.warnings[0].message).toBe(
      'removing volume cache: PersistentVolumeClaim tenant-claw/claw-cache (1Gi, do-block-storage) is deleted: a storage class with reclaim policy Delete (do-block-storage) deletes the DigitalOcean volume and its data with the claim',
    );
  });

  test('adding a volume is not destructive', () => {
    const plan = computePlan(list(undefined), list([SESSIONS]));
    expect(plan.warnings.filter((w) => w.severity === 'destructive')).toEqual([]);
    expect(plan.tenants[0].objects.some((o) => o.action === 'create' && o.object.kind === 'PersistentVolumeClaim')).toBe(true);
  });
});
