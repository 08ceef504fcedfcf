import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { alertManifests } from '../../constructs/platform/platform-manifests';
import { allDashboards } from '../../constructs/platform/dashboards/dashboards';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import { METRIC_CATALOG } from './metric-catalog';

interface Selector {
  readonly metric: string;
  readonly labels: string[];
}

/** Parses with Prometheus' own lezer grammar; returns the syntax errors and the vector selectors. */
function analyse(expr: string): { errors: string[]; selectors: Selector[] } {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) errors.push(`syntax error at ${ref.from}: ${expr.slice(Math.max(0, ref.from - 20), ref.from + 20)}`);
      if (ref.name === 'VectorSelector') {
        const node = ref.node;
        const id = node.getChild('Identifier');
        const labels = (node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []).map((m) => text(m.getChild('LabelName')!));
        selectors.push({ metric: id ? text(id) : '', labels });
      }
    },
  });
  return { errors, selectors };
}

function ruleExprs(): { where: string; expr: string; record?: string }[] {
  const objs = alertManifests(DEFAULT_PLATFORM_SETTINGS, {
    tenants: [{ name: 'a', coldStartBudget: 30 }],
    nodePools: [{ name: 'p', max: 3 }],
    billedItems: { loadBalancerSizeUnits: 1, haControlPlane: true },
  }) as any[];
  return objs.flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules.map((r: any) => ({ where: `${o.metadata.name}/${r.alert ?? r.record}`, expr: r.expr, record: r.record }))));
}

function dashboardExprs(): { where: string; expr: string }[] {
  return Object.entries(allDashboards()).flatMap(([name, d]) =>
    (d.panels ?? []).flatMap((p: any) => (p.targets ?? []).map((t: any) => ({ where: `${name}/${p.title}`, expr: t.expr as string }))),
  );
}

describe('every PromQL expression (rules and dashboards)', () => {
  const rules = ruleExprs();
  const all = [...rules, ...dashboardExprs()];
  // Recorded series: their labels are what their rule keeps (by-clauses and rule labels).
  const recorded: Record<string, readonly string[]> = {};
  for (const r of rules) if (r.record) recorded[r.record] = ['namespace', 'pod', 'le', 'tenant', 'node_pool', 'instance_type', 'item'];
  const known = { ...METRIC_CATALOG, ...recorded };

  test('there is something to check', () => {
    expect(rules.length).toBeGreaterThan(15);
    expect(all.length - rules.length).toBeGreaterThan(20);
  });

  test.each(all.map((e) => [e.where, e.expr]))('%s parses', (_where, expr) => {
    expect(analyse(expr).errors).toEqual([]);
  });

  test.each(all.map((e) => [e.where, e.expr]))('%s reads only known metrics with labels they carry', (_where, expr) => {
    for (const s of analyse(expr).selectors) {
      expect(Object.keys(known)).toContain(s.metric);
      for (const l of s.labels) expect({ metric: s.metric, label: l, known: known[s.metric].includes(l) }).toEqual({ metric: s.metric, label: l, known: true });
    }
  });

  test('the parser catches a broken expression and the catalog a wrong label (the checks can fail)', () => {
    expect(analyse('sum by (namespace (rate(x[5m]))').errors.length).toBeGreaterThan(0);
    const [s] = analyse('keda_scaled_object_errors_total{scaledObject="a"}').selectors;
    expect(s).toEqual({ metric: 'keda_scaled_object_errors_total', labels: ['scaledObject'] });
    expect(METRIC_CATALOG.keda_scaled_object_errors_total).not.toContain('route_namespace');
  });
});
