import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr as Expr } from '../imports/monitoring.coreos.com';
import { DEFAULT_PLATFORM_SETTINGS, PLATFORM_LABELS, PlatformSettings } from '../platform-settings';
import { BilledFixedItems, DEFAULT_PRICES, PriceTable } from '../../core/prices';
import { costRules } from './monitoring/cost-rules';

/** Name of the PrometheusRule with the running-cost recording rules. */
export const RUNNING_COST_RULES_NAME = 'tenantscale-running-cost';

export interface RunningCostRulesProps {
  /**
   * Where the rules live (its monitoring namespace).
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
  /**
   * What the stack is billed for besides its nodes (core/prices.ts `billedFixedItems` of the stack).
   * @default undefined (stack unknown: the cost counts the nodes only)
   */
  readonly billedItems?: BilledFixedItems;
  /**
   * The price table.
   * @default DEFAULT_PRICES (the simulator's)
   */
  readonly prices?: PriceTable;
}

/**
 * The platform's running cost per hour (monitoring/cost-rules.ts), one PrometheusRule that the
 * overview dashboard reads; kube-prometheus-stack's Prometheus selects PrometheusRules in every namespace.
 */
export class RunningCostRules extends Construct {
  public readonly rule: PrometheusRule;

  constructor(scope: Construct, id: string, props: RunningCostRulesProps = {}) {
    super(scope, id);
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const prices = props.prices ?? DEFAULT_PRICES;
    const rules = costRules(props.billedItems, prices);
    this.rule = new PrometheusRule(this, RUNNING_COST_RULES_NAME, {
      metadata: {
        name: RUNNING_COST_RULES_NAME,
        namespace: settings.monitoringNamespace,
        labels: { ...PLATFORM_LABELS },
      },
      spec: {
        groups: [{ name: 'tenantscale.cost', rules: rules.map((r) => ({ ...r, expr: Expr.fromString(r.expr) })) }],
      },
    });
  }
}
