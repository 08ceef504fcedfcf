/**
 * The one price table, with its date and sources, and DigitalOcean's billing rules. Every figure can
 * be overridden in the profile file (`prices:` and `nodeSizes:`).
 *
 * Billing rules (docs.digitalocean.com/products/kubernetes/details/pricing/, read 2026-08):
 * - Worker nodes are billed per second at Droplet rates; the hourly rate is the monthly price / 672.
 * - A node pool is billed for at most 672 hours (28 days) a month: in a longer month, the 672 hours
 *   of highest usage.
 * - The control plane is free; the high-availability control plane costs $40/month.
 * - Load balancers are billed at load-balancer rates, per node ("size unit").
 */

export interface NodeSize {
  readonly vcpu: number;
  /** The Droplet's memory in GiB. */
  readonly memoryGiB: number;
  readonly monthlyUsd: number;
  /**
   * Memory pods can request on a DOKS node of this size after DOKS's kubelet/system reservations
   * and eviction threshold.
   */
  readonly allocatableMemoryGiB: number;
  /** CPU pods can request, in millicores. */
  readonly allocatableCpuMilli: number;
}

export interface PriceTable {
  /** When the figures were read. */
  readonly date: string;
  readonly source: string;
  readonly nodeSizes: Readonly<Record<string, NodeSize>>;
  /** Per load-balancer node (size unit) per month. */
  readonly loadBalancerPerUnitMonthlyUsd: number;
  readonly haControlPlaneMonthlyUsd: number;
  /** Hours billed at most per node per month. */
  readonly billedHoursCap: number;
}

/** Hours in an average month (365 × 24 / 12), the length the simulation projects to. */
export const HOURS_PER_MONTH = 730;

/**
 * Basic (regular) Droplet sizes. Prices: the post-July-2022 Droplet price list (s-1vcpu-2gb $12,
 * s-2vcpu-2gb $18, s-2vcpu-4gb $24, s-4vcpu-8gb $48, s-8vcpu-16gb $96; ../shared/reference/
 * platform-facts.md §B marks them uncertain; the published July 2022 change list agrees).
 * Allocatable memory: DOKS's "allocatable memory" table as recalled (2 GB → 1 GiB, 4 GB → 2.5 GiB,
 * 8 GB → 6 GiB, 16 GB → 13 GiB, 32 GB → 28 GiB) — uncertain: check `kubectl describe node` on a real
 * cluster and override `nodeSizes` in the profile. Allocatable CPU: the vCPUs less 100m each for
 * kubelet and system daemons (uncertain, same check).
 */
export const DEFAULT_PRICES: PriceTable = {
  date: '2026-08-15',
  source:
    'docs.digitalocean.com/products/kubernetes/details/pricing (per-second billing, 672-hour cap, HA $40/month); Droplet price list of July 2022 (unchanged since; uncertain); load balancer $12 per size unit (the stored DO page still says $10: pre-2022 price; uncertain)',
  nodeSizes: {
    's-1vcpu-2gb': { vcpu: 1, memoryGiB: 2, monthlyUsd: 12, allocatableMemoryGiB: 1, allocatableCpuMilli: 900 },
    's-2vcpu-2gb': { vcpu: 2, memoryGiB: 2, monthlyUsd: 18, allocatableMemoryGiB: 1, allocatableCpuMilli: 1900 },
    's-2vcpu-4gb': { vcpu: 2, memoryGiB: 4, monthlyUsd: 24, allocatableMemoryGiB: 2.5, allocatableCpuMilli: 1900 },
    's-4vcpu-8gb': { vcpu: 4, memoryGiB: 8, monthlyUsd: 48, allocatableMemoryGiB: 6, allocatableCpuMilli: 3900 },
    's-8vcpu-16gb': { vcpu: 8, memoryGiB: 16, monthlyUsd: 96, allocatableMemoryGiB: 13, allocatableCpuMilli: 7900 },
    's-8vcpu-32gb': { vcpu: 8, memoryGiB: 32, monthlyUsd: 192, allocatableMemoryGiB: 28, allocatableCpuMilli: 7900 },
  },
  loadBalancerPerUnitMonthlyUsd: 12,
  haControlPlaneMonthlyUsd: 40,
  billedHoursCap: 672,
};

/** Price of one node-second of a size. */
export function nodeSecondPrice(size: NodeSize, prices: PriceTable): number {
  return size.monthlyUsd / (prices.billedHoursCap * 3600);
}

/**
 * A pool's monthly bill from its node-hours per hour of a month (`HOURS_PER_MONTH` entries, one per
 * hour): the `billedHoursCap` hours of highest usage, each at the hourly rate. A pool that runs
 * n nodes all month therefore costs exactly n × the monthly price.
 */
export function poolMonthlyCost(nodeHoursPerHour: readonly number[], size: NodeSize, prices: PriceTable): number {
  const sorted = [...nodeHoursPerHour].sort((a, b) => b - a);
  let hours = 0;
  for (let i = 0; i < Math.min(prices.billedHoursCap, sorted.length); i++) hours += sorted[i];
  return hours * (size.monthlyUsd / prices.billedHoursCap);
}

/**
 * Tiles a simulated period's node-hours per hour over a month: hour h of the month is hour
 * h mod (simulated hours) of the simulation.
 */
export function monthOf(hourly: readonly number[]): number[] {
  const out = new Array<number>(HOURS_PER_MONTH);
  for (let h = 0; h < HOURS_PER_MONTH; h++) out[h] = hourly[h % hourly.length];
  return out;
}

/**
 * DigitalOcean's hourly rate of a monthly price: monthly / `billedHoursCap` (per-second billing,
 * at most 672 hours a month). The rate the node-second price above is made of, and what the
 * platform's running-cost rules (constructs/platform/monitoring/cost-rules.ts) multiply by.
 */
export function hourlyRate(monthlyUsd: number, prices: PriceTable): number {
  return monthlyUsd / prices.billedHoursCap;
}

/** What a stack is billed for besides its nodes. */
export interface BilledFixedItems {
  /** Load-balancer nodes ("size units") of the Gateway's DigitalOcean load balancer; 0 without one. */
  readonly loadBalancerSizeUnits: number;
  /** Whether the control plane is highly available (billed); the standard one is free. */
  readonly haControlPlane: boolean;
}

/** The parts of a stack (infra/config.ts StackConfig) that decide its fixed items. */
export interface FixedItemsStack {
  readonly ha: boolean;
  readonly components: { readonly envoyGateway: { readonly enabled: boolean } };
  readonly gateway: { readonly loadBalancer: { readonly sizeUnit?: number } };
}

/**
 * The fixed items the cost model counts for a stack: the Gateway's load balancer when Envoy
 * Gateway is installed (its `sizeUnit`, 1 when unset) and the HA control plane when `ha` is on.
 * Volumes, snapshots, bandwidth and registry are not counted.
 */
export function billedFixedItems(stack: FixedItemsStack): BilledFixedItems {
  return {
    loadBalancerSizeUnits: stack.components.envoyGateway.enabled ? (stack.gateway.loadBalancer.sizeUnit ?? 1) : 0,
    haControlPlane: stack.ha,
  };
}

export function loadBalancerMonthlyCost(sizeUnits: number, prices: PriceTable): number {
  return sizeUnits * prices.loadBalancerPerUnitMonthlyUsd;
}

export function controlPlaneMonthlyCost(ha: boolean, prices: PriceTable): number {
  return ha ? prices.haControlPlaneMonthlyUsd : 0;
}

/** Rounds dollars to cents (so outputs are stable across float noise). */
export function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
