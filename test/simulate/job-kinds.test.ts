/**
 * Job kinds in the simulator (issue 22 item 1): a run's pod is charged for its run time and then
 * goes; a cron-job runs at its firings, a ScaledJob from its queue's backlog as KEDA would.
 * Tenants: test/fixtures/workloads/tenants.yaml.
 */
import { join } from 'node:path';
import { parseStackConfig } from '../../infra/config';
import { loadTenants } from '../../tenants/validate';
import type { TenantSpec } from '../../tenants/schema';
import { scaledJobRunsToStart } from '../../simulate/engine';
import { builtinProfile, Profile, withActiveFraction } from '../../simulate/profile';
import { simulate } from '../../simulate/simulation';
import { toSimTenant } from '../../simulate/tenant-adapter';

const fixture = loadTenants(join(__dirname, '..', 'fixtures', 'workloads', 'tenants.yaml'));
const tenant = (name: string): TenantSpec => fixture.find((t) => t.name === name)!;
const stack = parseStackConfig({ region: 'fra1', nodePools: [{ name: 'default', size: 's-2vcpu-4gb', min: 1, max: 30 }] }, true);
const quiet: Profile = { ...builtinProfile('assistant', { days: 1 }), traffic: { ...builtinProfile('assistant').traffic, conversationsPerDay: 0 } };
const busy = withActiveFraction(builtinProfile('assistant', { days: 1 }), 0.3);
const run = (specs: TenantSpec[], profile: Profile) => simulate({ tenants: specs, stack, stackName: 'test', profile, baselines: false });
const podHours = (pods: number[]) => pods.reduce((a, b) => a + b, 0);

describe('ScaledJob arithmetic (KEDA v2.20.2 default strategy)', () => {
  test('⌈queue ÷ target⌉ capped at max − min, less the running Jobs; min kept; nothing while inactive', () => {
    expect(scaledJobRunsToStart({ running: 0, min: 0, max: 3, queue: { length: 12, target: 5, active: true } })).toBe(3);
    expect(scaledJobRunsToStart({ running: 0, min: 0, max: 10, queue: { length: 12, target: 5, active: true } })).toBe(3);
    expect(scaledJobRunsToStart({ running: 2, min: 0, max: 10, queue: { length: 12, target: 5, active: true } })).toBe(1);
    expect(scaledJobRunsToStart({ running: 3, min: 0, max: 3, queue: { length: 100, target: 5, active: true } })).toBe(0);
    expect(scaledJobRunsToStart({ running: 0, min: 0, max: 3, queue: { length: 2, target: 5, active: false } })).toBe(0);
    expect(scaledJobRunsToStart({ running: 0, min: 1, max: 3 })).toBe(1);
    // min 1 of max 3: MaxReplicaCount() is max − min = 2 beyond the one kept.
    expect(scaledJobRunsToStart({ running: 1, min: 1, max: 3, queue: { length: 50, target: 5, active: true } })).toBe(2);
  });
});

describe('the adapter', () => {
  test('cron-job: runs of expectedSeconds at its schedule; job: runs from its triggers, batch = the target', () => {
    expect(toSimTenant(tenant('nightly-report'))).toMatchObject({ driver: 'runs', minReplicas: 0, maxReplicas: 1, runs: { seconds: 600, cron: { schedule: '0 2 * * *', timezone: 'Europe/Berlin', replace: false }, max: 1 } });
    expect(toSimTenant(tenant('transcribe'))).toMatchObject({ driver: 'runs', minReplicas: 0, maxReplicas: 3, runs: { seconds: 120, min: 0, max: 3, batch: 5 }, queue: [{ kind: 'backlog', target: 5 }] });
  });

  test('without expectedSeconds a run is charged its deadline (the most it can cost)', () => {
    const spec = { ...tenant('nightly-report'), run: { deadlineSeconds: 1800, backoffLimit: 2 } };
    expect(toSimTenant(spec).runs?.seconds).toBe(1800);
  });
});

describe('the engine over a simulated Monday', () => {
  test('the nightly report: one 10-minute run after 01:00 UTC (02:00 Berlin), then nothing; no wakes', () => {
    const r = run([tenant('nightly-report')], busy);
    const pods = r.timeline.map((h) => h.pods);
    expect(pods[0]).toBe(0);
    // 600 s of run plus the pod's start (image pull), inside hour 1 only.
    expect(pods[1]).toBeGreaterThanOrEqual(600 / 3600);
    expect(pods[1]).toBeLessThan(0.25);
    expect(pods.filter((_, h) => h !== 1).every((p) => p === 0)).toBe(true);
    expect(r.wakes.total).toBe(0);
  });

  test('a run charged for its deadline costs its deadline: a 1800 s run is ~half an hour of pod', () => {
    const spec = { ...tenant('nightly-report'), run: { deadlineSeconds: 1800, backoffLimit: 2 } };
    const pods = run([spec], quiet).timeline.map((h) => h.pods);
    expect(podHours(pods)).toBeGreaterThanOrEqual(0.5);
    expect(podHours(pods)).toBeLessThan(0.6);
  });

  test('the ScaledJob: no pod without messages; with traffic, runs that come and go, never more than maxReplicaCount', () => {
    expect(podHours(run([tenant('transcribe')], quiet).timeline.map((h) => h.pods))).toBe(0);
    const r = run([tenant('transcribe')], busy);
    const pods = r.timeline.map((h) => h.pods);
    expect(podHours(pods)).toBeGreaterThan(0);
    expect(pods.every((p) => p <= 3)).toBe(true);
    // Runs end: some hour of the day has no run at all although the tenant is busy at others.
    expect(pods.some((p) => p === 0)).toBe(true);
  });
});
