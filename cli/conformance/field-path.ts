/**
 * Field paths and field problems shared by every validator: a path is a list of segments (property
 * names and array indices) rendered the way kubectl prints them, e.g.
 * `spec.template.spec.containers[0].ports[1].containerPort` or `metadata.labels["app.kubernetes.io/name"]`.
 */

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

/** One thing wrong at one place inside one object. */
export interface FieldProblem {
  /** Where, relative to the object's root (empty for the object itself). */
  readonly path: FieldPath;
  /** What is wrong, phrased for a person. */
  readonly message: string;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Renders a path as `spec.containers[0].name`; keys that are not identifiers are bracket-quoted. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(object)' : out;
}

/** A short description of a value for messages: `string "abc"`, `integer 3`, `object`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'number':
      return Number.isInteger(value) ? `integer ${value}` : `number ${value}`;
    case 'boolean':
      return `boolean ${value}`;
    case 'object':
      return 'object';
    default:
      return typeof value;
  }
}

/** True for a JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Converts a JSON pointer (`/spec/containers/0`) into path segments, using the data to tell indices from keys. */
export function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      path.push(Number(key));
      node = node[Number(key)];
    } else {
      path.push(key);
      node = isPlainObject(node) ? node[key] : undefined;
    }
  }
  return path;
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: FieldPath): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (typeof segment === 'number') node = Array.isArray(node) ? node[segment] : undefined;
    else node = isPlainObject(node) ? node[segment] : undefined;
  }
  return node;
}
