import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALERTS } from '../../constructs/platform/monitoring/alert-rules';
import { METRIC_CATALOG } from './metric-catalog';

// promtool itself runs in .ci/run (Debian's prometheus package); this checks, without it, that the
// unit tests cover every alert both ways and feed series with the labels Prometheus stores.
const file = (name: string) => parse(readFileSync(join(__dirname, '..', 'promtool', name), 'utf8'));
const alerts = file('alerts.test.yaml');
const cases: { alertname: string; exp_alerts: unknown[] }[] = alerts.tests.flatMap((t: any) => t.alert_rule_test ?? []);
const series: string[] = alerts.tests.flatMap((t: any) => t.input_series.map((s: any) => s.series));

describe('promtool unit tests (test/promtool/alerts.test.yaml)', () => {
  test.each([...ALERTS])('%s has a case where it fires and one where it stays quiet', (name) => {
    const mine = cases.filter((c) => c.alertname === name);
    expect(mine.some((c) => c.exp_alerts.length > 0)).toBe(true);
    expect(mine.some((c) => c.exp_alerts.length === 0)).toBe(true);
  });

  test('input series use only metric names and labels of the catalog (the stored label sets)', () => {
    for (const s of series) {
      const [, metric, labels] = /^([a-zA-Z_:][\w:]*)\{(.*)\}$/.exec(s)!;
      expect(Object.keys(METRIC_CATALOG)).toContain(metric);
      for (const [, label] of labels.matchAll(/(\w+)="/g)) expect(`${metric} ${label} ${METRIC_CATALOG[metric].includes(label)}`).toBe(`${metric} ${label} true`);
    }
  });

  test('KEDA series are fed as Prometheus stores them: namespace="keda", the tenant in exported_namespace', () => {
    const keda = series.filter((s) => s.startsWith('keda_'));
    expect(keda.length).toBeGreaterThan(0);
    for (const s of keda) {
      expect(s).toContain('namespace="keda"');
      expect(s).toMatch(/exported_namespace="[^"]+"/);
    }
  });

  test('the full-file test checks rendered annotations, including the runbook link', () => {
    const full = file('annotations.test.yaml');
    const rendered = full.tests.flatMap((t: any) => t.alert_rule_test.flatMap((c: any) => c.exp_alerts));
    expect(rendered.map((a: any) => a.exp_annotations.runbook_url)).toEqual(['docs/runbooks.md#tenantscalererrors', 'docs/runbooks.md#tenantcontaineroomkilled', 'docs/runbooks.md#certificateexpiringsoon']);
  });
});
