import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr as Expr } from '../imports/monitoring.coreos.com';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { alertRules } from './monitoring/alert-rules';
import { BudgetTenant, chunk, coldStartBudgetRules } from './monitoring/cold-start-budgets';
import { nodePoolRules, NodePoolLimit } from './monitoring/node-pool-rules';
import { RecordingRule, wakeLatencyRules } from './monitoring/wake-latency';

/** Name of the PrometheusRule that holds the tenant autoscaling alerts. */
export const AUTOSCALING_ALERTS_NAME = 'tenantscale-autoscaling';
/** Name of the PrometheusRule with the wake-latency recording rules. */
export const WAKE_LATENCY_RULES_NAME = 'tenantscale-wake-latency';
/** Name prefix of the PrometheusRules with the per-tenant cold-start budgets (`-0`, `-1`, …). */
export const COLD_START_BUDGETS_NAME = 'tenantscale-cold-start-budgets';
/** Tenants per budget PrometheusRule: ~110 bytes a rule keeps each object near 110 kB. */
export const BUDGETS_PER_RULE = 1000;

export interface AutoscalingAlertsProps {
  /**
   * Where the rules live (its monitoring namespace) and how tenant namespaces are named.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * How long tenant pods may stay Pending before the cold-start alert fires.
   * @default '2m'
   */
  readonly pendingFor?: string;
  /**
   * How long a tenant may run at its max replicas before the capacity alert fires.
   * @default '15m'
   */
  readonly maxedOutFor?: string;
  /**
   * Where docs/runbooks.md is served; alerts link `<runbookUrl>#<alert>`.
   * @default 'docs/runbooks.md'
   */
  readonly runbookUrl?: string;
  /**
   * Requests the interceptor may hold for one tenant for 5 minutes before it alerts.
   * @default 50
   */
  readonly pendingRequestsThreshold?: number;
  /**
   * The tenants: each gets its cold-start budget as a series.
   * @default [] (no budgets: TenantWakeOverBudget stays quiet)
   */
  readonly tenants?: readonly BudgetTenant[];
  /**
   * The DOKS node pools and their max, for NodePoolAtMax.
   * @default [] (NodePoolAtMax stays quiet)
   */
  readonly nodePools?: readonly NodePoolLimit[];
}

/**
 * Alerts for the failures the lessons say are silent, and the recording rules they read: wake
 * latency per tenant (monitoring/wake-latency.ts), each tenant's cold-start budget and each node
 * pool's max. kube-prometheus-stack's Prometheus selects PrometheusRules in every namespace.
 */
export class AutoscalingAlerts extends Construct {
  public readonly rules: PrometheusRule[] = [];

  constructor(scope: Construct, id: string, props: AutoscalingAlertsProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const options = {
      pendingFor: props.pendingFor ?? '2m',
      maxedOutFor: props.maxedOutFor ?? '15m',
      runbookUrl: props.runbookUrl ?? 'docs/runbooks.md',
      pendingRequestsThreshold: props.pendingRequestsThreshold ?? 50,
    };
    const tenants = props.tenants ?? [];
    const nodePools = props.nodePools ?? [];
    const labels = { ...PLATFORM_LABELS };
    const rule = (name: string, groups: { name: string; interval?: string; rules: any[] }[]) =>
      this.rules.push(
        new PrometheusRule(this, name, {
          metadata: { name, namespace: settings.monitoringNamespace, labels },
          spec: {
            groups: groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, expr: Expr.fromString(r.expr) })) })),
          },
        }),
      );
    rule(AUTOSCALING_ALERTS_NAME, [{ name: 'tenantscale.autoscaling', rules: alertRules(options) }]);
    rule(WAKE_LATENCY_RULES_NAME, [
      { name: 'tenantscale.wake', interval: '30s', rules: wakeLatencyRules() },
      ...(nodePools.length ? [{ name: 'tenantscale.node-pools', rules: nodePoolRules(nodePools) }] : []),
    ]);
    chunk(coldStartBudgetRules(tenants), BUDGETS_PER_RULE).forEach((rules: RecordingRule[], i) =>
      rule(`${COLD_START_BUDGETS_NAME}-${i}`, [{ name: `tenantscale.cold-start-budgets.${i}`, interval: '5m', rules }]),
    );
  }
}
