/** Label rules beyond the label-key pattern: prefix length and prefixes reserved for Kubernetes and tenantscale. */
import type { Problem } from '../problem';

/**
 * A label key's prefix is a DNS subdomain of at most 253 characters
 * (kubernetes/apimachinery@v0.28.15 pkg/util/validation/validation.go:43 IsQualifiedName, which
 * checks the prefix with IsDNS1123Subdomain, line 215).
 */
export const LABEL_PREFIX_MAX = 253;

/**
 * Prefixes a tenant may not set. `kubernetes.io` and `k8s.io` and every subdomain of them
 * (`pod-security.kubernetes.io/enforce` on the namespace would lift Pod Security; `app.kubernetes.io`
 * and `tenantscale.io` carry ownership labels tenantscale sets and selects on).
 */
const RESERVED_DOMAINS = ['kubernetes.io', 'k8s.io', 'tenantscale.io'];

/** The reserved domain a key's prefix falls under, or undefined. Pure. */
export function reservedLabelDomain(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash).toLowerCase();
  return RESERVED_DOMAINS.find((d) => prefix === d || prefix.endsWith(`.${d}`));
}

/** Problems of one label key (the pattern itself is the schema's). Pure. */
export function labelKeyProblems(tenant: string, key: string): Problem[] {
  const problems: Problem[] = [];
  const slash = key.indexOf('/');
  if (slash > LABEL_PREFIX_MAX) {
    problems.push({
      tenant,
      field: `labels.${key}`,
      value: key,
      message: `the prefix is ${slash} characters; the API server refuses label prefixes over ${LABEL_PREFIX_MAX}`,
      allowed: `a prefix of at most ${LABEL_PREFIX_MAX} characters (a DNS subdomain), "/", then a name of at most 63`,
      fix: 'use a short domain you own as the prefix, e.g. "example.com/plan"',
    });
  }
  const reserved = reservedLabelDomain(key);
  if (reserved) {
    problems.push({
      tenant,
      field: `labels.${key}`,
      value: key,
      message: `the prefix is reserved: ${reserved} and its subdomains belong to Kubernetes and tenantscale (e.g. pod-security.kubernetes.io/enforce would change the namespace's Pod Security level)`,
      allowed: 'labels outside kubernetes.io, k8s.io and tenantscale.io and their subdomains',
      fix: 'use your own prefix, e.g. "example.com/plan", or a bare key such as "plan"',
    });
  }
  return problems;
}
