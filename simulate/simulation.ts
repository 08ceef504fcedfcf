/**
 * `simulate(tenants, stack, profile)`: the three configurations of the lessons' comparison side by
 * side, and the report every output format renders. Pure apart from the engine's arithmetic: no
 * clock, no files.
 */
import type { SimulatedStack } from './simulated-stack';
import type { TenantSpec } from '../tenants/schema';
import { PoolSpec } from './cluster-autoscaler';
import { alwaysOnNodes, EngineInput, EngineResult, runEngine } from './engine';
import { platformPods } from './platform-pods';
import { billedFixedItems, cents, controlPlaneMonthlyCost, HOURS_PER_MONTH, loadBalancerMonthlyCost, monthOf, nodeSecondPrice, poolMonthlyCost, PriceTable } from '../core/prices';
import { Profile, trafficFor } from './profile';
import { SimTenant, toSimTenant } from './tenant-adapter';
import { quantile } from './wake';

export interface MonthlyCost {
  readonly total: number;
  readonly nodes: number;
  readonly loadBalancer: number;
  readonly controlPlane: number;
}

export interface WakeStats {
  readonly perDay: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly maxSeconds: number;
  /** Wakes slower than the tenant's coldStartBudget. */
  readonly overBudget: number;
  /** Wakes whose held request would pass the HTTPRoute timeout (504). */
  readonly overRouteTimeout: number;
  /** Wakes that had to wait for a new node. */
  readonly neededNode: number;
  readonly total: number;
}

export interface TenantReport {
  readonly name: string;
  readonly monthlyCost: number;
  readonly wakesPerDay: number;
  readonly wakeLatency: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly wakesOverBudget: number;
}

export interface PoolReport {
  readonly name: string;
  readonly size: string;
  readonly min: number;
  readonly avg: number;
  readonly peak: number;
  readonly monthlyCost: number;
}

export interface RunReport {
  readonly monthlyCost: MonthlyCost;
  readonly nodes: { readonly min: number; readonly avg: number; readonly peak: number };
  readonly pools: readonly PoolReport[];
  readonly wakes: WakeStats;
  /** Hour by hour over the simulated days: mean nodes and running tenant pods. */
  readonly timeline: readonly { readonly hour: number; readonly nodes: number; readonly pods: number }[];
}

export interface SimulationReport extends RunReport {
  readonly profile: string;
  readonly stack: string;
  readonly tenants: number;
  readonly days: number;
  readonly seed: number;
  readonly prices: { readonly date: string; readonly source: string };
  readonly perTenant: readonly TenantReport[];
  /**
   * Node cost no tenant's requests account for: the platform's pods, DaemonSets, reservations and
   * idle room (monthlyCost.nodes − Σ perTenant.monthlyCost).
   */
  readonly sharedNodeMonthlyCost: number;
  readonly baselines: {
    readonly alwaysOn: { readonly monthlyCost: MonthlyCost; readonly nodes: number };
    readonly scaleToZeroFixedNodes: { readonly monthlyCost: MonthlyCost; readonly nodes: number; readonly wakes: WakeStats };
    readonly scaleToZeroAutoscaled: { readonly monthlyCost: MonthlyCost };
  };
  /** Tenants whose pod fits no node of any pool they may use. */
  readonly unschedulable: readonly string[];
}

export interface SimulationInput {
  readonly tenants: readonly TenantSpec[];
  readonly stack: SimulatedStack;
  readonly stackName: string;
  readonly profile: Profile;
  /**
   * Also run the fixed-node and always-on baselines.
   * @default true
   */
  readonly baselines?: boolean;
}

function durationSeconds(d: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

/** The stack's node pools with their sizes' allocatable resources and prices. */
export function poolSpecs(stack: SimulatedStack, prices: PriceTable): PoolSpec[] {
  return stack.nodePools.map((p, i) => {
    const size = prices.nodeSizes[p.size];
    if (!size) {
      throw new Error(
        `tenantscale:nodePools[${i}].size = "${p.size}": no price for this Droplet size (allowed: ${Object.keys(prices.nodeSizes).join(', ')}, or any size added under prices.nodeSizes in the profile file; fix: add prices.nodeSizes.${p.size} to the profile)`,
      );
    }
    return {
      name: p.name,
      size: p.size,
      min: p.min,
      max: p.max,
      tenantEligible: !p.taints.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
      cpuAllocMilli: size.allocatableCpuMilli,
      memAllocBytes: Math.round(size.allocatableMemoryGiB * 1024 ** 3),
      gpuAlloc: size.gpus ?? 0,
      secondPrice: nodeSecondPrice(size, prices),
    };
  });
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function wakeStats(list: readonly EngineResult['wakes'][number][], days: number): WakeStats {
  const latencies = list.map((w) => w.latency).sort((a, b) => a - b);
  const finite = (x: number) => (Number.isFinite(x) ? round1(x) : -1);
  return {
    perDay: round1(list.length / days),
    p50Seconds: finite(quantile(latencies, 0.5)),
    p95Seconds: finite(quantile(latencies, 0.95)),
    maxSeconds: finite(latencies.length ? latencies[latencies.length - 1] : 0),
    overBudget: list.filter((w) => w.overBudget).length,
    overRouteTimeout: list.filter((w) => w.overRouteTimeout).length,
    neededNode: list.filter((w) => w.neededNode).length,
    total: list.length,
  };
}

function fixedCosts(stack: SimulatedStack, prices: PriceTable): { loadBalancer: number; controlPlane: number } {
  const items = billedFixedItems(stack);
  return { loadBalancer: loadBalancerMonthlyCost(items.loadBalancerSizeUnits, prices), controlPlane: controlPlaneMonthlyCost(items.haControlPlane, prices) };
}

function monthly(nodes: number, fixed: { loadBalancer: number; controlPlane: number }): MonthlyCost {
  return { total: cents(nodes + fixed.loadBalancer + fixed.controlPlane), nodes: cents(nodes), loadBalancer: cents(fixed.loadBalancer), controlPlane: cents(fixed.controlPlane) };
}

function runReport(result: EngineResult, pools: readonly PoolSpec[], stack: SimulatedStack, prices: PriceTable, days: number): RunReport & { poolBilled: number[] } {
  const fixed = fixedCosts(stack, prices);
  const poolBilled = pools.map((p, i) => poolMonthlyCost(monthOf(Array.from(result.nodeHours[i])), prices.nodeSizes[p.size], prices));
  const samples = Array.from(result.nodeSamples);
  const avg = samples.reduce((s, v) => s + v, 0) / Math.max(1, samples.length);
  return {
    monthlyCost: monthly(poolBilled.reduce((s, v) => s + v, 0), fixed),
    nodes: { min: samples.length ? Math.min(...samples) : 0, avg: round1(avg), peak: samples.length ? Math.max(...samples) : 0 },
    pools: pools.map((p, i) => ({ name: p.name, size: p.size, min: result.poolNodes[i].min, avg: round1(result.poolNodes[i].avg), peak: result.poolNodes[i].peak, monthlyCost: cents(poolBilled[i]) })),
    wakes: wakeStats(result.wakes, days),
    timeline: Array.from(result.nodesPerHour, (nodes, hour) => ({ hour, nodes: round1(nodes), pods: round1(result.podsPerHour[hour]) })),
    poolBilled,
  };
}

/** Runs the simulation and its baselines. */
export function simulate(input: SimulationInput): SimulationReport {
  const { stack, profile } = input;
  const prices = profile.prices;
  const pools = poolSpecs(stack, prices);
  const tenants: SimTenant[] = input.tenants.map(toSimTenant);
  const engineInput: EngineInput = {
    tenants,
    traffic: tenants.map((t) => trafficFor(profile, t.name, t.labels)),
    pools,
    platformPods: platformPods(stack),
    wake: profile.wake,
    cluster: profile.cluster,
    scaleDownUtilizationThreshold: stack.clusterAutoscaler.scaleDownUtilizationThreshold,
    scaleDownUnneededSeconds: durationSeconds(stack.clusterAutoscaler.scaleDownUnneededTime),
    days: profile.days,
    seed: profile.seed,
    expanders: stack.clusterAutoscaler.expanders ?? [],
  };
  const result = runEngine(engineInput);
  const main = runReport(result, pools, stack, prices, profile.days);
  const fixed = fixedCosts(stack, prices);

  // Per tenant: its pods' dominant share of their nodes, at the pool's billed rate, over a month.
  const monthFactor = (HOURS_PER_MONTH * 3600) / result.horizonSeconds;
  const poolRaw = pools.map((p, i) => Array.from(monthOf(Array.from(result.nodeHours[i]))).reduce((s, v) => s + v, 0) * 3600 * p.secondPrice);
  const capFactor = pools.map((_, i) => (poolRaw[i] > 0 ? main.poolBilled[i] / poolRaw[i] : 1));
  const wakesOf = tenants.map((): EngineResult['wakes'][number][] => []);
  for (const w of result.wakes) wakesOf[w.tenant].push(w);
  const perTenant: TenantReport[] = tenants.map((t, i) => {
    const cost = pools.reduce((s, p, k) => s + result.tenantShareSeconds[i][k] * monthFactor * p.secondPrice * capFactor[k], 0);
    const w = wakeStats(wakesOf[i], profile.days);
    return { name: t.name, monthlyCost: cents(cost), wakesPerDay: w.perDay, wakeLatency: { p50: w.p50Seconds, p95: w.p95Seconds, max: w.maxSeconds }, wakesOverBudget: w.overBudget };
  });

  const withBaselines = input.baselines ?? true;
  const alwaysOn = alwaysOnNodes(engineInput);
  const alwaysOnCost = pools.reduce((s, p, i) => s + alwaysOn[i] * prices.nodeSizes[p.size].monthlyUsd, 0);
  let fixedReport: SimulationReport['baselines']['scaleToZeroFixedNodes'];
  if (withBaselines) {
    const fixedNodes = main.pools.map((p) => p.peak);
    const fixedRun = runEngine({ ...engineInput, mode: 'fixed', fixedNodes });
    const r = runReport(fixedRun, pools, stack, prices, profile.days);
    fixedReport = { monthlyCost: r.monthlyCost, nodes: fixedNodes.reduce((s, v) => s + v, 0), wakes: r.wakes };
  } else {
    const nodes = main.pools.reduce((s, p) => s + p.peak, 0);
    fixedReport = { monthlyCost: monthly(pools.reduce((s, p, i) => s + main.pools[i].peak * prices.nodeSizes[p.size].monthlyUsd, 0), fixed), nodes, wakes: main.wakes };
  }

  const { poolBilled: _unused, ...mainReport } = main;
  void _unused;
  return {
    profile: profile.name,
    stack: input.stackName,
    tenants: tenants.length,
    days: profile.days,
    seed: profile.seed,
    prices: { date: prices.date, source: prices.source },
    ...mainReport,
    perTenant,
    sharedNodeMonthlyCost: cents(mainReport.monthlyCost.nodes - perTenant.reduce((sum, t) => sum + t.monthlyCost, 0)),
    baselines: {
      alwaysOn: { monthlyCost: monthly(alwaysOnCost, fixed), nodes: alwaysOn.reduce((s, v) => s + v, 0) },
      scaleToZeroFixedNodes: fixedReport,
      scaleToZeroAutoscaled: { monthlyCost: mainReport.monthlyCost },
    },
    unschedulable: result.unschedulable,
  };
}
