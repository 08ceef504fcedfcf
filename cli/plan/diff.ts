/**
 * Field-level diff of Kubernetes objects: which object (kind, namespace, name), which JSON path,
 * old → new. Pure and deterministic: keys are visited in code-point order, lists index by index.
 */
import { canonicalJson, compareStrings, isPlainObject, joinPath } from './values';

/** One changed field. `old`/`new` are absent (undefined) when the field is added/removed. */
export interface FieldChange {
  /** JSON path, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

/**
 * Every changed leaf between two JSON values. A field present on one side only is one change
 * carrying the whole value (an added `metrics` block is one line, not one per key).
 */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, path, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (a === b) return;
  if (a === undefined || b === undefined) {
    out.push(change(path, a, b));
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings);
    for (const key of keys) walk(a[key], b[key], joinPath(path, key), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(i < a.length ? a[i] : undefined, i < b.length ? b[i] : undefined, joinPath(path, i), out);
    return;
  }
  if (canonicalJson(a) !== canonicalJson(b)) out.push(change(path, a, b));
}

function change(path: string, a: unknown, b: unknown): FieldChange {
  const c: { path: string; old?: unknown; new?: unknown } = { path };
  if (a !== undefined) c.old = a;
  if (b !== undefined) c.new = b;
  return c;
}

/** The identity of a Kubernetes object as Kubernetes and Pulumi see it. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects (Namespace). */
  readonly namespace?: string;
  readonly name: string;
}

/** A synthesized object, as far as the diff needs it. */
export interface KubeObjectLike {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

export function objectRef(o: KubeObjectLike): ObjectRef {
  const ref: { apiVersion: string; kind: string; namespace?: string; name: string } = {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
  };
  if (o.metadata.namespace !== undefined) ref.namespace = o.metadata.namespace;
  return ref;
}

/** API group of an apiVersion (`apps/v1` → `apps`, `v1` → core ``). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Key identifying an object across versions of the list: group, kind, namespace, name. The API
 * version is left out, so moving `v1beta1` → `v1` is an update, not a delete and a create.
 */
export function objectKey(ref: ObjectRef): string {
  return `${apiGroup(ref.apiVersion)}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

/** `Deployment tenant-ahmed/ahmed`, or `Namespace tenant-ahmed` for cluster-scoped objects. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}

/**
 * Fields Kubernetes refuses to change in place: a change deletes and recreates the object (Pulumi
 * replaces it; a GitOps controller fails to apply until the object is deleted).
 */
export const IMMUTABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec.selector'],
  StatefulSet: ['spec.selector', 'spec.serviceName', 'spec.volumeClaimTemplates', 'spec.podManagementPolicy'],
  DaemonSet: ['spec.selector'],
  Job: ['spec.selector', 'spec.template'],
  Service: ['spec.clusterIP', 'spec.clusterIPs', 'spec.ipFamilies'],
  PersistentVolumeClaim: ['spec.accessModes', 'spec.storageClassName', 'spec.selector', 'spec.volumeName', 'spec.volumeMode'],
  Secret: ['type'],
  ConfigMap: [],
};

/** The immutable field a path falls under, if any. */
export function immutableFieldOf(kind: string, path: string): string | undefined {
  return (IMMUTABLE_FIELDS[kind] ?? []).find((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`));
}

export type ObjectAction = 'create' | 'delete' | 'update' | 'replace';

export interface ObjectChange {
  readonly action: ObjectAction;
  readonly object: ObjectRef;
  /** Field changes (update and replace only). */
  readonly changes: readonly FieldChange[];
  /** Why an update is a replacement: the immutable fields it changes. */
  readonly immutable?: readonly string[];
}

/**
 * Compares two sets of objects by identity (group, kind, namespace, name). Order: objects of the
 * new state in their synthesized order (creates and updates), then deletions in the old order.
 * Unchanged objects are left out.
 */
export function diffObjects(before: readonly KubeObjectLike[], after: readonly KubeObjectLike[]): ObjectChange[] {
  const old = new Map<string, KubeObjectLike>();
  for (const o of before) old.set(objectKey(objectRef(o)), o);
  const seen = new Set<string>();
  const out: ObjectChange[] = [];
  for (const o of after) {
    const ref = objectRef(o);
    const key = objectKey(ref);
    seen.add(key);
    const previous = old.get(key);
    if (previous === undefined) {
      out.push({ action: 'create', object: ref, changes: [] });
      continue;
    }
    const changes = diffValues(previous, o);
    if (changes.length === 0) continue;
    const immutable = [...new Set(changes.map((c) => immutableFieldOf(ref.kind, c.path)).filter((f): f is string => f !== undefined))];
    out.push(immutable.length > 0 ? { action: 'replace', object: ref, changes, immutable } : { action: 'update', object: ref, changes });
  }
  for (const o of before) {
    const ref = objectRef(o);
    if (!seen.has(objectKey(ref))) out.push({ action: 'delete', object: ref, changes: [] });
  }
  return out;
}
