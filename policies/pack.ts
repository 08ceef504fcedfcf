/**
 * The CrossGuard policies, built from the same rule functions `tenantscale check` runs. Kept apart
 * from index.ts so tests can call every `validateStack` without constructing a PolicyPack (whose
 * constructor starts a gRPC server and exits the process on a second pack).
 *
 * Most rules span objects (an HPA and its Deployment, a route and its ReferenceGrant), so each
 * manifest rule is a stack validation over every Kubernetes resource the program registers; a
 * violation is reported against the URN of the object it names.
 */
import { StackValidationArgs, StackValidationPolicy, UnknownValueError } from '@pulumi/policy';
import { namespaceOf, objectKey } from './model';
import { kubeObjectsOf } from './resources';
import { MANIFEST_RULES, RESOURCE_RULES } from './rules';
import type { RegisteredResource, RuleInfo, Violation } from './types';

/**
 * Whether reading a property failed because its value is unknown during preview. Matched by class
 * name too: when the tests run with policies/node_modules installed, the proxy may come from the
 * root copy of @pulumi/policy and the class from the pack's own copy.
 */
export function isUnknownValueError(err: unknown): boolean {
  return err instanceof UnknownValueError || (err instanceof Object && err.constructor?.name === 'UnknownValueError');
}

/**
 * A deep copy of resource inputs without the values `pulumi preview` cannot know yet (reading one
 * through CrossGuard's proxy throws): rules then see an unset field, exactly as for a manifest
 * that leaves the field to its default.
 */
export function knownValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const read = (key: string): { ok: boolean; v?: unknown } => {
    try {
      return { ok: true, v: (value as Record<string, unknown>)[key] };
    } catch (err) {
      if (isUnknownValueError(err)) return { ok: false };
      throw err;
    }
  };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const key of Object.keys(value)) {
      const r = read(key);
      if (r.ok && r.v !== undefined) out.push(knownValues(r.v));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const r = read(key);
    if (r.ok) out[key] = knownValues(r.v);
  }
  return out;
}

/** The stack's resources as plain registered resources. */
export function registeredResources(args: Pick<StackValidationArgs, 'resources'>): RegisteredResource[] {
  return args.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: knownValues(r.props) as Record<string, unknown> }));
}

/** `message — fix: …`: CrossGuard shows one string per violation. */
export function violationText(v: Violation): string {
  const where = v.namespace ? `${v.namespace}/` : '';
  return `${where}${v.kind}/${v.name}: ${v.message}\nfix: ${v.fix}`;
}

function policyOf(rule: RuleInfo, validate: (resources: RegisteredResource[]) => { violation: Violation; urn?: string }[]): StackValidationPolicy {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.level,
    validateStack: (args, reportViolation) => {
      for (const { violation, urn } of validate(registeredResources(args))) reportViolation(violationText(violation), urn);
    },
  };
}

/** Every rule as a CrossGuard stack policy, manifest rules first. */
export const policies: StackValidationPolicy[] = [
  ...MANIFEST_RULES.map((rule) =>
    policyOf(rule, (resources) => {
      const objects = kubeObjectsOf(resources);
      const urns = new Map(objects.map(({ object, resource }) => [objectKey(object.kind, namespaceOf(object), object.metadata.name), resource.urn]));
      return rule.check(objects.map((o) => o.object)).map((violation) => ({ violation, urn: urns.get(objectKey(violation.kind, violation.namespace, violation.name)) }));
    }),
  ),
  ...RESOURCE_RULES.map((rule) =>
    policyOf(rule, (resources) => {
      const urns = new Map(resources.map((r) => [`${r.type}\u0000${r.name}`, r.urn]));
      return rule.check(resources).map((violation) => ({ violation, urn: urns.get(`${violation.kind}\u0000${violation.name}`) }));
    }),
  ),
];
