import {
  BilledFixedItems,
  controlPlaneMonthlyCost,
  DEFAULT_PRICES,
  hourlyRate,
  loadBalancerMonthlyCost,
  PriceTable,
} from '../../../core/prices';
import { RecordingRule } from './wake-latency';

/** The recorded cost series (US dollars per hour at list price). */
export const COST_RECORDS = {
  /** One series per Droplet size of the price table, `{instance_type}`. */
  dropletPrice: 'tenantscale:droplet_price_per_hour:usd',
  /** One series per fixed item the stack is billed for, `{item="load_balancer"|"control_plane_ha"}`. */
  fixedCost: 'tenantscale:fixed_cost_per_hour:usd',
  /** Running nodes × their size's price, `{node_pool, instance_type}`. */
  nodePoolCost: 'tenantscale:node_pool_cost_per_hour:usd',
  /** Nodes whose size has no price in the table (left out of the cost). */
  unpricedNodes: 'tenantscale:unpriced_nodes:count',
  /** Nodes plus fixed items. */
  total: 'tenantscale:cost_per_hour:usd',
} as const;

/**
 * The kube_node_labels labels the cost reads (kube-prometheus-stack.ts allow-lists both Kubernetes
 * labels; kube-state-metrics names them `label_` + the key with every character outside
 * [a-zA-Z0-9_] replaced by `_`, kubernetes/kube-state-metrics@v2.20.0 internal/store/utils.go:143-150):
 * - `doks.digitalocean.com/node-pool`: the DOKS node pool;
 * - `node.kubernetes.io/instance-type`: the Droplet size slug, set by the cloud node controller from
 *   the DigitalOcean cloud controller manager's InstanceMetadata (`InstanceType: droplet.SizeSlug`,
 *   digitalocean/digitalocean-cloud-controller-manager@v0.1.68 cloud-controller-manager/do/droplets.go:127-163;
 *   the label itself, with its beta twin: vendor/k8s.io/cloud-provider/controllers/node/node_controller.go:514-523
 *   there; docs/controllers/node/labels.md:5-7 there documents the slug, e.g. s-2vcpu-4gb).
 */
export const NODE_COST_LABELS = {
  pool: 'label_doks_digitalocean_com_node_pool',
  instanceType: 'label_node_kubernetes_io_instance_type',
} as const;

/** Fixed items' `item` label values. */
export const FIXED_ITEMS = { loadBalancer: 'load_balancer', haControlPlane: 'control_plane_ha' } as const;

/** One series per node, `{node, node_pool, instance_type}` (max: one per node even if two kube-state-metrics replicas report it). */
const NODES =
  `max by (node, node_pool, instance_type) (label_replace(label_replace(kube_node_labels, ` +
  `"node_pool", "$1", "${NODE_COST_LABELS.pool}", "(.+)"), ` +
  `"instance_type", "$1", "${NODE_COST_LABELS.instanceType}", "(.+)"))`;

/** The fixed items' hourly rates, by `item` label; items the stack is not billed for are left out. */
export function fixedHourlyCosts(items: BilledFixedItems, prices: PriceTable = DEFAULT_PRICES): Record<string, number> {
  const out: Record<string, number> = {};
  if (items.loadBalancerSizeUnits > 0) out[FIXED_ITEMS.loadBalancer] = hourlyRate(loadBalancerMonthlyCost(items.loadBalancerSizeUnits, prices), prices);
  if (items.haControlPlane) out[FIXED_ITEMS.haControlPlane] = hourlyRate(controlPlaneMonthlyCost(true, prices), prices);
  return out;
}

/**
 * The running cost per hour, as recording rules generated from the simulator's price table
 * (core/prices.ts: the same sizes, prices and hourly rule), counting what the simulator's cost
 * model counts: each running node at its Droplet size's hourly rate, the Gateway's load balancer
 * and the HA control plane. List prices: no discounts, credits, bandwidth, volumes, snapshots,
 * backups or registry; the 672-hour monthly cap is not applied (a node that ran all month is billed
 * its monthly price, this rate × 672).
 *
 * `fixed` is undefined when the stack is unknown (`synth` without a stack, or not on DOKS): then
 * the total is the nodes only.
 */
export function costRules(fixed: BilledFixedItems | undefined, prices: PriceTable = DEFAULT_PRICES): RecordingRule[] {
  const r = COST_RECORDS;
  const fixedRates = Object.entries(fixed ? fixedHourlyCosts(fixed, prices) : {});
  return [
    ...Object.entries(prices.nodeSizes).map(([slug, size]) => ({
      record: r.dropletPrice,
      expr: `vector(${hourlyRate(size.monthlyUsd, prices)})`,
      labels: { instance_type: slug },
    })),
    ...fixedRates.map(([item, usd]) => ({ record: r.fixedCost, expr: `vector(${usd})`, labels: { item } })),
    { record: r.nodePoolCost, expr: `sum by (node_pool, instance_type) (${NODES} * on (instance_type) group_left () ${r.dropletPrice})` },
    { record: r.unpricedNodes, expr: `count(${NODES} unless on (instance_type) ${r.dropletPrice}) or vector(0)` },
    {
      record: r.total,
      // Absent while no node is priced (kube-state-metrics down): a gap, not a fixed-items-only figure.
      expr: fixedRates.length ? `sum(${r.nodePoolCost}) + sum(${r.fixedCost})` : `sum(${r.nodePoolCost})`,
    },
  ];
}
