import { alertManifests, monitoringManifests } from '../../constructs/platform/platform-manifests';
import {
  AUTOSCALING_ALERTS_NAME,
  BUDGETS_PER_RULE,
  COLD_START_BUDGETS_NAME,
  WAKE_LATENCY_RULES_NAME,
} from '../../constructs/platform/autoscaling-alerts';
import { ALERTS } from '../../constructs/platform/monitoring/alert-rules';
import { RUNNING_COST_RULES_NAME } from '../../constructs/platform/running-cost-rules';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';

describe('tenant autoscaling alerts and rules', () => {
  const manifests = alertManifests() as any[];
  const alerts = manifests.find((m) => m.metadata.name === AUTOSCALING_ALERTS_NAME);
  const rules: any[] = alerts.spec.groups[0].rules;
  const byName = (name: string) => rules.find((r) => r.alert === name);

  test('alerts, wake-latency and running-cost rules are PrometheusRules in the monitoring namespace; no tenants, no budgets', () => {
    expect(manifests.map((m) => [m.kind, m.metadata.name, m.metadata.namespace])).toEqual([
      ['PrometheusRule', AUTOSCALING_ALERTS_NAME, 'monitoring'],
      ['PrometheusRule', WAKE_LATENCY_RULES_NAME, 'monitoring'],
      ['PrometheusRule', RUNNING_COST_RULES_NAME, 'monitoring'],
    ]);
    expect(rules.map((r) => r.alert)).toEqual([...ALERTS]);
  });

  test('TenantScalerErrors reads exported_namespace (KEDA ServiceMonitor without honorLabels) and restores namespace', () => {
    const expr: string = byName('TenantScalerErrors').expr;
    expect(expr).toContain('keda_scaled_object_errors_total{exported_namespace=~"tenant-.+"}');
    expect(expr).toContain('label_replace(');
    expect(expr).not.toMatch(/keda_scaled_object_errors_total\{namespace=/);
    expect(byName('TenantScalerErrors').for).toBe('5m');
  });

  test('every alert links its runbook section and has a severity', () => {
    for (const r of rules) {
      expect(r.annotations.runbook_url).toBe(`docs/runbooks.md#${r.alert.toLowerCase()}`);
      expect(['info', 'warning', 'critical']).toContain(r.labels.severity);
    }
  });

  test('a sleeping tenant (desired 0) is excluded from the HPA ScalingActive alert', () => {
    expect(byName('TenantHPAScalingInactive').expr).toContain('unless on (namespace) (tenantscale:tenant_desired_replicas == 0)');
  });

  test('settings and options are read, not hard-coded', () => {
    const custom = alertManifests(
      { ...DEFAULT_PLATFORM_SETTINGS, monitoringNamespace: 'observability' },
      { pendingFor: '1m', runbookUrl: 'https://example.com/rb.md', pendingRequestsThreshold: 7 },
    ) as any[];
    expect(custom[0].metadata.namespace).toBe('observability');
    const r = custom[0].spec.groups[0].rules;
    expect(r.find((x: any) => x.alert === 'TenantPodsPending').for).toBe('1m');
    expect(r.find((x: any) => x.alert === 'TenantScalerErrors').annotations.runbook_url).toBe('https://example.com/rb.md#tenantscalererrors');
    expect(r.find((x: any) => x.alert === 'InterceptorPendingRequestsPilingUp').expr).toMatch(/> 7$/);
  });

  test('one budget series per tenant, split into PrometheusRules of BUDGETS_PER_RULE', () => {
    const tenants = Array.from({ length: BUDGETS_PER_RULE + 1 }, (_, i) => ({ name: `t${i}`, coldStartBudget: 30 + (i % 3) }));
    const objs = alertManifests(DEFAULT_PLATFORM_SETTINGS, { tenants }) as any[];
    const budgets = objs.filter((o) => o.metadata.name.startsWith(COLD_START_BUDGETS_NAME));
    expect(budgets.map((b) => b.metadata.name)).toEqual([`${COLD_START_BUDGETS_NAME}-0`, `${COLD_START_BUDGETS_NAME}-1`]);
    expect(budgets[0].spec.groups[0].rules).toHaveLength(BUDGETS_PER_RULE);
    expect(budgets[1].spec.groups[0].rules).toEqual([
      { record: 'tenantscale:tenant_cold_start_budget_seconds', expr: 'vector(30)', labels: { namespace: 'tenant-t999', tenant: 't999' } },
    ]);
  });

  test('node pools become max series only when given', () => {
    const objs = alertManifests(DEFAULT_PLATFORM_SETTINGS, { nodePools: [{ name: 'workers', max: 8 }] }) as any[];
    const wake = objs.find((o) => o.metadata.name === WAKE_LATENCY_RULES_NAME);
    expect(wake.spec.groups.map((g: any) => g.name)).toEqual(['tenantscale.wake', 'tenantscale.node-pools']);
    expect(wake.spec.groups[1].rules).toEqual([{ record: 'tenantscale:node_pool_max_nodes', expr: 'vector(8)', labels: { node_pool: 'workers' } }]);
  });

  test('monitoringManifests adds the PodMonitors and the dashboard ConfigMaps', () => {
    const kinds = (monitoringManifests() as any[]).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(kinds).toEqual([
      `PrometheusRule/${AUTOSCALING_ALERTS_NAME}`,
      `PrometheusRule/${WAKE_LATENCY_RULES_NAME}`,
      `PrometheusRule/${RUNNING_COST_RULES_NAME}`,
      'PodMonitor/keda-http-interceptor',
      'PodMonitor/keda-http-external-scaler',
      'PodMonitor/envoy-gateway-proxies',
      'ConfigMap/tenantscale-overview-dashboard',
      'ConfigMap/tenantscale-tenant-dashboard',
      'ConfigMap/tenantscale-autoscalers-dashboard',
    ]);
  });
});

describe('docs/runbooks.md', () => {
  const doc = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8') as string;
  test.each([...ALERTS])('has a section for %s (its runbook_url anchor) with a command, what to read and the fix', (name) => {
    const start = doc.indexOf(`\n## ${name}\n`);
    expect(start).toBeGreaterThan(-1);
    const section = doc.slice(start + 1).split('\n## ')[0];
    expect(section).toMatch(/- Run:.*`[^`]+`/);
    expect(section).toContain('- Read:');
    expect(section).toContain('- Fix:');
  });
});
