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

import { DOKS_NODE_SIZES } from './node-sizes';

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
  /**
   * NVIDIA GPUs per node (`nvidia.com/gpu`).
   * @default 0
   */
  readonly gpus?: number;
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
 * Monthly prices of the Basic (regular) Droplet sizes: the post-July-2022 Droplet price list
 * (s-1vcpu-2gb $12, s-2vcpu-2gb $18, s-2vcpu-4gb $24, s-4vcpu-8gb $48, s-8vcpu-16gb $96;
 * ../shared/reference/platform-facts.md §B marks them uncertain; the published July 2022 change
 * list agrees).
 */
const CPU_MONTHLY_USD: Readonly<Record<string, number>> = {
  's-1vcpu-2gb': 12,
  's-2vcpu-2gb': 18,
  's-2vcpu-4gb': 24,
  's-4vcpu-8gb': 48,
  's-8vcpu-16gb': 96,
  's-8vcpu-32gb': 192,
};

/**
 * Hourly prices of the NVIDIA GPU Droplet sizes, from docs.digitalocean.com/products/droplets/
 * details/pricing ("GPU Droplet Pricing", the stored page validated 22 Apr 2025: H100 $3.39,
 * H100x8 $23.92, L40s $1.57, RTX 4000 $0.76, RTX 6000 $1.89 per hour; its 28 May 2026 revision
 * still lists H100 $3.39, H100 (8x) $23.92 and L40s $1.57, the RTX rows were cut off in the
 * stored copy). Read 2026-12-08 from the search tool's pages corpus, not checked against a live
 * bill. The page gives hourly rates only; the table keeps monthly = hourly × 672 so the hourly
 * rate (`hourlyRate`) is exactly the published one. Whether the 672-hour monthly cap applies to
 * GPU nodes is not verified: if it does not, a GPU node up all month costs 730/672 of this.
 */
const GPU_HOURLY_USD: Readonly<Record<string, number>> = {
  'gpu-4000adax1-20gb': 0.76,
  'gpu-6000adax1-48gb': 1.89,
  'gpu-l40sx1-48gb': 1.57,
  'gpu-h100x1-80gb': 3.39,
  'gpu-h100x8-640gb': 23.92,
};

const BILLED_HOURS_CAP = 672;

/** A priced size: its node facts (core/node-sizes.ts: vCPUs, memory, GPUs, allocatable) and its monthly price. */
function priced(slug: string, monthlyUsd: number): NodeSize {
  const { vcpu, memoryGiB, gpus, allocatableCpuMilli, allocatableMemoryGiB } = DOKS_NODE_SIZES[slug];
  return { vcpu, memoryGiB, monthlyUsd, allocatableMemoryGiB, allocatableCpuMilli, ...(gpus > 0 ? { gpus } : {}) };
}

/**
 * The default price table: CPU and GPU Droplet sizes with their node facts from
 * core/node-sizes.ts (allocatable memory and CPU as recalled, uncertain: check
 * `kubectl describe node` on a real cluster and override `nodeSizes` in the profile).
 */
export const DEFAULT_PRICES: PriceTable = {
  date: '2026-08-15',
  source:
    'docs.digitalocean.com/products/kubernetes/details/pricing (per-second billing, 672-hour cap, HA $40/month); Droplet price list of July 2022 (unchanged since; uncertain); GPU Droplets, read 2026-12-08: docs.digitalocean.com/products/droplets/details/pricing (validated 22 Apr 2025, H100/L40s rows unchanged 28 May 2026; hourly × 672; not verified on a bill); load balancer $12 per size unit (the stored DO page still says $10: pre-2022 price; uncertain)',
  nodeSizes: Object.fromEntries([
    ...Object.entries(CPU_MONTHLY_USD).map(([slug, usd]) => [slug, priced(slug, usd)] as const),
    ...Object.entries(GPU_HOURLY_USD).map(([slug, usd]) => [slug, priced(slug, Math.round(usd * BILLED_HOURS_CAP * 100) / 100)] as const),
  ]),
  loadBalancerPerUnitMonthlyUsd: 12,
  haControlPlaneMonthlyUsd: 40,
  billedHoursCap: BILLED_HOURS_CAP,
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
