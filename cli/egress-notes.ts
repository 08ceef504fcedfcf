/**
 * What synth says about tenant egress: which cluster ranges the egress entries were checked
 * against (the stack's, or DOKS's defaults offline), and every queue broker named by hostname,
 * whose port the tenant's NetworkPolicy opens to every private range (tenants/rules/egress.ts).
 */
import type { TenantSpec } from '../tenants/schema';
import { brokerHostnameWarnings, ClusterRanges, DOKS_DEFAULT_CLUSTER_RANGES } from '../tenants/rules/egress';

/** Lines for the synth summary; empty when no tenant has egress entries or brokers. Pure. */
export function egressNotes(tenants: readonly TenantSpec[], ranges: ClusterRanges = DOKS_DEFAULT_CLUSTER_RANGES, stack?: string): string[] {
  const lines: string[] = [];
  const withEgress = tenants.filter((t) => (t.egress ?? []).length > 0).length;
  if (withEgress > 0) {
    const which = ranges.source === 'stack' ? `stack ${stack ?? ''}'s`.replace(/ 's$/, "'s") : stack ? `the DOKS defaults (stack ${stack} sets no tenantscale:clusterSubnet/serviceSubnet)` : 'the DOKS defaults (offline; `synth --stack <name>` uses the stack\'s tenantscale:clusterSubnet/serviceSubnet)';
    lines.push(`  egress of ${withEgress} tenant${withEgress === 1 ? '' : 's'} checked against cluster ranges ${ranges.podSubnet} (pods) and ${ranges.serviceSubnet} (Services): ${which}`);
  }
  for (const t of tenants) for (const w of brokerHostnameWarnings(t.name, t.triggers ?? [])) lines.push(`  ! ${w}`);
  return lines;
}
