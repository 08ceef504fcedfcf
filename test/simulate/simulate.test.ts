import { join } from 'node:path';
import { parseStackConfig } from '../../infra/config';
import { validateTenantsText } from '../../tenants/validate';
import { TenantSpec } from '../../tenants/schema';
import { builtinProfile, parseProfileText, Profile, withActiveFraction } from '../../simulate/profile';
import { renderJson, renderMarkdown } from '../../simulate/render';
import { simulate } from '../../simulate/simulation';
import { loadStack } from '../../infra/stack-file';
import { ROUTE_TIMEOUT_MARGIN_SECONDS } from '../../simulate/tenant-adapter';
import { poolMonthlyCost, monthOf, DEFAULT_PRICES } from '../../core/prices';
import { EXAMPLE_DIR } from '../example-project';

const ROOT = join(__dirname, '..', '..');

function tenantList(count: number, extra = ''): TenantSpec[] {
  const lines = [
    'defaults:',
    '  image: ghcr.io/stefanprodan/podinfo:6.7.1',
    '  port: 9898',
    '  probes: { readiness: /readyz, liveness: /healthz }',
    '  resources: { requests: { cpu: 250m, memory: 1Gi }, limits: { cpu: "1", memory: 1Gi } }',
    `  scaling: { min: 0, max: 3, scaledownPeriod: 600, metric: { requestRate: { target: 10 } } }${extra}`,
    'tenants:',
    ...Array.from({ length: count }, (_, i) => `  - { name: t${i}, hosts: [t${i}.example.com] }`),
  ];
  const r = validateTenantsText(lines.join('\n'));
  expect(r.problems).toEqual([]);
  return r.tenants;
}

const stack = parseStackConfig({ region: 'fra1', nodePools: [{ name: 'default', size: 's-2vcpu-4gb', min: 1, max: 30 }] }, true);
const quiet: Profile = { ...builtinProfile('assistant', { days: 1 }), traffic: { ...builtinProfile('assistant').traffic, conversationsPerDay: 0 } };

function run(tenants: TenantSpec[], profile: Profile) {
  return simulate({ tenants, stack, stackName: 'test', profile });
}

describe('limits anyone can check by hand', () => {
  it('no traffic costs exactly the floor: pool minimum (or the nodes the platform needs) + load balancer', () => {
    const r = run(tenantList(20), quiet);
    expect(r.wakes.total).toBe(0);
    // The platform's requests (2,950m CPU with the DaemonSets) need 2 s-2vcpu-4gb nodes: 2 × $24 + $12.
    expect(r.nodes).toEqual({ min: 2, avg: 2, peak: 2 });
    expect(r.monthlyCost).toEqual({ total: 60, nodes: 48, loadBalancer: 12, controlPlane: 0 });
  });

  it('more traffic never costs less', () => {
    const tenants = tenantList(30);
    const base = builtinProfile('assistant', { days: 2 });
    const costs = [0.02, 0.1, 0.3].map((f) => run(tenants, withActiveFraction(base, f)).monthlyCost.total);
    expect(costs[0]).toBeLessThanOrEqual(costs[1]);
    expect(costs[1]).toBeLessThanOrEqual(costs[2]);
    expect(costs[2]).toBeGreaterThan(costs[0]);
  });

  it('a tenant at min ≥ 1 never wakes', () => {
    const r = run(tenantList(10).map((t) => ({ ...t, scaling: { ...t.scaling, min: 1 } })), withActiveFraction(builtinProfile('assistant', { days: 2 }), 0.3));
    expect(r.wakes.total).toBe(0);
    expect(r.perTenant.every((t) => t.wakesPerDay === 0)).toBe(true);
  });

  it('a scale-to-zero tenant with traffic wakes, and the wake includes activation, start and readiness', () => {
    const r = run(tenantList(5), withActiveFraction(builtinProfile('assistant', { days: 1 }), 0.3));
    expect(r.wakes.total).toBeGreaterThan(0);
    // 1 s activation + 2 s start + 1 s readiness at least.
    expect(r.wakes.p50Seconds).toBeGreaterThanOrEqual(4);
  });

  it('always on costs what placing max(min, 1) pods needs: 50 × 1 GiB, two per 2.25 GiB node, next to the platform', () => {
    const r = run(tenantList(50), quiet);
    // At least 25 nodes for the tenants alone; the platform's two nodes take what room they have left.
    expect(r.baselines.alwaysOn.nodes).toBeGreaterThanOrEqual(25);
    expect(r.baselines.alwaysOn.nodes).toBeLessThanOrEqual(27);
    expect(r.baselines.alwaysOn.monthlyCost.total).toBe(r.baselines.alwaysOn.nodes * 24 + 12);
  });
});

describe('determinism', () => {
  it('the same seed gives the same bytes; another seed another result', () => {
    const tenants = tenantList(20);
    const p = withActiveFraction(builtinProfile('assistant', { days: 1, seed: 7 }), 0.1);
    const a = renderJson(run(tenants, p));
    expect(renderJson(run(tenants, p))).toBe(a);
    expect(renderJson(run(tenants, { ...p, seed: 8 }))).not.toBe(a);
  });
  it('adding a tenant leaves the others\' traffic unchanged (one stream per tenant)', () => {
    const p = withActiveFraction(builtinProfile('assistant', { days: 1 }), 0.1);
    const a = run(tenantList(10), { ...p, cluster: { ...p.cluster } });
    const b = run(tenantList(11), p);
    expect(b.perTenant.slice(0, 10).map((t) => t.wakesPerDay)).toEqual(a.perTenant.map((t) => t.wakesPerDay));
  });
});

describe('the 672-hour cap', () => {
  it('a node all month costs exactly its monthly price', () => {
    expect(poolMonthlyCost(monthOf([1]), DEFAULT_PRICES.nodeSizes['s-2vcpu-4gb'], DEFAULT_PRICES)).toBeCloseTo(24, 10);
  });
  it('a node for half the hours costs half', () => {
    expect(poolMonthlyCost(monthOf([1, 0]), DEFAULT_PRICES.nodeSizes['s-2vcpu-4gb'], DEFAULT_PRICES)).toBeCloseTo((365 * 24) / 24 / 672 * 24, 6);
  });
});

describe('outputs', () => {
  it('json has the fields pipelines read', () => {
    const r = JSON.parse(renderJson(run(tenantList(3), withActiveFraction(builtinProfile('assistant', { days: 1 }), 0.2))));
    for (const k of ['total', 'nodes', 'loadBalancer', 'controlPlane']) expect(typeof r.monthlyCost[k]).toBe('number');
    for (const k of ['min', 'avg', 'peak']) expect(typeof r.nodes[k]).toBe('number');
    for (const k of ['perDay', 'p50Seconds', 'p95Seconds', 'maxSeconds', 'overBudget']) expect(typeof r.wakes[k]).toBe('number');
    expect(Object.keys(r.perTenant[0])).toEqual(expect.arrayContaining(['name', 'monthlyCost', 'wakesPerDay', 'wakeLatency']));
    expect(Object.keys(r.perTenant[0].wakeLatency)).toEqual(['p50', 'p95', 'max']);
    for (const k of ['alwaysOn', 'scaleToZeroFixedNodes', 'scaleToZeroAutoscaled']) expect(typeof r.baselines[k].monthlyCost.total).toBe('number');
  });
  it('per-tenant costs and the shared part add up to the node cost', () => {
    const r = run(tenantList(10), withActiveFraction(builtinProfile('assistant', { days: 1 }), 0.2));
    const sum = r.perTenant.reduce((s, t) => s + t.monthlyCost, 0) + r.sharedNodeMonthlyCost;
    expect(sum).toBeCloseTo(r.monthlyCost.nodes, 1);
    expect(r.perTenant.some((t) => t.monthlyCost > 0)).toBe(true);
  });
  it('markdown has a mermaid xychart-beta timeline', () => {
    const md = renderMarkdown(run(tenantList(3), quiet));
    expect(md).toContain('```mermaid\nxychart-beta');
    expect(md).toMatch(/bar \[2, 2/);
  });
});

describe('stack and adapter', () => {
  it('reads Pulumi.dev.yaml through infra/config.ts', () => {
    const s = loadStack('dev', EXAMPLE_DIR);
    expect(s.nodePools[0].size).toBe('s-2vcpu-4gb');
  });
  it('refuses a bad stack key like pulumi up would', () => {
    expect(() => loadStack(join(ROOT, 'test', 'simulate', 'fixtures', 'Pulumi.bad.yaml'), ROOT)).toThrow(/nodePools\[0\]\.min/);
  });
  it('the route-timeout margin matches the Tenant construct', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(ROUTE_TIMEOUT_MARGIN_SECONDS).toBe(require('../../constructs/tenant').ROUTE_TIMEOUT_MARGIN_SECONDS);
  });
});

describe('profile file', () => {
  it('accepts a valid file and merges classes and tenants', () => {
    const r = parseProfileText('base: assistant\ndays: 2\nclasses:\n  - labels: { plan: business }\n    traffic: { requestsPerMinute: 6 }\ntenants:\n  t1: { conversationsPerDay: 20 }\n');
    expect(r.problems).toEqual([]);
    expect(r.profile?.days).toBe(2);
    expect(r.profile?.classes[0].traffic).toEqual({ requestsPerMinute: 6 });
  });
  it('refuses a bad value with field, value, allowed and fix', () => {
    const r = parseProfileText('traffic:\n  hourly: [1, 2, 3]\n');
    expect(r.profile).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ field: 'traffic.hourly', value: [1, 2, 3] });
    expect(r.problems[0].allowed).toMatch(/exactly 24 numbers/);
    expect(r.problems[0].fix).toBeTruthy();
  });
  it('refuses unknown keys and an unknown base', () => {
    const r = parseProfileText('base: chatty\ntrafic: {}\n');
    expect(r.problems.map((p) => p.field).sort()).toEqual(['base', 'trafic']);
  });
  it('refuses invalid YAML and alias bombs', () => {
    expect(parseProfileText('a: [1, 2').problems[0].message).toMatch(/not valid YAML/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(parseProfileText(bomb).problems.length).toBe(1);
  });
  it('refuses allocatable above capacity', () => {
    const r = parseProfileText('prices:\n  nodeSizes:\n    s-2vcpu-4gb: { vcpu: 2, memoryGiB: 4, monthlyUsd: 24, allocatableMemoryGiB: 5, allocatableCpuMilli: 1900 }\n');
    expect(r.problems[0]).toMatchObject({ field: 'prices.nodeSizes.s-2vcpu-4gb.allocatableMemoryGiB', value: 5 });
  });
});

describe('a tenant no node fits', () => {
  it('is named, and its wakes never complete (latency -1 in json, over the route timeout)', () => {
    const big = tenantList(2).map((t, i) => (i === 0 ? { ...t, resources: { ...t.resources, requests: { cpu: '250m', memory: '8Gi' } } } : t));
    const r = run(big, withActiveFraction(builtinProfile('assistant', { days: 1 }), 0.5));
    expect(r.unschedulable).toEqual(['t0']);
    const t0 = r.perTenant[0];
    expect(t0.wakesPerDay).toBeGreaterThan(0);
    expect(t0.wakeLatency.max).toBe(-1);
    expect(t0.wakesOverBudget).toBe(Math.round(t0.wakesPerDay));
  });
});

describe('steady traffic', () => {
  it('business hours wake each scale-to-zero tenant once a weekday, at 9:00', () => {
    const r = run(tenantList(4), builtinProfile('business-hours', { days: 1 }));
    expect(r.perTenant.map((t) => t.wakesPerDay)).toEqual([1, 1, 1, 1]);
    expect(r.timeline[8].pods).toBe(0);
    expect(r.timeline[10].pods).toBe(4);
  });
});
