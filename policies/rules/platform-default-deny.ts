import { PLATFORM_DEFAULT_DENY, POLICED_NAMESPACES } from '../../constructs/platform/platform-network-policies';
import { violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'platform-namespace-default-deny',
  level: 'mandatory',
  description:
    'A platform namespace (keda, envoy-gateway-system, cert-manager, vpa, monitoring) with tenantscale allow NetworkPolicies but no ingress default-deny for every pod leaves each pod no allow selects open to the whole cluster, tenants included (issue 22 item 7), although the allows suggest it is isolated.',
  pitfall: 'Platform isolation: tenants must not reach the interceptor, Prometheus or the webhooks except through the flows the platform needs (docs/platform-isolation.md)',
};

const isDefaultDeny = (o: KubeObject): boolean => {
  const spec = (o.spec ?? {}) as { podSelector?: Record<string, unknown>; policyTypes?: string[]; ingress?: unknown[] };
  return Object.keys(spec.podSelector ?? { x: 1 }).length === 0 && (spec.policyTypes ?? []).includes('Ingress') && (spec.ingress ?? []).length === 0;
};

/** Added rule: every platform namespace with a NetworkPolicy of tenantscale's has the ingress default-deny, selecting every pod and admitting nothing. */
export function platformNamespaceDefaultDeny(objects: readonly KubeObject[]): Violation[] {
  const out: Violation[] = [];
  for (const ns of POLICED_NAMESPACES) {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && o.metadata.name.startsWith('tenantscale-'));
    if (policies.length === 0) continue;
    const deny = policies.find((o) => o.metadata.name === PLATFORM_DEFAULT_DENY);
    if (deny && isDefaultDeny(deny)) continue;
    out.push(
      violation(
        INFO,
        deny ?? policies[0],
        deny
          ? `is namespace ${ns}'s default-deny but does not select every pod with no ingress rule (podSelector {}, policyTypes [Ingress], ingress [])`
          : `namespace ${ns} has tenantscale allow policies (${policies.map((p) => p.metadata.name).join(', ')}) but no ${PLATFORM_DEFAULT_DENY}: pods no allow selects stay open to every pod`,
        `apply the policies exactly as synthesized (constructs/platform/platform-network-policies.ts), or turn them all off with tenantscale:platformNetworkPolicies: false`,
      ),
    );
  }
  return out;
}

export const platformNamespaceDefaultDenyRule: ManifestRule = { ...INFO, check: platformNamespaceDefaultDeny };
