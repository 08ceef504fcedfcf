import { WAKE_RECORDS, RecordingRule } from './wake-latency';
import { tenantNamespace } from './tenant-series';

/** What a budget rule needs of a tenant. */
export interface BudgetTenant {
  readonly name: string;
  /** Seconds a request may wait for the tenant to wake (tenants.yaml `coldStartBudget`). */
  readonly coldStartBudget: number;
}

/**
 * One constant series per tenant, `tenantscale:tenant_cold_start_budget_seconds{namespace, tenant}`,
 * generated from the tenant list, so that an alert compares each tenant's measured wake with its own
 * budget (`vector(s)` with the tenant's labels; evaluating it costs nothing).
 */
export function coldStartBudgetRules(tenants: readonly BudgetTenant[]): RecordingRule[] {
  return [...tenants]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({
      record: WAKE_RECORDS.budget,
      expr: `vector(${t.coldStartBudget})`,
      labels: { namespace: tenantNamespace(t.name), tenant: t.name },
    }));
}

/** Splits a list into chunks of at most `size` (one PrometheusRule each stays far below etcd's object limit). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
