/**
 * The cost and wake delta of a change to the tenant list: the simulator (simulate/) run on the base
 * and on the new list, with the same stack, profile and seed. Each tenant draws its traffic from its
 * own stream, so an unchanged tenant sees the same traffic on both sides.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TenantSpec } from '../../tenants/schema';
import { builtinProfile, loadProfile, Profile } from '../../simulate/profile';
import { MonthlyCost, simulate, SimulationReport } from '../../simulate/simulation';
import { loadStack } from '../../infra/stack-file';

export interface TenantCost {
  readonly monthlyCost: number;
  readonly wakesPerDay: number;
  readonly wakeP95Seconds: number;
  readonly wakesOverBudget: number;
}

export interface TenantCostDelta {
  readonly name: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly before?: TenantCost;
  readonly after?: TenantCost;
}

export interface CostSide {
  readonly monthlyCost: MonthlyCost;
  readonly wakesPerDay: number;
  readonly wakesOverBudget: number;
  readonly nodes: { readonly min: number; readonly avg: number; readonly peak: number };
}

export type CostDelta =
  | {
      readonly evaluated: true;
      readonly stack: string;
      readonly profile: string;
      readonly days: number;
      readonly seed: number;
      readonly before: CostSide;
      readonly after: CostSide;
      readonly tenants: readonly TenantCostDelta[];
    }
  | { readonly evaluated: false; readonly reason: string };

function side(r: SimulationReport): CostSide {
  return { monthlyCost: r.monthlyCost, wakesPerDay: r.wakes.perDay, wakesOverBudget: r.wakes.overBudget, nodes: r.nodes };
}

function tenantCost(r: SimulationReport, name: string): TenantCost | undefined {
  const t = r.perTenant.find((x) => x.name === name);
  return t && { monthlyCost: t.monthlyCost, wakesPerDay: t.wakesPerDay, wakeP95Seconds: t.wakeLatency.p95, wakesOverBudget: t.wakesOverBudget };
}

/** The repository's profile (tenants/profile.yaml next to the tenants file's repository root) or the assistant. */
export function planProfile(root: string): Profile {
  const file = join(root, 'tenants', 'profile.yaml');
  return existsSync(file) ? { ...loadProfile(file), name: 'tenants/profile.yaml' } : builtinProfile('assistant');
}

/** Simulates both sides. Problems with the stack or profile become an unevaluated delta with the reason. */
export function costDelta(
  base: readonly TenantSpec[],
  head: readonly TenantSpec[],
  changed: readonly { name: string; status: TenantCostDelta['status'] }[],
  options: { readonly root: string; readonly stack?: string },
): CostDelta {
  const stackName = options.stack ?? 'dev';
  let before: SimulationReport;
  let after: SimulationReport;
  let profile: Profile;
  try {
    const stack = loadStack(stackName, options.root);
    profile = planProfile(options.root);
    before = simulate({ tenants: base, stack, stackName, profile, baselines: false });
    after = simulate({ tenants: head, stack, stackName, profile, baselines: false });
  } catch (err) {
    return { evaluated: false, reason: (err as Error).message.split('\n').join(' ') };
  }
  return {
    evaluated: true,
    stack: stackName,
    profile: profile.name,
    days: profile.days,
    seed: profile.seed,
    before: side(before),
    after: side(after),
    tenants: changed.map((t) => {
      const b = t.status === 'added' ? undefined : tenantCost(before, t.name);
      const a = t.status === 'removed' ? undefined : tenantCost(after, t.name);
      return { name: t.name, status: t.status, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) };
    }),
  };
}

function usd(x: number): string {
  return `$${x.toFixed(2)}`;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${usd(Math.abs(x))}`;
}

/**
 * A tenant's wakes in words. The simulator reports a wake that never completed (no node fits the
 * pod) as latency -1 in its JSON (simulate/simulation.ts `wakeStats`); a tenant that never sleeps
 * (a service, min ≥ 1) has no wakes at all. Neither is printed as a number of seconds.
 */
export function wakeText(c: Pick<TenantCost, 'wakesPerDay' | 'wakeP95Seconds' | 'wakesOverBudget'>): string {
  if (c.wakesPerDay === 0 && c.wakeP95Seconds === 0 && c.wakesOverBudget === 0) return 'no wakes (never asleep)';
  const p95 = c.wakeP95Seconds < 0 ? 'p95 never ready (the pod fits no node)' : `p95 ${c.wakeP95Seconds} s`;
  return `${c.wakesPerDay} wakes/day, ${p95}, ${c.wakesOverBudget} over budget`;
}

/** Lines shared by the human and Markdown renderings (no color, no Markdown). */
export function costLines(delta: CostDelta): string[] {
  if (!delta.evaluated) return [`not evaluated: ${delta.reason}`];
  const b = delta.before;
  const a = delta.after;
  const lines = [
    `monthly cost ${usd(b.monthlyCost.total)} → ${usd(a.monthlyCost.total)} (${signed(a.monthlyCost.total - b.monthlyCost.total)}); nodes avg ${b.nodes.avg} → ${a.nodes.avg}, peak ${b.nodes.peak} → ${a.nodes.peak}`,
    `wakes/day ${b.wakesPerDay} → ${a.wakesPerDay}; wakes over budget (${delta.days} days) ${b.wakesOverBudget} → ${a.wakesOverBudget}`,
  ];
  const t = (c: TenantCost | undefined) => (c ? `${usd(c.monthlyCost)}, ${wakeText(c)}` : '—');
  for (const x of delta.tenants) lines.push(`  ${x.name} (${x.status}): ${t(x.before)} → ${t(x.after)}`);
  lines.push(`(simulated: stack ${delta.stack}, profile ${delta.profile}, ${delta.days} days, seed ${delta.seed}; tenantscale simulate for details)`);
  return lines;
}
