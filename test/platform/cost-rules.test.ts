import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { overviewDashboard } from '../../constructs/platform/dashboards/dashboards';
import { KUBE_STATE_METRICS_VALUES } from '../../constructs/platform/kube-prometheus-stack';
import { COST_RECORDS, costRules, fixedHourlyCosts, NODE_COST_LABELS } from '../../constructs/platform/monitoring/cost-rules';
import { alertManifests } from '../../constructs/platform/platform-manifests';
import { RUNNING_COST_RULES_NAME } from '../../constructs/platform/running-cost-rules';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import { billedFixedItems, DEFAULT_PRICES, PriceTable } from '../../core/prices';
import { METRIC_CATALOG } from './metric-catalog';

const { COST_FIXTURE, costRuleTest } = require('../../scripts/cost-rule-test');

const committed = readFileSync(join(__dirname, '..', 'promtool', 'cost.test.yaml'), 'utf8');

describe('running cost per hour (recording rules from the simulator price table)', () => {
  test('test/promtool/cost.test.yaml is what scripts/cost-rule-test.js generates from core/prices.ts', () => {
    expect(committed).toBe(costRuleTest(DEFAULT_PRICES, COST_RECORDS, NODE_COST_LABELS));
  });

  test('the promtool test feeds three priced pools (one of GPU Droplets), an unpriced size and an unlabelled node, with catalog labels only', () => {
    const doc = parse(committed);
    const series: string[] = doc.tests[0].input_series.map((s: any) => s.series);
    for (const s of series) {
      const [, metric, labels] = /^([a-zA-Z_:][\w:]*)\{(.*)\}$/.exec(s)!;
      expect(metric).toBe('kube_node_labels');
      for (const [, label] of labels.matchAll(/(\w+)="/g)) expect(METRIC_CATALOG.kube_node_labels).toContain(label);
    }
    const pools = doc.tests[0].promql_expr_test.find((t: any) => t.expr === COST_RECORDS.nodePoolCost).exp_samples;
    expect(pools).toHaveLength(3);
    // The GPU node is priced at the GPU Droplet list's hourly rate (H100: $3.39).
    expect(pools.find((p: any) => p.labels.includes('gpu-h100x1-80gb')).value).toBeCloseTo(3.39, 10);
    const unpriced = doc.tests[0].promql_expr_test.filter((t: any) => t.expr === COST_RECORDS.unpricedNodes);
    expect(unpriced.map((t: any) => t.exp_samples[0].value)).toEqual([1, 2]);
  });

  test('the generator computes the expected total from the table it is given (a changed price changes the test)', () => {
    const cheaper: PriceTable = { ...DEFAULT_PRICES, nodeSizes: { ...DEFAULT_PRICES.nodeSizes, 's-2vcpu-4gb': { ...DEFAULT_PRICES.nodeSizes['s-2vcpu-4gb'], monthlyUsd: 12 } } };
    const total = (yaml: string) => parse(yaml).tests[0].promql_expr_test.filter((t: any) => t.expr === COST_RECORDS.total).map((t: any) => t.exp_samples[0].value);
    const [before5, before15] = total(committed);
    const [after5, after15] = total(costRuleTest(cheaper, COST_RECORDS, NODE_COST_LABELS));
    // two s-2vcpu-4gb nodes at minute 5, three at minute 15, each $12/month cheaper
    expect(before5 - after5).toBeCloseTo((2 * 12) / 672, 12);
    expect(before15 - after15).toBeCloseTo((3 * 12) / 672, 12);
  });

  test('one price series per Droplet size of the table, at monthly / 672', () => {
    const prices = costRules(undefined).filter((r) => r.record === COST_RECORDS.dropletPrice);
    expect(prices.map((r) => r.labels!.instance_type)).toEqual(Object.keys(DEFAULT_PRICES.nodeSizes));
    expect(prices.find((r) => r.labels!.instance_type === 's-2vcpu-4gb')!.expr).toBe(`vector(${24 / 672})`);
  });

  test('without a stack the total is the nodes only; with one it adds the load balancer and the HA control plane', () => {
    const total = (rules: ReturnType<typeof costRules>) => rules.find((r) => r.record === COST_RECORDS.total)!.expr;
    expect(total(costRules(undefined))).toBe(`sum(${COST_RECORDS.nodePoolCost})`);
    expect(costRules({ loadBalancerSizeUnits: 0, haControlPlane: false }).some((r) => r.record === COST_RECORDS.fixedCost)).toBe(false);
    const withFixed = costRules({ loadBalancerSizeUnits: 3, haControlPlane: true });
    expect(total(withFixed)).toBe(`sum(${COST_RECORDS.nodePoolCost}) + sum(${COST_RECORDS.fixedCost})`);
    expect(withFixed.filter((r) => r.record === COST_RECORDS.fixedCost)).toEqual([
      { record: COST_RECORDS.fixedCost, expr: `vector(${(3 * 12) / 672})`, labels: { item: 'load_balancer' } },
      { record: COST_RECORDS.fixedCost, expr: `vector(${40 / 672})`, labels: { item: 'control_plane_ha' } },
    ]);
  });

  test('the fixed items are those the simulator counts for a stack (core/prices.ts billedFixedItems)', () => {
    const stack = (enabled: boolean, sizeUnit: number | undefined, ha: boolean) => ({ ha, components: { envoyGateway: { enabled } }, gateway: { loadBalancer: { sizeUnit } } });
    expect(billedFixedItems(stack(true, undefined, false))).toEqual({ loadBalancerSizeUnits: 1, haControlPlane: false });
    expect(billedFixedItems(stack(false, 4, true))).toEqual({ loadBalancerSizeUnits: 0, haControlPlane: true });
    // a month at this rate is the simulator's monthly figure: $12 per LB unit, $40 for HA
    const hourly = fixedHourlyCosts(billedFixedItems(stack(true, 2, true)));
    expect(hourly.load_balancer * DEFAULT_PRICES.billedHoursCap).toBeCloseTo(24, 10);
    expect(hourly.control_plane_ha * DEFAULT_PRICES.billedHoursCap).toBeCloseTo(40, 10);
  });

  test('the rules read the node labels kube-state-metrics is told to expose (label_ + the key, non [a-zA-Z0-9_] as _)', () => {
    const [entry] = KUBE_STATE_METRICS_VALUES.metricLabelsAllowlist;
    const keys = /^nodes=\[(.*)\]$/.exec(entry)![1].split(',');
    const exposed = keys.map((k) => `label_${k.replace(/[^a-zA-Z0-9_]/g, '_')}`);
    expect(exposed).toEqual(expect.arrayContaining([NODE_COST_LABELS.pool, NODE_COST_LABELS.instanceType]));
    const poolCost = costRules(undefined).find((r) => r.record === COST_RECORDS.nodePoolCost)!.expr;
    expect(poolCost).toContain(`"${NODE_COST_LABELS.instanceType}"`);
    expect(poolCost).toContain(`* on (instance_type) group_left () ${COST_RECORDS.dropletPrice}`);
  });

  test('one PrometheusRule in the monitoring namespace; scripts/export-rules.js uses the promtool fixture stack', () => {
    const rule = (alertManifests(DEFAULT_PLATFORM_SETTINGS, { billedItems: COST_FIXTURE.billedItems }) as any[]).find((m) => m.metadata.name === RUNNING_COST_RULES_NAME);
    expect(rule.metadata.namespace).toBe('monitoring');
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['tenantscale.cost']);
    expect(rule.spec.groups[0].rules.map((r: any) => r.record).slice(-3)).toEqual([COST_RECORDS.nodePoolCost, COST_RECORDS.unpricedNodes, COST_RECORDS.total]);
  });

  test('the platform overview shows the cost as a number, per month at this rate, over time, and the unpriced nodes', () => {
    const panels = overviewDashboard().panels as any[];
    const exprs = (title: string) => panels.filter((p) => p.title === title).flatMap((p) => p.targets.map((t: any) => t.expr));
    expect(exprs('Running cost per hour')).toEqual([COST_RECORDS.total, COST_RECORDS.total, COST_RECORDS.nodePoolCost, COST_RECORDS.fixedCost]);
    expect(exprs('Per month at this rate')).toEqual([`${COST_RECORDS.total} * 672`]);
    expect(exprs('Unpriced nodes (not counted)')).toEqual([COST_RECORDS.unpricedNodes]);
    expect(panels.filter((p) => p.title === 'Running cost per hour').map((p) => [p.type, p.fieldConfig.defaults.unit])).toEqual([
      ['stat', 'currencyUSD'],
      ['timeseries', 'currencyUSD'],
    ]);
    expect(panels.find((p) => p.title === 'About the cost').options.content).toContain(`List prices of ${DEFAULT_PRICES.date}`);
  });
});
