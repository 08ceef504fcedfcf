/**
 * Which tenants of the shared tenant list a stack (cluster) serves: a Kubernetes label selector
 * (`matchLabels` and `matchExpressions`, the semantics of metav1.LabelSelector) over the tenants'
 * `labels`. A stack without a selector serves every tenant.
 *
 *   tenantscale:tenantSelector:
 *     matchLabels: { region: eu }
 *     matchExpressions: [{ key: tier, operator: NotIn, values: [free] }]
 */
import { z } from 'zod';
import { selectorMatches } from '../policies/model';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

const requirementSchema = z
  .strictObject({
    key: z.string().regex(LABEL_KEY),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string().regex(LABEL_VALUE)).max(100).default([]),
  })
  .superRefine((r, ctx) => {
    const needsValues = r.operator === 'In' || r.operator === 'NotIn';
    if (needsValues && r.values.length === 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `${r.operator} needs at least one value` });
    if (!needsValues && r.values.length > 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `${r.operator} takes no values` });
  });

/** A label selector as `tenantscale:tenantSelector` holds it. */
export const tenantSelectorSchema = z.strictObject({
  matchLabels: z.record(z.string().regex(LABEL_KEY), z.string().regex(LABEL_VALUE)).default({}),
  matchExpressions: z.array(requirementSchema).max(20).default([]),
});

export type TenantSelector = z.output<typeof tenantSelectorSchema>;

/**
 * Whether a tenant with these labels is selected (every requirement holds; an empty selector
 * selects all; no selector: the stack serves every tenant). The matching is the policy model's
 * metav1.LabelSelector semantics (NotIn also matches tenants without the key).
 */
export function selects(selector: TenantSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  return selector === undefined || selectorMatches(selector, labels);
}

/** The selector as one line, e.g. `region=eu,tier notin (free)`, for messages. */
export function describeSelector(selector: TenantSelector | undefined): string {
  if (!selector) return 'every tenant';
  const parts = [
    ...Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...selector.matchExpressions.map((r) =>
      r.operator === 'Exists' ? r.key : r.operator === 'DoesNotExist' ? `!${r.key}` : `${r.key} ${r.operator.toLowerCase()} (${r.values.join(',')})`,
    ),
  ];
  return parts.length === 0 ? 'every tenant' : parts.join(',');
}
