import { LABELS } from '../../constructs/platform-settings';
import { NAMESPACE_PREFIX } from '../../tenants/schema';
import { asArray, groupByNamespace, labelsOf, namespaceOf, namespacesByName, podTemplate, selectorMatches, settingsOf, specOf, WORKLOAD_KINDS } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, RuleOptions, Violation } from '../types';

/** Pod Security levels that count as a guardrail (`privileged` enforces nothing). */
const ENFORCING_LEVELS = new Set(['baseline', 'restricted']);
const PSA_ENFORCE = 'pod-security.kubernetes.io/enforce';

const INFO: RuleInfo = {
  name: 'tenant-guardrails',
  level: 'mandatory',
  description:
    "Every tenant namespace needs a ResourceQuota (a runaway tenant's max replicas cannot starve the others or trigger unbounded node scale-up), a LimitRange (containers without requests get defaults, so the HPA and the scheduler can do their arithmetic), a default-deny NetworkPolicy for ingress and egress (tenants cannot reach each other) and an enforcing Pod Security label.",
  pitfall: 'The Per-Tenant Pattern ("isolated state, isolated config … traffic for customer A doesn\'t reach customer B"); Try With AI #3 "cost controls"',
};

/** The tenant namespaces: Namespace objects marked as tenants, and every `tenant-*` namespace objects live in. */
export function tenantNamespaces(objects: readonly KubeObject[], options?: RuleOptions): Map<string, KubeObject | undefined> {
  const settings = settingsOf(options);
  const found = new Map<string, KubeObject | undefined>();
  for (const o of objects) {
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') {
      const labels = labelsOf(o);
      if (labels[LABELS.tenant] || labels[settings.tenantNamespaceLabel.key] === settings.tenantNamespaceLabel.value || o.metadata.name.startsWith(NAMESPACE_PREFIX)) {
        found.set(o.metadata.name, o);
      }
    }
  }
  const namespaceObjects = namespacesByName(objects);
  for (const o of objects) {
    const ns = namespaceOf(o);
    if (ns.startsWith(NAMESPACE_PREFIX) && !found.has(ns)) found.set(ns, namespaceObjects.get(ns));
  }
  return found;
}

/** Whether NetworkPolicies of the namespace (its objects given) isolate every workload pod for this direction. */
function isolates(inNamespace: readonly KubeObject[], direction: 'Ingress' | 'Egress'): boolean {
  const pods = inNamespace.filter((o) => WORKLOAD_KINDS.has(o.kind)).map((o) => podTemplate(o)?.labels ?? {});
  const policies = inNamespace.filter((o) => o.kind === 'NetworkPolicy').map(specOf);
  const covering = policies.filter((p) => {
    const types = asArray<string>(p.policyTypes);
    const effective = types.length > 0 ? types : ['Ingress', ...(p.egress !== undefined ? ['Egress'] : [])];
    return effective.includes(direction);
  });
  // Selected by some policy of this direction (an empty podSelector selects every pod).
  return covering.length > 0 && pods.every((labels) => covering.some((p) => selectorMatches(p.podSelector ?? {}, labels)));
}

/** Rule 17: every tenant namespace has a ResourceQuota, a LimitRange, default-deny NetworkPolicies and Pod Security labels. */
export function tenantGuardrails(objects: readonly KubeObject[], options?: RuleOptions): Violation[] {
  const out: Violation[] = [];
  const byNamespace = groupByNamespace(objects);
  for (const [namespace, nsObject] of [...tenantNamespaces(objects, options)].sort(([a], [b]) => a.localeCompare(b))) {
    const objectsInNs = byNamespace.get(namespace) ?? [];
    const add = (message: string, fix: string) =>
      out.push({ rule: INFO.name, level: INFO.level, namespace: '', kind: 'Namespace', name: namespace, message, fix });
    const inNs = (kind: string) => objectsInNs.filter((o) => o.kind === kind);
    if (!nsObject) {
      add('the tenant namespace has no Namespace object here, so nothing sets its Pod Security labels', `add a Namespace ${namespace} labelled ${PSA_ENFORCE}: restricted`);
    } else {
      const level = labelsOf(nsObject)[PSA_ENFORCE];
      if (!level || !ENFORCING_LEVELS.has(level)) {
        add(
          level ? `${PSA_ENFORCE} is "${level}", which enforces nothing` : `no ${PSA_ENFORCE} label: any pod spec is admitted, privileged ones included`,
          `label the Namespace ${PSA_ENFORCE}: restricted (and audit/warn: restricted)`,
        );
      }
    }
    if (inNs('ResourceQuota').length === 0) {
      add('no ResourceQuota: one tenant scaling out without bound can starve the others and trigger unbounded node scale-up', 'add a ResourceQuota sized to max replicas × limits (tenantscale synth writes one per tenant)');
    }
    if (!inNs('LimitRange').some((o) => asArray<Record<string, any>>(specOf(o).limits).some((l) => l.type === 'Container'))) {
      add('no LimitRange with Container defaults: a container written without requests gets none, breaking HPA utilization and scheduling', 'add a LimitRange with type: Container defaultRequest and default');
    }
    for (const direction of ['Ingress', 'Egress'] as const) {
      if (!isolates(objectsInNs, direction)) {
        add(
          `no NetworkPolicy isolates ${direction.toLowerCase()} for every pod in the namespace: tenants can ${direction === 'Ingress' ? 'be reached by' : 'reach'} other tenants`,
          `add a NetworkPolicy with podSelector: {} (or one selecting every workload) and policyTypes including ${direction}`,
        );
      }
    }
  }
  return out;
}

export const tenantGuardrailsRule: ManifestRule = { ...INFO, check: tenantGuardrails };
