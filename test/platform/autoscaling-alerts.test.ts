import { alertManifests } from '../../constructs/platform/platform-manifests';
import { AUTOSCALING_ALERTS_NAME } from '../../constructs/platform/autoscaling-alerts';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';

describe('tenant autoscaling alerts', () => {
  const [rule] = alertManifests() as any[];
  const rules: any[] = rule.spec.groups[0].rules;
  const byName = (name: string) => rules.find((r) => r.alert === name);

  test('one PrometheusRule in the monitoring namespace', () => {
    expect(alertManifests()).toHaveLength(1);
    expect(rule).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: AUTOSCALING_ALERTS_NAME, namespace: 'monitoring' },
    });
    expect(rules.map((r) => r.alert)).toEqual(['TenantScalerErrors', 'TenantPodsPending', 'TenantAtMaxReplicas', 'TenantContainerOOMKilled']);
  });

  test('a scaler KEDA cannot read (a sleeping tenant would never wake) fires after 5 minutes', () => {
    expect(byName('TenantScalerErrors')).toMatchObject({
      expr: 'sum by (namespace, scaledObject) (rate(keda_scaled_object_errors_total{namespace=~"tenant-.+"}[5m])) > 0',
      for: '5m',
      labels: { severity: 'warning' },
    });
  });

  test('pending tenant pods, a tenant at its max, OOM kills: all scoped to tenant namespaces', () => {
    expect(byName('TenantPodsPending').expr).toBe('sum by (namespace) (kube_pod_status_phase{phase="Pending", namespace=~"tenant-.+"}) > 0');
    expect(byName('TenantPodsPending').for).toBe('2m');
    expect(byName('TenantAtMaxReplicas').expr).toContain('kube_horizontalpodautoscaler_spec_max_replicas{namespace=~"tenant-.+"}');
    expect(byName('TenantContainerOOMKilled').expr).toContain('reason="OOMKilled"');
    for (const r of rules) expect(r.annotations.description.length).toBeGreaterThan(20);
  });

  test('settings and options are read, not hard-coded', () => {
    const [custom] = alertManifests({ ...DEFAULT_PLATFORM_SETTINGS, monitoringNamespace: 'observability' }, { pendingFor: '1m' }) as any[];
    expect(custom.metadata.namespace).toBe('observability');
    expect(custom.spec.groups[0].rules[1].for).toBe('1m');
  });
});
