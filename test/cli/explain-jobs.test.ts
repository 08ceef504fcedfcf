import { explainTenant } from '../../cli/commands/explain';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import { loadTenants } from '../../tenants/validate';

const tenants = loadTenants('test/fixtures/workloads/tenants.yaml');
const tenant = (name: string) => tenants.find((t) => t.name === name)!;

describe('explain: job kinds and scratch (issue 22)', () => {
  test('job: the queue branch ending in a ScaledJob, its run settings, no Deployment, no cold-start chain', () => {
    const e = explainTenant(tenant('transcribe'), DEFAULT_PLATFORM_SETTINGS, 120);
    expect(e.kind).toBe('job');
    expect(e.branch[2]).toMatch(/^Runs to completion\? → a KEDA ScaledJob/);
    expect(e.why).toContain('runs 0..3 at once (ScaledJob minReplicaCount..maxReplicaCount; none while the queue is empty)');
    expect(e.why).toContain('ScaledJob triggers: redis; each run is a Job of one pod (restartPolicy Never, backoffLimit 1, activeDeadlineSeconds 900)');
    expect(e.why).toContain('scratch: /work 2Gi (disk)');
    expect(e.objects).toEqual(['Namespace tenant-transcribe', 'ResourceQuota tenant-transcribe/transcribe', 'LimitRange tenant-transcribe/transcribe', 'NetworkPolicy tenant-transcribe/transcribe', 'ScaledJob tenant-transcribe/transcribe']);
    expect(e.coldStartChain).toEqual([]);
  });

  test('cron-job: the schedule and its time zone; scaling is said not to be read', () => {
    const e = explainTenant(tenant('nightly-report'), DEFAULT_PLATFORM_SETTINGS, 120);
    expect(e.why).toContain('CronJob "0 2 * * *" (Europe/Berlin), concurrencyPolicy Forbid; scaling is not read: one run at a time');
    expect(e.objects).toContain('CronJob tenant-nightly-report/nightly-report');
    expect(e.objects.some((o) => o.startsWith('Deployment'))).toBe(false);
  });

  test('a job with metrics from defaults: explain says it is not scraped', () => {
    const e = explainTenant({ ...tenant('transcribe'), port: 9898, metrics: { path: '/metrics', interval: '30s' } }, DEFAULT_PLATFORM_SETTINGS, 120);
    expect(e.why).toContain("metrics: not scraped (a run's pod has no Service for a ServiceMonitor to select)");
    expect(e.objects.some((o) => o.startsWith('ServiceMonitor'))).toBe(false);
  });
});
