/**
 * What a validator needs from a schema source: find the schema of a group/version/kind and
 * validate an object against it. Implemented by the Kubernetes OpenAPI v2 file
 * (kubernetes-openapi.ts), the kubernetes-models package (kubernetes-models-schemas.ts) and a
 * directory of CustomResourceDefinitions (crd-catalog.ts).
 */
import type { UnevaluatedRule } from './openapi-types';
import { FieldProblem } from './field-path';

export interface GroupVersionKind {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export type Scope = 'Namespaced' | 'Cluster';

/** Checks a schema asked for that were not made, counted so that the report can say so. */
export interface UncheckedTally {
  /** CEL rules (`x-kubernetes-validations`) on the validated fields that were not evaluated. */
  celRules: number;
  /** CEL rules evaluated (passed or failed). */
  celEvaluated: number;
  /** Transition rules (`oldSelf`), skipped as on create. */
  celTransitions: number;
  /** `pattern`s that are not valid JavaScript regular expressions (RE2-only syntax): not checked. */
  patterns: number;
}

/** A tally of nothing left unchecked. */
export function noneUnchecked(): UncheckedTally {
  return { celRules: 0, celEvaluated: 0, celTransitions: 0, patterns: 0 };
}

/** The result of validating one object (or its metadata) against a schema. */
export interface SchemaCheck {
  readonly problems: FieldProblem[];
  /** @default nothing unchecked */
  readonly unchecked?: UncheckedTally;
  /** CEL rules that could not be evaluated, and why. @default none */
  readonly unevaluated?: readonly UnevaluatedRule[];
}

/** Adds `more` to `into`. */
export function addUnchecked(into: UncheckedTally, more: UncheckedTally | undefined): void {
  if (!more) return;
  into.celRules += more.celRules;
  into.celEvaluated += more.celEvaluated;
  into.celTransitions += more.celTransitions;
  into.patterns += more.patterns;
}

export interface KindSchema {
  readonly gvk: GroupVersionKind;
  /** Where the schema came from (a file, a package), for messages. */
  readonly source: string;
  /** Namespaced or cluster-scoped, when the source can tell. */
  readonly scope?: Scope;
  /**
   * Whether `validate` covers `metadata` as ObjectMeta (built-in kinds). A CRD's schema does not:
   * the validator checks a custom resource's metadata against the built-in ObjectMeta as well.
   */
  readonly coversObjectMeta: boolean;
  /** Validates a whole object (with its apiVersion and kind) against the schema. */
  validate(object: Record<string, unknown>, options?: ValidateCallOptions): SchemaCheck;
}

export interface ValidateCallOptions {
  /** Evaluate CEL rules (custom resources). @default true */
  readonly cel?: boolean;
}

/** Schemas of the built-in Kubernetes kinds. */
export interface BuiltinCatalog {
  /** e.g. `kubernetes-models 4.5.1` or `k8s-1.28-definitions.json`. */
  readonly description: string;
  lookup(gvk: GroupVersionKind): KindSchema | undefined;
  /** Validates an object's `metadata` as ObjectMeta; paths are relative to the object (start with `metadata`). */
  validateObjectMeta(metadata: unknown): SchemaCheck;
}

/** `apps/v1` → {group: apps, version: v1}; `v1` → core group. Undefined when malformed. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0] !== '') return { group: '', version: parts[0] };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { group: parts[0], version: parts[1] };
  return undefined;
}

/** `apps/v1 Deployment`, `v1 Service`. */
export function formatGvk(gvk: GroupVersionKind): string {
  return `${gvk.group === '' ? '' : `${gvk.group}/`}${gvk.version} ${gvk.kind}`;
}

/** A map key for a group/version/kind. */
export function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}
