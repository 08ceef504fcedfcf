/**
 * The simulator drives each tenant kind by what drives it in the cluster: HTTP requests (with warm
 * windows), queue messages, cron windows, or an always-on service's load. Examples are the six
 * tenants of tenants/tenants.yaml, each simulated alone so its own pods show in the timeline.
 */
import { parseStackConfig } from '../../infra/config';
import { loadTenants } from '../../tenants/validate';
import { TenantSpec } from '../../tenants/schema';
import { CronWindows, SIM_EPOCH_MS, utcOffsetMinutes } from '../../simulate/cron-windows';
import { nextPoll, strongestQueueMetric } from '../../simulate/engine';
import { builtinProfile, Profile, withActiveFraction } from '../../simulate/profile';
import { simulate } from '../../simulate/simulation';
import { toSimTenant } from '../../simulate/tenant-adapter';
import { EXAMPLE_TENANTS } from '../example-project';

const example = loadTenants(EXAMPLE_TENANTS);
const tenant = (name: string): TenantSpec => {
  const t = example.find((x) => x.name === name);
  if (!t) throw new Error(`tenants.yaml has no ${name}`);
  return t;
};
// The pools of Pulumi.dev.yaml: embeddings is placed on the tainted `large` one.
const stack = parseStackConfig(
  {
    region: 'fra1',
    nodePools: [
      { name: 'default', size: 's-2vcpu-4gb', min: 1, max: 30 },
      { name: 'large', size: 's-4vcpu-8gb', min: 0, max: 3, taints: [{ key: 'workload', value: 'large', effect: 'NoSchedule' }] },
    ],
  },
  true,
);
const quiet: Profile = { ...builtinProfile('assistant', { days: 1 }), traffic: { ...builtinProfile('assistant').traffic, conversationsPerDay: 0 } };
const busy = withActiveFraction(builtinProfile('assistant', { days: 1 }), 0.3);
const run = (names: string[], profile: Profile) => simulate({ tenants: names.map(tenant), stack, stackName: 'test', profile, baselines: false });
/** Mean running tenant pods per UTC hour of day 0. */
const podsByHour = (names: string[], profile: Profile) => run(names, profile).timeline.map((h) => h.pods);

describe('KEDA cron windows over simulated time', () => {
  test('Europe/Berlin is UTC+1 in January and UTC+2 in July', () => {
    expect(utcOffsetMinutes('Europe/Berlin', SIM_EPOCH_MS)).toBe(60);
    expect(utcOffsetMinutes('Europe/Berlin', Date.UTC(2026, 6, 1))).toBe(120);
    expect(utcOffsetMinutes('UTC', SIM_EPOCH_MS)).toBe(0);
  });

  test('a 02:00-04:00 Berlin window is active from 01:00 UTC, start instant included, to 03:00 UTC, end instant excluded (next start not before next end)', () => {
    const w = new CronWindows([{ start: '0 2 * * *', end: '0 4 * * *', timezone: 'Europe/Berlin', replicas: 2 }], 86400);
    expect([0, 3599, 3600, 3601, 7200, 10799, 10800, 10801, 12 * 3600].map((s) => w.replicasAt(s))).toEqual([0, 0, 2, 2, 2, 2, 0, 0, 0]);
  });

  test('several windows: the highest replicas of the active ones; a window over midnight', () => {
    const w = new CronWindows(
      [
        { start: '0 22 * * *', end: '0 6 * * *', timezone: 'UTC', replicas: 1 },
        { start: '0 5 * * *', end: '0 7 * * *', timezone: 'UTC', replicas: 3 },
      ],
      2 * 86400,
    );
    expect([3600, 5.5 * 3600, 6.5 * 3600, 12 * 3600, 23 * 3600].map((s) => w.replicasAt(s))).toEqual([1, 3, 3, 0, 1]);
  });

  test('KEDA polls every 30 s; the queue trigger asking for the most replicas wins', () => {
    expect([0, 1, 30, 31].map((t) => nextPoll(t, 30))).toEqual([0, 30, 30, 60]);
    const lag = { kind: 'backlog' as const, target: 50, activation: 5 };
    const rate = { kind: 'rate' as const, target: 2, activation: 0 };
    expect(strongestQueueMetric([lag, rate], 400, 1)).toEqual({ usage: 400, metric: lag });
    expect(strongestQueueMetric([lag, rate], 40, 10)).toEqual({ usage: 10, metric: rate });
    expect(strongestQueueMetric([], 40, 10)).toBeUndefined();
  });
});

describe('the adapter: each kind by what drives it', () => {
  test('queue: messages, its Kafka trigger, no route', () => {
    expect(toSimTenant(tenant('invoices'))).toMatchObject({ driver: 'messages', minReplicas: 0, maxReplicas: 6, queue: [{ kind: 'backlog', target: 50, activation: 5 }], routeTimeoutSeconds: Infinity });
  });

  test('scheduled: its cron windows as tenantscale writes them, no route', () => {
    const t = toSimTenant(tenant('nightly-report'));
    expect(t).toMatchObject({ driver: 'schedule', minReplicas: 0, routeTimeoutSeconds: Infinity, windows: [{ start: '0 2 * * *', end: '0 4 * * *', timezone: 'Europe/Berlin', replicas: 1 }] });
    expect(t.queue).toBeUndefined();
  });

  test('service: always on, CPU utilization as busy requests per replica', () => {
    const t = toSimTenant(tenant('embeddings'));
    expect(t).toMatchObject({ minReplicas: 2, maxReplicas: 6, metric: { kind: 'concurrency', target: 0.7 }, routeTimeoutSeconds: Infinity });
    expect(t.driver).toBeUndefined();
  });

  test('http: requests, a route; a warm window becomes a cron window beside the HTTP trigger', () => {
    expect(toSimTenant(tenant('ahmed'))).toMatchObject({ minReplicas: 0, routeTimeoutSeconds: 95 });
    expect(toSimTenant(tenant('ahmed')).windows).toBeUndefined();
    expect(toSimTenant(tenant('fatima')).windows).toEqual([{ start: '0 8 * * 1,2,3,4,5', end: '0 18 * * 1,2,3,4,5', timezone: 'Europe/Berlin', replicas: 1 }]);
    expect(toSimTenant(tenant('openclaw'))).toMatchObject({ minReplicas: 1 });
  });
});

describe('the engine: each kind over a simulated Monday', () => {
  test('scheduled: one pod from 01:00 to 03:00 UTC (02:00-04:00 Berlin), nothing else, no wakes', () => {
    const r = run(['nightly-report'], busy);
    const pods = r.timeline.map((h) => h.pods);
    expect(pods[0]).toBe(0);
    expect(pods[1]).toBeCloseTo(1, 1);
    expect(pods[2]).toBeCloseTo(1, 1);
    // Off at 03:00 UTC; KEDA scales it to zero after its 30 s cooldown.
    expect(pods[3]).toBeLessThan(0.05);
    expect(pods.slice(4).every((p) => p === 0)).toBe(true);
    expect(r.wakes.total).toBe(0);
  });

  test('warm window on an HTTP tenant: one pod 07:00-17:00 UTC (08:00-18:00 Berlin) without any request', () => {
    const pods = podsByHour(['fatima'], quiet);
    expect(pods.slice(0, 7).every((p) => p === 0)).toBe(true);
    expect(pods.slice(7, 17).every((p) => p > 0.95 && p <= 1)).toBe(true);
    // After 17:00 UTC the window is closed; the scaledownPeriod (600 s) passes, then zero.
    expect(pods[17]).toBeLessThan(0.25);
    expect(pods.slice(18).every((p) => p === 0)).toBe(true);
  });

  test('service: its two replicas all day, never a wake', () => {
    const r = run(['embeddings'], quiet);
    expect(r.timeline.every((h) => h.pods === 2)).toBe(true);
    expect(r.wakes.total).toBe(0);
  });

  test('placement: a tenant on a node pool runs there only (the tainted pool is billed for it); unplaced tenants never land there', () => {
    expect(toSimTenant(tenant('embeddings')).nodePool).toBe('large');
    const placed = run(['embeddings'], quiet);
    // Its two replicas on one s-4vcpu-8gb node of `large`; the default pool holds the platform only.
    expect(placed.pools.map((p) => `${p.name} ${p.min}-${p.peak}`)).toEqual([`default ${run([], quiet).pools[0].peak}-${run([], quiet).pools[0].peak}`, 'large 1-1']);
    expect(placed.pools[1].monthlyCost).toBeGreaterThan(0);
    const unplaced = run(['ahmed', 'invoices'], busy);
    expect(unplaced.pools[1]).toMatchObject({ name: 'large', peak: 0, monthlyCost: 0 });
    // Without its pool in the stack, the placed tenant cannot run anywhere (pulumi up refuses such a stack).
    const noPool = simulate({ tenants: [tenant('embeddings')], stack: parseStackConfig({ region: 'fra1', nodePools: [{ name: 'default', size: 's-2vcpu-4gb', min: 1, max: 30 }] }, true), stackName: 'test', profile: quiet, baselines: false });
    expect(noPool.unschedulable).toEqual(['embeddings']);
  });

  test('queue: no messages, no pods; messages wake it through KEDA polling, never over a route timeout', () => {
    expect(podsByHour(['invoices'], quiet).every((p) => p === 0)).toBe(true);
    const r = run(['invoices'], busy);
    expect(r.wakes.total).toBeGreaterThan(0);
    expect(r.wakes.overRouteTimeout).toBe(0);
    // Activation waits for a polling tick (0-30 s), then start and readiness: never faster than an interceptor wake.
    expect(r.wakes.p50Seconds).toBeGreaterThanOrEqual(4);
  });

  test('a queue and an HTTP tenant with the same traffic: the HTTP one counts route timeouts, the queue one cannot', () => {
    const http = run(['ahmed'], busy);
    const queue = run(['invoices'], busy);
    expect(http.wakes.total).toBeGreaterThan(0);
    expect(queue.perTenant[0].name).toBe('invoices');
    expect(queue.wakes.overRouteTimeout).toBe(0);
  });
});
